package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "../../testdata/golden"

type renderFunc func(*bytes.Buffer, *Report) error

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./pkg/report -update and review the diff)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func fixtures() map[string]func() *Report {
	return map[string]func() *Report{
		"healthy":   healthyReport,
		"mixed":     mixedReport,
		"cut-short": cutShortReport,
		"secret": func() *Report {
			r := secretReport()
			Sanitize(r, []string{secretToken, secretAuth})
			return r
		},
	}
}

func renderers() map[string]renderFunc {
	return map[string]renderFunc{
		"json": func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) },
		"txt":  func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{}) },
		"xml":  func(b *bytes.Buffer, r *Report) error { return WriteJUnit(b, r) },
		"md":   func(b *bytes.Buffer, r *Report) error { return WriteMarkdown(b, r) },
	}
}

func TestGolden(t *testing.T) {
	for name, mk := range fixtures() {
		for ext, render := range renderers() {
			t.Run(name+"."+ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := render(&b, mk()); err != nil {
					t.Fatal(err)
				}
				golden(t, "report-"+name+"."+ext, b.Bytes())
			})
		}
	}
}

// TestGoldenTableVariants covers the table options: widths, verbose,
// colour, waterfall and the GitHub annotations.
func TestGoldenTableVariants(t *testing.T) {
	fixedStopToken(t)
	cases := []struct {
		file   string
		report func() *Report
		render func(*bytes.Buffer, *Report) error
	}{
		{"report-mixed-80.txt", mixedReport, func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{Width: 80}) }},
		{"report-mixed-120.txt", mixedReport, func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{Width: 120}) }},
		{"report-mixed-verbose.txt", mixedReport, func(b *bytes.Buffer, r *Report) error {
			return WriteTable(b, r, TableOptions{Verbose: true, Width: 100})
		}},
		{"report-mixed-color.txt", mixedReport, func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{Color: true}) }},
		{"report-mixed-github.txt", mixedReport, func(b *bytes.Buffer, r *Report) error { return WriteGitHub(b, r, TableOptions{}) }},
		{"report-healthy-verbose.txt", healthyReport, func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{Verbose: true}) }},
		{"report-probe-waterfall.txt", probeReport, func(b *bytes.Buffer, r *Report) error {
			return WriteTable(b, r, TableOptions{Waterfall: true, Width: 80})
		}},
		{"report-mixed-waterfall.txt", mixedReport, func(b *bytes.Buffer, r *Report) error {
			return WriteTable(b, r, TableOptions{Waterfall: true, Width: 80})
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.render(&b, c.report()); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, b.Bytes())
		})
	}
}
