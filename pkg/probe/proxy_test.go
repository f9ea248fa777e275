package probe

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// An upstream reachable only through a proxy (SPEC §2 proxy, issue 9 case
// 20): the one target is the proxy, every layer goes through it, and the
// url's host is never resolved here.
func TestProxiedUpstream(t *testing.T) {
	c := newCA(t)
	secure, _ := tlsServer(t, c.issue(t, ca.Leaf{Names: []string{"app.test"}}), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "secure "+r.Host)
	}))
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "plain "+r.Host) }))
	t.Cleanup(plain.Close)
	routes := map[string]string{"app.test:443": secure.Listener.Addr().String(), "app.test:80": plain.Listener.Addr().String(),
		"127.0.0.2:443": secure.Listener.Addr().String()}
	httpProxy := testserver.HTTPProxy(t, routes)
	socks := testserver.SOCKS5Proxy(t, routes)
	withProxy := func(p graph.Proxy) func(*graph.Upstream) {
		return func(u *graph.Upstream) { u.Proxy = p; u.TLS.CAFile = c.file }
	}
	url := func(s string) graph.Proxy {
		u, problem := graph.ParseProxyURL(s)
		must(t, problem == "", "%s: %s", s, problem)
		return graph.Proxy{Mode: graph.ProxyURL, URL: u}
	}
	fromEnv := func(kv ...string) graph.Proxy {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return graph.Proxy{Mode: graph.ProxyFromEnv, Env: graph.ReadProxyEnv(func(k string) (string, bool) { v, ok := m[k]; return v, ok })}
	}

	tests := []struct {
		name, url string
		proxy     graph.Proxy
		via       *testserver.Proxy
		body      string
		source    string
		seen      string // what the proxy saw for the http request
	}{
		// The request names the host without its default port, as curl
		// does (Host: app.test, GET http://app.test/health), though the
		// graph filled the port in; CONNECT names the port.
		{name: "https through CONNECT", url: "https://app.test:443/", proxy: url("http://" + httpProxy.Addr), via: httpProxy,
			body: "secure app.test", source: "proxy", seen: "CONNECT app.test:443"},
		{name: "http in absolute form", url: "http://app.test:80/health", proxy: fromEnv("http_proxy", httpProxy.Addr), via: httpProxy,
			body: "plain app.test", source: "http_proxy", seen: "GET http://app.test/health"},
		{name: "proxy credentials", url: "http://app.test:80/health?x=1", proxy: url("http://u:pw@" + httpProxy.Addr), via: httpProxy,
			body: "plain app.test", source: "proxy", seen: "GET http://app.test/health?x=1 (Proxy-Authorization: Basic dTpwdw==)"},
		{name: "https through SOCKS5 (proxy resolves)", url: "https://app.test:443/", proxy: fromEnv("ALL_PROXY", "socks5h://"+socks.Addr), via: socks,
			body: "secure app.test", source: "ALL_PROXY", seen: "SOCKS5 app.test:443"},
		{name: "https through SOCKS5 (resolved here)", url: "https://app.test:443/", proxy: url("socks5://" + socks.Addr), via: socks,
			body: "secure app.test", source: "proxy", seen: "SOCKS5 127.0.0.2:443"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOpts(t)
			opts.HostsPath = writeFile(t, "hosts", "127.0.0.2 app.test\n") // never connected to: only a name for SOCKS5
			res := runOne(t, opts, upstream(t, "svc", tc.url, withProxy(tc.proxy), withSamples(3)))
			must(t, res.DNS == nil && len(res.Targets) == 1 && res.Proxy != nil, "result = %+v", res)
			tr := res.Targets[0]
			if tr.Address != tc.via.Addr || res.Proxy.Source != tc.source {
				t.Errorf("target %q proxy %+v, want the proxy %s from %s", tr.Address, res.Proxy, tc.via.Addr, tc.source)
			}
			must(t, tr.TCP != nil && tr.TCP.Err == nil, "TCP = %+v", tr.TCP)
			if tr.TLS != nil && (tr.TLS.HandshakeErr != nil || tr.TLS.VerifyErr != nil) {
				t.Errorf("TLS = %+v", tr.TLS)
			}
			h := tr.HTTP
			must(t, h != nil && h.Err == nil, "HTTP = %+v", h)
			if h.StatusCode != 200 || string(h.Body) != tc.body || h.Proxy == nil || h.Remote != tc.via.Addr {
				t.Errorf("status %d body %q proxy %+v remote %q", h.StatusCode, h.Body, h.Proxy, h.Remote)
			}
			// Latency samples go the same way.
			// Latency samples go the same way, answered by the upstream
			// itself (a proxy that did not understand them answers 502).
			if l := tr.Latency; l == nil || len(l.Samples) != 3 || slices.ContainsFunc(l.Samples, func(s LatencySample) bool { return s.Err != nil || s.Status != 200 }) {
				t.Errorf("latency = %+v", l)
			}
			if !slices.Contains(tc.via.Seen(), tc.seen) {
				t.Errorf("proxy saw %q, want %q", tc.via.Seen(), tc.seen)
			}
			if strings.HasPrefix(tc.seen, "GET ") {
				// The http layer's request and the samples' go on one
				// connection to the proxy, the tcp layer's (the proxy
				// logs the first request of each connection), in
				// absolute form.
				if n := countOf(tc.via.Seen(), tc.seen); n != 1 {
					t.Errorf("proxy saw %q %d times in %q, want 1", tc.seen, n, tc.via.Seen())
				}
			}
		})
	}
}

// What the layers record when the proxy fails: refused, or a tunnel the
// proxy will not open.
func TestProxyFailures(t *testing.T) {
	refusing := testserver.HTTPProxy(t, nil)
	refusing.Refuse = http.StatusProxyAuthRequired
	unrouted := testserver.HTTPProxy(t, nil)
	closed := closedAddr(t, "tcp")
	for _, tc := range []struct {
		name, proxy string
		status      int
		refused     bool
	}{
		{name: "407", proxy: refusing.Addr, status: 407},
		{name: "502 (the proxy cannot reach the host)", proxy: unrouted.Addr, status: 502},
		{name: "proxy down", proxy: closed, refused: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pu, _ := graph.ParseProxyURL("http://u:secret@" + tc.proxy)
			res := runOne(t, testOpts(t), upstream(t, "svc", "https://app.test:443/", func(u *graph.Upstream) {
				u.Proxy = graph.Proxy{Mode: graph.ProxyURL, URL: pu}
			}))
			tr := res.Targets[0]
			must(t, tr.TCP != nil && tr.TCP.Err != nil && tr.TLS == nil, "target = %+v", tr)
			if tc.refused {
				if !errors.Is(tr.TCP.Err, syscall.ECONNREFUSED) {
					t.Errorf("Err = %v", tr.TCP.Err)
				}
				return
			}
			var pe *ProxyError
			if !errors.As(tr.TCP.Err, &pe) || pe.StatusCode != tc.status || pe.Target != "app.test:443" || pe.Proxy != "http://u:[redacted]@"+tc.proxy {
				t.Errorf("Err = %v (%+v)", tr.TCP.Err, pe)
			}
		})
	}
}

// NO_PROXY sends a host directly, and targets are always direct.
func TestProxyNotUsed(t *testing.T) {
	s := httpServer(t)
	env := graph.ReadProxyEnv(func(k string) (string, bool) {
		v, ok := map[string]string{"http_proxy": "http://" + closedAddr(t, "tcp"), "no_proxy": "localhost,127.0.0.0/8"}[k]
		return v, ok
	})
	viaEnv := func(u *graph.Upstream) { u.Proxy = graph.Proxy{Mode: graph.ProxyFromEnv, Env: env} }
	for name, u := range map[string]*graph.Upstream{
		"no_proxy": upstream(t, "svc", "http://"+s.Listener.Addr().String()+"/ok", viaEnv),
		"targets":  s.upstream(t, "/ok", viaEnv),
	} {
		res := runOne(t, testOpts(t), u)
		if res.Proxy != nil || res.Targets[0].HTTP == nil || res.Targets[0].HTTP.StatusCode != 200 || res.Targets[0].HTTP.Proxy != nil {
			t.Errorf("%s: result = %+v", name, res)
		}
	}
}

// countOf counts s in list.
func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
