package probe

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// One connection per target (issue 11): the tcp layer's connection carries
// the tls layer's handshake, the http layer's request and the latency
// samples, counted at the server — for http and https, HTTP/1.1 and
// HTTP/2, with and without samples, and when the server asks for a client
// certificate over TLS 1.3 (the tls layer then reads what the server sends
// first while it waits for a verdict, and hands it on).
func TestOneConnectionPerTarget(t *testing.T) {
	c := newCA(t)
	certFile, keyFile := clientCertFiles(t, c)
	for _, tc := range []struct {
		name    string
		tls     bool
		h2      bool
		mtls    bool
		samples int
	}{
		{name: "http", samples: 0},
		{name: "http, 10 samples", samples: 10},
		{name: "https", tls: true, samples: 0},
		{name: "https, 10 samples", tls: true, samples: 10},
		{name: "https HTTP/2", tls: true, h2: true, samples: 0},
		{name: "https HTTP/2, 10 samples", tls: true, h2: true, samples: 10},
		{name: "https HTTP/2 client certificate, 3 samples", tls: true, h2: true, mtls: true, samples: 3},
		{name: "https client certificate, 3 samples", tls: true, mtls: true, samples: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc := &connCounter{}
			var protos []string
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				cc.count(r)
				cc.mu.Lock()
				protos = append(protos, r.Proto)
				cc.mu.Unlock()
				fmt.Fprint(w, "pong")
			}))
			cc.install(srv)
			quiet(srv)
			scheme := "http"
			if tc.tls {
				scheme = "https"
				srv.EnableHTTP2 = tc.h2
				srv.TLS = &tls.Config{Certificates: []tls.Certificate{c.issue(t, ca.Leaf{Names: []string{"svc.test"}})}}
				if tc.mtls {
					srv.TLS.ClientAuth, srv.TLS.ClientCAs = tls.RequireAndVerifyClientCert, c.Pool()
					srv.TLS.MinVersion = tls.VersionTLS13
				}
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			_, port := hostPort(t, srv.Listener.Addr().String())
			u := upstream(t, "svc", scheme+"://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()), withSamples(tc.samples),
				func(u *graph.Upstream) {
					u.TLS.CAFile = c.file
					if tc.mtls {
						u.TLS.CertFile, u.TLS.KeyFile = certFile, keyFile
					}
				})
			tr := runOne(t, testOpts(t), u).Targets[0]
			must(t, tr.HTTP != nil && tr.HTTP.Err == nil && tr.HTTP.StatusCode == 200, "http = %+v", tr.HTTP)
			if tc.samples > 0 {
				must(t, tr.Latency != nil && len(tr.Latency.Samples) == tc.samples, "latency = %+v", tr.Latency)
				for i, sm := range tr.Latency.Samples {
					if sm.Err != nil || sm.Status != 200 || sm.Reconnect != "" {
						t.Errorf("sample %d = %+v", i+1, sm)
					}
				}
			}
			if n := cc.newConns.Load(); n != 1 {
				t.Errorf("server saw %d connections, want 1", n)
			}
			if reqs := cc.requests(); !slices.Equal(reqs, []int{1 + tc.samples}) {
				t.Errorf("requests per connection = %v, want %d on one", reqs, 1+tc.samples)
			}
			want := "HTTP/1.1"
			if tc.h2 {
				want = "HTTP/2.0"
			}
			if tr.HTTP.Proto != want || slices.ContainsFunc(protos, func(p string) bool { return p != want }) {
				t.Errorf("http layer spoke %s, server saw %v, want %s", tr.HTTP.Proto, protos, want)
			}
			// The request's connect and tls phases are those of the layers
			// that made its connection.
			if tm := tr.HTTP.Timings; tm.Connect != tr.TCP.Duration || tc.tls && tm.TLS != tr.TLS.Duration || tm.Total < tm.Connect+tm.TLS+tm.TTFB {
				t.Errorf("timings %+v, tcp %s, tls %+v", tm, tr.TCP.Duration, tr.TLS)
			}
		})
	}
}

// A server that closes the connection after each answer: the samples open
// one connection each, and each says so — the server counts 1 + the
// reconnects the samples report.
func TestReconnectsMatchConnections(t *testing.T) {
	addr, conns := testserver.ClosesAfterAnswer(t)
	for _, samples := range []int{1, 4, 10} {
		before := conns.Load()
		tr := runOne(t, testOpts(t), upstream(t, "svc", "http://"+addr+"/", withSamples(samples))).Targets[0]
		must(t, tr.HTTP != nil && tr.HTTP.Err == nil && tr.Latency != nil, "http %+v latency %+v", tr.HTTP, tr.Latency)
		reconnects := 0
		for _, sm := range tr.Latency.Samples {
			if sm.Err == nil && sm.Reconnect == ReconnectServerClosed {
				reconnects++
			}
		}
		if n := conns.Load() - before; reconnects != samples || int(n) != 1+reconnects {
			t.Errorf("%d samples: %d reconnects reported, server saw %d connections, want %d and %d", samples, reconnects, n, samples, 1+samples)
		}
	}
}

// Redirects: one to the same origin goes on the target's connection; one
// to another host has a connection of its own, and the samples (which do
// not follow redirects) stay on the target's.
func TestRedirectConnections(t *testing.T) {
	other := &connCounter{}
	dst := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.count(r)
		fmt.Fprint(w, "there")
	}))
	other.install(dst)
	dst.Start()
	defer dst.Close()
	own := &connCounter{}
	src := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		own.count(r)
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, "/here", http.StatusFound)
		case "/away":
			http.Redirect(w, r, dst.URL+"/there", http.StatusFound)
		default:
			fmt.Fprint(w, "here")
		}
	}))
	own.install(src)
	src.Start()
	defer src.Close()

	tr := runOne(t, testOpts(t), upstream(t, "svc", src.URL+"/same", withSamples(2), func(u *graph.Upstream) { u.FollowRedirects = true })).Targets[0]
	must(t, tr.HTTP != nil && tr.HTTP.Err == nil && string(tr.HTTP.Body) == "here", "http = %+v", tr.HTTP)
	if n, reqs := own.newConns.Load(), own.requests(); n != 1 || !slices.Equal(reqs, []int{4}) {
		t.Errorf("same origin: %d connections, requests %v, want 1 with the redirect, its target and 2 samples", n, reqs)
	}

	own.newConns.Store(0)
	own.perConn = map[int64]int{}
	tr = runOne(t, testOpts(t), upstream(t, "svc", src.URL+"/away", withSamples(2), func(u *graph.Upstream) { u.FollowRedirects = true })).Targets[0]
	must(t, tr.HTTP != nil && tr.HTTP.Err == nil && string(tr.HTTP.Body) == "there", "http = %+v", tr.HTTP)
	if n, reqs := own.newConns.Load(), own.requests(); n != 1 || !slices.Equal(reqs, []int{3}) {
		t.Errorf("own server: %d connections, requests %v, want 1 with the redirect and 2 samples", n, reqs)
	}
	if n := other.newConns.Load(); n != 1 {
		t.Errorf("other host: %d connections, want 1", n)
	}
	for i, sm := range tr.Latency.Samples {
		if sm.Err != nil || sm.Status != http.StatusFound || sm.Reconnect != "" {
			t.Errorf("sample %d = %+v", i+1, sm)
		}
	}
}
