package diagnose

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

// noAnswer is the verdict on questions that got no usable answer (silent:
// no rcode) while no answer that did arrive settles the name (answered:
// the other family's NODATA, say). Why they got none decides the code:
//
//   - dns.truncated when an answer came back over UDP with the TC flag and
//     the retry over TCP failed (the resolver did answer: not a timeout);
//   - dns.resolver_unreachable when every silent question failed because
//     nothing listens at the resolver (ICMP port unreachable, TCP refused)
//     or there is no route to it;
//   - dns.timeout otherwise: some resolver did not answer in time.
//
// The message gives every reason — truncated answers, resolvers that did
// not answer in time, resolvers that could not be reached — then what did
// arrive: "no answer for x. from R1 (A) within the 5s timeout; nothing
// listens for DNS at R2 (udp: connection refused)".
func noAnswer(s *subject, name string, silent, answered []probe.DNSQuery, ev map[string]any, vars catalog.Vars) draft {
	var truncated, unreachable, slow []probe.DNSQuery
	for _, q := range silent {
		switch {
		case q.Truncated:
			truncated = append(truncated, q)
		case unreachableOnly(q.Err):
			unreachable = append(unreachable, q)
		default:
			slow = append(slow, q)
		}
	}
	var code string
	var first probe.DNSQuery // the query whose resolver the steps name
	switch {
	case len(truncated) > 0:
		code, first = catalog.DNSTruncated, truncated[0]
	case len(slow) == 0:
		code, first = catalog.DNSResolverUnreachable, unreachable[0]
	default:
		code, first = catalog.DNSTimeout, slow[0]
	}
	setResolver(&vars, first)
	ev["resolver"] = first.ResolverName()
	ev["error"] = queryErrText(first.Err)

	var parts []string
	if len(truncated) > 0 {
		var why []string
		for _, q := range truncated {
			var re *probe.TCPRetryError
			if errors.As(q.Err, &re) {
				if vars.ResolverServer == "" {
					vars.ResolverServer = re.Server
				}
				if w := retryFailure(re.Err); !slices.Contains(why, w) {
					why = append(why, w)
				}
			}
		}
		ev["tc"] = true
		p := "the answer for " + answeredName(name, truncated[0]) + " from " + byResolver(truncated) +
			" came back truncated (TC flag) and the retry over TCP failed"
		if len(why) > 0 {
			p += ": " + strings.Join(why, "; ")
			ev["tcp_error"] = strings.Join(why, "; ")
		}
		parts = append(parts, p)
	}
	if len(slow) > 0 {
		var longest time.Duration
		for _, q := range slow {
			longest = max(longest, q.Duration)
		}
		p := "no answer for " + answeredName(name, slow[0]) + " from " + byResolver(slow) + " " + s.within(longest, ev)
		if err := slow[0].Err; err != nil && classify(err) != kindTimeout {
			p += ": " + queryErrText(err)
		}
		parts = append(parts, p)
	}
	if len(unreachable) > 0 {
		places := unreachablePlaces(unreachable)
		if vars.ResolverServer == "" && len(places) > 0 {
			vars.ResolverServer = places[0].addr
		}
		var evs []string
		for _, pl := range places {
			evs = append(evs, pl.addr+": "+pl.why)
		}
		ev["unreachable"] = evs
		p := unreachableText(places)
		if len(parts) == 0 && len(answered) == 0 {
			p = "no resolver could be reached for " + answeredName(name, unreachable[0]) + ": " + p
		}
		parts = append(parts, p)
	}
	if len(answered) > 0 {
		parts = append(parts, "only "+answerSummary(answered)+" arrived, which says nothing about "+strings.Join(qtypes(silent), " or "))
	}
	return draft{Code: code, Message: strings.Join(parts, "; "), Evidence: ev, Vars: &vars}
}

// answerSummary: "AAAA (NOERROR, no data, from R1)".
func answerSummary(qs []probe.DNSQuery) string {
	var out []string
	for _, q := range qs {
		rc := effectiveRcode(q)
		if rc == "NOERROR" {
			rc += ", no data"
		}
		out = append(out, q.QType+" ("+rc+", from "+q.ResolverName()+")")
	}
	return strings.Join(out, ", ")
}

// unreachableOnly reports whether err says that nothing could be reached
// — ECONNREFUSED (a refused TCP connect, or the ICMP port unreachable a UDP
// query gets) or no route (EHOSTUNREACH, ENETUNREACH, ...) — and nothing
// else: every error it joins (one per nameserver of the system resolver)
// must say so. A timeout or the end of the run is never "unreachable".
func unreachableOnly(err error) bool {
	if err == nil || isTimeout(err) || errors.Is(err, context.Canceled) {
		return false
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs := j.Unwrap()
		for _, e := range errs {
			if !unreachableOnly(e) {
				return false
			}
		}
		return len(errs) > 0
	}
	k := classify(err)
	return k == kindRefused || k == kindUnreachable
}

// unreachablePlace is one address where DNS could not be reached and why.
type unreachablePlace struct {
	addr    string // HOST:PORT
	network string // udp or tcp
	kind    errKind
	why     string // "connection refused", "network is unreachable"
}

// unreachablePlaces lists the nameservers the queries could not reach, in
// order, each once: the system resolver's from its *probe.NameserverError
// values, another resolver's own address.
func unreachablePlaces(qs []probe.DNSQuery) []unreachablePlace {
	var out []unreachablePlace
	add := func(q probe.DNSQuery, addr string, err error) {
		if slices.ContainsFunc(out, func(p unreachablePlace) bool { return p.addr == addr }) {
			return
		}
		network := "udp"
		if q.Resolver.Kind == graph.ResolverTCP {
			network = "tcp"
		}
		out = append(out, unreachablePlace{addr: addr, network: network, kind: classify(err), why: errnoText(err)})
	}
	for _, q := range qs {
		errs := []error{q.Err}
		if j, ok := q.Err.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap()
		}
		for _, e := range errs {
			var ne *probe.NameserverError
			if errors.As(e, &ne) {
				add(q, ne.Server, ne.Err)
				continue
			}
			add(q, q.Resolver.Addr, e)
		}
	}
	return out
}

// unreachableText: "nothing listens for DNS at 127.0.0.1:9 (udp:
// connection refused); no route to 10.9.9.9:53 (network is unreachable)".
func unreachableText(places []unreachablePlace) string {
	var refused, noRoute []string
	for _, p := range places {
		if p.kind == kindRefused {
			refused = append(refused, p.addr+" ("+p.network+": "+p.why+")")
		} else {
			noRoute = append(noRoute, p.addr+" ("+p.why+")")
		}
	}
	var parts []string
	if len(refused) > 0 {
		parts = append(parts, "nothing listens for DNS at "+strings.Join(refused, ", "))
	}
	if len(noRoute) > 0 {
		parts = append(parts, "no route to "+strings.Join(noRoute, ", "))
	}
	return strings.Join(parts, "; ")
}

// retryFailure says how a retry over TCP failed: "connection refused", "the
// server closed the connection without answering", "i/o timeout".
func retryFailure(err error) string {
	switch classify(err) {
	case kindEOF:
		return "the server closed the connection without answering"
	case kindReset:
		return "the server reset the connection"
	}
	return errnoText(err)
}

// queryErrText is a query's error on one line: for the system resolver,
// which joins one *probe.NameserverError per nameserver, each nameserver's
// "nameserver 10.0.0.2:53: connection refused", separated by "; ".
func queryErrText(err error) string {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return shortErr(err)
	}
	var parts []string
	for _, e := range j.Unwrap() {
		ne, ok := e.(*probe.NameserverError)
		if !ok {
			return shortErr(err) // not a join of nameservers (a context's end, say)
		}
		parts = append(parts, "nameserver "+ne.Server+": "+errnoText(ne.Err))
	}
	return strings.Join(parts, "; ")
}
