package lab

import (
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// The DNS faults of issue 9, as the lab DNS serves them: a truncated UDP
// answer whose TCP retry is closed unanswered, a CNAME loop answered from
// either end, and a resolver address where TCP is refused.
func TestDNSFaults(t *testing.T) {
	l := startLab(t)
	ask := func(network, name string) (*dns.Msg, error) {
		c := &dns.Client{Net: network, Timeout: time.Second}
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(name), dns.TypeA)
		r, _, err := c.Exchange(m, l.ResolverAddr())
		return r, err
	}

	truncated := "truncated." + Zone
	r, err := ask("udp", truncated)
	if err != nil || !r.Truncated || r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 {
		t.Errorf("%s over UDP: want NOERROR, TC, no records; got %v, %v", truncated, r, err)
	}
	if r, err := ask("tcp", truncated); !errors.Is(err, io.EOF) {
		t.Errorf("%s over TCP: want the connection closed unanswered (EOF); got %v, %v", truncated, r, err)
	}
	if l.Requests("truncated") < 2 {
		t.Errorf("truncated: %d DNS queries counted, want 2", l.Requests("truncated"))
	}

	loop, partner := "cnameloop."+Zone+".", "cnameloop-cdn."+Zone+"."
	for _, name := range []string{loop, partner} {
		r, err := ask("udp", name)
		if err != nil || r.Rcode != dns.RcodeSuccess {
			t.Fatalf("%s: %v, %v", name, r, err)
		}
		var chain []string
		for _, rr := range r.Answer {
			c, ok := rr.(*dns.CNAME)
			if !ok {
				t.Fatalf("%s: answer %v is not a CNAME", name, rr)
			}
			chain = append(chain, strings.ToLower(c.Hdr.Name)+" → "+c.Target)
		}
		other := partner
		if name == partner {
			other = loop
		}
		if want := []string{name + " → " + other, other + " → " + name}; !slices.Equal(chain, want) {
			t.Errorf("%s: chain %v, want %v", name, chain, want)
		}
	}

	down := scenario(t, l, "resolverdown")
	if len(down.Resolvers) != 1 || !strings.HasPrefix(down.Resolvers[0], "tcp://127.0.0.1:") {
		t.Fatalf("resolverdown: resolvers %v", down.Resolvers)
	}
	if _, err = net.DialTimeout("tcp", strings.TrimPrefix(down.Resolvers[0], "tcp://"), time.Second); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("resolverdown's resolver: want the connection refused, got %v", err)
	}
}
