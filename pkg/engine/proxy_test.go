package engine_test

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
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

// QA finding 5: a proxy that could not reach the service answers CONNECT
// with 502 (no route here) or, as squid, 503 with X-Squid-Error naming
// the errno it met. The finding says the proxy could not reach the host,
// with the cause the proxy met, and steps that ask through the proxy —
// before: tcp.unreachable with "ip route get" the proxy's own address.
func TestProxyCouldNotReachTheService(t *testing.T) {
	plain := testserver.HTTPProxy(t, nil)
	squid := testserver.HTTPProxy(t, nil)
	squid.Refuse = http.StatusServiceUnavailable
	squid.RefuseHeader = http.Header{"Server": {"squid/6.1"}, "X-Squid-Error": {"ERR_CONNECT_FAIL 111"}}
	rep := runFile(t, e2eOpts(t), fmt.Sprintf(`version: 1
defaults: {samples: 0, timeout: 1s}
upstreams:
  plain: {url: "https://internal.corp.test:8443/", proxy: "http://%s"}
  squid: {url: "https://internal.corp.test/", proxy: "http://%s"}
`, plain.Addr, squid.Addr), nil)

	f := onlyFindingOf(t, rep, "plain")
	wantFinding(t, f, "tcp.unreachable", report.Fail, "tcp", plain.Addr,
		"the proxy "+plain.Addr+" could not reach internal.corp.test:8443 (CONNECT answered 502 Bad Gateway; the proxy http://"+plain.Addr+", from the proxy key)")
	wantThroughProxySteps(t, f, "-x http://"+plain.Addr+" https://internal.corp.test:8443/")

	f = onlyFindingOf(t, rep, "squid")
	wantFinding(t, f, "tcp.refused", report.Fail, "tcp", squid.Addr,
		"the proxy "+squid.Addr+" could not reach internal.corp.test:443 (CONNECT answered 503 Service Unavailable, X-Squid-Error: ERR_CONNECT_FAIL 111 — connection refused;")
	if f.Evidence["x_squid_error"] != "ERR_CONNECT_FAIL 111" {
		t.Errorf("evidence %v", f.Evidence)
	}
	wantThroughProxySteps(t, f, "-x http://"+squid.Addr+" https://internal.corp.test/")
}

// wantThroughProxySteps: f's steps ask through the proxy (curl with
// proxyArgs) and check from the proxy's host, never the route to the
// proxy's own address nor the target mapped to it.
func wantThroughProxySteps(t *testing.T, f report.Finding, proxyArgs string) {
	t.Helper()
	wantSteps(t, f, []string{"curl -sv --max-time 10 -o /dev/null " + proxyArgs, "On the proxy's host"},
		[]string{"--resolve", "ip route get 127.0.0.1", "traceroute", "nc -vz 127.0.0.1"})
}

// QA finding 5: a SOCKS5 proxy's reply is the cause it met connecting to
// the service, named as the proxy's — before: tcp.unreachable "cannot
// connect to 127.0.0.1:1080: unknown error connection refused".
func TestSOCKSProxyCouldNotReachTheService(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	refusing := testserver.SOCKS5Proxy(t, map[string]string{"internal.corp.test:9799": closed})
	expired := testserver.SOCKS5Proxy(t, nil)
	expired.SOCKSReply = 6
	forbidden := testserver.SOCKS5Proxy(t, nil)
	forbidden.SOCKSReply = 2
	rep := runFile(t, e2eOpts(t), fmt.Sprintf(`version: 1
defaults: {samples: 0, timeout: 1s}
upstreams:
  refused: {url: "http://internal.corp.test:9799/", proxy: "socks5h://%s"}
  unrouted: {url: "http://other.corp.test:9799/", proxy: "socks5h://%s"}
  expired: {url: "http://internal.corp.test:9799/", proxy: "socks5h://%s"}
  forbidden: {url: "http://internal.corp.test:9799/", proxy: "socks5h://%s"}
`, refusing.Addr, refusing.Addr, expired.Addr, forbidden.Addr), nil)

	for _, tc := range []struct{ name, code, addr, words string }{
		{"refused", "tcp.refused", refusing.Addr, "the SOCKS5 proxy " + refusing.Addr + " could not reach internal.corp.test:9799: connection refused (SOCKS5 reply 5; the proxy socks5h://" + refusing.Addr + ", from the proxy key)"},
		{"unrouted", "tcp.unreachable", refusing.Addr, "could not reach other.corp.test:9799: host unreachable"},
		{"expired", "tcp.timeout", expired.Addr, "could not reach internal.corp.test:9799: TTL expired: its connect timed out (SOCKS5 reply 6;"},
		{"forbidden", "http.auth_failed", forbidden.Addr, "would not connect to internal.corp.test:9799: its rules do not allow it (SOCKS5 reply 2"},
	} {
		f := onlyFindingOf(t, rep, tc.name)
		wantFinding(t, f, tc.code, report.Fail, "tcp", tc.addr, tc.words)
		if strings.Contains(f.Message, "unknown error") {
			t.Errorf("%s: %q", tc.name, f.Message)
		}
		if tc.code != "http.auth_failed" {
			wantThroughProxySteps(t, f, "--socks5-hostname "+tc.addr+" "+rep.Upstream(tc.name).URL)
		}
	}
}

// QA finding 5: on an http:// url through an HTTP proxy, the proxy's own
// answers are the proxy's — squid's 503 with X-Squid-Error, a bare 502, a
// 407 with or without the proxy URL's credentials — not "from the
// service itself"; and the steps ask through the proxy. A 502 the proxy
// forwarded (Via) stays the service's gateway's.
func TestForwardProxyOwnAnswers(t *testing.T) {
	squid := testserver.HTTPProxy(t, nil)
	squid.Refuse = http.StatusServiceUnavailable
	squid.RefuseHeader = http.Header{"Server": {"squid/6.1"}, "X-Squid-Error": {"ERR_CONNECT_FAIL 111"}}
	bare := testserver.HTTPProxy(t, nil) // no route: 502
	auth := testserver.HTTPProxy(t, nil)
	auth.Refuse = http.StatusProxyAuthRequired
	auth.RefuseHeader = http.Header{"Proxy-Authenticate": {`Basic realm="corp"`}}
	rep := runFile(t, e2eOpts(t), fmt.Sprintf(`version: 1
defaults: {samples: 0, timeout: 1s}
upstreams:
  squid: {url: "http://internal.corp.test:9701/", proxy: "http://%s"}
  bare: {url: "http://internal.corp.test:9798/", proxy: "http://%s"}
  nocreds: {url: "http://internal.corp.test:9701/", proxy: "http://%s"}
  creds: {url: "http://internal.corp.test:9701/", proxy: "http://alice:s3cr3t@%s"}
`, squid.Addr, bare.Addr, auth.Addr, auth.Addr), nil)

	f := onlyFindingOf(t, rep, "squid")
	wantFinding(t, f, "tcp.refused", report.Fail, "http", squid.Addr,
		"the proxy "+squid.Addr+" could not reach internal.corp.test:9701 (it answered GET http://internal.corp.test:9701/ with 503 Service Unavailable, X-Squid-Error: ERR_CONNECT_FAIL 111 — connection refused; the proxy http://"+squid.Addr+", from the proxy key)")
	wantThroughProxySteps(t, f, "-x http://"+squid.Addr+" http://internal.corp.test:9701/")

	f = onlyFindingOf(t, rep, "bare")
	wantFinding(t, f, "tcp.unreachable", report.Fail, "http", bare.Addr,
		"the proxy "+bare.Addr+" could not reach internal.corp.test:9798 (it answered GET http://internal.corp.test:9798/ with 502 Bad Gateway;")
	wantThroughProxySteps(t, f, "-x http://"+bare.Addr+" http://internal.corp.test:9798/")

	f = onlyFindingOf(t, rep, "nocreds")
	wantFinding(t, f, "http.auth_failed", report.Fail, "http", auth.Addr,
		"the proxy http://"+auth.Addr+" (from the proxy key) answered GET http://internal.corp.test:9701/ with 407 Proxy Authentication Required (empty body) (Proxy-Authenticate: Basic realm=\"corp\"): it wants credentials, and the proxy URL has none")
	wantSteps(t, f, []string{"curl -sv -o /dev/null -x http://" + auth.Addr + " http://internal.corp.test:9701/", "http://USER:PASSWORD@" + auth.Addr},
		[]string{"--resolve", "Authorization, API keys", "scopes"})

	f = onlyFindingOf(t, rep, "creds")
	wantFinding(t, f, "http.auth_failed", report.Fail, "http", auth.Addr,
		"the proxy http://alice:", "@"+auth.Addr+" (from the proxy key) answered GET", `it rejected the credentials of the proxy URL (user "alice"), which updoc sent`)
	wantSteps(t, f, []string{"curl -sv -o /dev/null -x http://" + auth.Addr + " -U alice http://internal.corp.test:9701/", "alice:[redacted]"},
		[]string{"--resolve", "s3cr3t", "Authorization, API keys"})
	if seen := auth.Seen(); len(seen) != 2 || !slices.ContainsFunc(seen, func(r string) bool { return strings.Contains(r, "Proxy-Authorization: Basic") }) {
		t.Errorf("the proxy saw %q", seen)
	}
	if strings.Contains(f.Message, "s3cr3t") {
		t.Errorf("message %q shows the password", f.Message)
	}
}

// wantSteps: f's steps hold every one of want and none of bad.
func wantSteps(t *testing.T, f report.Finding, want, bad []string) {
	t.Helper()
	steps := strings.Join(f.Remediation, "\n")
	for _, w := range want {
		if !strings.Contains(steps, w) {
			t.Errorf("steps lack %q:\n%s", w, steps)
		}
	}
	for _, b := range bad {
		if strings.Contains(steps, b) {
			t.Errorf("steps hold %q:\n%s", b, steps)
		}
	}
}
