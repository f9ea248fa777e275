package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
	"github.com/updoc/updoc/schema"
)

type result struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
}

// run executes updoc with args the way main does, with env as the environment.
func run(t *testing.T, ctx context.Context, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	root := NewRootCmd(ios, lookup)
	root.SetArgs(args)
	start := time.Now()
	err := root.ExecuteContext(ctx)
	code := exitCode(ios, err)
	return result{code: code, stdout: out.String(), stderr: errOut.String(), elapsed: time.Since(start)}
}

func decodeReport(t *testing.T, s string) report.Report {
	t.Helper()
	var r report.Report
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&report.Document{Report: &r}); err != nil {
		t.Fatalf("stdout is not an updoc.report/v1 document: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document:\n%s", s)
	}
	if r.Schema != report.Schema {
		t.Fatalf("schema = %q", r.Schema)
	}
	// Every report a test decodes is valid against the published schema.
	if err := schema.ValidateReport([]byte(s)); err != nil {
		t.Fatalf("the report does not validate against schema/%s: %v", schema.ReportSchemaFile, err)
	}
	return r
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// invalidGraphs lists testdata/graphs/invalid-*.yaml with the error each must give.
func invalidGraphs(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/graphs/invalid-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid graphs found: %v", err)
	}
	want := map[string]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(fh).ReadString('\n')
		fh.Close()
		w, ok := strings.CutPrefix(strings.TrimSpace(line), "# want: ")
		if !ok {
			t.Fatalf("%s: first line must be '# want: LINE:COLUMN: message'", f)
		}
		want[f] = f + ":" + w
	}
	return want
}
