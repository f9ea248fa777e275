package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/hostile"
	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// No byte a server, a certificate or the graph file sends can act on the
// terminal (issue 12, failure 1): an upstream whose certificate's subject,
// issuer and SANs, whose headers, error page and redirect location, and
// whose graph description and body_regex hold terminal escapes, C1 and
// bidi controls and invalid UTF-8 is checked in every format; no raw
// control byte reaches stdout or stderr, and JSON holds them escaped.
func TestHostileTextNeverReachesTheTerminal(t *testing.T) {
	certText := strings.ToValidUTF8(hostile.Escapes, "") // x509 keeps strings valid UTF-8
	issuer, err := ca.New("Evil CA " + certText)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := issuer.Issue(ca.Leaf{Names: []string{"127.0.0.1", "evil\x1b[2J\x07.test"}, CommonName: "leaf " + certText})
	if err != nil {
		t.Fatal(err)
	}
	tlsAddr := testserver.HTTPS(t, cert)
	page := hostile.TerminalEscapes(t)
	redirect := hostile.RedirectEscapes(t)
	closed := testserver.ClosedUDP(t)
	graph := writeFile(t, "hostile.yaml", fmt.Sprintf(`version: 1
defaults: {samples: 0, timeout: 2s, resolvers: ["%s"]}
upstreams:
  cert: {url: "https://%s/", description: "cert \e]0;pwned\a\u202e"}
  page:
    url: "http://%s/"
    description: "page \e[2J\x9b"
    expect: {body_regex: "ok\e]0;x\a"}
  redirect: {url: "http://%s/"}
`, closed, tlsAddr, page, redirect))
	formats := [][]string{
		{"check", "-f", graph},
		{"check", "-f", graph, "-v"},
		{"check", "-f", graph, "-o", "markdown"},
		{"check", "-f", graph, "-o", "junit"},
		{"check", "-f", graph, "-o", "github"},
		{"check", "-f", graph, "-o", "json"},
		{"graph", "-f", graph},
		{"graph", "-f", graph, "--check"},
		{"validate", "-f", graph},
		{"probe", "https://" + tlsAddr + "/", "--samples", "0", "--timeout", "2s"},
		{"probe", "http://" + page + "/", "--samples", "0", "--timeout", "2s", "-v"},
	}
	for _, args := range formats {
		t.Run(strings.Join(args[1:], " "), func(t *testing.T) {
			res := run(t, context.Background(), nil, "", args...)
			assertTerminalSafe(t, "stdout", res.stdout)
			assertTerminalSafe(t, "stderr", res.stderr)
			if res.stdout == "" {
				t.Fatalf("no output (exit %d): %s", res.code, res.stderr)
			}
		})
	}
	// The escapes are shown, not dropped: a reader can still see what the
	// server sent.
	res := run(t, context.Background(), nil, "", "check", "-f", graph, "-v")
	for _, want := range []string{`\x1b]0;pwned\x07`, `\u202e`, `\u009b`} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the table does not show %s visibly:\n%s", want, res.stdout)
		}
	}
}
