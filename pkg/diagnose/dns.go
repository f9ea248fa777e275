package diagnose

import (
	"slices"
	"strconv"
	"strings"

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
	var seen []*probe.DNSResult // a few targets: no map
	for i, t := range s.res.Targets {
		if t.DNS == nil {
			continue
		}
		out = append(out, classifyResolution(s, t.DNS, i, "", "", !slices.Contains(seen, t.DNS))...)
		seen = append(seen, t.DNS)
	}
	return out
}

// classifyResolution applies the SPEC §4 dns rules to the queries of r:
// for the upstream (target -1) or for target i; layer overrides the
// catalogue's (a redirect's host, resolved in the http layer), prefix
// starts the message; mismatch enables dns.resolver_mismatch. It returns
// at most one draft.
//
// An answer that did not arrive is never read as one: when the run ended
// before every question was answered (r.Cut, the run unfinished) there is
// no verdict at all — run.* says so; when only the lookup's own operation
// timed out (the host of a redirect), the questions cut are unanswered,
// like a timeout. dns.no_records needs a NOERROR answer for every address
// family asked: NODATA for AAAA says nothing about A.
func classifyResolution(s *subject, r *probe.DNSResult, target int, layer catalog.Layer, prefix string, mismatch bool) []draft {
	if len(r.Cut) > 0 && s.res.Unfinished != nil {
		return nil
	}
	queries := liveQueries(r)
	if len(queries) == 0 {
		return nil
	}
	// The name's fully qualified form, the evidence and the remediation's
	// facts are made only for a finding: a name that resolved (nearly
	// every one) needs none of them.
	facts := func() (name string, ev map[string]any, vars catalog.Vars) {
		name, vars = fqdn(r.Name), s.vars(target)
		vars.Name = r.Name
		return name, map[string]any{"name": name, "queries": queryEvidence(queries)}, vars
	}

	if slices.ContainsFunc(queries, loopsOrLong) {
		name, ev, vars := facts()
		dr, _ := cnameLoop(name, queries, ev, vars)
		return []draft{withPlace(dr, target, layer, prefix)}
	}

	hasAddr := len(r.Addresses) > 0
	for _, q := range queries {
		if len(q.Addresses) > 0 {
			hasAddr = true
		}
	}
	if hasAddr {
		if !mismatch || len(r.Cut) > 0 {
			return nil
		}
		return resolverMismatch(s, r.Name, queries, target, layer)
	}
	name, ev, vars := facts()

	var answered, silent []probe.DNSQuery
	for _, q := range queries {
		if effectiveRcode(q) != "" {
			answered = append(answered, q)
		} else {
			silent = append(silent, q)
		}
	}
	count := map[string]int{}
	nodata := map[string]bool{} // query types answered NOERROR
	for _, q := range answered {
		rc := effectiveRcode(q)
		count[rc]++
		if rc == "NOERROR" {
			nodata[q.QType] = true
		}
	}
	var missing []string // query types no resolver answered
	for _, qt := range qtypes(queries) {
		if !slices.ContainsFunc(answered, func(q probe.DNSQuery) bool { return q.QType == qt }) {
			missing = append(missing, qt)
		}
	}
	if len(answered) == 0 || (len(missing) > 0 && count["NXDOMAIN"] < len(answered)) {
		dr := noAnswer(s, name, silent, answered, ev, vars)
		return []draft{withPlace(dr, target, layer, prefix)}
	}

	var dr draft
	switch {
	case count["NXDOMAIN"] == len(answered):
		dr = nxdomain(name, answered, ev, vars)
	case len(nodata) == len(qtypes(queries)) || count["NOERROR"]+count["NXDOMAIN"] == len(answered):
		dr = noRecords(s, name, answered, ev, vars)
	default:
		dr = servfail(name, answered, ev, vars)
	}
	if len(silent) > 0 {
		dr.Message += "; no answer from " + byResolver(silent)
	}
	return []draft{withPlace(dr, target, layer, prefix)}
}

// liveQueries are the questions of r the end of the run did not cut
// (those it cut are run.*'s): r.Queries itself when it cut none, shared,
// not copied — the callers only read them.
func liveQueries(r *probe.DNSResult) []probe.DNSQuery {
	live := func(q probe.DNSQuery) bool { return classify(q.Err) != kindCanceled || q.Rcode != "" }
	if len(r.Cut) == 0 && !slices.ContainsFunc(r.Queries, func(q probe.DNSQuery) bool { return !live(q) }) {
		return r.Queries
	}
	var out []probe.DNSQuery
	for _, q := range slices.Concat(r.Queries, r.Cut) {
		if live(q) {
			out = append(out, q)
		}
	}
	return out
}

// withPlace puts dr at target and layer, its message after prefix.
func withPlace(dr draft, target int, layer catalog.Layer, prefix string) draft {
	dr.Target, dr.Layer, dr.Message = target, layer, prefix+dr.Message
	return dr
}

// nxdomain: every resolver that answered said the name does not exist. When
// the name is a CNAME whose target does not exist, the finding names the
// target: the alias dangles (a subdomain-takeover risk).
func nxdomain(name string, failing []probe.DNSQuery, ev map[string]any, vars catalog.Vars) draft {
	setResolver(&vars, failing[0])
	ev["resolver"] = failing[0].ResolverName()
	ev["rcode"] = "NXDOMAIN"
	dr := draft{Code: catalog.DNSNXDomain, Evidence: ev, Vars: &vars}
	q := failing[0]
	asked := answeredName(name, q)
	if len(q.CNAMEChain) > 0 {
		dangling := fqdn(q.CNAMEChain[len(q.CNAMEChain)-1])
		ev["cname_chain"] = q.CNAMEChain
		ev["dangling_target"] = dangling
		vars.CNAMETarget = dangling
		dr.Variant = catalog.VariantDanglingCNAME
		dr.Message = "NXDOMAIN for " + dangling + ", the CNAME target of " + asked + " (" + chainText(asked, q.CNAMEChain) +
			"), from " + byResolver(failing) + ": the alias points at a name that does not exist"
		return dr
	}
	dr.Message = "NXDOMAIN for " + asked + " from " + byResolver(failing) + searchedNote(q) + edeNote(failing, ev)
	return dr
}

// noRecords: the name exists but has no address of the wanted family.
func noRecords(s *subject, name string, answered []probe.DNSQuery, ev map[string]any, vars catalog.Vars) draft {
	var failing []probe.DNSQuery
	for _, q := range answered {
		if effectiveRcode(q) == "NOERROR" {
			failing = append(failing, q)
		}
	}
	setResolver(&vars, failing[0])
	ev["resolver"] = failing[0].ResolverName()
	ev["rcode"] = "NOERROR"
	q := failing[0]
	msg := "no " + strings.Join(qtypes(failing), " or ") + " records for " + answeredName(name, q) +
		" (NOERROR, no data) from " + byResolver(failing)
	if len(q.CNAMEChain) > 0 {
		msg += " via CNAME " + strings.Join(q.CNAMEChain, " → ")
		ev["cname_chain"] = q.CNAMEChain
	}
	if s.up.IPFamily != "" && s.up.IPFamily != graph.IPFamilyAny {
		msg += " (ip_family " + string(s.up.IPFamily) + ")"
		ev["ip_family"] = s.up.IPFamily
	}
	msg += searchedNote(q) + edeNote(failing, ev)
	return draft{Code: catalog.DNSNoRecords, Message: msg, Evidence: ev, Vars: &vars}
}

// servfail: resolvers answered with a failure (SERVFAIL, REFUSED, ...):
// "SERVFAIL for x. from R1 (A, AAAA); REFUSED from R2 (A)", with the
// Extended DNS Errors that say why.
func servfail(name string, answered []probe.DNSQuery, ev map[string]any, vars catalog.Vars) draft {
	var failing []probe.DNSQuery
	for _, q := range answered {
		if rc := effectiveRcode(q); rc != "NXDOMAIN" && rc != "NOERROR" {
			failing = append(failing, q)
		}
	}
	setResolver(&vars, failing[0])
	ev["resolver"] = failing[0].ResolverName()
	ev["rcode"] = effectiveRcode(failing[0])
	var rcodes, groups []string
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
			g += " for " + answeredName(name, failing[0])
		}
		groups = append(groups, g+" from "+byResolver(qs))
	}
	msg := strings.Join(groups, "; ") + searchedNote(failing[0]) + edeNote(failing, ev)
	return draft{Code: catalog.DNSServfail, Message: msg, Evidence: ev, Vars: &vars}
}

// answeredName is the fully qualified name q's answer is for: the one
// asked, or the candidate of the system resolver's search list.
func answeredName(name string, q probe.DNSQuery) string {
	if q.Name != "" {
		return q.Name
	}
	return name
}

// searchedNote names the candidates the system resolver asked when
// resolv.conf's search list applied: " (search list: a.svc.x., a.)".
func searchedNote(q probe.DNSQuery) string {
	if len(q.Searched) < 2 {
		return ""
	}
	return " (asked as " + strings.Join(q.Searched, ", ") + ": resolv.conf search list)"
}

// edeNote quotes the Extended DNS Errors (RFC 8914) of the failing answers,
// "; Extended DNS Error 7 (Signature Expired) from R: text", and adds them
// to ev as "ede".
func edeNote(failing []probe.DNSQuery, ev map[string]any) string {
	var notes, evs []string
	for _, q := range failing {
		for _, e := range q.ExtendedErrors {
			what := "Extended DNS Error " + strconv.Itoa(int(e.Code))
			if e.Name != "" {
				what += " (" + e.Name + ")"
			}
			line := what + " from " + q.ResolverName()
			if e.Text != "" {
				line += ": " + e.Text
			}
			if !slices.Contains(notes, line) {
				notes = append(notes, line)
				evs = append(evs, q.ResolverName()+" "+q.QType+" "+what+textSuffix(e.Text))
			}
		}
	}
	if len(notes) == 0 {
		return ""
	}
	ev["ede"] = evs
	return "; " + strings.Join(notes, "; ")
}

func textSuffix(text string) string {
	if text == "" {
		return ""
	}
	return ": " + text
}

// resolverMismatch warns when resolvers that answered returned different
// address sets for name (as asked: its fully qualified form is named).
func resolverMismatch(s *subject, name string, queries []probe.DNSQuery, target int, layer catalog.Layer) []draft {
	if !slices.ContainsFunc(queries, func(q probe.DNSQuery) bool { return q.Resolver != queries[0].Resolver }) {
		return nil // one resolver (the usual case) cannot disagree with itself
	}
	name = fqdn(name)
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

// queryEvidence: one line per query, "127.0.0.1:53 A NXDOMAIN 0.9 ms";
// the name that answered when the search list applied ("system A
// backend.svc.x. NOERROR ..."), "TC" for an answer truncated over UDP.
func queryEvidence(qs []probe.DNSQuery) []string {
	out := make([]string, 0, len(qs))
	for _, q := range qs {
		s := q.ResolverName() + " " + q.QType + " "
		if len(q.Searched) > 1 {
			s += q.Name + " "
		}
		if rc := effectiveRcode(q); rc != "" {
			s += rc
		} else {
			s += "no answer"
		}
		if q.Truncated {
			s += " TC"
		}
		if len(q.Addresses) > 0 {
			s += " " + strings.Join(q.Addresses, ",")
		}
		s += " " + fmtMS(q.Duration)
		if q.Err != nil {
			s += ": " + queryErrText(q.Err)
		}
		out = append(out, s)
	}
	return out
}
