package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/report"
)

// --only names each dependency it left out, in the table and in JSON;
// --with-deps probes them too.
func TestOnlyNamesWhatItLeftOutAndWithDepsProbesIt(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	t.Cleanup(srv.Close)
	file := writeFile(t, "updoc.yaml", fmt.Sprintf(`version: 1
defaults: {samples: 0}
upstreams:
  frontend: {url: "%[1]s/f", depends_on: [api]}
  api: {url: "%[1]s/a", depends_on: [db]}
  db: {url: "%[1]s/d"}
  other: {url: "%[1]s/o"}
`, srv.URL))
	names := func(rep report.Report) []string {
		var out []string
		for _, u := range rep.Upstreams {
			out = append(out, u.Name)
		}
		return out
	}

	r := run(t, context.Background(), nil, "", "check", "-f", file, "--only", "frontend", "-o", "json")
	rep := decodeReport(t, r.stdout)
	if want := []report.NotProbed{{Upstream: "api", NeededBy: []string{"frontend"}}}; r.code != ExitOK || !reflect.DeepEqual(rep.NotProbed, want) ||
		!reflect.DeepEqual(names(rep), []string{"frontend"}) {
		t.Errorf("--only frontend: exit %d, upstreams %v, not_probed %+v; want 0, [frontend], %+v", r.code, names(rep), rep.NotProbed, want)
	}

	r = run(t, context.Background(), nil, "", "check", "-f", file, "--only", "frontend")
	if want := "frontend depends on api — not probed; add --with-deps\n"; !strings.Contains(r.stdout, want) {
		t.Errorf("--only frontend, table: no %q in\n%s", want, r.stdout)
	}

	r = run(t, context.Background(), nil, "", "check", "-f", file, "--only", "frontend", "--with-deps", "-o", "json")
	rep = decodeReport(t, r.stdout)
	if want := []string{"frontend", "api", "db"}; r.code != ExitOK || !reflect.DeepEqual(names(rep), want) || rep.NotProbed != nil {
		t.Errorf("--only frontend --with-deps: exit %d, upstreams %v, not_probed %+v; want 0, %v and none", r.code, names(rep), rep.NotProbed, want)
	}
	if strings.Contains(r.stdout, `"not_probed"`) {
		t.Errorf("not_probed present with nothing left out:\n%s", r.stdout)
	}

	r = run(t, context.Background(), nil, "", "check", "-f", file, "--only", "other")
	if strings.Contains(r.stdout, "not probed") {
		t.Errorf("--only other (no dependencies) names something not probed:\n%s", r.stdout)
	}
}

// --with-deps without --only or --tags would change nothing: it is refused
// with what to do, before anything is probed.
func TestWithDepsNeedsASelection(t *testing.T) {
	file := writeFile(t, "updoc.yaml", "version: 1\nupstreams:\n  a: {url: \"tcp://127.0.0.1:1\"}\n")
	r := run(t, context.Background(), nil, "", "check", "-f", file, "--with-deps")
	if r.code != ExitInvalid || !strings.Contains(r.stderr, "add --only NAME or drop --with-deps") || r.stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and the fix", r.code, r.stdout, r.stderr)
	}
}
