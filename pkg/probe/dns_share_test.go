package probe

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
)

// questionLog counts the questions a DNS server got, by "name type".
type questionLog struct {
	mu sync.Mutex
	n  map[string]int
}

func (l *questionLog) add(r *dns.Msg) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == nil {
		l.n = map[string]int{}
	}
	q := r.Question[0]
	l.n[strings.ToLower(q.Name)+" "+dns.TypeToString[q.Qtype]]++
}

func (l *questionLog) counts() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for k, v := range l.n {
		out[k] = v
	}
	return out
}

// countingZone serves records and counts every question it gets.
func countingZone(t *testing.T, tcp bool, records ...string) (string, *questionLog) {
	t.Helper()
	log := &questionLog{}
	zone := testserver.Zone(t, records, nil)
	addr := testserver.DNS(t, tcp, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		log.add(r)
		zone(w, r)
	}))
	return addr, log
}

// 50 upstreams of one run that need the same name — as their url's host or
// as a target — ask each resolver 1 A and 1 AAAA question, not 100: the
// answer is shared. The system resolver shares too, search list included
// (each candidate name asked once).
func TestDNSQuestionAskedOncePerRun(t *testing.T) {
	udp, udpLog := countingZone(t, false, "a.svc.test. 60 IN A 127.0.0.1")
	tcp, tcpLog := countingZone(t, true, "a.svc.test. 60 IN A 127.0.0.1")
	sys, sysLog := countingZone(t, false, "a.svc.test. 60 IN A 127.0.0.1")
	opts := testOpts(t)
	opts.Concurrency = 8
	opts.ResolvConfPath = writeFile(t, "resolv.conf", "search nothere.test svc.test\noptions ndots:5\nnameserver "+sys+"\n")
	_, port := hostPort(t, closedAddr(t, "tcp"))
	resolvers := withResolvers(
		graph.Resolver{Kind: graph.ResolverUDP, Addr: udp},
		graph.Resolver{Kind: graph.ResolverTCP, Addr: tcp},
		graph.SystemResolver)

	var ups []*graph.Upstream
	for i := range 50 {
		name := fmt.Sprintf("u%d", i)
		if i%5 == 4 {
			// The name as a target's host: the targets' dns layer.
			ups = append(ups, upstream(t, name, "tcp://other.test:"+port, resolvers, withTargets("a.svc.test:"+port)))
			continue
		}
		ups = append(ups, upstream(t, name, "tcp://a.svc.test:"+port, resolvers))
	}
	rs := Run(context.Background(), &graph.Graph{Upstreams: ups}, opts, nil)

	for i, r := range rs {
		d := r.DNS
		if i%5 == 4 {
			must(t, len(r.Targets) == 1, "%s: targets %+v", r.Upstream, r.Targets)
			d = r.Targets[0].DNS
		}
		must(t, d != nil, "%s: no dns result", r.Upstream)
		if len(d.Queries) != 6 || len(d.Addresses) != 1 || d.Addresses[0] != "127.0.0.1" {
			t.Fatalf("%s: dns %+v, want 6 answers and 127.0.0.1", r.Upstream, d)
		}
	}
	want := map[string]int{"a.svc.test. A": 1, "a.svc.test. AAAA": 1}
	for _, s := range []struct {
		name string
		log  *questionLog
		want map[string]int
	}{
		{"udp resolver", udpLog, want},
		{"tcp resolver", tcpLog, want},
		// a.svc.test (fewer dots than ndots 5) is searched: the search
		// list's names first, the name as it is last; each once.
		{"system resolver", sysLog, map[string]int{
			"a.svc.test.nothere.test. A": 1, "a.svc.test.nothere.test. AAAA": 1,
			"a.svc.test.svc.test. A": 1, "a.svc.test.svc.test. AAAA": 1,
			"a.svc.test. A": 1, "a.svc.test. AAAA": 1,
		}},
	} {
		if got := s.log.counts(); fmt.Sprint(got) != fmt.Sprint(s.want) {
			t.Errorf("%s got questions %v, want %v", s.name, got, s.want)
		}
	}
}

// A caller whose context ends (cancelled, deadline) before the answer it
// asked arrived does not leave that non-answer to the callers waiting for
// the same question: they ask again and get the answer. Then the answer is
// shared: no third question.
func TestDNSCutAnswerNotShared(t *testing.T) {
	for _, cause := range []error{context.Canceled, context.DeadlineExceeded} {
		t.Run(cause.Error(), func(t *testing.T) {
			// The first question of each type is never answered.
			log := &questionLog{}
			zone := testserver.Zone(t, []string{"a.test. 60 IN A 127.0.0.1"}, nil)
			srv := testserver.DNS(t, false, dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
				log.add(r)
				if log.counts()[strings.ToLower(r.Question[0].Name)+" "+dns.TypeToString[r.Question[0].Qtype]] == 1 {
					return
				}
				zone(w, r)
			}))
			u := upstream(t, "svc", "tcp://a.test:1", withResolvers(graph.Resolver{Kind: graph.ResolverUDP, Addr: srv}))
			u.Timeout = 10 * time.Second // only the first caller's context ends
			e := &env{}
			waiters := make(chan struct{}, 2)
			e.dns.waiting = func(dnsKey) { waiters <- struct{}{} }
			p := newPlan(u, e)

			// A deadline is a real one (the exchange's connection deadline
			// comes from it); an interrupt is a cancel after the second
			// caller waits for the first's answers.
			var first context.Context
			var cancel context.CancelFunc
			if errors.Is(cause, context.DeadlineExceeded) {
				first, cancel = context.WithTimeout(context.Background(), time.Second)
			} else {
				first, cancel = context.WithCancel(context.Background())
			}
			defer cancel()
			firstDone := make(chan *DNSResult)
			go func() { firstDone <- p.resolve(first, "a.test") }()
			must(t, settle(func() bool { return len(log.counts()) == 2 }), "the first caller's questions did not arrive: %v", log.counts())

			secondDone := make(chan *DNSResult)
			go func() { secondDone <- p.resolve(context.Background(), "a.test") }()
			if errors.Is(cause, context.Canceled) {
				<-waiters
				<-waiters // the second caller waits for both of the first's questions
				cancel()
			}
			d1 := <-firstDone
			d2 := <-secondDone
			if len(d1.Queries) != 0 || len(d1.Cut) != 2 || !errors.Is(d1.Cut[0].Err, cause) {
				t.Errorf("first caller: queries %+v, cut %+v, want both questions cut", d1.Queries, d1.Cut)
			}
			if len(d2.Queries) != 2 || len(d2.Cut) != 0 || len(d2.Addresses) != 1 {
				t.Errorf("second caller: queries %+v, cut %+v, want both answers", d2.Queries, d2.Cut)
			}
			d3 := p.resolve(context.Background(), "a.test")
			if len(d3.Queries) != 2 || len(d3.Addresses) != 1 {
				t.Errorf("third caller: %+v", d3)
			}
			want := map[string]int{"a.test. A": 2, "a.test. AAAA": 2}
			if got := log.counts(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("server got %v, want %v (asked again once after the cut, then shared)", got, want)
			}
		})
	}
}

// askAll takes the answers the run keeps at once and asks only the others;
// what it returns shares no backing array with what the cache keeps.
func TestAskAllAsksOnlyWhatIsNotKept(t *testing.T) {
	var c dnsCache
	a := dnsKey{fqdn: "svc.test.", qtype: dns.TypeA, timeout: time.Second}
	aaaa := dnsKey{fqdn: "svc.test.", qtype: dns.TypeAAAA, timeout: time.Second}
	asked := map[int]int{}
	ask := func(_ context.Context, j int) DNSQuery {
		asked[j]++ // askAll runs each missing question at most once here: j 1 only below
		return DNSQuery{Rcode: "NOERROR", Addresses: []string{fmt.Sprintf("10.0.0.%d", j+1)}}
	}
	first := c.askAll(context.Background(), []dnsKey{a}, ask)
	if asked[0] != 1 || first[0].Addresses[0] != "10.0.0.1" {
		t.Fatalf("first ask: asked %v, got %+v", asked, first)
	}
	clear(asked)
	got := c.askAll(context.Background(), []dnsKey{a, aaaa}, ask)
	if asked[0] != 0 || asked[1] != 1 {
		t.Fatalf("asked %v; want only the question not kept (j 1)", asked)
	}
	if got[0].Addresses[0] != "10.0.0.1" || got[1].Addresses[0] != "10.0.0.2" {
		t.Fatalf("answers out of order: %+v", got)
	}
	got[0].Addresses[0] = "changed by a caller"
	if again := c.askAll(context.Background(), []dnsKey{a}, ask); again[0].Addresses[0] != "10.0.0.1" {
		t.Fatalf("a caller changed the kept answer: %+v", again)
	}
}
