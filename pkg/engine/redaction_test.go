package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/report"
)

// echoServer answers every request with 401, sending back the request's
// Authorization header and body in its body, its WWW-Authenticate and its
// Server headers: an upstream that repeats the secrets it was sent.
func echoServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		auth := r.Header.Get("Authorization")
		w.Header().Set("Server", "echo "+auth)
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+auth+`"`)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "you sent Authorization: %s and body %s", auth, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEveryOutputRedactsSecrets runs a graph whose header and body carry
// secrets from ${VAR} through the engine against an upstream that echoes
// them, renders the report in every format, and finds "[redacted]" and
// never a secret (SPEC §2): redaction happens inside engine.Run, so no
// front-end can forget it.
func TestEveryOutputRedactsSecrets(t *testing.T) {
	const token, bodySecret = "s3cr3t-t0ken-4242", "b0dy-s3cr3t-9191"
	srv := echoServer(t)
	file := fmt.Sprintf(`version: 1
upstreams:
  api:
    url: %s/login
    method: POST
    headers:
      Authorization: Bearer ${TOKEN}
    body: '{"password": "${BODY_SECRET}"}'
    samples: 0
`, srv.URL)
	env := map[string]string{"TOKEN": token, "BODY_SECRET": bodySecret}
	g, err := graph.Load("updoc.yaml", []byte(file), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	rep := engine.Run(context.Background(), g, e2eOpts(t), nil)
	if u := rep.Upstream("api"); u == nil || len(u.Targets) != 1 || u.Targets[0].HTTP == nil || u.Targets[0].HTTP.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the upstream was not reached as intended: %+v", rep.Upstreams)
	}

	formats := map[string]func(io.Writer, *report.Report) error{
		"json":     report.WriteJSON,
		"jsonline": report.WriteJSONLine,
		"junit":    report.WriteJUnit,
		"markdown": report.WriteMarkdown,
		"table": func(w io.Writer, r *report.Report) error {
			return report.WriteTable(w, r, report.TableOptions{})
		},
		"table -v with waterfall": func(w io.Writer, r *report.Report) error {
			return report.WriteTable(w, r, report.TableOptions{Verbose: true, Waterfall: true, Width: 200})
		},
		"github": func(w io.Writer, r *report.Report) error {
			return report.WriteGitHub(w, r, report.TableOptions{Verbose: true})
		},
	}
	for name, write := range formats {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b, &rep); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, secret := range []string{token, bodySecret} {
				if strings.Contains(out, secret) {
					t.Errorf("%s output holds the secret %q:\n%s", name, secret, out)
				}
			}
			if !strings.Contains(out, report.Redacted) {
				t.Errorf("%s output shows no %s where the upstream echoed the secret:\n%s", name, report.Redacted, out)
			}
		})
	}
}
