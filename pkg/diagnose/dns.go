package diagnose

import (
	"slices"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

// effectiveRcode is the query's rcode; when no rcode was recorded but the
// error is a *net.DNSError from the system resolver, its type says what the
// answer was (IsNotFound → NXDOMAIN; another non-timeout failure → SERVFAIL).
func effectiveRcode(q probe.DNSQuery) string {
	if q.Rcode != "" {
		return q.Rcode
	}
	switch classify(q.Err) {
	case kindDNSNotFound:
		return "NXDOMAIN"
	case kindDNSFailure:
		return "SERVFAIL"
	}
	return ""
}

// fqdn adds the trailing dot for messages.
func fqdn(name string) string {
	if name == "" || strings.HasSuffix(name, ".") {
		return name
	}
	return name + "."
}

// classifyDNS applies the SPEC §4 dns rules to the resolution of the URL
// host (upstream-level findings) and to the resolution of each target that
// names a host: a name that did not resolve is a dns.* finding of that
// target. Targets sharing a name share its resolution; a disagreement
// between resolvers is reported once per name.
func classifyDNS(s *subject) []draft {
	var out []draft
	if s.res.DNS != nil {
		out = append(out, classifyResolution(s, s.res.DNS, -1, "", "", true)...)
	}
	seen := map[*probe.DNSResult]bool{}
	for i, t := range s.res.Targets {
		if t.DNS == nil {
			continue
		}
		out = append(out, classifyResolution(s, t.DNS, i, "", "", !seen[t.DNS])...)
		seen[t.DNS] = true
	}
	return out
}

// classifyResolution applies the SPEC §4 dns rules to the queries of r:
// for the upstream (target -1) or for target i; layer overrides the
// catalogue's (a redirect's host, resolved in the http layer), prefix
// starts the message; mismatch enables dns.resolver_mismatch. It returns
// at most one draft.
func classifyResolution(s *subject, r *probe.DNSResult, target int, layer catalog.Layer, prefix string, mismatch bool) []draft {
	name := fqdn(r.Name)
	var queries []probe.DNSQuery
	for _, q := range r.Queries {
		if classify(q.Err) == kindCanceled && q.Rcode == "" {
			continue // cut by the end of the run: run.* says so
		}
		queries = append(queries, q)
	}
	if len(queries) == 0 {
		return nil
	}
	ev := map[string]any{"name": name, "queries": queryEvidence(queries)}

	hasAddr := len(r.Addresses) > 0
	for _, q := range queries {
		if len(q.Addresses) > 0 {
			hasAddr = true
		}
	}
	if hasAddr {
		if !mismatch {
			return nil
		}
		return resolverMismatch(s, name, queries, target, layer)
	}

	var answered []probe.DNSQuery
	for _, q := range queries {
		if effectiveRcode(q) != "" {
			answered = append(answered, q)
		}
	}
	vars := s.vars(target)
	vars.Name = r.Name
	if len(answered) == 0 {
		setResolver(&vars, queries[0])
		ev["resolver"] = queries[0].ResolverName()
		ev["error"] = shortErr(queries[0].Err)
		return []draft{{Code: catalog.DNSTimeout, Layer: layer, Target: target, Message: prefix + noAnswer(s, name, queries, ev), Evidence: ev, Vars: &vars}}
	}

	count := map[string]int{}
	for _, q := range answered {
		count[effectiveRcode(q)]++
	}
	var code string
	var failing []probe.DNSQuery
	switch {
	case count["NXDOMAIN"] == len(answered):
		code, failing = catalog.DNSNXDomain, answered
	case count["NOERROR"] > 0:
		code = catalog.DNSNoRecords
		for _, q := range answered {
			if effectiveRcode(q) == "NOERROR" {
				failing = append(failing, q)
			}
		}
	default:
		code = catalog.DNSServfail
		for _, q := range answered {
			if rc := effectiveRcode(q); rc != "NXDOMAIN" && rc != "NOERROR" {
				failing = append(failing, q)
			}
		}
	}
	setResolver(&vars, failing[0])
	ev["resolver"] = failing[0].ResolverName()
	ev["rcode"] = effectiveRcode(failing[0])

	var msg string
	switch code {
	case catalog.DNSNXDomain:
		msg = "NXDOMAIN for " + name + " from " + byResolver(failing)
	case catalog.DNSNoRecords:
		msg = "no " + strings.Join(qtypes(failing), " or ") + " records for " + name + " (NOERROR, no data) from " + byResolver(failing)
		if chain := failing[0].CNAMEChain; len(chain) > 0 {
			msg += " via CNAME " + strings.Join(chain, " → ")
			ev["cname_chain"] = chain
		}
		if s.up.IPFamily != "" && s.up.IPFamily != graph.IPFamilyAny {
			msg += " (ip_family " + string(s.up.IPFamily) + ")"
			ev["ip_family"] = s.up.IPFamily
		}
	default:
		// "SERVFAIL for x. from R1 (A, AAAA); REFUSED from R2 (A)"
		var groups []string
		var rcodes []string
		for _, q := range failing {
			if rc := effectiveRcode(q); !slices.Contains(rcodes, rc) {
				rcodes = append(rcodes, rc)
			}
		}
		for i, rc := range rcodes {
			var qs []probe.DNSQuery
			for _, q := range failing {
				if effectiveRcode(q) == rc {
					qs = append(qs, q)
				}
			}
			g := rc
			if i == 0 {
				g += " for " + name
			}
			groups = append(groups, g+" from "+byResolver(qs))
		}
		msg = strings.Join(groups, "; ")
	}
	if n := len(queries) - len(answered); n > 0 {
		var silent []probe.DNSQuery
		for _, q := range queries {
			if effectiveRcode(q) == "" {
				silent = append(silent, q)
			}
		}
		msg += "; no answer from " + byResolver(silent)
	}
	return []draft{{Code: code, Layer: layer, Target: target, Message: prefix + msg, Evidence: ev, Vars: &vars}}
}

// noAnswer says why no resolver answered: the queries that got no answer in
// time, and the resolvers where nothing listens (a refused UDP query comes
// back as ICMP port unreachable, ECONNREFUSED): "no answer for x. from
// R1 (A, AAAA) within the 5s timeout; nothing listens for DNS at R2
// (connection refused)".
func noAnswer(s *subject, name string, queries []probe.DNSQuery, ev map[string]any) string {
	var silent []probe.DNSQuery
	var refused []string
	for _, q := range queries {
		if classify(q.Err) == kindRefused {
			if r := resolverAddr(q); !slices.Contains(refused, r) {
				refused = append(refused, r)
			}
			continue
		}
		silent = append(silent, q)
	}
	var parts []string
	if len(silent) > 0 {
		var longest time.Duration
		for _, q := range silent {
			longest = max(longest, q.Duration)
		}
		p := "no answer for " + name + " from " + byResolver(silent) + " " + s.within(longest, ev)
		if err := silent[0].Err; err != nil && classify(err) != kindTimeout {
			p += ": " + shortErr(err)
		}
		parts = append(parts, p)
	}
	if len(refused) > 0 {
		p := "nothing listens for DNS at " + strings.Join(refused, ", ") + " (connection refused)"
		if len(silent) == 0 {
			p = "no answer for " + name + ": " + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// resolverAddr is the address a query went to: the nameserver of the
// system resolver that answered ("10.0.0.2:53"), else the resolver's name.
func resolverAddr(q probe.DNSQuery) string {
	if q.Resolver.Kind == graph.ResolverSystem && q.Server != "" {
		return q.Server
	}
	return q.Resolver.String()
}

// resolverMismatch warns when resolvers that answered returned different
// address sets.
func resolverMismatch(s *subject, name string, queries []probe.DNSQuery, target int, layer catalog.Layer) []draft {
	var resolvers []string
	sets := map[string][]string{}
	rcodes := map[string]string{}
	complete := map[string]bool{}
	for _, q := range queries {
		r := q.Resolver.String() // the system resolver is one, whichever nameserver answered
		if !slices.Contains(resolvers, r) {
			resolvers = append(resolvers, r)
			complete[r] = true
		}
		rc := effectiveRcode(q)
		if rc == "" {
			complete[r] = false // a resolver that did not answer is not a disagreement
			continue
		}
		if rc != "NOERROR" || rcodes[r] == "" {
			rcodes[r] = rc
		}
		for _, a := range q.Addresses {
			if !slices.Contains(sets[r], a) {
				sets[r] = append(sets[r], a)
			}
		}
	}
	var cmpd []string
	for _, r := range resolvers {
		if complete[r] {
			cmpd = append(cmpd, r)
		}
	}
	if len(cmpd) < 2 {
		return nil
	}
	key := func(r string) string {
		s := slices.Clone(sets[r])
		slices.Sort(s)
		return strings.Join(s, ",")
	}
	same := true
	for _, r := range cmpd[1:] {
		if key(r) != key(cmpd[0]) {
			same = false
		}
	}
	if same {
		return nil
	}
	answers := map[string]any{}
	var parts []string
	for _, r := range cmpd {
		set := append([]string{}, sets[r]...)
		answers[r] = set
		desc := strings.Join(set, ", ")
		if len(set) == 0 {
			desc = "none (" + rcodes[r] + ")"
		}
		parts = append(parts, r+" → "+desc)
	}
	vars := s.vars(target)
	vars.Name = strings.TrimSuffix(name, ".")
	vars.Resolver = cmpd[1]
	return []draft{{
		Code:     catalog.DNSResolverMismatch,
		Layer:    layer,
		Target:   target,
		Message:  "resolvers disagree on " + name + ": " + strings.Join(parts, "; "),
		Evidence: map[string]any{"name": name, "answers": answers, "queries": queryEvidence(queries)},
		Vars:     &vars,
	}}
}

// byResolver renders "R1 (A, AAAA), R2 (A)".
func byResolver(qs []probe.DNSQuery) string {
	var order []string
	types := map[string][]string{}
	for _, q := range qs {
		name := q.ResolverName()
		if _, ok := types[name]; !ok {
			order = append(order, name)
		}
		if !slices.Contains(types[name], q.QType) {
			types[name] = append(types[name], q.QType)
		}
	}
	parts := make([]string, 0, len(order))
	for _, r := range order {
		parts = append(parts, r+" ("+strings.Join(types[r], ", ")+")")
	}
	return strings.Join(parts, ", ")
}

func qtypes(qs []probe.DNSQuery) []string {
	var out []string
	for _, q := range qs {
		if !slices.Contains(out, q.QType) {
			out = append(out, q.QType)
		}
	}
	return out
}

// queryEvidence: one line per query, "127.0.0.1:53 A NXDOMAIN 0.9 ms".
func queryEvidence(qs []probe.DNSQuery) []string {
	out := make([]string, 0, len(qs))
	for _, q := range qs {
		s := q.ResolverName() + " " + q.QType + " "
		if rc := effectiveRcode(q); rc != "" {
			s += rc
		} else {
			s += "no answer"
		}
		if len(q.Addresses) > 0 {
			s += " " + strings.Join(q.Addresses, ",")
		}
		s += " " + fmtMS(q.Duration)
		if q.Err != nil {
			s += ": " + shortErr(q.Err)
		}
		out = append(out, s)
	}
	return out
}
