package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

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
			if tr.Latency.Err != nil || len(tr.Latency.Samples) != 5 {
				t.Fatalf("latency = %+v", tr.Latency)
			}
			for _, d := range tr.Latency.Samples {
				if d <= 0 {
					t.Errorf("sample %v", d)
				}
			}
			// Connections: the tcp layer's, the tls layer's (https), the http
			// layer's and one for all latency samples.
			want := int32(3)
			if scheme == "https" {
				want = 4
			}
			if n := cc.newConns.Load(); n != want {
				t.Errorf("server saw %d connections, want %d", n, want)
			}
			reqs := cc.requests()
			if len(reqs) != 2 || max(reqs[0], reqs[1]) != 5 || min(reqs[0], reqs[1]) != 1 {
				t.Errorf("requests per connection = %v, want one for http and 5 on one connection", reqs)
			}
		})
	}
}

func TestLatencyServerClosesConnection(t *testing.T) {
	cc := &connCounter{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cc.count(r)
		w.Header().Set("Connection", "close")
		fmt.Fprint(w, "bye")
	}))
	cc.install(srv)
	srv.Start()
	defer srv.Close()
	tr := runOne(t, testOpts(t), upstream(t, "svc", "http://"+srv.Listener.Addr().String()+"/", withSamples(3))).Targets[0]
	if tr.Latency == nil || tr.Latency.Err != nil || len(tr.Latency.Samples) != 3 {
		t.Fatalf("latency = %+v", tr.Latency)
	}
}

func TestLatencyTCP(t *testing.T) {
	addr, accepted := silentTCP(t)
	tr := runOne(t, testOpts(t), upstream(t, "db", "tcp://"+addr, withSamples(4))).Targets[0]
	if tr.Latency == nil || tr.Latency.Err != nil || len(tr.Latency.Samples) != 4 {
		t.Fatalf("latency = %+v", tr.Latency)
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

func TestLatencyStopsAtFirstError(t *testing.T) {
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
	if tr.Latency == nil || len(tr.Latency.Samples) != 2 || !errors.Is(tr.Latency.Err, context.DeadlineExceeded) {
		t.Fatalf("latency = %+v", tr.Latency)
	}
}
