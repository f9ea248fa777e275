package probe

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// Every server of these tests listens on 127.0.0.1 and every address a test
// makes the prober dial is 127.0.0.1 (or ::ffff:127.0.0.1, the same address
// as an IPv6 answer). The "system" resolver is always pointed at temporary
// hosts and resolv.conf files.

const testTimeout = 300 * time.Millisecond

// slack is how much longer than its timeout an operation may take.
const slack = 200 * time.Millisecond

// testOpts returns Options with an empty hosts file and a resolv.conf
// naming a loopback port where nothing listens.
func testOpts(t *testing.T) Options {
	t.Helper()
	return Options{
		Concurrency:    64,
		HostsPath:      writeFile(t, "hosts", "# empty\n"),
		ResolvConfPath: writeFile(t, "resolv.conf", "nameserver "+closedAddr(t, "udp")+"\n"),
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// upstream builds an Upstream the way graph.Load would, with defaults, but
// a short timeout and no latency samples.
func upstream(t *testing.T, name, raw string, mods ...func(*graph.Upstream)) *graph.Upstream {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if u.Port() == "" {
		t.Fatalf("test URL %s needs an explicit port", raw)
	}
	up := &graph.Upstream{
		Name: name, URL: u, RawURL: raw, Method: "GET",
		FollowRedirects: true, MaxBody: 1 << 20, IPFamily: "any",
		Timeout: testTimeout, Resolvers: []graph.Resolver{graph.SystemResolver},
	}
	for _, m := range mods {
		m(up)
	}
	return up
}

func withTargets(targets ...string) func(*graph.Upstream) {
	return func(u *graph.Upstream) { u.Targets = targets }
}

func withResolvers(rs ...graph.Resolver) func(*graph.Upstream) {
	return func(u *graph.Upstream) { u.Resolvers = rs }
}

func withSamples(n int) func(*graph.Upstream) {
	return func(u *graph.Upstream) { u.Samples = n }
}

// setTimeout gives every upstream of ups the per-operation timeout d.
func setTimeout(ups []*graph.Upstream, d time.Duration) {
	for _, u := range ups {
		u.Timeout = d
	}
}

func runOne(t *testing.T, opts Options, u *graph.Upstream) Result {
	t.Helper()
	rs := Run(context.Background(), &graph.Graph{Upstreams: []*graph.Upstream{u}}, opts, nil)
	if len(rs) != 1 {
		t.Fatalf("Run returned %d results, want 1", len(rs))
	}
	return rs[0]
}

func hostPort(t *testing.T, addr string) (string, string) {
	t.Helper()
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	return h, p
}

// closedAddr returns a 127.0.0.1 address where nothing listens (on network
// "tcp" or "udp").
func closedAddr(t *testing.T, network string) string {
	t.Helper()
	var addr string
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = pc.LocalAddr().String()
		pc.Close()
	} else {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr = ln.Addr().String()
		ln.Close()
	}
	return addr
}

// silentUDP is a UDP socket that reads queries and never answers.
func silentUDP(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 2048)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	return pc.LocalAddr().String()
}

// silentTCP accepts connections and never writes (nor closes them until the
// test ends). It counts accepted connections.
func silentTCP(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String(), &n
}

// --- DNS -------------------------------------------------------------------

// dnsServer is an authoritative server for the zone "test." on one
// 127.0.0.1 port, over UDP and TCP.
type dnsServer struct {
	addr    string
	udpHits atomic.Int32
	tcpHits atomic.Int32
}

func startDNS(t *testing.T) *dnsServer {
	t.Helper()
	s := &dnsServer{}
	s.addr = testserver.DNS(t, true, dns.HandlerFunc(s.serve))
	return s
}

func rr(t string) dns.RR {
	r, err := dns.NewRR(t)
	if err != nil {
		panic(err)
	}
	return r
}

// serve answers the test zone:
//
//	a.test.       A 127.0.0.1, AAAA ::ffff:127.0.0.1
//	alias.test.   CNAME edge.test. → CNAME a.test.
//	v4.test.      A 127.0.0.1 only
//	nx.test.      NXDOMAIN
//	fail.test.    SERVFAIL
//	nodata.test.  NOERROR, no records
//	big.test.     truncated over UDP; A 127.0.0.1 over TCP
func (s *dnsServer) serve(w dns.ResponseWriter, r *dns.Msg) {
	udp := w.RemoteAddr().Network() == "udp"
	if udp {
		s.udpHits.Add(1)
	} else {
		s.tcpHits.Add(1)
	}
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	q := r.Question[0]
	name := strings.ToLower(q.Name)
	addrs := func(owner string, v6 bool) {
		if q.Qtype == dns.TypeA {
			m.Answer = append(m.Answer, rr(owner+" 60 IN A 127.0.0.1"))
		}
		if q.Qtype == dns.TypeAAAA && v6 {
			m.Answer = append(m.Answer, rr(owner+" 60 IN AAAA ::ffff:127.0.0.1"))
		}
	}
	switch name {
	case "a.test.":
		addrs(name, true)
	case "alias.test.":
		m.Answer = append(m.Answer, rr("alias.test. 60 IN CNAME edge.test."), rr("edge.test. 60 IN CNAME a.test."))
		addrs("a.test.", true)
	case "v4.test.":
		addrs(name, false)
	case "nx.test.":
		m.Rcode = dns.RcodeNameError
	case "fail.test.":
		m.Rcode = dns.RcodeServerFailure
	case "nodata.test.":
	case "big.test.":
		if udp {
			m.Truncated = true
		} else {
			addrs(name, false)
		}
	default:
		m.Rcode = dns.RcodeRefused
	}
	_ = w.WriteMsg(m)
}

// --- TLS -----------------------------------------------------------------

type testCA struct {
	*ca.CA
	file string // PEM of the CA
}

func newCA(t *testing.T) *testCA {
	t.Helper()
	c, err := ca.New("updoc test CA")
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{CA: c, file: writeFile(t, "ca.pem", string(c.PEM()))}
}

func (c *testCA) issue(t *testing.T, l ca.Leaf) tls.Certificate {
	t.Helper()
	cert, err := c.Issue(l)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// tlsServer starts an httptest TLS server presenting cert, recording the
// SNI of each handshake.
func tlsServer(t *testing.T, cert tls.Certificate, h http.Handler) (*httptest.Server, *sniLog) {
	t.Helper()
	snis := &sniLog{}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{cert},
		GetConfigForClient: func(hi *tls.ClientHelloInfo) (*tls.Config, error) {
			snis.add(hi.ServerName)
			return nil, nil
		},
	}
	quiet(srv)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, snis
}

type sniLog struct {
	mu    sync.Mutex
	names []string
}

func (l *sniLog) add(n string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, n)
}

func (l *sniLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.names...)
}

// quiet drops the server's error log (the tcp layer's connect-and-close
// makes a TLS server log a handshake EOF).
func quiet(srv *httptest.Server) {
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
}

// --- goroutines ------------------------------------------------------------

// ourFrame matches a stack frame of the prober's own code or of the client
// machinery it drives.
var ourFrame = regexp.MustCompile(`/pkg/probe/[a-z]+\.go:|net/http\.\(\*Transport\)|net/http\.\(\*persistConn\)|miekg/dns\.\(\*Client\)`)

// proberGoroutines returns the stacks of live goroutines running prober or
// HTTP-client code, excluding the calling test's own goroutine.
func proberGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "proberGoroutines") {
			continue
		}
		if ourFrame.MatchString(g) {
			out = append(out, g)
		}
	}
	return out
}

// settle waits up to 2 s for cond.
func settle(cond func() bool) bool { return settleFor(2*time.Second, cond) }

// settleFor waits up to d for cond.
func settleFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func within(t *testing.T, what string, got, want time.Duration) {
	t.Helper()
	t.Logf("%s took %v (timeout %v)", what, got.Round(time.Millisecond), want)
	if got < want-20*time.Millisecond || got > want+slack {
		t.Errorf("%s took %v, want about %v (at most +%v)", what, got, want, slack)
	}
}

func must(t *testing.T, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Fatalf(format, args...)
	}
}

// clientCertFiles mints a client certificate from c and writes it and its
// key to files (for tls.cert_file and tls.key_file).
func clientCertFiles(t *testing.T, c *testCA) (certFile, keyFile string) {
	t.Helper()
	client, err := c.IssueClient("updoc")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, err := ca.KeyPEM(client)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "client.pem", string(certPEM)), writeFile(t, "client.key", string(keyPEM))
}
