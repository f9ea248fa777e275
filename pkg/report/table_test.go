package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/updoc/updoc/internal/textfmt"
)

func TestNoColorNoEscapes(t *testing.T) {
	for name, mk := range fixtures() {
		for _, o := range []TableOptions{{}, {Verbose: true, Waterfall: true}, {Width: 80, Verbose: true}} {
			var b bytes.Buffer
			if err := WriteTable(&b, mk(), o); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), "\x1b") {
				t.Errorf("%s %+v: escape code with Color=false", name, o)
			}
			b.Reset()
			if err := WriteGitHub(&b, mk(), o); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), "\x1b") {
				t.Errorf("%s %+v: escape code in github output", name, o)
			}
		}
	}
	var b bytes.Buffer
	if err := WriteTable(&b, mixedReport(), TableOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{ansiRed + "unhealthy", ansiYellow + "degraded", ansiGreen + "1 upstream healthy"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Color=true: missing %q", want)
		}
	}
}

func TestTableFitsWidth(t *testing.T) {
	for name, mk := range fixtures() {
		for _, width := range []int{40, 60, 80, 100, 120, 200} {
			for _, o := range []TableOptions{{Width: width}, {Width: width, Verbose: true, Waterfall: true}, {Width: width, Color: true, Verbose: true}} {
				var b bytes.Buffer
				if err := WriteTable(&b, mk(), o); err != nil {
					t.Fatal(err)
				}
				commands := stepCommands(mk())
				for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
					if n := textfmt.Width(line); n > width && !holdsUnbreakable(line, width, commands) {
						t.Errorf("%s %+v line %d is %d columns: %q", name, o, i+1, n, line)
					}
					if strings.HasSuffix(line, " ") {
						t.Errorf("%s %+v line %d has trailing spaces: %q", name, o, i+1, line)
					}
				}
			}
		}
	}
}

func TestTableContent(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, mixedReport(), TableOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "updoc: UNHEALTHY — 7 upstreams: 1 healthy, 2 degraded, 4 unhealthy in 812ms") {
		t.Errorf("header line = %q", lines[0])
	}
	rc := strings.Index(out, "ROOT CAUSES")
	up := strings.Index(out, "UPSTREAM")
	if rc < 0 || up < 0 || rc > up {
		t.Errorf("root causes must lead the upstream table:\n%s", out)
	}
	for _, want := range []string{"takes down 2 upstreams: gateway, edge", "+1 more", "+2 more", "1 upstream healthy: search"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	// Worst first: root-cause upstreams (unhealthy, then degraded), then
	// the other unhealthy ones; the healthy one is only named.
	var order []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 2 && f[1] == "│" && f[0] != "UPSTREAM" && f[0] != "│" {
			order = append(order, f[0])
		}
	}
	if want := []string{"users", "legacy", "orders", "auth", "edge", "gateway"}; !slices.Equal(order, want) {
		t.Errorf("rows %v, want %v", order, want)
	}
	b.Reset()
	if err := WriteTable(&b, mixedReport(), TableOptions{Verbose: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "ok · HTTP 200 · p50 7.4ms") || strings.Contains(b.String(), "upstream healthy:") {
		t.Errorf("-v: the healthy upstream has its row:\n%s", b.String())
	}
	// The gateway row shows its fail finding, not dependency.unhealthy.
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "gateway ") && !strings.Contains(l, "gateway.no_healthy_upstream") {
			t.Errorf("gateway row = %q", l)
		}
	}
}

func TestTableWrap(t *testing.T) {
	if got := textfmt.Truncate("gateway.no_healthy_upstream", 10); got != "gateway.n…" || utf8.RuneCountInString(got) != 10 {
		t.Errorf("truncate = %q", got)
	}
	lines := wrap("one two three four five six seven", 9, 2)
	if len(lines) != 2 || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("wrap = %q", lines)
	}
	// A word wider than the line (a URL, a code) stands whole on its own.
	if got := wrap("see gateway.no_healthy_upstream x", 10, 0); !slices.Equal(got, []string{"see", "gateway.no_healthy_upstream", "x"}) {
		t.Errorf("wrap of a long word = %q", got)
	}
}

// stepCommands are the commands of every remediation step of r.
func stepCommands(r *Report) map[string]bool {
	out := map[string]bool{}
	for _, u := range r.Upstreams {
		for _, f := range u.Findings {
			for _, s := range f.Remediation {
				if _, c := splitStep(s); c != "" {
					out[c] = true
				}
			}
		}
	}
	return out
}

// holdsUnbreakable: a line wider than the width is allowed only when it is
// a step's command, whole, or when its last word alone takes more than
// half the width (a URL, a code, a key=value of evidence), whole.
func holdsUnbreakable(line string, width int, commands map[string]bool) bool {
	plain := strings.TrimSpace(ansi.Strip(line))
	if commands[plain] {
		return true
	}
	words := strings.Fields(plain)
	return len(words) > 0 && textfmt.Width(words[len(words)-1]) > width/2
}

// TestTableAlignsWideText: names and messages in CJK are measured in
// display columns, so the rows keep their "│" under the header's and every
// line fits the width.
func TestTableAlignsWideText(t *testing.T) {
	r := &Report{Schema: Schema, Status: Unhealthy, Summary: Summary{Total: 2, Unhealthy: 2}, Upstreams: []Upstream{
		{Name: "決済サービス", Status: Unhealthy, Layers: Layers{TCP: LFail}, Findings: []Finding{{
			Code: "tcp.refused", Severity: Fail, Layer: "tcp", Target: "10.0.0.7:8080",
			Message:     "接続が拒否されました: 10.0.0.7:8080 のサービスが起動しているか確認してください。ポートが正しいか、ファイアウォールが接続を許可しているかも確認してください。",
			Remediation: []string{"サービスを再起動する: systemctl restart 決済サービス"},
		}}},
		{Name: "api", Status: Unhealthy, Layers: Layers{HTTP: LFail}, Findings: []Finding{{
			Code: "http.status", Severity: Fail, Layer: "http", Message: "answered 503 — サービス利用不可 👍 (Service Unavailable)",
		}}},
	}}
	for _, width := range []int{60, 80, 100} {
		var b bytes.Buffer
		if err := WriteTable(&b, r, TableOptions{Width: width}); err != nil {
			t.Fatal(err)
		}
		var bars []int // display columns of the "│" of the header row
		for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
			if n := textfmt.Width(line); n > width {
				t.Errorf("width %d: line is %d columns: %q", width, n, line)
			}
			if !strings.Contains(line, "│") {
				continue
			}
			var at []int
			col := 0
			for _, r := range line {
				if r == '│' {
					at = append(at, col)
				}
				col += textfmt.Width(string(r))
			}
			if bars == nil {
				bars = at
			} else if !slices.Equal(at, bars[:min(len(at), len(bars))]) || len(at) != len(bars) {
				t.Errorf("width %d: separators at %v, the header's at %v: %q", width, at, bars, line)
			}
		}
		if width >= 80 && !strings.Contains(b.String(), "\n 決済サービス │ unhealthy │") {
			t.Errorf("width %d: the CJK name is cut or misplaced:\n%s", width, b.String())
		}
	}
}

// TestTableFitsWidthWithEmoji: emoji that rune-by-rune measures (go-runewidth)
// take wider or narrower than the terminal libraries do; every line fits.
func TestTableFitsWidthWithEmoji(t *testing.T) {
	for _, msg := range []string{
		strings.Repeat("family 👨\u200d👩\u200d👧 ", 12),
		strings.Repeat("warn ⚠️ ", 14),
		strings.Repeat("flag 🇩🇪 thumbs 👍🏽 ", 6),
	} {
		r := &Report{Schema: Schema, Status: Unhealthy, Upstreams: []Upstream{{
			Name: "api 👨\u200d👩\u200d👧", Status: Unhealthy,
			Findings: []Finding{{Code: "http.status", Severity: Fail, Message: msg, Remediation: []string{msg}}},
		}}}
		for _, width := range []int{40, 80, 100} {
			var b bytes.Buffer
			if err := WriteTable(&b, r, TableOptions{Width: width, Verbose: true, Waterfall: true}); err != nil {
				t.Fatal(err)
			}
			var bars []int // display columns of the first row's "│"
			for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				if n := textfmt.Width(line); n > width {
					t.Errorf("width %d, line %d is %d columns: %q", width, i+1, n, line)
				}
				if !strings.Contains(line, "│") {
					continue
				}
				got := barColumns(line)
				if bars == nil {
					bars = got
				} else if !slices.Equal(got, bars) {
					t.Errorf("width %d, line %d: \"│\" at columns %v, the header's at %v: %q", width, i+1, got, bars, line)
				}
			}
		}
	}
}

// barColumns returns the display columns at which "│" stands in line.
func barColumns(line string) []int {
	var cols []int
	parts := strings.Split(line, "│")
	at := 0
	for _, p := range parts[:len(parts)-1] {
		at += textfmt.Width(p)
		cols = append(cols, at)
		at++
	}
	return cols
}

// -v evidence fits the width, a value wider than the line broken to fit:
// only commands may run past it (QA B14: cname_chain=… ran to 81 columns
// at 80).
func TestVerboseEvidenceFitsTheWidth(t *testing.T) {
	r := mixedReport()
	long := "cname_chain=" + strings.Repeat("cnameloop-cdn.lab.updoc.test,", 4)
	r.Upstreams[2].Findings[0].Evidence = map[string]any{"cname_chain": strings.TrimPrefix(long, "cname_chain="), "rcode": "NOERROR"}
	var b bytes.Buffer
	if err := WriteTable(&b, r, TableOptions{Verbose: true, Width: 80}); err != nil {
		t.Fatal(err)
	}
	inEvidence := false
	for _, l := range strings.Split(b.String(), "\n") {
		trimmed := strings.TrimSpace(l)
		if strings.HasPrefix(trimmed, "evidence: ") {
			inEvidence = true
		} else if !strings.HasPrefix(l, "                ") {
			inEvidence = false
		}
		if inEvidence && textfmt.Width(l) > 80 {
			t.Errorf("evidence line of %d columns: %q", textfmt.Width(l), l)
		}
	}
	if !strings.Contains(b.String(), "evidence: cname_chain=cnameloop-cdn") {
		t.Errorf("no evidence line:\n%s", b.String())
	}
}
