package probe

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/safefile"
	"github.com/updoc/updoc/pkg/graph"
)

// systemResolver resolves as the C library's resolver does for getaddrinfo
// with "hosts: files dns" in nsswitch.conf: the hosts file first, then the
// nameservers of resolv.conf, asked in order until one answers, for each
// candidate name of resolv.conf's search list in the order ndots gives
// (see resolvConf.candidates).
type systemResolver struct {
	env     *env
	timeout time.Duration
}

func (s systemResolver) lookup(ctx context.Context, name string, qtypes []uint16) []DNSQuery {
	start := time.Now()
	out := make([]DNSQuery, len(qtypes))
	defer func() {
		for j := range out {
			out[j].Resolver = graph.SystemResolver
			out[j].QType = dns.TypeToString[qtypes[j]]
			out[j].Duration = time.Since(start)
		}
	}()

	if addrs, ok := s.env.lookupHosts(name); ok {
		for j, qt := range qtypes {
			out[j] = DNSQuery{Name: dns.Fqdn(name), Rcode: dns.RcodeToString[dns.RcodeSuccess]}
			for _, a := range addrs {
				if (qt == dns.TypeA) == a.Is4() {
					out[j].Addresses = append(out[j].Addresses, a.String())
				}
			}
		}
		return out
	}

	conf, err := s.env.resolvConf()
	if err != nil {
		for j := range out {
			out[j] = DNSQuery{Name: dns.Fqdn(name), Err: err}
		}
		return out
	}
	copy(out, s.search(ctx, conf, name, qtypes))
	return out
}

// search asks the candidate names of name in order, as glibc's res_search
// (resolv/res_query.c) does with A and AAAA asked together:
//
//   - a candidate answers when the answer to some question has records
//     (NOERROR with addresses or a CNAME): that answer is the result;
//   - NXDOMAIN, NODATA and SERVFAIL move on to the next candidate;
//   - another rcode (REFUSED, ...) ends the walk through the search list
//     (the name as it is is still asked, if it was not yet);
//   - a question that got no answer at all (timeout, nothing listening,
//     a failed TCP retry) ends the search there and is the result: the
//     answer that did not arrive might have been the one. (glibc gives up
//     at once too when a nameserver refuses; on a timeout it would still
//     try the name as it is.)
//
// When no candidate answered, the result is that of the name as it is if it
// was asked first, else the first NODATA, else the first SERVFAIL, else the
// last answer (glibc's h_errno rules). Every query of the result names the
// candidate its answer is for, and, when more than one was asked, every
// name asked.
func (s systemResolver) search(ctx context.Context, conf *resolvConf, name string, qtypes []uint16) []DNSQuery {
	candidates, asIsFirst := conf.candidates(name)
	asIs := dns.Fqdn(name)
	var asked []string
	var first, nodata, servfail, last []DNSQuery
	done := func(qs []DNSQuery) []DNSQuery {
		if len(asked) > 1 {
			for j := range qs {
				qs[j].Searched = slices.Clone(asked)
			}
		}
		return qs
	}
	searching := true
	for k, fqdn := range candidates {
		isAsIs := fqdn == asIs
		if !searching && !isAsIs {
			continue
		}
		qs := s.ask(ctx, conf, fqdn, qtypes)
		asked = append(asked, fqdn)
		last = qs
		if k == 0 && asIsFirst {
			first = qs
		}
		switch candidateOutcome(qs) {
		case outcomeAnswered, outcomeNoAnswer:
			return done(qs)
		case outcomeNoData:
			if nodata == nil {
				nodata = qs
			}
		case outcomeServfail:
			if servfail == nil {
				servfail = qs
			}
		case outcomeOther:
			if !(k == 0 && asIsFirst) {
				searching = false
			}
		}
	}
	switch {
	case first != nil:
		return done(first)
	case nodata != nil:
		return done(nodata)
	case servfail != nil:
		return done(servfail)
	}
	return done(last)
}

// The outcome of asking one candidate name, as res_search sees it.
type candidateResult int

const (
	outcomeAnswered candidateResult = iota // some answer has records
	outcomeNoAnswer                        // some question got no answer at all
	outcomeNoData                          // NOERROR without records
	outcomeServfail                        // SERVFAIL
	outcomeNXDomain                        // every answer NXDOMAIN
	outcomeOther                           // REFUSED, NOTIMP, FORMERR, ...
)

func candidateOutcome(qs []DNSQuery) candidateResult {
	rcodes := map[string]bool{}
	for _, q := range qs {
		if q.Rcode == "NOERROR" && (len(q.Addresses) > 0 || len(q.CNAMEChain) > 0) {
			return outcomeAnswered
		}
		rcodes[q.Rcode] = true
	}
	switch {
	case rcodes[""]:
		return outcomeNoAnswer
	case rcodes["NOERROR"]:
		return outcomeNoData
	case rcodes["SERVFAIL"]:
		return outcomeServfail
	case len(rcodes) == 1 && rcodes["NXDOMAIN"]:
		return outcomeNXDomain
	}
	return outcomeOther
}

// ask asks every question of qtypes about fqdn, concurrently, each to the
// nameservers of conf in order until one answers. Each question is asked
// once per run (env.dns), whichever upstream's search led to it.
func (s systemResolver) ask(ctx context.Context, conf *resolvConf, fqdn string, qtypes []uint16) []DNSQuery {
	return s.env.dns.askAll(ctx, questions(graph.SystemResolver, fqdn, qtypes, s.timeout), func(ctx context.Context, j int) DNSQuery { return s.askNameservers(ctx, conf, fqdn, qtypes[j]) })
}

func (s systemResolver) askNameservers(ctx context.Context, conf *resolvConf, fqdn string, qtype uint16) DNSQuery {
	q := DNSQuery{Name: fqdn}
	var errs []error
	for _, server := range conf.servers {
		r, truncated, err := exchange(ctx, s.timeout, "udp", server, fqdn, qtype)
		q.Truncated = q.Truncated || truncated
		if err != nil {
			errs = append(errs, &NameserverError{Server: server, Err: err})
			if ended(ctx) != nil {
				break
			}
			continue
		}
		q.Server = server
		q.fill(r, truncated, nil, fqdn, qtype)
		return q
	}
	q.Err = errors.Join(errs...)
	if len(errs) == 1 {
		q.Err = errs[0]
	}
	return q
}

// hostsLimit caps what is read of the hosts file and resolv.conf (each a
// few KiB on any real system).
const hostsLimit = 16 << 20

// lookupHosts returns the addresses the hosts file gives name (a trailing
// dot ignored; the search list does not apply to the hosts file); ok is
// false when the name is not in the file (or the file cannot be read).
func (e *env) lookupHosts(name string) (addrs []netip.Addr, ok bool) {
	e.hostsOnce.Do(func() {
		data, err := safefile.Read(e.hostsPath, hostsLimit)
		if err == nil {
			e.hosts = parseHosts(data)
		}
	})
	name = strings.ToLower(strings.TrimSuffix(name, "."))
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

// resolvConf is the part of resolv.conf(5) the system resolver uses.
type resolvConf struct {
	servers []string // HOST:PORT, in file order
	// search is the search list ("search" or "domain"), without trailing
	// dots, in order.
	search []string
	// ndots is "options ndots:N" (default 1, at most 15): a name with at
	// least ndots dots is first asked as it is.
	ndots int
}

// candidates returns the fully qualified names the C library asks for name,
// in order (glibc res_search, resolv.conf(5) "search" and "ndots"):
//
//   - a name with a trailing dot is asked as it is only;
//   - a name with at least ndots dots is asked as it is first, then with
//     each search domain appended;
//   - a name with fewer dots is asked with each search domain appended
//     first, then as it is.
//
// asIsFirst reports the second case. A search domain that makes a name
// already listed (the root, a duplicate) is left out.
func (c *resolvConf) candidates(name string) (names []string, asIsFirst bool) {
	if dns.IsFqdn(name) {
		return []string{name}, true
	}
	asIs := dns.Fqdn(name)
	add := func(n string) {
		if !slices.ContainsFunc(names, func(m string) bool { return strings.EqualFold(m, n) }) {
			names = append(names, n)
		}
	}
	asIsFirst = strings.Count(name, ".") >= c.ndots
	if asIsFirst {
		add(asIs)
	}
	for _, d := range c.search {
		if d == "" {
			add(asIs)
			continue
		}
		add(dns.Fqdn(name + "." + d))
	}
	add(asIs)
	return names, asIsFirst
}

func (e *env) resolvConf() (*resolvConf, error) {
	e.resolvOnce.Do(func() {
		data, err := safefile.Read(e.resolvConfPath, hostsLimit)
		var cc *dns.ClientConfig
		if err == nil {
			cc, err = dns.ClientConfigFromReader(bytes.NewReader(data))
		}
		if err != nil {
			e.resolvErr = fmt.Errorf("system resolver: %w", err)
			return
		}
		rc := &resolvConf{ndots: cc.Ndots}
		for _, d := range cc.Search {
			rc.search = append(rc.search, strings.TrimSuffix(d, "."))
		}
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
