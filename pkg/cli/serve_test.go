package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/lab"
	"github.com/updoc/updoc/pkg/lab/labtest"
	"github.com/updoc/updoc/pkg/report"
)

// startServe runs `updoc serve ARGS` on 127.0.0.1:0 until the test ends;
// it returns the base URL and the router its SIGHUPs go through.
func startServe(t *testing.T, env map[string]string, args ...string) (base string, hangups *Hangups, stderr func() string) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	errOut := &testserver.SyncBuffer{} // serve logs from its rounds while the test reads
	ios.ErrOut = errOut
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	f := &Factory{IO: ios, Env: lookup}
	ready := make(chan string, 1)
	cmd := newServeCmd(f, func(ctx context.Context, o *ServeOptions) error {
		o.Ready = func(addr string) { ready <- addr }
		return runServe(ctx, o)
	})
	cmd.SetArgs(append([]string{"--listen", "127.0.0.1:0"}, args...))
	hangups = NewHangups()
	ctx, cancel := context.WithCancel(WithHangups(context.Background(), hangups))
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return "http://" + addr, hangups, errOut.String
	case err := <-done:
		t.Fatalf("serve ended before listening: %v\n%s", err, errOut.String())
	}
	return "", nil, nil
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls url until it answers 200 and cond holds for the body; a
// minute is the bound against hanging, not a timing assertion.
func waitFor(t *testing.T, url string, cond func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		code, body := httpGet(t, url)
		if code == http.StatusOK && cond(body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: still %d after a minute:\n%s", url, code, body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestServeAgainstLab: `updoc serve` over the lab serves the metrics of a
// healthy, a refused and a gateway upstream, and /report is an
// updoc.report/v1 document.
func TestServeAgainstLab(t *testing.T) {
	l := labtest.Start(t)
	file := writeFile(t, "lab.yaml", string(l.Config()))
	env := map[string]string{lab.HomeVar: t.TempDir()}
	base, _, _ := startServe(t, env, "-f", file, "--only", "web,refused,envoy", "--interval", "1h", "--vantage", "lab")
	body := waitFor(t, base+"/report", func(string) bool { return true })
	rep := decodeReport(t, body)
	if len(rep.Upstreams) != 3 || rep.Status != report.Unhealthy {
		t.Errorf("/report: %d upstreams, status %s", len(rep.Upstreams), rep.Status)
	}
	_, metrics := httpGet(t, base+"/metrics")
	for _, want := range []string{
		`updoc_upstream_healthy{upstream="web",vantage="lab"} 1`,
		`updoc_upstream_healthy{upstream="refused",vantage="lab"} 0`,
		`updoc_upstream_healthy{upstream="envoy",vantage="lab"} 0`,
		`updoc_finding{code="tcp.refused",root_cause="true",severity="fail",upstream="refused",vantage="lab"} 1`,
		`updoc_finding{code="gateway.no_healthy_upstream",root_cause="true",severity="fail",upstream="envoy",vantage="lab"} 1`,
		`updoc_upstream_status{status="healthy",upstream="web",vantage="lab"} 1`,
	} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if code, body := httpGet(t, base+"/probe?upstream=db"); code != http.StatusNotFound || !strings.Contains(body, "web, refused, envoy") {
		t.Errorf("/probe of an upstream not served: %d %q", code, body)
	}
}

// TestServeSIGHUPReloads: a SIGHUP (through the router main gives it)
// re-reads the graph; a broken graph is counted and keeps the old one.
func TestServeSIGHUPReloads(t *testing.T) {
	file := writeFile(t, "updoc.yaml", "version: 1\nupstreams:\n  db: {url: \"tcp://127.0.0.1:1\", samples: 0}\n")
	base, hangups, stderr := startServe(t, nil, "-f", file, "--interval", "1h", "--log-format", "json")
	if err := os.WriteFile(file, []byte("version: 1\nupstreams:\n  db: {url: \"tcp://127.0.0.1:1\", sample: 0}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if !hangups.Deliver() {
		t.Fatal("serve did not claim SIGHUP")
	}
	waitFor(t, base+"/metrics", func(b string) bool { return strings.Contains(b, "updoc_config_reload_failures_total 1\n") })
	if !strings.Contains(stderr(), fmt.Sprintf(`%s:3:`, file)) || !strings.Contains(stderr(), `"level":"ERROR"`) {
		t.Errorf("the log does not name %s:3:COLUMN in JSON:\n%s", file, stderr())
	}
}

func TestSIGHUPIsAnInterruptWhenNothingClaimsIt(t *testing.T) {
	if NewHangups().Deliver() {
		t.Error("an unclaimed SIGHUP was delivered")
	}
}

func TestServeInvalidInput(t *testing.T) {
	bad := writeFile(t, "bad.yaml", "version: 1\nupstreams:\n  db: {urll: \"tcp://127.0.0.1:1\"}\n")
	good := writeFile(t, "good.yaml", "version: 1\nupstreams:\n  db: {url: \"tcp://127.0.0.1:1\"}\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-f", "-"}, "standard input cannot give twice"},
		{[]string{"-f", good, "--log-format", "xml"}, `invalid --log-format "xml"`},
		{[]string{"-f", good, "--interval", "0s"}, "invalid --interval 0s"},
		{[]string{"-f", bad}, bad + ":3:"},
		{[]string{"-f", good, "--only", "nope"}, `"nope"`},
		{[]string{"-f", good, "--listen", "127.0.0.1:-1"}, "listen on 127.0.0.1:-1"},
	} {
		r := run(t, context.Background(), nil, "", append([]string{"serve"}, tc.args...)...)
		if r.code != ExitInvalid || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
