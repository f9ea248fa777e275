package probe

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
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

// resolver answers one question about one name: a DNS server asked over
// the network (networkResolver, miekg/dns) or the system resolver
// (systemResolver: the hosts file, then resolv.conf's nameservers). Every
// query of the probe goes through one.
type resolver interface {
	query(ctx context.Context, fqdn string, qtype uint16) DNSQuery
}

// resolverFor is the resolver that asks rv with the upstream's timeout.
func (p *plan) resolverFor(rv graph.Resolver) resolver {
	if rv.Kind == graph.ResolverSystem {
		return systemResolver{env: p.env, timeout: p.timeout}
	}
	return networkResolver{rv: rv, timeout: p.timeout}
}

// resolve asks every wanted question (A and/or AAAA, per ip_family) about
// name to every resolver of the upstream, concurrently. It is the one way
// probe turns a host name into addresses: the URL host, the host names of
// targets and the hosts of redirects all go through it, so that no name is
// ever looked up by Go's own resolver.
//
// When ctx ends before every query finished, only the queries that got an
// answer are kept.
func (p *plan) resolve(ctx context.Context, name string) *DNSResult {
	start := time.Now()
	res := &DNSResult{Name: name}
	qtypes := p.qtypes()
	resolvers := p.u.Resolvers
	fqdn := dns.Fqdn(name)

	queries := make([]DNSQuery, len(resolvers)*len(qtypes))
	var wg sync.WaitGroup
	for i, rv := range resolvers {
		r := p.resolverFor(rv)
		for j, qt := range qtypes {
			q := &queries[i*len(qtypes)+j]
			wg.Go(func() { *q = r.query(ctx, fqdn, qt) })
		}
	}
	wg.Wait()
	interrupted := ended(ctx) != nil

	// Union of addresses: IPv4 before IPv6, then resolver order.
	seen := map[string]bool{}
	for j := range qtypes {
		for i := range resolvers {
			q := &queries[i*len(qtypes)+j]
			if interrupted && q.Rcode == "" {
				continue
			}
			for _, a := range q.Addresses {
				if !seen[a] {
					seen[a] = true
					res.Addresses = append(res.Addresses, a)
				}
			}
		}
	}
	for _, q := range queries {
		if interrupted && q.Rcode == "" {
			continue // interrupted by the run's end: not a fact
		}
		res.Queries = append(res.Queries, q)
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

// networkResolver is a resolver of the graph's resolvers list asked with
// miekg/dns: over UDP (TCP when the answer is truncated), or over TCP only.
type networkResolver struct {
	rv      graph.Resolver
	timeout time.Duration
}

func (s networkResolver) query(ctx context.Context, fqdn string, qtype uint16) DNSQuery {
	network := "udp"
	if s.rv.Kind == graph.ResolverTCP {
		network = "tcp"
	}
	q := DNSQuery{Resolver: s.rv, Server: s.rv.Addr, QType: dns.TypeToString[qtype]}
	start := time.Now()
	r, truncated, err := exchange(ctx, s.timeout, network, s.rv.Addr, fqdn, qtype)
	q.Duration = time.Since(start)
	q.fill(r, truncated, err, fqdn, qtype)
	return q
}

// systemResolver answers from the hosts file, else asks the nameservers of
// resolv.conf in order until one answers.
type systemResolver struct {
	env     *env
	timeout time.Duration
}

func (s systemResolver) query(ctx context.Context, fqdn string, qtype uint16) DNSQuery {
	q := DNSQuery{Resolver: graph.SystemResolver, QType: dns.TypeToString[qtype]}
	start := time.Now()
	defer func() { q.Duration = time.Since(start) }()

	if addrs, ok := s.env.lookupHosts(fqdn); ok {
		q.Rcode = dns.RcodeToString[dns.RcodeSuccess]
		for _, a := range addrs {
			if (qtype == dns.TypeA) == a.Is4() {
				q.Addresses = append(q.Addresses, a.String())
			}
		}
		return q
	}

	conf, err := s.env.resolvConf()
	if err != nil {
		q.Err = err
		return q
	}
	var errs []error
	for _, server := range conf.servers {
		r, truncated, err := exchange(ctx, s.timeout, "udp", server, fqdn, qtype)
		if err != nil {
			errs = append(errs, err)
			if ended(ctx) != nil {
				break
			}
			continue
		}
		q.Server = server
		q.fill(r, truncated, nil, fqdn, qtype)
		return q
	}
	if len(errs) == 1 {
		q.Err = errs[0]
	} else {
		q.Err = errors.Join(errs...)
	}
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
	q.Addresses, q.CNAMEChain = parseAnswer(r, fqdn, qtype)
}

// exchange asks one question over network ("udp" or "tcp") to server, under
// one per-operation timeout; a truncated UDP answer is asked again over TCP.
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
		return r, true, err
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
// and returns the addresses of type qtype owned by a name of the chain.
func parseAnswer(r *dns.Msg, fqdn string, qtype uint16) (addrs, chain []string) {
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
		if next == "" || owners[strings.ToLower(next)] {
			break
		}
		owners[strings.ToLower(next)] = true
		chain = append(chain, strings.TrimSuffix(next, "."))
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
	return addrs, chain
}

// lookupHosts returns the addresses the hosts file gives fqdn; ok is false
// when the name is not in the file (or the file cannot be read).
func (e *env) lookupHosts(fqdn string) (addrs []netip.Addr, ok bool) {
	e.hostsOnce.Do(func() {
		data, err := os.ReadFile(e.hostsPath)
		if err == nil {
			e.hosts = parseHosts(data)
		}
	})
	name := strings.ToLower(strings.TrimSuffix(fqdn, "."))
	for _, s := range e.hosts[name] {
		if a, err := netip.ParseAddr(s); err == nil {
			addrs = append(addrs, a)
		}
	}
	return addrs, len(addrs) > 0
}

// parseHosts reads a hosts(5) file: "ADDRESS NAME [ALIAS...]" per line, "#"
// starts a comment. It maps each lower-cased name to its addresses in file
// order.
func parseHosts(data []byte) map[string][]string {
	m := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			continue
		}
		a = a.Unmap()
		for _, n := range f[1:] {
			n = strings.ToLower(strings.TrimSuffix(n, "."))
			if !slices.Contains(m[n], a.String()) {
				m[n] = append(m[n], a.String())
			}
		}
	}
	return m
}

// resolvConf is the part of resolv.conf the system resolver uses.
type resolvConf struct {
	servers []string // HOST:PORT
}

func (e *env) resolvConf() (*resolvConf, error) {
	e.resolvOnce.Do(func() {
		cc, err := dns.ClientConfigFromFile(e.resolvConfPath)
		if err != nil {
			e.resolvErr = fmt.Errorf("system resolver: %w", err)
			return
		}
		rc := &resolvConf{}
		for _, s := range cc.Servers {
			// "IP:PORT" and "[IPv6]:PORT" are taken as they are (an
			// extension of resolv.conf syntax, which has no port; tests use
			// it); a bare address gets the port (53).
			if h, _, err := net.SplitHostPort(s); err == nil && net.ParseIP(h) != nil {
				rc.servers = append(rc.servers, s)
				continue
			}
			rc.servers = append(rc.servers, net.JoinHostPort(s, cc.Port))
		}
		if len(rc.servers) == 0 {
			e.resolvErr = fmt.Errorf("system resolver: no nameserver in %s", e.resolvConfPath)
			return
		}
		e.resolv = rc
	})
	return e.resolv, e.resolvErr
}
