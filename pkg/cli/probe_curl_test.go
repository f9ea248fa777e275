package cli

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// probeJSON runs `updoc probe ARGS -o json` and decodes the report.
func probeJSON(t *testing.T, args ...string) (result, report.Report) {
	t.Helper()
	r := run(t, context.Background(), nil, "", append([]string{"probe", "-o", "json"}, args...)...)
	if r.code == ExitInvalid {
		t.Fatalf("probe %v: exit 2: %s", args, r.stderr)
	}
	return r, decodeReport(t, r.stdout)
}

// The server receives the method, headers and body -X, -H and -d say; a
// secret header's value stays out of the report.
func TestProbeSendsTheRequestTheSwitchesSay(t *testing.T) {
	url, seen := testserver.Recording(t, http.StatusOK, "ok")
	r, rep := probeJSON(t, url+"/orders", "-X", "PUT", "-H", "X-Request-Id: 42", "-H", "Authorization: Bearer s3cret",
		"-H", "x-request-id: 43", "--data", `{"dry_run":true}`)
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s\n%s", r.code, r.stderr, r.stdout)
	}
	got := seen()
	if len(got) != 1 {
		t.Fatalf("the server saw %d requests, want 1 (a PUT is not repeated for latency samples): %+v", len(got), got)
	}
	req := got[0]
	if req.Method != "PUT" || req.Path != "/orders" || req.Body != `{"dry_run":true}` ||
		req.Header.Get("X-Request-Id") != "43" || req.Header.Get("Authorization") != "Bearer s3cret" {
		t.Errorf("the server saw %s %s body %q headers %v", req.Method, req.Path, req.Body, req.Header)
	}
	if strings.Contains(r.stdout, "s3cret") || len(rep.Upstreams) != 1 {
		t.Errorf("the report shows the Authorization value or has %d upstreams:\n%s", len(rep.Upstreams), r.stdout)
	}
}

// As with curl, -d without -X POSTs, and -d @FILE sends FILE; --samples
// given repeats even a POST.
func TestProbeDataPostsAndReadsFiles(t *testing.T) {
	url, seen := testserver.Recording(t, http.StatusOK, "ok")
	body := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(body, []byte(`{"from":"file"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if r, _ := probeJSON(t, url+"/x", "-d", "@"+body, "--samples", "2"); r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got := seen()
	if len(got) != 3 {
		t.Fatalf("the server saw %d requests, want 1 and 2 samples: %+v", len(got), got)
	}
	for _, req := range got {
		if req.Method != "POST" || req.Body != `{"from":"file"}` {
			t.Errorf("the server saw %s with body %q, want POST with the file's content", req.Method, req.Body)
		}
	}
}

// --cacert trusts the lab CA: the probe that fails without it passes with
// it; -k passes too; --server-name sends the name the certificate holds.
func TestProbeTLSSwitches(t *testing.T) {
	authority, err := ca.New("updoc test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := authority.Issue(ca.Leaf{Names: []string{"api.internal"}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var sni []string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
		mu.Lock()
		sni = append(sni, h.ServerName)
		mu.Unlock()
		return nil, nil
	}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, authority.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/healthz"
	codes := func(rep report.Report) []string {
		var out []string
		for _, f := range rep.Upstreams[0].Findings {
			out = append(out, f.Code)
		}
		return out
	}

	if r, rep := probeJSON(t, url, "--samples", "0", "--server-name", "api.internal"); r.code != ExitUnhealthy || !slices.Contains(codes(rep), "tls.untrusted") {
		t.Errorf("without --cacert: exit %d, findings %v; want 1 and tls.untrusted", r.code, codes(rep))
	}
	if r, rep := probeJSON(t, url, "--samples", "0", "--server-name", "api.internal", "--cacert", caFile); r.code != ExitOK {
		t.Errorf("with --cacert: exit %d, findings %v; want 0", r.code, codes(rep))
	}
	if r, rep := probeJSON(t, url, "--samples", "0", "--cacert", caFile); r.code != ExitUnhealthy || !slices.Contains(codes(rep), "tls.hostname_mismatch") {
		t.Errorf("with --cacert, without --server-name: exit %d, findings %v; want 1 and tls.hostname_mismatch", r.code, codes(rep))
	}
	if r, rep := probeJSON(t, url, "--samples", "0", "-k"); r.code != ExitOK {
		t.Errorf("with -k: exit %d, findings %v; want 0", r.code, codes(rep))
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(sni, "api.internal") {
		t.Errorf("the server saw SNI %q, never the --server-name api.internal", sni)
	}
}

// --resolver asks the named DNS server (a loopback miekg/dns server here);
// an international name is probed in its ASCII form and the report shows
// both forms.
func TestProbeResolverAndIDN(t *testing.T) {
	url, seen := testserver.Recording(t, http.StatusOK, "ok")
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(url, "http://"))
	dnsAddr := testserver.DNS(t, false, testserver.Zone(t, []string{
		"svc.test. 60 IN A 127.0.0.1",
		"xn--bcher-kva.test. 60 IN A 127.0.0.1",
	}, nil))

	r, rep := probeJSON(t, "http://svc.test:"+port+"/healthz", "--resolver", dnsAddr, "--samples", "0")
	if r.code != ExitOK || rep.Upstreams[0].DNS == nil || rep.Upstreams[0].DNS.Resolver != dnsAddr {
		t.Fatalf("svc.test through --resolver %s: exit %d: %s\n%s", dnsAddr, r.code, r.stderr, r.stdout)
	}

	r, rep = probeJSON(t, "http://bücher.test:"+port+"/", "--resolver", dnsAddr, "--samples", "0")
	if r.code != ExitOK {
		t.Fatalf("bücher.test: exit %d: %s\n%s", r.code, r.stderr, r.stdout)
	}
	u := rep.Upstreams[0]
	if u.Name != "bücher.test" || !strings.Contains(u.URL, "xn--bcher-kva.test") || !strings.Contains(u.Description, "bücher.test") {
		t.Errorf("name %q, url %q, description %q; want both forms of the name", u.Name, u.URL, u.Description)
	}
	if last := seen(); len(last) == 0 || last[len(last)-1].Path != "/" {
		t.Errorf("the server saw %+v", last)
	}
}

// --proxy sends the request through the proxy it names, and the report
// (JSON, -v) says so.
func TestProbeProxy(t *testing.T) {
	url, seen := testserver.Recording(t, http.StatusOK, "ok")
	hostPort := strings.TrimPrefix(url, "http://")
	_, port, _ := net.SplitHostPort(hostPort)
	proxy := testserver.HTTPProxy(t, map[string]string{"api.internal:" + port: hostPort})
	r, rep := probeJSON(t, "http://api.internal:"+port+"/via", "--proxy", "http://probe:s3cret@"+proxy.Addr, "--samples", "0")
	if r.code != ExitOK || len(seen()) != 1 || len(proxy.Seen()) == 0 {
		t.Fatalf("exit %d, server saw %d requests, proxy saw %v: %s", r.code, len(seen()), proxy.Seen(), r.stderr)
	}
	// The report says which proxy it went through, without its password.
	want := report.Proxy{URL: "http://probe:[redacted]@" + proxy.Addr, Source: "--proxy"}
	if px := rep.Upstreams[0].Proxy; px == nil || *px != want {
		t.Errorf("upstreams[0].proxy = %+v, want %+v", px, want)
	}
	v := run(t, context.Background(), nil, "", "probe", "-v", "--samples", "0", "--proxy", "http://probe:s3cret@"+proxy.Addr, "http://api.internal:"+port+"/via")
	if !strings.Contains(v.stdout, "  proxy       http://probe:[redacted]@"+proxy.Addr+" (from --proxy); the target is the proxy") || strings.Contains(v.stdout, "s3cret") {
		t.Errorf("probe -v does not name the proxy (or shows its password):\n%s", v.stdout)
	}
	// An empty password is no secret: the user name stays (found by QA:
	// "http://[redacted][redacted]@…").
	_, empty := probeJSON(t, "http://api.internal:"+port+"/via", "--proxy", "http://monitor:@"+proxy.Addr, "--samples", "0")
	if px := empty.Upstreams[0].Proxy; px == nil || px.URL != "http://monitor:[redacted]@"+proxy.Addr {
		t.Errorf("with an empty password, upstreams[0].proxy = %+v", px)
	}
	_, direct := probeJSON(t, url+"/direct", "--samples", "0")
	if direct.Upstreams[0].Proxy != nil {
		t.Errorf("a direct probe has upstreams[0].proxy = %+v, want none", direct.Upstreams[0].Proxy)
	}
}

// Every bad switch is exit 2 before anything is probed, with a message
// naming the switch; --only and --tags are refused with why.
func TestProbeSwitchErrors(t *testing.T) {
	long := strings.Repeat("a", 64)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"http://127.0.0.1:1/", "-H", "no colon"}, `invalid -H "no colon": want 'Name: value'`},
		{[]string{"http://127.0.0.1:1/", "-H", "Bad Name: x"}, `the header name "Bad Name" is not valid`},
		{[]string{"http://127.0.0.1:1/", "-X", "P OST"}, `invalid -X "P OST": want an HTTP method`},
		{[]string{"http://127.0.0.1:1/", "--resolver", "127.0.0.1:99999"}, `invalid --resolver "127.0.0.1:99999": invalid port`},
		{[]string{"http://127.0.0.1:1/", "--cacert", "/nonexistent/ca.pem"}, `invalid --cacert "/nonexistent/ca.pem": cannot read /nonexistent/ca.pem: no such file or directory`},
		{[]string{"http://127.0.0.1:1/", "--proxy", "ftp://p:1"}, `invalid --proxy "ftp://p:1": unsupported proxy scheme "ftp"`},
		{[]string{"http://127.0.0.1:1/", "--server-name", "api.internal"}, `--server-name applies to https:// or tls:// URLs and none was given`},
		{[]string{"tcp://127.0.0.1:1", "-X", "POST"}, `-X applies to http:// or https:// URLs and none was given`},
		{[]string{"http://127.0.0.1:1/", "--only", "a"}, `--only selects upstreams of a graph file and probe has none`},
		{[]string{"http://127.0.0.1:1/", "--tags", "t"}, `--tags selects upstreams of a graph file and probe has none`},
		{[]string{"http://127.0.0.1:1/", "--with-deps"}, `--with-deps selects upstreams of a graph file and probe has none`},
		{[]string{"http://" + long + ".example/"}, `label "` + long + `" is 64 bytes long; DNS allows at most 63`},
		{[]string{"http://" + strings.Repeat("abcdefghi.", 26) + "com/"}, `the host name is 263 bytes long; DNS allows at most 253`},
		{[]string{"http://bücher" + long + ".example/"}, `is the international name bücher` + long + `.example`},
	}
	for _, tt := range tests {
		r := run(t, context.Background(), nil, "", append([]string{"probe", "--samples", "0"}, tt.args...)...)
		if r.code != ExitInvalid || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
			t.Errorf("probe %v: exit %d, stderr %q; want 2 and %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}
