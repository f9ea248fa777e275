package engine_test

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// Issue 9 case 20: HTTPS_PROXY is set and the upstream is reachable only
// through it (its name does not resolve here). With proxy: env (or the
// proxy's URL) it is healthy through the proxy; with the default proxy:
// none, the DNS failure says in one line that HTTPS_PROXY was not used —
// before: dns.nxdomain with no word of the proxy. The environment is the
// graph's, injected: the process's own is never read.
func TestUpstreamReachableOnlyThroughAProxy(t *testing.T) {
	c := newTestCA(t)
	api := tlsServer(t, c.cert(t, ca.Leaf{Names: []string{"api.corp.test"}}),
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"status":"UP"}`) }))
	routes := map[string]string{"api.corp.test:443": api}
	httpProxy := testserver.HTTPProxy(t, routes)
	socks := testserver.SOCKS5Proxy(t, routes)
	// The resolver knows nothing of corp.test: NXDOMAIN, as outside the
	// corporate network.
	zone := startZone(t)
	env := map[string]string{"HTTPS_PROXY": "http://" + httpProxy.Addr, "NO_PROXY": "localhost,127.0.0.1"}

	rep := runFile(t, e2eOpts(t), fmt.Sprintf(`version: 1
defaults:
  resolvers: [%q]
  tls: {ca_file: %q}
  expect: {body_contains: UP}
upstreams:
  viaenv: {url: "https://api.corp.test/health", proxy: env}
  viasocks: {url: "https://api.corp.test/health", proxy: "socks5h://%s"}
  direct: {url: "https://api.corp.test/health"}
`, zone, c.file, socks.Addr), env)

	for name, via := range map[string]*testserver.Proxy{"viaenv": httpProxy, "viasocks": socks} {
		u := rep.Upstream(name)
		if u.Status != report.Healthy || len(u.Findings) != 0 {
			t.Errorf("%s: %s %+v", name, u.Status, u.Findings)
			continue
		}
		if len(u.Targets) != 1 || u.Targets[0].Address != via.Addr || u.Targets[0].HTTP.StatusCode != 200 || u.DNS != nil {
			t.Errorf("%s: targets %+v dns %+v", name, u.Targets, u.DNS)
		}
	}
	if seen := httpProxy.Seen(); !slices.Contains(seen, "CONNECT api.corp.test:443") {
		t.Errorf("the HTTP proxy saw %q", seen)
	}
	if seen := socks.Seen(); !slices.Contains(seen, "SOCKS5 api.corp.test:443") {
		t.Errorf("the SOCKS5 proxy saw %q", seen)
	}

	f := onlyFindingOf(t, rep, "direct")
	wantFinding(t, f, "dns.nxdomain", report.Fail, "dns", "",
		" — HTTPS_PROXY is set, but proxy is none: updoc connected directly; set proxy: env to go through it")
	if f.Evidence["proxy_mode"] != "none" {
		t.Errorf("evidence %v", f.Evidence)
	}
}

// A proxy that is down, or that wants credentials, is named as the proxy.
func TestProxyFailuresEndToEnd(t *testing.T) {
	auth := testserver.HTTPProxy(t, nil)
	auth.Refuse = http.StatusProxyAuthRequired
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	rep := runFile(t, e2eOpts(t), fmt.Sprintf(`version: 1
defaults: {samples: 0, timeout: 500ms}
upstreams:
  auth: {url: "https://api.corp.test/", proxy: "http://%s"}
  down: {url: "https://api.corp.test/", proxy: env}
`, auth.Addr), map[string]string{"https_proxy": down})
	wantFinding(t, onlyFindingOf(t, rep, "auth"), "http.auth_failed", report.Fail, "tcp", auth.Addr,
		"proxy http://"+auth.Addr+" (from the proxy key) answered CONNECT api.corp.test:443 with 407 Proxy Authentication Required")
	wantFinding(t, onlyFindingOf(t, rep, "down"), "tcp.refused", report.Fail, "tcp", down,
		down+" refused the connection (the proxy http://"+down+", from https_proxy)")
}
