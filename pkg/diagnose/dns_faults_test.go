package diagnose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// The dns rules of issue 9, on facts as probe records them: truncated
// answers, dangling CNAMEs, CNAME loops, the search list, resolvers where
// nothing listens, and answers that did not arrive.
func TestDNSFaultRules(t *testing.T) {
	const r1 = "127.0.0.1:15353"
	udp := graph.Resolver{Kind: graph.ResolverUDP, Addr: r1}
	silent := graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:15354"}
	q := func(qtype, rcode string, mods ...func(*probe.DNSQuery)) probe.DNSQuery {
		dq := probe.DNSQuery{Resolver: udp, Server: r1, QType: qtype, Rcode: rcode, Duration: 800 * time.Microsecond}
		for _, m := range mods {
			m(&dq)
		}
		return dq
	}
	failed := func(err error) func(*probe.DNSQuery) {
		return func(dq *probe.DNSQuery) { dq.Err = err }
	}
	truncated := func(err error) func(*probe.DNSQuery) {
		return func(dq *probe.DNSQuery) {
			dq.Truncated = true
			dq.Err = &probe.TCPRetryError{Server: r1, Err: err}
		}
	}
	chain := func(loop bool, names ...string) func(*probe.DNSQuery) {
		return func(dq *probe.DNSQuery) { dq.CNAMEChain, dq.CNAMELoop = names, loop }
	}
	from := func(r graph.Resolver) func(*probe.DNSQuery) {
		return func(dq *probe.DNSQuery) { dq.Resolver, dq.Server = r, r.Addr }
	}
	took := func(d time.Duration) func(*probe.DNSQuery) {
		return func(dq *probe.DNSQuery) { dq.Duration = d }
	}
	timeout := os.ErrDeadlineExceeded // a read that timed out
	refusedUDP := opErr("read", syscall.ECONNREFUSED)
	dnsOf := func(name string, qs ...probe.DNSQuery) *probe.DNSResult {
		return &probe.DNSResult{Name: name, Queries: qs, Duration: time.Millisecond}
	}
	system := func(dq *probe.DNSQuery) { dq.Resolver, dq.Server = graph.SystemResolver, "" }

	tests := []struct {
		name  string
		host  string
		dns   *probe.DNSResult
		code  string   // "" for no dns finding
		msg   []string // decisive words of the message
		steps []string // words of the remediation
		not   []string // words neither may hold
		ev    map[string]any
	}{
		{name: "truncated, nothing serves TCP", host: "big.x.test",
			dns:   dnsOf("big.x.test", q("A", "", truncated(errRefused)), q("AAAA", "", truncated(errRefused))),
			code:  catalog.DNSTruncated,
			msg:   []string{"the answer for big.x.test. from 127.0.0.1:15353 (A, AAAA) came back truncated (TC flag) and the retry over TCP failed: connection refused"},
			steps: []string{"dig @127.0.0.1 -p 15353 big.x.test A +ignore", "dig @127.0.0.1 -p 15353 big.x.test A +tcp", "sudo ss -ltnp 'sport = :15353'"},
			not:   []string{"nothing listens", "within"},
			ev:    map[string]any{"tc": true, "tcp_error": "connection refused"}},
		{name: "truncated, the TCP side closes unanswered", host: "big.x.test",
			dns:  dnsOf("big.x.test", q("A", "", truncated(fmt.Errorf("read tcp: %w", io.EOF)))),
			code: catalog.DNSTruncated, msg: []string{"retry over TCP failed: the server closed the connection without answering"}},
		{name: "truncated at one resolver, another silent", host: "big.x.test",
			dns: dnsOf("big.x.test", q("A", "", truncated(errRefused)),
				q("A", "", from(silent), failed(timeout), took(5*time.Second))),
			code: catalog.DNSTruncated,
			msg:  []string{"came back truncated (TC flag)", "; no answer for big.x.test. from 127.0.0.1:15354 (A) within the 5s timeout"}},

		{name: "dangling CNAME", host: "shop.x.test",
			dns:   dnsOf("shop.x.test", q("A", "NXDOMAIN", chain(false, "gone.x.test")), q("AAAA", "NXDOMAIN", chain(false, "gone.x.test"))),
			code:  catalog.DNSNXDomain,
			msg:   []string{"NXDOMAIN for gone.x.test., the CNAME target of shop.x.test. (shop.x.test. → gone.x.test.)", "does not exist"},
			steps: []string{"subdomain-takeover", "remove or repoint the CNAME of shop.x.test", "dig @127.0.0.1 -p 15353 shop.x.test A +noall +answer", "dig +trace shop.x.test A"},
			not:   []string{"typo", "NXDOMAIN for shop.x.test."},
			ev:    map[string]any{"dangling_target": "gone.x.test."}},
		{name: "NXDOMAIN without a CNAME keeps the generic steps", host: "typo.x.test",
			dns:  dnsOf("typo.x.test", q("A", "NXDOMAIN")),
			code: catalog.DNSNXDomain, msg: []string{"NXDOMAIN for typo.x.test. from 127.0.0.1:15353 (A)"},
			steps: []string{"typos"}, not: []string{"takeover"}},

		{name: "CNAME loop answered NOERROR", host: "a.x.test",
			dns:   dnsOf("a.x.test", q("A", "NOERROR", chain(true, "b.x.test", "a.x.test")), q("AAAA", "NOERROR", chain(true, "b.x.test", "a.x.test"))),
			code:  catalog.DNSCNAMELoop,
			msg:   []string{"the CNAME chain of a.x.test. loops: a.x.test. → b.x.test. → a.x.test.", "never reaches an address"},
			steps: []string{"dig @127.0.0.1 -p 15353 a.x.test A +noall +answer"},
			not:   []string{"add the A/AAAA record", "no A or AAAA records"},
			ev:    map[string]any{"loops_to": "a.x.test."}},
		{name: "CNAME chain longer than 8 links", host: "c0.x.test",
			dns: dnsOf("c0.x.test", q("A", "NOERROR", chain(false, "c1.x.test", "c2.x.test", "c3.x.test", "c4.x.test", "c5.x.test",
				"c6.x.test", "c7.x.test", "c8.x.test", "c9.x.test"))),
			code: catalog.DNSCNAMELoop, msg: []string{"the CNAME chain of c0.x.test. is 9 links long, more than 8: c0.x.test. → c1.x.test. →", "→ c9.x.test."}},
		{name: "8 links ending at an address are fine", host: "c0.x.test",
			dns: func() *probe.DNSResult {
				d := dnsOf("c0.x.test", q("A", "NOERROR", chain(false, "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"),
					func(dq *probe.DNSQuery) { dq.Addresses = []string{"10.0.0.7"} }))
				d.Addresses = []string{"10.0.0.7"}
				return d
			}()},

		{name: "search list: every candidate NXDOMAIN", host: "backend",
			dns: dnsOf("backend", q("A", "NXDOMAIN", system, func(dq *probe.DNSQuery) {
				dq.Server, dq.Name, dq.Searched = "127.0.0.53:53", "backend.", []string{"backend.svc.x.test.", "backend."}
			})),
			code: catalog.DNSNXDomain,
			msg:  []string{"NXDOMAIN for backend. from system (127.0.0.53:53) (A) (asked as backend.svc.x.test., backend.: resolv.conf search list)"}},

		{name: "nothing listens on the resolver's UDP port", host: "api.x.test",
			dns:   dnsOf("api.x.test", q("A", "", failed(refusedUDP)), q("AAAA", "", failed(refusedUDP))),
			code:  catalog.DNSResolverUnreachable,
			msg:   []string{"no resolver could be reached for api.x.test.: nothing listens for DNS at 127.0.0.1:15353 (udp: connection refused)"},
			steps: []string{"dig @127.0.0.1 -p 15353 . NS", "sudo ss -lunpt 'sport = :15353'"},
			not:   []string{"within", "timeout"}},
		{name: "no route to the resolver", host: "api.x.test",
			dns:   dnsOf("api.x.test", q("A", "", from(graph.Resolver{Kind: graph.ResolverUDP, Addr: "192.0.2.53:53"}), failed(errNetUnreach))),
			code:  catalog.DNSResolverUnreachable,
			msg:   []string{"no resolver could be reached for api.x.test.: no route to 192.0.2.53:53 (network is unreachable)"},
			steps: []string{"ip route get 192.0.2.53", "dig @192.0.2.53 . NS"},
			not:   []string{"within"}},
		{name: "system resolver: every nameserver refuses", host: "api.x.test",
			dns: dnsOf("api.x.test", q("A", "", system, failed(errors.Join(
				&probe.NameserverError{Server: "127.0.0.53:53", Err: refusedUDP},
				&probe.NameserverError{Server: "127.0.0.54:53", Err: errHostUnreach})))),
			code:  catalog.DNSResolverUnreachable,
			msg:   []string{"nothing listens for DNS at 127.0.0.53:53 (udp: connection refused); no route to 127.0.0.54:53 (no route to host)"},
			steps: []string{"dig @127.0.0.53 . NS", "/etc/resolv.conf"}},
		{name: "one resolver refuses, another is silent: a timeout", host: "api.x.test",
			dns:  dnsOf("api.x.test", q("A", "", failed(refusedUDP)), q("A", "", from(silent), failed(timeout), took(5*time.Second))),
			code: catalog.DNSTimeout,
			msg:  []string{"no answer for api.x.test. from 127.0.0.1:15354 (A) within the 5s timeout; nothing listens for DNS at 127.0.0.1:15353 (udp: connection refused)"}},
		{name: "system nameservers: one refuses, one is silent: a timeout", host: "api.x.test",
			dns: dnsOf("api.x.test", q("A", "", system, took(5*time.Second), failed(errors.Join(
				&probe.NameserverError{Server: "127.0.0.53:53", Err: refusedUDP},
				&probe.NameserverError{Server: "127.0.0.54:53", Err: timeout})))),
			code: catalog.DNSTimeout,
			msg:  []string{"no answer for api.x.test. from system (A) within the 5s timeout: nameserver 127.0.0.53:53: connection refused; nameserver 127.0.0.54:53: i/o timeout"}},

		{name: "NODATA for AAAA while A timed out is not no_records", host: "api.x.test",
			dns:  dnsOf("api.x.test", q("A", "", failed(timeout), took(5*time.Second)), q("AAAA", "NOERROR")),
			code: catalog.DNSTimeout,
			msg:  []string{"no answer for api.x.test. from 127.0.0.1:15353 (A) within the 5s timeout", "only AAAA (NOERROR, no data, from 127.0.0.1:15353) arrived, which says nothing about A"},
			not:  []string{"no AAAA records"}},
		{name: "NODATA for AAAA while A failed is a servfail", host: "api.x.test",
			dns:  dnsOf("api.x.test", q("A", "SERVFAIL"), q("AAAA", "NOERROR")),
			code: catalog.DNSServfail, msg: []string{"SERVFAIL for api.x.test. from 127.0.0.1:15353 (A)"}},
		{name: "NODATA for both families is no_records", host: "api.x.test",
			dns:  dnsOf("api.x.test", q("A", "NOERROR"), q("AAAA", "NOERROR")),
			code: catalog.DNSNoRecords, msg: []string{"no A or AAAA records for api.x.test. (NOERROR, no data)"}},
		{name: "Extended DNS Errors say why a SERVFAIL", host: "signed.x.test",
			dns: dnsOf("signed.x.test", q("A", "SERVFAIL", func(dq *probe.DNSQuery) {
				dq.ExtendedErrors = []probe.ExtendedError{{Code: 7, Name: "Signature Expired", Text: "RRSIG expired 2 days ago"}}
			})),
			code: catalog.DNSServfail,
			msg:  []string{"SERVFAIL for signed.x.test. from 127.0.0.1:15353 (A); Extended DNS Error 7 (Signature Expired) from 127.0.0.1:15353: RRSIG expired 2 days ago"},
			ev:   map[string]any{"ede": []string{"127.0.0.1:15353 A Extended DNS Error 7 (Signature Expired): RRSIG expired 2 days ago"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := node("svc", "http://"+tt.host+":8080/")
			up.Timeout = 5 * time.Second
			rep := run(graphOf(up), probe.Result{Upstream: "svc", DNS: tt.dns})
			u := upstreamOf(t, rep, "svc")
			var dnsFs []report.Finding
			for _, f := range u.Findings {
				if f.Layer == "dns" {
					dnsFs = append(dnsFs, f)
				}
			}
			if tt.code == "" {
				if len(dnsFs) != 0 {
					t.Fatalf("findings %v", codes(u.Findings))
				}
				return
			}
			if len(dnsFs) != 1 || dnsFs[0].Code != tt.code {
				t.Fatalf("dns findings %v, want %s", codes(u.Findings), tt.code)
			}
			f := dnsFs[0]
			if f.Severity != report.Fail || f.Target != "" || !f.RootCause || u.Status != report.Unhealthy {
				t.Errorf("severity %s target %q root cause %v status %s", f.Severity, f.Target, f.RootCause, u.Status)
			}
			mustContain(t, "message", f.Message, tt.msg...)
			if strings.Contains(f.Message, "\n") {
				t.Errorf("message %q is not one line", f.Message)
			}
			steps := strings.Join(f.Remediation, "\n")
			mustContain(t, "remediation", steps, tt.steps...)
			for _, n := range tt.not {
				if strings.Contains(f.Message, n) || strings.Contains(steps, n) {
					t.Errorf("%q in the message or the steps:\n%s\n%s", n, f.Message, steps)
				}
			}
			for k, want := range tt.ev {
				if got := f.Evidence[k]; !equalEvidence(got, want) {
					t.Errorf("evidence %s = %#v, want %#v", k, got, want)
				}
			}
		})
	}
}

// An answer that did not arrive is never read as one: questions the run's
// end cut (deadline, interrupt) leave no dns finding, the upstream unknown
// and no root cause — for the URL host and for the names of targets; a
// redirect host's lookup cut by its own operation timeout is a timeout.
func TestDNSAnswersThatDidNotArrive(t *testing.T) {
	r := graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:15353"}
	cut := func(qtype string, err error) probe.DNSQuery {
		return probe.DNSQuery{Resolver: r, Server: r.Addr, QType: qtype, Duration: 190 * time.Millisecond, Err: err}
	}
	nodata := probe.DNSQuery{Resolver: r, Server: r.Addr, QType: "AAAA", Rcode: "NOERROR", Duration: time.Millisecond}
	withA := probe.DNSQuery{Resolver: r, Server: r.Addr, QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.7"}, Duration: time.Millisecond}
	deadline := &opCut{context.DeadlineExceeded}

	for _, tc := range []struct {
		name       string
		res        probe.Result
		unfinished error
		code       string // the run.* finding
		cutType    string
	}{
		{"A cut, AAAA NODATA", probe.Result{DNS: &probe.DNSResult{Name: "h.test", Queries: []probe.DNSQuery{nodata}, Cut: []probe.DNSQuery{cut("A", deadline)}}},
			context.DeadlineExceeded, catalog.RunDeadlineExceeded, "A"},
		{"A arrived, AAAA cut", probe.Result{DNS: &probe.DNSResult{Name: "h.test", Addresses: []string{"10.0.0.7"}, Queries: []probe.DNSQuery{withA}, Cut: []probe.DNSQuery{cut("AAAA", deadline)}}},
			context.DeadlineExceeded, catalog.RunDeadlineExceeded, "AAAA"},
		{"interrupted", probe.Result{DNS: &probe.DNSResult{Name: "h.test", Queries: []probe.DNSQuery{nodata}, Cut: []probe.DNSQuery{cut("A", &opCut{context.Canceled})}}},
			context.Canceled, catalog.RunInterrupted, "A"},
		{"a target's name", probe.Result{Targets: []probe.TargetResult{{Address: "h.test:8080", Name: "h.test",
			DNS: &probe.DNSResult{Name: "h.test", Queries: []probe.DNSQuery{nodata}, Cut: []probe.DNSQuery{cut("A", deadline)}}}}},
			context.DeadlineExceeded, catalog.RunDeadlineExceeded, "A"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := node("svc", "http://h.test:8080/")
			dep := node("edge", "http://10.0.0.9:8080/", "svc")
			tc.res.Upstream, tc.res.Unfinished = "svc", tc.unfinished
			rep := run(graphOf(up, dep), tc.res, probe.Result{Upstream: "edge", Targets: []probe.TargetResult{httpOK("10.0.0.9:8080", 200)}})
			u := upstreamOf(t, rep, "svc")
			for _, f := range u.Findings {
				if !strings.HasPrefix(f.Code, "run.") {
					t.Errorf("finding %s: %s", f.Code, f.Message)
				}
				if f.RootCause {
					t.Errorf("%s is a root cause", f.Code)
				}
			}
			if u.Status != report.Unknown || len(rep.RootCauses) != 0 {
				t.Errorf("status %s, root causes %+v", u.Status, rep.RootCauses)
			}
			if f, ok := findCode(u.Findings, tc.code); !ok || !strings.Contains(f.Message, "(dns: "+tc.cutType+" unanswered, ") {
				t.Errorf("run finding %+v does not say the dns layer was cut short", f)
			}
			if e := upstreamOf(t, rep, "edge"); e.Status != report.Healthy {
				t.Errorf("edge, which depends on svc, is %s: %v", e.Status, codes(e.Findings))
			}
		})
	}

	t.Run("a redirect host cut by its operation timeout", func(t *testing.T) {
		up := node("svc", "http://127.0.0.1:8080/")
		up.Timeout = 200 * time.Millisecond
		tr := okTarget("127.0.0.1:8080")
		tr.HTTP = &probe.HTTPResult{Method: "GET", URL: "http://login.test:8080/", Redirects: []string{"http://login.test:8080/"}, ErrPhase: "connect",
			Err: &probe.ResolveError{Name: "login.test", DNS: &probe.DNSResult{Name: "login.test", Queries: []probe.DNSQuery{nodata}, Cut: []probe.DNSQuery{cut("A", deadline)}}}}
		rep := run(graphOf(up), probe.Result{Upstream: "svc", Targets: []probe.TargetResult{tr}})
		fs := findingsOf(rep, "svc")
		if len(fs) != 1 || fs[0].Code != catalog.DNSTimeout || fs[0].Layer != "http" || fs[0].Target != "127.0.0.1:8080" {
			t.Fatalf("findings %v", codes(fs))
		}
		mustContain(t, "message", fs[0].Message, "after following the redirect to http://login.test:8080/: no answer for login.test. from 127.0.0.1:15353 (A) within the 200ms timeout",
			"only AAAA (NOERROR, no data")
	})
}

// opCut is how probe reports an operation its context ended: a net.Error
// timeout (for a deadline) that matches the context's error.
type opCut struct{ ctx error }

func (e *opCut) Error() string   { return "read udp: i/o timeout (" + e.ctx.Error() + ")" }
func (e *opCut) Unwrap() error   { return e.ctx }
func (e *opCut) Timeout() bool   { return errors.Is(e.ctx, context.DeadlineExceeded) }
func (e *opCut) Temporary() bool { return false }
