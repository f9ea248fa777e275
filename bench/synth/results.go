package synth

import (
	"net"
	"os"
	"syscall"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

// HostAddress is the address every generated result resolves a name to.
const HostAddress = "127.0.0.1"

// Results returns the probe results a run of g would produce when every
// upstream answers 200 within a millisecond, except those named in down,
// whose one target refuses connections. Each upstream with samples gets
// that many healthy latency samples. Results are in graph order, as
// probe.Run returns them.
func Results(g *graph.Graph, started time.Time, down map[string]bool) []probe.Result {
	out := make([]probe.Result, len(g.Upstreams))
	for k, u := range g.Upstreams {
		addr := net.JoinHostPort(HostAddress, u.URL.Port())
		res := probe.Result{Upstream: u.Name, Started: started, Duration: 3 * time.Millisecond}
		if net.ParseIP(u.URL.Hostname()) == nil {
			res.DNS = dnsResult(u)
		}
		t := probe.TargetResult{Address: addr}
		if down[u.Name] {
			t.TCP = &probe.TCPResult{Duration: 100 * time.Microsecond, Err: refused(addr)}
		} else {
			t.TCP = &probe.TCPResult{Duration: 150 * time.Microsecond}
			t.HTTP = &probe.HTTPResult{
				Method: u.Method, URL: u.URL.String(), StatusCode: 200, Proto: "HTTP/1.1",
				Header: map[string][]string{"Content-Type": {"text/plain"}}, Body: []byte("ok"),
				Remote:  addr,
				Timings: probe.Timings{Connect: 150 * time.Microsecond, TTFB: 600 * time.Microsecond, Total: 700 * time.Microsecond},
			}
			if u.Samples > 0 {
				t.Latency = latency(u.Samples, k)
			}
		}
		res.Targets = []probe.TargetResult{t}
		out[k] = res
	}
	return out
}

func dnsResult(u *graph.Upstream) *probe.DNSResult {
	r := &probe.DNSResult{Name: u.URL.Hostname(), Addresses: []string{HostAddress}, Duration: 300 * time.Microsecond}
	for _, res := range u.Resolvers {
		r.Queries = append(r.Queries, probe.DNSQuery{
			Resolver: res, Server: res.Addr, QType: "A", Name: u.URL.Hostname() + ".",
			Rcode: "NOERROR", Addresses: []string{HostAddress}, Duration: 300 * time.Microsecond,
		})
	}
	return r
}

// latency returns n samples between 0.5 and 0.9 ms, varied by seed.
func latency(n, seed int) *probe.LatencyResult {
	l := &probe.LatencyResult{Planned: n, Samples: make([]probe.LatencySample, n)}
	for i := range l.Samples {
		l.Samples[i] = probe.LatencySample{
			Duration: 500*time.Microsecond + time.Duration((seed+i)%5)*100*time.Microsecond,
			Status:   200,
		}
	}
	return l
}

// refused is the error a dial to addr returns when nothing listens there.
func refused(addr string) error {
	a, _ := net.ResolveTCPAddr("tcp", addr)
	return &net.OpError{Op: "dial", Net: "tcp", Addr: a, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
}
