package diagnose

import (
	"context"
	"crypto/x509"
	"slices"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

func TestFindingsOrderedByLayerThenTarget(t *testing.T) {
	p := newPKI(t)
	expiring := p.leaf(t, testNow.Add(-80*24*time.Hour), testNow.Add(3*24*time.Hour), "api.example.com")
	up := node("api", "https://api.example.com/")
	up.Expect.MaxLatency = time.Millisecond
	mk := func(addr string, status int) probe.TargetResult {
		tr := tlsTarget(addr, &probe.TLSResult{PeerCertificates: []*x509.Certificate{expiring}})
		tr.HTTP = httpOK(addr, status).HTTP
		tr.Latency = &probe.LatencyResult{Samples: msSamples(5)}
		return tr
	}
	res := probe.Result{
		Upstream: "api", Unfinished: context.DeadlineExceeded,
		DNS: &probe.DNSResult{Name: "api.example.com", Addresses: []string{"10.0.0.1", "10.0.0.2"}, Queries: []probe.DNSQuery{
			{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:53"}, Server: "127.0.0.1:53", QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.1"}},
			{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "10.0.0.2:53"}, Server: "10.0.0.2:53", QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.2"}},
		}},
		Targets: []probe.TargetResult{mk("10.0.0.2:443", 500), mk("10.0.0.1:443", 200)},
	}
	rep := run(graphOf(up), res)
	var got []string
	for _, f := range findingsOf(rep, "api") {
		got = append(got, string(f.Layer)+":"+f.Code+"@"+f.Target)
	}
	want := []string{
		"dns:dns.resolver_mismatch@",
		"tls:tls.cert_expiring@10.0.0.2:443",
		"tls:tls.cert_expiring@10.0.0.1:443",
		"http:http.server_error@10.0.0.2:443",
		"http:load.replica_down@",
		// 10.0.0.2 failed at http (500): its latency is not judged.
		"latency:latency.slow@10.0.0.1:443",
		"run:run.deadline_exceeded@",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
}
