package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/hostile"
	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/internal/textsafe"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// The TUI is a terminal format too (issue 12, failure 1): what a
// certificate, a server's headers, error page and redirect, or the graph
// file hold never reaches the screen as a control, C1 or bidi character —
// in the list or in any upstream's detail pane.
func TestViewsShowNoRawControl(t *testing.T) {
	certText := strings.ToValidUTF8(hostile.Escapes, "")
	issuer, err := ca.New("Evil CA " + certText)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := issuer.Issue(ca.Leaf{Names: []string{"127.0.0.1"}, CommonName: "leaf " + certText})
	if err != nil {
		t.Fatal(err)
	}
	closed := testserver.ClosedUDP(t)
	file := fmt.Sprintf("version: 1\ndefaults: {samples: 0, timeout: 2s, resolvers: [\"%s\"]}\nupstreams:\n"+
		"  cert: {url: \"https://%s/\", description: \"cert \\e]0;pwned\\a\\u202e\"}\n"+
		"  page: {url: \"http://%s/\"}\n  redirect: {url: \"http://%s/\"}\n",
		closed, testserver.HTTPS(t, cert), hostile.TerminalEscapes(t), hostile.RedirectEscapes(t))
	g, err := graph.Load("updoc.yaml", []byte(file), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	views := everyView(t, engine.Run(context.Background(), g, engine.Options{}, nil))
	for name, v := range views {
		for i, r := range v {
			if textsafe.Unsafe(r) {
				t.Errorf("the %s view holds %U at byte %d: …%q…", name, r, i, v[max(0, i-40):min(len(v), i+40)])
				break
			}
		}
	}
	if !strings.Contains(views["cert"], `\x1b]0;pwned\x07`) {
		t.Errorf("the detail of cert does not show the escape visibly:\n%s", views["cert"])
	}
}

// everyView draws rep in a 160×60 model: the list, and each upstream's
// detail pane (by name).
func everyView(t *testing.T, rep report.Report) map[string]string {
	t.Helper()
	m := newTestModel(t, 160, 60)
	feed(t, m, rep)
	views := map[string]string{"list": m.View()}
	for _, u := range rep.Upstreams {
		selectName(t, m, u.Name)
		press(m, "enter")
		views[u.Name] = m.View()
		press(m, "esc")
	}
	return views
}
