package diagnose

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func proxyEnv(kv ...string) graph.ProxyEnv {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return graph.ReadProxyEnv(func(k string) (string, bool) { v, ok := m[k]; return v, ok })
}

// What a finding about connecting says of proxies (SPEC §2 proxy, issue 9
// case 20).
func TestProxyInFindings(t *testing.T) {
	const proxyAddr = "127.0.0.1:3128"
	proxyURL, _ := url.Parse("http://" + proxyAddr)
	nx := func(u *graph.Upstream) probe.Result {
		return probe.Result{Upstream: u.Name, DNS: nxDNS("api.example.com")}
	}
	refusedProxy := func(*graph.Upstream) probe.Result {
		return probe.Result{Upstream: "api", Proxy: &graph.ProxyChoice{URL: proxyURL, Source: "HTTPS_PROXY"},
			Targets: []probe.TargetResult{refusedTarget(proxyAddr)}}
	}
	tunnelWith := func(status int, text string, h http.Header) func(*graph.Upstream) probe.Result {
		return func(*graph.Upstream) probe.Result {
			pe := &probe.ProxyError{Proxy: "http://u:[redacted]@" + proxyAddr, Source: "proxy", Target: "api.example.com:443", StatusCode: status, Status: text, Header: h}
			return probe.Result{Upstream: "api", Proxy: &graph.ProxyChoice{URL: proxyURL, Source: "proxy"},
				Targets: []probe.TargetResult{{Address: proxyAddr, TCP: &probe.TCPResult{Duration: time.Millisecond, Err: pe}}}}
		}
	}
	tunnel := func(status int, text string) func(*graph.Upstream) probe.Result {
		return tunnelWith(status, text, nil)
	}
	squid := func(status int, text, squidError string) func(*graph.Upstream) probe.Result {
		return tunnelWith(status, text, http.Header{"Server": {"squid"}, "X-Squid-Error": {squidError}})
	}
	socks, _ := url.Parse("socks5://" + proxyAddr)
	socksName := func(*graph.Upstream) probe.Result {
		return probe.Result{Upstream: "api", Proxy: &graph.ProxyChoice{URL: socks, Source: "proxy"},
			Targets: []probe.TargetResult{{Address: proxyAddr, TCP: &probe.TCPResult{Duration: time.Millisecond,
				Err: &probe.ResolveError{Name: "api.example.com", DNS: nxDNS("api.example.com")}}}}}
	}
	tests := []struct {
		name    string
		url     string
		proxy   graph.Proxy
		res     func(*graph.Upstream) probe.Result
		code    string
		layer   catalog.Layer
		message string
	}{
		{name: "none, HTTPS_PROXY set", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyNone, Env: proxyEnv("HTTPS_PROXY", "http://"+proxyAddr)},
			res: nx, code: catalog.DNSNXDomain, layer: catalog.LayerDNS,
			message: " — HTTPS_PROXY is set, but proxy is none: updoc connected directly; set proxy: env to go through it"},
		{name: "none, nothing set", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyNone},
			res: nx, code: catalog.DNSNXDomain, layer: catalog.LayerDNS, message: ""},
		{name: "env, NO_PROXY excludes the host", url: "https://api.example.com/",
			proxy: graph.Proxy{Mode: graph.ProxyFromEnv, Env: proxyEnv("https_proxy", "http://"+proxyAddr, "NO_PROXY", ".example.com")},
			res:   nx, code: catalog.DNSNXDomain, layer: catalog.LayerDNS,
			message: ` — proxy: env, but NO_PROXY=".example.com" excludes api.example.com: updoc connected directly`},
		{name: "env, HTTP_PROXY in upper case", url: "http://api.example.com/",
			proxy: graph.Proxy{Mode: graph.ProxyFromEnv, Env: proxyEnv("HTTP_PROXY", "http://"+proxyAddr)},
			res:   nx, code: catalog.DNSNXDomain, layer: catalog.LayerDNS,
			message: " — proxy: env, but HTTP_PROXY is not read for http:// URLs (only http_proxy, in lower case, as curl does): updoc connected directly"},
		{name: "the proxy refuses connections", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyFromEnv},
			res: refusedProxy, code: catalog.TCPRefused, layer: catalog.LayerTCP,
			message: "127.0.0.1:3128 refused the connection (the proxy http://127.0.0.1:3128, from HTTPS_PROXY)"},
		{name: "CONNECT answered 407", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyURL, URL: proxyURL},
			res: tunnel(407, "407 Proxy Authentication Required"), code: catalog.HTTPAuthFailed, layer: catalog.LayerTCP,
			message: "the proxy http://127.0.0.1:3128 (from the proxy key) answered CONNECT api.example.com:443 with 407 Proxy Authentication Required: it wants credentials, and the proxy URL has none (give them in it: http://USER:PASSWORD@127.0.0.1:3128)"},
		{name: "socks5:// resolves the host here", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyURL, URL: socks},
			res: socksName, code: catalog.DNSNXDomain, layer: catalog.LayerDNS,
			message: "resolving the host for the SOCKS5 proxy (socks5:// resolves it here; socks5h:// would leave it to the proxy): NXDOMAIN for api.example.com."},
		{name: "CONNECT answered 502", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyURL, URL: proxyURL},
			res: tunnel(502, "502 Bad Gateway"), code: catalog.TCPUnreachable, layer: catalog.LayerTCP,
			message: "the proxy 127.0.0.1:3128 could not reach api.example.com:443 (CONNECT answered 502 Bad Gateway; the proxy http://u:[redacted]@127.0.0.1:3128, from the proxy key)"},
		{name: "CONNECT answered 504: the proxy timed out", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyURL, URL: proxyURL},
			res: tunnel(504, "504 Gateway Timeout"), code: catalog.TCPTimeout, layer: catalog.LayerTCP,
			message: "the proxy 127.0.0.1:3128 could not reach api.example.com:443 (CONNECT answered 504 Gateway Timeout — the proxy gave up waiting;"},
		{name: "squid: connect refused (errno 111)", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyURL, URL: proxyURL},
			res: squid(503, "503 Service Unavailable", "ERR_CONNECT_FAIL 111"), code: catalog.TCPRefused, layer: catalog.LayerTCP,
			message: "(CONNECT answered 503 Service Unavailable, X-Squid-Error: ERR_CONNECT_FAIL 111 — connection refused;"},
		{name: "squid: connect timed out (errno 110)", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyURL, URL: proxyURL},
			res: squid(503, "503 Service Unavailable", "ERR_CONNECT_FAIL 110"), code: catalog.TCPTimeout, layer: catalog.LayerTCP,
			message: "X-Squid-Error: ERR_CONNECT_FAIL 110 — connection timed out;"},
		{name: "squid: no route (errno 113)", url: "https://api.example.com/", proxy: graph.Proxy{Mode: graph.ProxyURL, URL: proxyURL},
			res: squid(503, "503 Service Unavailable", "ERR_CONNECT_FAIL 113"), code: catalog.TCPUnreachable, layer: catalog.LayerTCP,
			message: "X-Squid-Error: ERR_CONNECT_FAIL 113 — no route to host;"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			up := node("api", tc.url)
			up.Proxy = tc.proxy
			f := oneFinding(t, run(graphOf(up), tc.res(up)))
			if f.Code != tc.code || f.Layer != tc.layer || f.Severity != report.Fail {
				t.Errorf("got %s %s %s", f.Code, f.Layer, f.Severity)
			}
			if tc.message == "" {
				if _, ok := f.Evidence["proxy_env"]; ok {
					t.Errorf("evidence %v", f.Evidence)
				}
				mustNotContain(t, f.Message, "proxy")
				return
			}
			mustContain(t, "message", f.Message, tc.message)
			if strings.Contains(tc.message, "could not reach") {
				// The steps check from the proxy's side, through it —
				// never the route to the proxy's own address.
				steps := strings.Join(f.Remediation, "\n")
				mustContain(t, "steps", steps, "curl -sv --max-time 10 -o /dev/null -x http://127.0.0.1:3128 https://api.example.com/")
				mustContain(t, "steps", steps, "On the proxy's host (127.0.0.1:3128)")
				for _, bad := range []string{"--resolve", "ip route get 127.0.0.1", "traceroute", "nc -vz 127.0.0.1"} {
					mustNotContain(t, steps, bad)
				}
			}
		})
	}
}

func mustNotContain(t *testing.T, s, sub string) {
	t.Helper()
	if strings.Contains(s, sub) {
		t.Errorf("%q contains %q", s, sub)
	}
}

// Every SOCKS5 reply code (RFC 1928 §6) is the cause the proxy met, named
// as the SOCKS proxy's; no "unknown error".
func TestSOCKSReplies(t *testing.T) {
	const proxyAddr = "127.0.0.1:1080"
	socks, _ := url.Parse("socks5h://" + proxyAddr)
	want := map[byte]string{
		1: catalog.TCPUnreachable, 2: catalog.HTTPAuthFailed, 3: catalog.TCPUnreachable, 4: catalog.TCPUnreachable,
		5: catalog.TCPRefused, 6: catalog.TCPTimeout, 7: catalog.TCPUnreachable, 8: catalog.TCPUnreachable, 9: catalog.TCPUnreachable,
	}
	for code, wantCode := range want {
		up := node("api", "http://internal.corp:9799/")
		up.Proxy = graph.Proxy{Mode: graph.ProxyURL, URL: socks}
		pe := &probe.ProxyError{Proxy: socks.String(), Source: "proxy", Target: "internal.corp:9799", Err: &probe.SOCKSReplyError{Code: code}}
		res := probe.Result{Upstream: "api", Proxy: &graph.ProxyChoice{URL: socks, Source: "proxy"},
			Targets: []probe.TargetResult{{Address: proxyAddr, TCP: &probe.TCPResult{Duration: time.Millisecond, Err: pe}}}}
		f := oneFinding(t, run(graphOf(up), res))
		if f.Code != wantCode || f.Layer != catalog.LayerTCP {
			t.Errorf("reply %d: %s %s: %s", code, f.Code, f.Layer, f.Message)
		}
		mustContain(t, "message", f.Message, "the SOCKS5 proxy 127.0.0.1:1080 ")
		mustContain(t, "message", f.Message, fmt.Sprintf("SOCKS5 reply %d", code))
		mustNotContain(t, f.Message, "unknown error")
		if f.Evidence["socks_reply"] != int(code) {
			t.Errorf("reply %d: evidence %v", code, f.Evidence)
		}
	}
}
