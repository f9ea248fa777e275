package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

type connKey struct{}

// connCounter counts the connections a server accepted and the requests
// served on each.
type connCounter struct {
	newConns atomic.Int32
	mu       sync.Mutex
	perConn  map[int64]int
	next     atomic.Int64
}

func (c *connCounter) install(srv *httptest.Server) {
	c.perConn = map[int64]int{}
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			c.newConns.Add(1)
		}
	}
	srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, c.next.Add(1))
	}
}

func (c *connCounter) count(r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.perConn[r.Context().Value(connKey{}).(int64)]++
}

func (c *connCounter) requests() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []int
	for _, n := range c.perConn {
		out = append(out, n)
	}
	return out
}

func TestLatencyHTTPKeptAlive(t *testing.T) {
	c := newCA(t)
	for _, scheme := range []string{"http", "https"} {
		t.Run(scheme, func(t *testing.T) {
			cc := &connCounter{}
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				cc.count(r)
				fmt.Fprint(w, "pong")
			}))
			cc.install(srv)
			quiet(srv)
			if scheme == "https" {
				srv.TLS = &tls.Config{Certificates: []tls.Certificate{c.issue(t, ca.Leaf{Names: []string{"svc.test"}})}}
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			_, port := hostPort(t, srv.Listener.Addr().String())
			u := upstream(t, "svc", scheme+"://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()), withSamples(5),
				func(u *graph.Upstream) { u.TLS.CAFile = c.file })
			tr := runOne(t, testOpts(t), u).Targets[0]
			must(t, tr.Latency != nil, "no latency: %+v", tr)
			if len(tr.Latency.Samples) != 5 || tr.Latency.Planned != 5 {
				t.Fatalf("latency = %+v", tr.Latency)
			}
			for i, sm := range tr.Latency.Samples {
				if sm.Err != nil || sm.Duration <= 0 || sm.Status != 200 || sm.Reconnect != "" {
					t.Errorf("sample %d = %+v", i+1, sm)
				}
			}
			// One connection: the tcp layer's, on which the tls layer's
			// handshake (https), the http layer's request and the 5
			// samples ran.
			if n := cc.newConns.Load(); n != 1 {
				t.Errorf("server saw %d connections, want 1", n)
			}
			if reqs := cc.requests(); !slices.Equal(reqs, []int{6}) {
				t.Errorf("requests per connection = %v, want the http layer's and 5 samples on one connection", reqs)
			}
		})
	}
}

// Over TLS the samples speak the protocol ALPN negotiates: HTTP/2 with a
// server that offers it, still on one connection.
func TestLatencyHTTP2(t *testing.T) {
	c := newCA(t)
	cc := &connCounter{}
	var h2 atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cc.count(r)
		if r.ProtoMajor == 2 {
			h2.Add(1)
		}
		fmt.Fprint(w, "pong")
	}))
	cc.install(srv)
	quiet(srv)
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{c.issue(t, ca.Leaf{Names: []string{"svc.test"}})}}
	srv.StartTLS()
	defer srv.Close()
	_, port := hostPort(t, srv.Listener.Addr().String())
	u := upstream(t, "svc", "https://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()), withSamples(4),
		func(u *graph.Upstream) { u.TLS.CAFile = c.file })
	tr := runOne(t, testOpts(t), u).Targets[0]
	must(t, tr.Latency != nil && len(tr.Latency.Samples) == 4, "latency = %+v", tr.Latency)
	for i, sm := range tr.Latency.Samples {
		if sm.Err != nil || sm.Status != 200 || sm.Reconnect != "" {
			t.Errorf("sample %d = %+v", i+1, sm)
		}
	}
	// The http layer's request speaks what ALPN negotiated too: HTTP/2.
	if n := h2.Load(); n != 5 {
		t.Errorf("%d requests over HTTP/2, want 5: the http layer's and the 4 samples", n)
	}
	// All on the tcp layer's connection: the http layer's stream and the
	// samples' on one HTTP/2 connection.
	if n := cc.newConns.Load(); n != 1 {
		t.Errorf("server saw %d connections, want 1", n)
	}
	if reqs := cc.requests(); !slices.Equal(reqs, []int{5}) {
		t.Errorf("requests per connection = %v, want the 5 on one", reqs)
	}
}

func TestLatencyServerAsksToClose(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		fmt.Fprint(w, "bye")
	}))
	defer srv.Close()
	tr := runOne(t, testOpts(t), upstream(t, "svc", "http://"+srv.Listener.Addr().String()+"/", withSamples(3))).Targets[0]
	wantReconnects(t, tr.Latency, 3, ReconnectConnectionClose)
}

// wantReconnects: n samples completed with 200, each on a new connection
// for the reason why — the first too, since the http layer's answer on the
// target's connection left it unusable for the same reason.
func wantReconnects(t *testing.T, lr *LatencyResult, n int, why Reconnect) {
	t.Helper()
	if lr == nil || len(lr.Samples) != n {
		t.Fatalf("latency = %+v, want %d samples", lr, n)
	}
	for i, sm := range lr.Samples {
		if sm.Err != nil || sm.Status != 200 || sm.Reconnect != why {
			t.Errorf("sample %d = %+v, want 200 and reconnect %q", i+1, sm, why)
		}
	}
}

// Case 19 of issue 9: a server that closes every connection after its
// answer without saying so (no Connection: close). Every sample completes:
// the closed connection is re-opened, as curl and net/http do, and the
// reason is recorded.
func TestLatencyServerClosesSilently(t *testing.T) {
	addr, conns := testserver.ClosesAfterAnswer(t)
	tr := runOne(t, testOpts(t), upstream(t, "svc", "http://"+addr+"/", withSamples(10))).Targets[0]
	must(t, tr.HTTP != nil && tr.HTTP.Err == nil, "http = %+v", tr.HTTP)
	wantReconnects(t, tr.Latency, 10, ReconnectServerClosed)
	// The tcp layer's (the http layer's request on it), then one per
	// sample: 1 + the reconnects the samples report.
	if n := conns.Load(); n != 11 {
		t.Errorf("server saw %d connections, want 11", n)
	}
}

// An endless body: each sample stops reading at max_body, completes, and
// the next sample opens a new connection (the cut one cannot be reused);
// so does the first, after the http layer's cut body.
func TestLatencyEndlessBodyStopsAtMaxBody(t *testing.T) {
	chunk := strings.Repeat("x", 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	u := upstream(t, "svc", "http://"+srv.Listener.Addr().String()+"/", withSamples(3), func(u *graph.Upstream) { u.MaxBody = 64 << 10 })
	tr := runOne(t, testOpts(t), u).Targets[0]
	must(t, tr.HTTP != nil && tr.HTTP.Err == nil && tr.HTTP.BodyTruncated, "http = %+v", tr.HTTP)
	wantReconnects(t, tr.Latency, 3, ReconnectBodyCut)
	for i, sm := range tr.Latency.Samples {
		if sm.Duration >= testTimeout {
			t.Errorf("sample %d took %s: the body was read to the timeout, not to max_body", i+1, sm.Duration)
		}
	}
}

// A failed sample does not end the sampling; the next one opens a new
// connection. Here every third request's body is cut short.
func TestLatencyKeepsSamplingAfterAFailure(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%3 == 0 { // the http layer's request is the first
			w.Header().Set("Content-Length", "10")
			_, _ = io.WriteString(w, "cut")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		fmt.Fprint(w, "ok")
	}))
	quiet(srv)
	defer srv.Close()
	tr := runOne(t, testOpts(t), upstream(t, "svc", "http://"+srv.Listener.Addr().String()+"/", withSamples(6))).Targets[0]
	if tr.Latency == nil || len(tr.Latency.Samples) != 6 {
		t.Fatalf("latency = %+v", tr.Latency)
	}
	var failed []int
	for i, sm := range tr.Latency.Samples {
		if sm.Err != nil {
			failed = append(failed, i+1)
			if sm.Status != 200 || !errors.Is(sm.Err, io.ErrUnexpectedEOF) {
				t.Errorf("sample %d = %+v, want status 200 and a body cut short", i+1, sm)
			}
		}
		if i > 0 && tr.Latency.Samples[i-1].Err != nil && sm.Reconnect != ReconnectAfterFailure {
			t.Errorf("sample %d after a failure: reconnect %q", i+1, sm.Reconnect)
		}
	}
	if !slices.Equal(failed, []int{2, 5}) {
		t.Errorf("failed samples %v, want [2 5]", failed)
	}
}

// A sample that timed out ends the sampling: another would wait as long.
func TestLatencyStopsAtATimeout(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 3 { // the http layer's request, then two samples
			<-r.Context().Done()
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	tr := runOne(t, testOpts(t), upstream(t, "svc", "http://"+srv.Listener.Addr().String()+"/", withSamples(5))).Targets[0]
	if tr.Latency == nil || len(tr.Latency.Samples) != 3 || tr.Latency.Planned != 5 {
		t.Fatalf("latency = %+v", tr.Latency)
	}
	if last := tr.Latency.Samples[2]; !errors.Is(last.Err, context.DeadlineExceeded) {
		t.Errorf("third sample = %+v, want a timeout", last)
	}
}

func TestLatencyTCP(t *testing.T) {
	addr, accepted := silentTCP(t)
	tr := runOne(t, testOpts(t), upstream(t, "db", "tcp://"+addr, withSamples(4))).Targets[0]
	if tr.Latency == nil || len(tr.Latency.Samples) != 4 {
		t.Fatalf("latency = %+v", tr.Latency)
	}
	for i, sm := range tr.Latency.Samples {
		if sm.Err != nil || sm.Duration <= 0 || sm.Status != 0 {
			t.Errorf("sample %d = %+v", i+1, sm)
		}
	}
	if !settle(func() bool { return accepted.Load() == 5 }) {
		t.Errorf("server accepted %d connections, want 1 + 4", accepted.Load())
	}
}

func TestLatencySkipped(t *testing.T) {
	s := httpServer(t)
	opts := testOpts(t)
	// samples 0 (the test upstreams' default): no latency layer.
	if tr := runOne(t, opts, s.upstream(t, "/ok")).Targets[0]; tr.Latency != nil {
		t.Errorf("latency with samples 0: %+v", tr.Latency)
	}
	if tr := runOne(t, opts, s.upstream(t, "/ok", withSamples(2))).Targets[0]; tr.Latency == nil || len(tr.Latency.Samples) != 2 {
		t.Errorf("latency with samples 2: %+v", tr.Latency)
	}
	// A failed lower layer: no latency.
	if tr := runOne(t, opts, s.upstream(t, "/hang", withSamples(2))).Targets[0]; tr.Latency != nil {
		t.Errorf("latency after an http failure: %+v", tr.Latency)
	}
}
