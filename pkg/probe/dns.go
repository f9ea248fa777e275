package probe

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/pkg/graph"
)

// probeDNS is the dns layer of an upstream: the URL host resolved by
// resolve. Unlike the per-target layers it runs once per upstream, before
// the targets are known.
func probeDNS(ctx context.Context, p *plan) *DNSResult {
	return p.resolve(ctx, p.host)
}

// resolver answers the questions about one name: a DNS server asked over
// the network (networkResolver, miekg/dns) or the system resolver
// (systemResolver, sysresolver.go: the hosts file, then resolv.conf's
// nameservers with its search list). Every query of the probe goes through
// one.
type resolver interface {
	// lookup asks every question of qtypes (A, AAAA) about name, a host
	// name as the graph or a redirect wrote it (not necessarily fully
	// qualified), and returns one DNSQuery per qtype, in qtypes order.
	lookup(ctx context.Context, name string, qtypes []uint16) []DNSQuery
}

// resolverFor is the resolver that asks rv with the upstream's timeout.
func (p *plan) resolverFor(rv graph.Resolver) resolver {
	if rv.Kind == graph.ResolverSystem {
		return systemResolver{env: p.env, timeout: p.timeout}
	}
	return networkResolver{rv: rv, timeout: p.timeout, cache: &p.env.dns}
}

// resolve asks every wanted question (A and/or AAAA, per ip_family) about
// name to every resolver of the upstream, concurrently. It is the one way
// probe turns a host name into addresses: the URL host, the host names of
// targets and the hosts of redirects all go through it, so that no name is
// ever looked up by Go's own resolver.
//
// When ctx ends before every question got an answer, the questions left
// without one go to DNSResult.Cut, never to Queries: an answer that did not
// arrive is not a fact about the name.
func (p *plan) resolve(ctx context.Context, name string) *DNSResult {
	start := time.Now()
	res := &DNSResult{Name: name}
	qtypes := p.qtypes()
	resolvers := p.u.Resolvers

	answers := make([][]DNSQuery, len(resolvers))
	each(len(resolvers), func(i int) {
		answers[i] = p.resolverFor(resolvers[i]).lookup(ctx, name, qtypes)
	})
	cut := ended(ctx) != nil

	// Union of addresses: IPv4 before IPv6, then resolver order. An answer
	// over TCP can hold thousands of them, so duplicates are found with a
	// set, not by searching the list (quadratic).
	seen := map[string]bool{}
	for j := range qtypes {
		for i := range resolvers {
			for _, a := range answers[i][j].Addresses {
				if !seen[a] {
					seen[a] = true
					res.Addresses = append(res.Addresses, a)
				}
			}
		}
	}
	for i := range resolvers {
		for _, q := range answers[i] {
			if cut && q.Rcode == "" {
				res.Cut = append(res.Cut, q)
				continue
			}
			res.Queries = append(res.Queries, q)
		}
	}
	res.Duration = time.Since(start)
	return res
}

func (p *plan) qtypes() []uint16 {
	switch p.u.IPFamily {
	case graph.IPFamilyV4:
		return []uint16{dns.TypeA}
	case graph.IPFamilyV6:
		return []uint16{dns.TypeAAAA}
	default:
		return []uint16{dns.TypeA, dns.TypeAAAA}
	}
}

// each calls f(0), ..., f(n-1) concurrently: n-1 goroutines, and the last
// call on the caller's own goroutine.
func each(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n - 1 {
		wg.Go(func() { f(i) })
	}
	if n > 0 {
		f(n - 1)
	}
	wg.Wait()
}

// networkResolver is a resolver of the graph's resolvers list asked with
// miekg/dns: over UDP (TCP when the answer is truncated), or over TCP only.
// The name is asked as it is, fully qualified (as dig does): no search list.
// Each question is asked once per run (cache).
type networkResolver struct {
	rv      graph.Resolver
	timeout time.Duration
	cache   *dnsCache
}

func (s networkResolver) lookup(ctx context.Context, name string, qtypes []uint16) []DNSQuery {
	fqdn := dns.Fqdn(name)
	return s.cache.askAll(ctx, questions(s.rv, fqdn, qtypes, s.timeout), func(ctx context.Context, j int) DNSQuery { return s.query(ctx, fqdn, qtypes[j]) })
}

func (s networkResolver) query(ctx context.Context, fqdn string, qtype uint16) DNSQuery {
	network := "udp"
	if s.rv.Kind == graph.ResolverTCP {
		network = "tcp"
	}
	q := DNSQuery{Resolver: s.rv, Server: s.rv.Addr, QType: dns.TypeToString[qtype], Name: fqdn}
	start := time.Now()
	r, truncated, err := exchange(ctx, s.timeout, network, s.rv.Addr, fqdn, qtype)
	q.Duration = time.Since(start)
	q.fill(r, truncated, err, fqdn, qtype)
	return q
}

// fill records an exchange's outcome in q.
func (q *DNSQuery) fill(r *dns.Msg, truncated bool, err error, fqdn string, qtype uint16) {
	q.Truncated = truncated
	if err != nil {
		q.Err = err
		return
	}
	q.Rcode = dns.RcodeToString[r.Rcode]
	if q.Rcode == "" {
		q.Rcode = fmt.Sprintf("RCODE%d", r.Rcode)
	}
	q.Addresses, q.CNAMEChain, q.CNAMELoop = parseAnswer(r, fqdn, qtype)
	q.ExtendedErrors = extendedErrors(r)
}

// exchange asks one question over network ("udp" or "tcp") to server, under
// one per-operation timeout. A UDP answer with the TC flag is asked again
// over TCP (RFC 7766 §5); truncated reports that it was, and when that
// retry fails the error is a *TCPRetryError.
func exchange(ctx context.Context, timeout time.Duration, network, server, fqdn string, qtype uint16) (*dns.Msg, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	m := new(dns.Msg)
	m.SetQuestion(fqdn, qtype)
	m.RecursionDesired = true
	m.SetEdns0(1232, false)

	r, err := exchangeOnce(ctx, timeout, network, server, m)
	if network == "udp" && r != nil && r.Truncated {
		r, err = exchangeOnce(ctx, timeout, "tcp", server, m)
		if err != nil {
			return nil, true, &TCPRetryError{Server: server, Err: err}
		}
		return r, true, nil
	}
	return r, false, err
}

func exchangeOnce(ctx context.Context, timeout time.Duration, network, server string, m *dns.Msg) (*dns.Msg, error) {
	c := &dns.Client{Net: network, Timeout: timeout}
	conn, err := c.DialContext(ctx, server)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	defer conn.Close()
	// miekg/dns honours a context's deadline (as the connection's deadline)
	// but not its cancellation: closing the connection ends a pending read
	// at once.
	stop := context.AfterFunc(ctx, func() {
		if errors.Is(ctx.Err(), context.Canceled) {
			conn.Close()
		}
	})
	defer stop()
	r, _, err := c.ExchangeWithConnContext(ctx, m, conn)
	if err != nil {
		if r != nil && r.Truncated {
			return r, nil
		}
		return nil, ctxErr(ctx, err)
	}
	return r, nil
}

// parseAnswer follows the CNAME chain from fqdn within the answer section
// and returns the addresses of type qtype owned by a name of the chain, the
// chain (excluding fqdn) and whether it loops: then the chain's last name
// is the one it returned to (RFC 1034 §3.6.2: a CNAME loop is an error).
func parseAnswer(r *dns.Msg, fqdn string, qtype uint16) (addrs, chain []string, loop bool) {
	owners := map[string]bool{strings.ToLower(fqdn): true}
	cur := fqdn
	for range r.Answer {
		next := ""
		for _, rr := range r.Answer {
			if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, cur) {
				next = c.Target
				break
			}
		}
		if next == "" {
			break
		}
		chain = append(chain, strings.TrimSuffix(next, "."))
		if owners[strings.ToLower(next)] {
			loop = true
			break
		}
		owners[strings.ToLower(next)] = true
		cur = next
	}
	for _, rr := range r.Answer {
		if !owners[strings.ToLower(rr.Header().Name)] {
			continue
		}
		switch a := rr.(type) {
		case *dns.A:
			if qtype == dns.TypeA {
				addrs = append(addrs, a.A.String())
			}
		case *dns.AAAA:
			if qtype == dns.TypeAAAA {
				// Keep the IPv6 form even for an IPv4-mapped address.
				if ip, ok := netip.AddrFromSlice(a.AAAA); ok {
					addrs = append(addrs, ip.String())
				}
			}
		}
	}
	return addrs, chain, loop
}

// extendedErrors returns the Extended DNS Error options (RFC 8914) of r's
// OPT record, in order; nil when there are none.
func extendedErrors(r *dns.Msg) []ExtendedError {
	opt := r.IsEdns0()
	if opt == nil {
		return nil
	}
	var out []ExtendedError
	for _, o := range opt.Option {
		if e, ok := o.(*dns.EDNS0_EDE); ok {
			out = append(out, ExtendedError{Code: e.InfoCode, Name: dns.ExtendedErrorCodeToString[e.InfoCode], Text: e.ExtraText})
		}
	}
	return out
}
