package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/updoc/updoc/pkg/graph"
)

// goResolverUsed counts lookups that reached Go's own resolver. TestMain
// replaces net.DefaultResolver with one that never sends a packet: a lookup
// through it is a bug (it would read the real /etc/resolv.conf and query a
// non-loopback server), and every test fails if one happened.
var goResolverUsed atomic.Int32

func TestMain(m *testing.M) {
	net.DefaultResolver = &net.Resolver{
		PreferGo: true,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			goResolverUsed.Add(1)
			return nil, errors.New("test: Go's system resolver must not be used")
		},
	}
	code := m.Run()
	if n := goResolverUsed.Load(); n > 0 && code == 0 {
		fmt.Fprintf(os.Stderr, "FAIL: Go's system resolver was asked %d times\n", n)
		code = 1
	}
	os.Exit(code)
}

// countingUDP is a UDP socket that counts the datagrams it receives and
// never answers.
func countingUDP(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	var n atomic.Int32
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
			n.Add(1)
		}
	}()
	return pc.LocalAddr().String(), &n
}

// hostServer is an HTTP server on 127.0.0.1 that records the Host header of
// each request.
func hostServer(t *testing.T) (*httptest.Server, *atomic.Value) {
	t.Helper()
	var host atomic.Value
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		host.Store(r.Host)
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/cross-nx", func(w http.ResponseWriter, r *http.Request) {
		_, port, _ := net.SplitHostPort(r.Host)
		http.Redirect(w, r, "http://nx.test:"+port+"/ok", http.StatusFound)
	})
	mux.HandleFunc("/cross", func(w http.ResponseWriter, r *http.Request) {
		_, port, _ := net.SplitHostPort(r.Host)
		http.Redirect(w, r, "http://a.test:"+port+"/ok", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &host
}

// A target named by host is resolved through the upstream's resolvers and
// dialled at the address answered; the Host header stays the URL's. The URL
// host is not resolved (it is never connected to), and the system resolver
// (resolv.conf) is not asked when explicit resolvers are set.
func TestTargetNames(t *testing.T) {
	srv, host := hostServer(t)
	_, port := hostPort(t, srv.Listener.Addr().String())
	d := startDNS(t)
	sysDNS, sysHits := countingUDP(t)
	opts := testOpts(t)
	opts.ResolvConfPath = writeFile(t, "resolv.conf", "nameserver "+sysDNS+"\n")

	u := upstream(t, "named", "http://example.invalid:"+port+"/ok",
		withTargets("a.test:"+port, "nx.test:"+port),
		withResolvers(graph.Resolver{Kind: "udp", Addr: d.addr}))
	res := runOne(t, opts, u)

	if res.DNS != nil {
		t.Errorf("the URL host was resolved: DNS = %+v", res.DNS)
	}
	must(t, len(res.Targets) == 2, "targets = %+v", res.Targets)
	ok, nx := res.Targets[0], res.Targets[1]

	if ok.Address != "a.test:"+port || ok.Name != "a.test" || ok.DNS == nil || ok.DNS.Name != "a.test" {
		t.Errorf("a.test target = %+v", ok)
	}
	if ok.Dial != "127.0.0.1:"+port {
		t.Errorf("a.test dialled %q, want 127.0.0.1:%s", ok.Dial, port)
	}
	if ok.TCP == nil || ok.TCP.Err != nil || ok.HTTP == nil || ok.HTTP.StatusCode != 200 {
		t.Errorf("a.test layers: tcp %+v http %+v", ok.TCP, ok.HTTP)
	}
	if got, _ := host.Load().(string); got != "example.invalid:"+port {
		t.Errorf("Host header = %q, want the URL host example.invalid:%s", got, port)
	}
	for _, q := range ok.DNS.Queries {
		if q.Resolver.Addr != d.addr {
			t.Errorf("a.test asked %q, want the upstream's resolver %s", q.Resolver, d.addr)
		}
	}

	if nx.Name != "nx.test" || nx.DNS == nil || len(nx.DNS.Queries) == 0 || nx.DNS.Queries[0].Rcode != "NXDOMAIN" {
		t.Errorf("nx.test DNS = %+v", nx.DNS)
	}
	if nx.Dial != "" || nx.TCP != nil || nx.HTTP != nil {
		t.Errorf("nx.test lower layers ran: dial %q tcp %+v http %+v", nx.Dial, nx.TCP, nx.HTTP)
	}
	if n := sysHits.Load(); n != 0 {
		t.Errorf("the resolv.conf nameserver got %d queries with explicit resolvers set", n)
	}
}

// With the system resolver, a target name comes from the hosts file first,
// then from the resolv.conf nameservers (here a loopback server); the same
// targets that share a name share one resolution.
func TestTargetNamesSystem(t *testing.T) {
	srv, _ := hostServer(t)
	_, port := hostPort(t, srv.Listener.Addr().String())
	d := startDNS(t)
	opts := testOpts(t)
	opts.HostsPath = writeFile(t, "hosts", "127.0.0.1 h.test\n")
	opts.ResolvConfPath = writeFile(t, "resolv.conf", "nameserver "+d.addr+"\n")

	u := upstream(t, "sys", "http://svc.test:"+port+"/ok", withTargets("h.test:"+port, "a.test:"+port))
	res := runOne(t, opts, u)
	must(t, len(res.Targets) == 2, "targets = %+v", res.Targets)
	for _, tr := range res.Targets {
		if tr.Dial != "127.0.0.1:"+port || tr.HTTP == nil || tr.HTTP.StatusCode != 200 {
			t.Errorf("%s: dial %q http %+v", tr.Address, tr.Dial, tr.HTTP)
		}
	}
	if q := res.Targets[0].DNS.Queries[0]; q.Resolver != graph.SystemResolver || q.Server != "" {
		t.Errorf("h.test not answered from the hosts file: %+v", q)
	}
	if q := res.Targets[1].DNS.Queries[0]; q.Server != d.addr {
		t.Errorf("a.test not asked to the resolv.conf nameserver: %+v", q)
	}
	if d.udpHits.Load() == 0 {
		t.Error("the resolv.conf nameserver was never asked")
	}
}

// A redirect to another host is resolved through the upstream's resolvers
// too, never through Go's resolver; a redirect host that does not resolve
// is a *ResolveError with the dns facts.
func TestRedirectHostResolved(t *testing.T) {
	srv, host := hostServer(t)
	_, port := hostPort(t, srv.Listener.Addr().String())
	d := startDNS(t)
	sysDNS, sysHits := countingUDP(t)
	opts := testOpts(t)
	opts.ResolvConfPath = writeFile(t, "resolv.conf", "nameserver "+sysDNS+"\n")
	rv := withResolvers(graph.Resolver{Kind: "udp", Addr: d.addr})

	h := runOne(t, opts, upstream(t, "cross", "http://127.0.0.1:"+port+"/cross", rv)).Targets[0].HTTP
	must(t, h != nil, "no http result")
	if h.Err != nil || h.StatusCode != 200 || h.URL != "http://a.test:"+port+"/ok" {
		t.Errorf("redirect: status %d url %s err %v", h.StatusCode, h.URL, h.Err)
	}
	if got, _ := host.Load().(string); got != "a.test:"+port {
		t.Errorf("Host after the redirect = %q, want a.test:%s", got, port)
	}

	h = runOne(t, opts, upstream(t, "cross-nx", "http://127.0.0.1:"+port+"/cross-nx", rv)).Targets[0].HTTP
	must(t, h != nil, "no http result")
	var re *ResolveError
	if !errors.As(h.Err, &re) || re.Name != "nx.test" || re.DNS == nil || re.DNS.Queries[0].Rcode != "NXDOMAIN" {
		t.Fatalf("redirect to nx.test: err %v (%T)", h.Err, h.Err)
	}
	if h.ErrPhase != "connect" || len(h.Redirects) != 1 {
		t.Errorf("phase %q redirects %v", h.ErrPhase, h.Redirects)
	}
	if n := sysHits.Load(); n != 0 {
		t.Errorf("the resolv.conf nameserver got %d queries with explicit resolvers set", n)
	}
}

// dial never hands a host name to Go's resolver.
func TestDialRefusesNames(t *testing.T) {
	p := &plan{}
	_, err := p.dial(context.Background(), "h.test:80")
	var ni errNotIP
	if !errors.As(err, &ni) {
		t.Fatalf("dial(h.test:80) = %v, want errNotIP", err)
	}
	if n := goResolverUsed.Load(); n != 0 {
		t.Errorf("Go's resolver was asked %d times", n)
	}
}
