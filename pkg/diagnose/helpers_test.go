package diagnose

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// node builds a graph upstream the way the loader would (explicit port).
func node(name, raw string, deps ...string) *graph.Upstream {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	if u.Port() == "" {
		port := map[string]string{"http": "80", "https": "443"}[u.Scheme]
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	return &graph.Upstream{
		Name: name, URL: u, RawURL: raw, DependsOn: deps, Method: "GET",
		FollowRedirects: true, MaxBody: 1 << 20, IPFamily: "any",
		Expect:  graph.Expect{Status: graph.DefaultStatus(), CertMinDays: graph.DefaultCertMinDays},
		Timeout: graph.DefaultTimeout, Samples: graph.DefaultSamples,
		Resolvers: []graph.Resolver{graph.SystemResolver},
	}
}

// nameserver is a query's resolver and server for a resolvers entry "IP:PORT".
func nameserver(addr string) (graph.Resolver, string) {
	return graph.Resolver{Kind: graph.ResolverUDP, Addr: addr}, addr
}

func graphOf(ups ...*graph.Upstream) *graph.Graph {
	return &graph.Graph{File: "updoc.yaml", Version: 1, Upstreams: ups}
}

func run(g *graph.Graph, results ...probe.Result) report.Report {
	return diagnosed(Input{
		Graph: g, Results: results, StartedAt: testNow.Add(-time.Second),
		Duration: 812400 * time.Microsecond, Version: "0.1.0-test", Now: testNow,
	})
}

// ---------------------------------------------------------------- error values

func opErr(op string, errno syscall.Errno) error {
	addr, _ := net.ResolveTCPAddr("tcp", "10.0.0.7:8080")
	return &net.OpError{Op: op, Net: "tcp", Addr: addr, Err: os.NewSyscallError(map[string]string{"dial": "connect", "read": "read", "write": "write"}[op], errno)}
}

var (
	errRefused     = opErr("dial", syscall.ECONNREFUSED)
	errHostUnreach = opErr("dial", syscall.EHOSTUNREACH)
	errNetUnreach  = opErr("dial", syscall.ENETUNREACH)
	errReset       = opErr("read", syscall.ECONNRESET)
	errETimedOut   = opErr("dial", syscall.ETIMEDOUT)
	// what net.Dialer returns when its context deadline passes
	errDialTimeout = &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
)

// ---------------------------------------------------------------- facts

func okTarget(addr string) probe.TargetResult {
	return probe.TargetResult{Address: addr, TCP: &probe.TCPResult{Duration: 200 * time.Microsecond}}
}

func httpOK(addr string, status int) probe.TargetResult {
	t := okTarget(addr)
	t.HTTP = &probe.HTTPResult{
		Method: "GET", URL: "http://" + addr + "/health", StatusCode: status, Proto: "HTTP/1.1",
		Header: map[string][]string{}, Body: []byte("ok"),
		Timings: probe.Timings{Connect: 200 * time.Microsecond, TTFB: 1500 * time.Microsecond, Total: 1800 * time.Microsecond},
	}
	return t
}

func dnsOK(name string, addrs ...string) *probe.DNSResult {
	return &probe.DNSResult{
		Name: name, Addresses: addrs, Duration: 900 * time.Microsecond,
		Queries: []probe.DNSQuery{{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:53"}, Server: "127.0.0.1:53", QType: "A", Rcode: "NOERROR", Addresses: addrs, Duration: 900 * time.Microsecond}},
	}
}

// ---------------------------------------------------------------- certificates

type pki struct {
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey
	pool  *x509.CertPool
}

var serial int64 = 100

func mintCert(t testing.TB, cn string, dns []string, nb, na time.Time, isCA bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn},
		DNSNames:              dns,
		NotBefore:             nb,
		NotAfter:              na,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  isCA,
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent, parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

func newPKI(t testing.TB) *pki {
	ca, key := mintCert(t, "updoc test CA", nil, testNow.Add(-365*24*time.Hour), testNow.Add(365*24*time.Hour), true, nil, nil)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &pki{ca: ca, caKey: key, pool: pool}
}

// leafCert mints a leaf valid from nb to na for names.
func (p *pki) leaf(t testing.TB, nb, na time.Time, names ...string) *x509.Certificate {
	c, _ := mintCert(t, names[0], names, nb, na, false, p.ca, p.caKey)
	return c
}

// verify runs the real x509 verification at testNow, as probe does.
func (p *pki) verify(c *x509.Certificate, name string, roots *x509.CertPool) error {
	_, err := c.Verify(x509.VerifyOptions{Roots: roots, DNSName: name, CurrentTime: testNow})
	return err
}

// tlsTarget is a target whose TCP passed and whose TLS produced tr; a tr
// that names no server name gets api.example.com, sent as SNI too.
func tlsTarget(addr string, tr *probe.TLSResult) probe.TargetResult {
	t := okTarget(addr)
	if tr.ServerName == "" {
		tr.ServerName, tr.SNI = "api.example.com", "api.example.com"
	}
	if tr.Duration == 0 {
		tr.Duration = 3 * time.Millisecond
	}
	t.TLS = tr
	return t
}

// ---------------------------------------------------------------- assertions

func findingsOf(rep report.Report, upstream string) []report.Finding {
	for _, u := range rep.Upstreams {
		if u.Name == upstream {
			return u.Findings
		}
	}
	return nil
}

func upstreamOf(t testing.TB, rep report.Report, name string) report.Upstream {
	t.Helper()
	for _, u := range rep.Upstreams {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("upstream %s not in report", name)
	return report.Upstream{}
}

func codes(fs []report.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code+"/"+string(f.Severity))
	}
	return out
}

func findCode(fs []report.Finding, code string) (report.Finding, bool) {
	for _, f := range fs {
		if f.Code == code {
			return f, true
		}
	}
	return report.Finding{}, false
}

func mustContain(t testing.TB, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s %q does not contain %q", what, s, sub)
		}
	}
}

func refusedTarget(addr string) probe.TargetResult {
	return probe.TargetResult{Address: addr, TCP: &probe.TCPResult{Duration: 100 * time.Microsecond, Err: errRefused}}
}

// msDurations are durations in milliseconds.
func msDurations(v ...float64) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x * float64(time.Millisecond))
	}
	return out
}

// msSamples are latency samples that completed with 200 OK, taking v
// milliseconds each.
func msSamples(v ...float64) []probe.LatencySample {
	out := make([]probe.LatencySample, len(v))
	for i, d := range msDurations(v...) {
		out[i] = probe.LatencySample{Duration: d, Status: 200}
	}
	return out
}

func nxDNS(name string) *probe.DNSResult {
	return &probe.DNSResult{
		Name: name, Duration: 700 * time.Microsecond,
		Queries: []probe.DNSQuery{
			{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:15353"}, Server: "127.0.0.1:15353", QType: "A", Rcode: "NXDOMAIN", Duration: 300 * time.Microsecond},
			{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:15353"}, Server: "127.0.0.1:15353", QType: "AAAA", Rcode: "NXDOMAIN", Duration: 300 * time.Microsecond},
		},
	}
}

// equalEvidence compares an evidence value with the one a test wants,
// lists of strings element by element.
func equalEvidence(got, want any) bool {
	if ws, ok := want.([]string); ok {
		gs, ok := got.([]string)
		return ok && slices.Equal(gs, ws)
	}
	return got == want
}

// diagnosed is Diagnose with a context that never ends (so no error).
func diagnosed(in Input) report.Report {
	rep, err := Diagnose(context.Background(), in)
	if err != nil {
		panic(err)
	}
	return rep
}
