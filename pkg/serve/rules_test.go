package serve

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/pkg/catalog"
)

// TestAlertRulesRunbooks: every rule of alerts/updoc.rules.yml carries a
// runbook drawn from the catalogue (`updoc explain CODE` of a catalogue
// code, or of the finding's own code label) or, for the exporter's own
// alerts, an updoc command; and a runbook_url whose anchor exists in
// docs/codes.md (generated from the catalogue) or docs/serve.md. promtool
// checks the syntax (cmd/updoc's Prometheus test).
func TestAlertRulesRunbooks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "alerts", "updoc.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Groups []struct {
			Rules []struct {
				Alert       string
				Expr        string
				Annotations map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	anchors := map[string]map[string]bool{}
	for _, doc := range []string{"codes.md", "serve.md"} {
		text, err := os.ReadFile(filepath.Join("..", "..", "docs", doc))
		if err != nil {
			t.Fatal(err)
		}
		anchors[doc] = markdownAnchors(string(text))
	}
	explain := regexp.MustCompile(`^updoc explain (.+)$`)
	url := regexp.MustCompile(`^https://github\.com/updoc/updoc/blob/main/docs/(codes\.md|serve\.md)#(.+)$`)
	n := 0
	for _, g := range file.Groups {
		for _, r := range g.Rules {
			n++
			book := r.Annotations["runbook"]
			switch m := explain.FindStringSubmatch(book); {
			case m != nil && m[1] == "{{ $labels.code }}":
				if !strings.Contains(r.Expr, "updoc_finding") {
					t.Errorf("%s: runbook %q, but its series have no code label", r.Alert, book)
				}
			case m != nil:
				if _, ok := catalog.Get(m[1]); !ok {
					t.Errorf("%s: runbook %q names no catalogue code", r.Alert, book)
				}
			case strings.HasPrefix(book, "updoc ") && !strings.Contains(r.Expr, "updoc_finding"):
			default:
				t.Errorf("%s: runbook %q: want updoc explain CODE", r.Alert, book)
			}
			m := url.FindStringSubmatch(r.Annotations["runbook_url"])
			switch {
			case m == nil:
				t.Errorf("%s: runbook_url %q points outside docs/codes.md and docs/serve.md", r.Alert, r.Annotations["runbook_url"])
			case strings.Contains(m[2], "{{"):
			case !anchors[m[1]][m[2]]:
				t.Errorf("%s: runbook_url anchor #%s is not a heading of docs/%s", r.Alert, m[2], m[1])
			}
			if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				t.Errorf("%s: no summary or description", r.Alert)
			}
		}
	}
	if n < 8 {
		t.Errorf("%d rules, want at least 8", n)
	}
}

// markdownAnchors are the GitHub anchors of a Markdown file's headings.
func markdownAnchors(text string) map[string]bool {
	out := map[string]bool{}
	strip := regexp.MustCompile("[^a-z0-9 _-]")
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		h := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "#")))
		h = strip.ReplaceAllString(h, "")
		out[strings.ReplaceAll(h, " ", "-")] = true
	}
	return out
}
