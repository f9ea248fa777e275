package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
)

// -o json is indented at a terminal, for a person, and one line in a pipe
// or a file, for scripts (issue 11: half the bytes, no indenting pass);
// both are the same document.
func TestJSONIndentedOnlyAtATerminal(t *testing.T) {
	rep := report.Report{
		Schema: report.Schema, Status: report.Healthy, Summary: report.Summary{Total: 1, Healthy: 1},
		Upstreams: []report.Upstream{{Name: "api", URL: "http://127.0.0.1:8080/health", Status: report.Healthy}},
	}
	docs := map[bool]string{}
	for _, tty := range []bool{true, false} {
		ios, _, out, _ := iostreams.Test()
		ios.SetStdoutTTY(tty)
		r := rep
		if err := render(ios, &r, RunFlags{Output: "json"}, false, 80); err != nil {
			t.Fatal(err)
		}
		docs[tty] = out.String()
	}
	if lines := strings.Count(docs[true], "\n"); lines < 10 || !strings.Contains(docs[true], "\n  \"upstreams\": [\n    {\n") {
		t.Errorf("at a terminal, want the document indented by two spaces:\n%s", docs[true])
	}
	if strings.Count(docs[false], "\n") != 1 || !strings.HasSuffix(docs[false], "}\n") {
		t.Errorf("in a pipe, want the document on one line that ends with a newline:\n%s", docs[false])
	}
	var compacted bytes.Buffer
	if err := json.Compact(&compacted, []byte(docs[true])); err != nil {
		t.Fatal(err)
	}
	if compacted.String() != strings.TrimSuffix(docs[false], "\n") {
		t.Errorf("the two differ in more than whitespace:\n%s\n%s", compacted.String(), docs[false])
	}
}
