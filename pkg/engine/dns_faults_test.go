package engine_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/report"
)

// The DNS cases of issue 9, end to end: real miekg/dns servers and HTTP
// servers on 127.0.0.1, probed, diagnosed and redacted by engine.Run.

// okServer is an HTTP server answering 200 on 127.0.0.1; it returns its port
// and the Host header of the last request.
func okServer(t *testing.T) (port string, host *atomic.Value) {
	t.Helper()
	host = &atomic.Value{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host.Store(r.Host)
		fmt.Fprint(w, "ok")
	}))
	t.Cleanup(srv.Close)
	_, port, _ = net.SplitHostPort(srv.Listener.Addr().String())
	return port, host
}

// dnsUpstream is the upstream "svc" of raw asking resolver over UDP.
func dnsUpstream(t *testing.T, raw, resolver string) *graph.Upstream {
	t.Helper()
	u := e2eUpstream(t, raw)
	u.Resolvers = []graph.Resolver{{Kind: graph.ResolverUDP, Addr: resolver}}
	u.Samples = 0
	return u
}

// onlyFinding asserts that u has exactly one finding, of code, fail, in the
// dns layer, upstream-level, a root cause, whose message holds words.
// onlyDNSFinding is the one finding of u: an upstream-level root cause of
// code at the dns layer, failing u, whose message holds words.
func onlyDNSFinding(t *testing.T, u report.Upstream, code string, words ...string) report.Finding {
	t.Helper()
	if len(u.Findings) != 1 {
		t.Fatalf("findings %s, want only %s", findingCodes(u), code)
	}
	f := u.Findings[0]
	if f.Code != code || f.Severity != report.Fail || f.Layer != "dns" || f.Target != "" || !f.RootCause || u.Status != report.Unhealthy {
		t.Errorf("finding %s/%s/%s target %q root cause %v, status %s; want %s/fail/dns, upstream-level, root cause, unhealthy",
			f.Code, f.Severity, f.Layer, f.Target, f.RootCause, u.Status, code)
	}
	for _, w := range words {
		if !strings.Contains(f.Message, w) {
			t.Errorf("message %q lacks %q", f.Message, w)
		}
	}
	return f
}

func findingCodes(u report.Upstream) string {
	var out []string
	for _, f := range u.Findings {
		out = append(out, f.Code+": "+f.Message)
	}
	return fmt.Sprint(out)
}

// Case 1: a resolver answers over UDP with TC, and nothing serves DNS over
// TCP on its port: dns.truncated with the TC flag in evidence (it answered:
// not "nothing listens"). Control: the same answer with TCP served is
// healthy.
func TestTruncatedAnswerWithoutTCP(t *testing.T) {
	port, _ := okServer(t)
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		if w.RemoteAddr().Network() == "udp" {
			m.Truncated = true
		} else if r.Question[0].Qtype == dns.TypeA {
			rr, _ := dns.NewRR(r.Question[0].Name + " 60 IN A 127.0.0.1")
			m.Answer = append(m.Answer, rr)
		}
		_ = w.WriteMsg(m)
	})
	t.Run("nothing serves TCP", func(t *testing.T) {
		resolver := testserver.DNS(t, false, handler)
		u := diagnoseOne(t, e2eOpts(t), dnsUpstream(t, "http://big.x.test:"+port+"/", resolver))
		f := onlyDNSFinding(t, u, "dns.truncated",
			"the answer for big.x.test. from "+resolver+" (A, AAAA) came back truncated (TC flag) and the retry over TCP failed: connection refused")
		if f.Evidence["tc"] != true {
			t.Errorf("evidence %v lacks tc: true", f.Evidence)
		}
		for _, w := range []string{"nothing listens", "within"} {
			if strings.Contains(f.Message, w) {
				t.Errorf("message %q says %q", f.Message, w)
			}
		}
		if q := u.DNS.Queries[0]; !q.Truncated {
			t.Errorf("JSON query %+v lacks truncated", q)
		}
	})
	t.Run("TCP served", func(t *testing.T) {
		resolver := testserver.DNS(t, true, handler)
		u := diagnoseOne(t, e2eOpts(t), dnsUpstream(t, "http://big.x.test:"+port+"/", resolver))
		if u.Status != report.Healthy || len(u.Findings) != 0 {
			t.Errorf("status %s, findings %s", u.Status, findingCodes(u))
		}
	})
}

// Cases 2 and 3: a CNAME to a name that no longer exists (NXDOMAIN with the
// CNAME in the answer) names the dangling target and the takeover risk; a
// CNAME cycle answered NOERROR is dns.cname_loop with the cycle.
func TestCNAMEFaults(t *testing.T) {
	resolver := testserver.DNS(t, false, testserver.Zone(t, []string{
		"shop.x.test. 60 IN CNAME gone.x.test.",
		"a.x.test. 60 IN CNAME b.x.test.",
		"b.x.test. 60 IN CNAME a.x.test.",
	}, nil))
	t.Run("dangling CNAME", func(t *testing.T) {
		u := diagnoseOne(t, e2eOpts(t), dnsUpstream(t, "http://shop.x.test:8080/", resolver))
		f := onlyDNSFinding(t, u, "dns.nxdomain",
			"NXDOMAIN for gone.x.test., the CNAME target of shop.x.test. (shop.x.test. → gone.x.test.)")
		steps := strings.Join(f.Remediation, "\n")
		for _, w := range []string{"subdomain-takeover", "remove or repoint the CNAME of shop.x.test"} {
			if !strings.Contains(steps, w) {
				t.Errorf("steps lack %q:\n%s", w, steps)
			}
		}
		if strings.Contains(steps, "typo") || strings.Contains(f.Message, "NXDOMAIN for shop.x.test.") {
			t.Errorf("the finding blames shop.x.test: %q\n%s", f.Message, steps)
		}
	})
	t.Run("CNAME loop", func(t *testing.T) {
		u := diagnoseOne(t, e2eOpts(t), dnsUpstream(t, "http://a.x.test:8080/", resolver))
		f := onlyDNSFinding(t, u, "dns.cname_loop", "the CNAME chain of a.x.test. loops: a.x.test. → b.x.test. → a.x.test.")
		if strings.Contains(strings.Join(f.Remediation, "\n"), "add the A/AAAA record") {
			t.Errorf("steps suggest adding an A record: %q", f.Remediation)
		}
	})
}

// Case 4: a short name with resolvers [system] and a Kubernetes-style
// resolv.conf (search list, ndots:5) resolves as the C library does:
// healthy, the JSON naming the fully qualified name that answered, the
// Host header the name as written (as curl sends it).
func TestShortNameThroughTheSearchList(t *testing.T) {
	port, host := okServer(t)
	resolver := testserver.DNS(t, false, testserver.Zone(t, []string{"backend.svc.x.test. 60 IN A 127.0.0.1"}, nil))
	opts := e2eOpts(t)
	opts.ResolvConfPath = filepath.Join(t.TempDir(), "resolv.conf")
	conf := "search ns1.svc.x.test svc.x.test x.test\noptions ndots:5\nnameserver " + resolver + "\n"
	if err := os.WriteFile(opts.ResolvConfPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	up := e2eUpstream(t, "http://backend:"+port+"/")
	up.Samples = 0
	u := diagnoseOne(t, opts, up)
	if u.Status != report.Healthy || len(u.Findings) != 0 {
		t.Fatalf("status %s, findings %s", u.Status, findingCodes(u))
	}
	if u.DNS == nil || u.DNS.FQDN != "backend.svc.x.test." || u.DNS.Resolver != "system ("+resolver+")" {
		t.Errorf("dns = %+v, want the answer of backend.svc.x.test. from system (%s)", u.DNS, resolver)
	}
	if q := u.DNS.Queries[0]; strings.Join(q.Searched, " ") != "backend.ns1.svc.x.test. backend.svc.x.test." {
		t.Errorf("searched %v", q.Searched)
	}
	if h, _ := host.Load().(string); h != "backend:"+port {
		t.Errorf("Host = %q, want backend:%s", h, port)
	}
}

// Case 5: a resolver address where nothing listens is dns.resolver_unreachable
// at once, not a timeout "within 0ms".
func TestResolverWhereNothingListens(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := pc.LocalAddr().String()
	pc.Close()
	u := diagnoseOne(t, e2eOpts(t), dnsUpstream(t, "http://api.x.test:8080/", closed))
	f := onlyDNSFinding(t, u, "dns.resolver_unreachable",
		"no resolver could be reached for api.x.test.: nothing listens for DNS at "+closed+" (udp: connection refused)")
	if strings.Contains(f.Message, "within") {
		t.Errorf("message %q reads as a timeout", f.Message)
	}
}

// Case 5, "no route": inside a network namespace of its own (unshare -rn,
// no interface but a loopback that is down) a resolver at 192.0.2.53
// (TEST-NET-1) has no route: the connect fails in the kernel, and no packet
// can leave the machine. The test re-runs itself there; where user
// namespaces are not allowed it is skipped (the rule is also tested in
// diagnose with the error value).
func TestResolverWithNoRoute(t *testing.T) {
	const parentEnv = "UPDOC_TEST_PARENT_NETNS"
	self, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Skipf("no /proc/self/ns/net: %v", err)
	}
	if parent := os.Getenv(parentEnv); parent != "" {
		if parent == self {
			t.Fatal("not in a network namespace of its own: refusing to ask 192.0.2.53")
		}
		u := diagnoseOne(t, e2eOpts(t), dnsUpstream(t, "http://api.x.test:8080/", "192.0.2.53:53"))
		f := onlyDNSFinding(t, u, "dns.resolver_unreachable",
			"no resolver could be reached for api.x.test.: no route to 192.0.2.53:53 (network is unreachable)")
		if !strings.Contains(strings.Join(f.Remediation, "\n"), "ip route get 192.0.2.53") {
			t.Errorf("steps %q", f.Remediation)
		}
		return
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare(1) not found")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, unshare, "-rn", os.Args[0], "-test.run=^TestResolverWithNoRoute$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), parentEnv+"="+self)
	out, err := cmd.CombinedOutput()
	if err != nil && !strings.Contains(string(out), "--- FAIL") {
		t.Skipf("cannot enter a network namespace of its own (%v):\n%s", err, out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestResolverWithNoRoute") {
		t.Fatalf("in a network namespace of its own: %v\n%s", err, out)
	}
}

// Case 6: the run's deadline ends while one family's answer has arrived and
// the other's has not. The missing answer is never read as "no records":
// the upstream is unknown, its run.* finding no root cause, and the
// upstream that depends on it stays healthy.
func TestDeadlineBetweenTheTwoAnswers(t *testing.T) {
	port, _ := okServer(t)
	for _, tc := range []struct {
		name          string
		silent        uint16
		arrived, lost string
	}{
		{"A arrived, AAAA did not", dns.TypeAAAA, "A", "AAAA"},
		{"AAAA (no data) arrived, A did not", dns.TypeA, "AAAA", "A"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resolver := testserver.DNS(t, false, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
				if r.Question[0].Qtype == tc.silent {
					return
				}
				m := new(dns.Msg)
				m.SetReply(r)
				if r.Question[0].Qtype == dns.TypeA {
					rr, _ := dns.NewRR(r.Question[0].Name + " 60 IN A 127.0.0.1")
					m.Answer = append(m.Answer, rr)
				}
				_ = w.WriteMsg(m)
			}))
			svc := dnsUpstream(t, "http://svc.x.test:"+port+"/", resolver)
			svc.Timeout = 5 * time.Second // the run's deadline ends first
			edge := e2eUpstream(t, "http://127.0.0.1:"+port+"/")
			edge.Name, edge.DependsOn, edge.Samples = "edge", []string{"svc"}, 0
			opts := e2eOpts(t)
			opts.Deadline = 400 * time.Millisecond
			g := &graph.Graph{File: "updoc.yaml", Version: 1, Upstreams: []*graph.Upstream{svc, edge}}
			rep := engine.Run(context.Background(), g, opts, nil)

			u := rep.Upstreams[0]
			if u.Status != report.Unknown || len(u.Findings) != 1 || u.Findings[0].Code != "run.deadline_exceeded" {
				t.Fatalf("svc: status %s, findings %s; want unknown with run.deadline_exceeded only", u.Status, findingCodes(u))
			}
			f := u.Findings[0]
			if f.RootCause || !strings.Contains(f.Message, "(dns: "+tc.lost+" unanswered, no target probed)") {
				t.Errorf("run finding root cause %v, message %q", f.RootCause, f.Message)
			}
			if len(rep.RootCauses) != 0 {
				t.Errorf("root causes %+v", rep.RootCauses)
			}
			if e := rep.Upstreams[1]; e.Status != report.Healthy || len(e.Findings) != 0 {
				t.Errorf("edge, which depends on svc: status %s, findings %s", e.Status, findingCodes(e))
			}
			if u.DNS == nil || len(u.DNS.Queries) != 1 || u.DNS.Queries[0].Type != tc.arrived {
				t.Errorf("dns = %+v, want only the %s answer", u.DNS, tc.arrived)
			}
		})
	}
}
