package report

import (
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// RootCauseGroup is the root causes that share one fault: the same code on
// the same target with the same message, i.e. seen the same way (issue 10:
// "tcp.refused on 127.0.0.1:18200 — 500 upstreams"). Upstream-level DNS
// causes share a fault when they have the same code and were asked of the
// same resolver — for a resolver-wide code (unreachable, timeout,
// SERVFAIL, truncated) whatever the name, otherwise for the same name (and
// message).
type RootCauseGroup struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	// Where is the shared place: the target address, or for DNS causes the
	// name and/or resolver ("" when the members share nothing more).
	Where string `json:"where"`
	// First is the first member in report order; its message and
	// remediation stand for the group.
	First RootCause `json:"-"`
	// Upstreams are the members' upstreams, in report order.
	Upstreams []string `json:"upstreams"`
	// Affects are the upstreams the members take down or affect, in the
	// order first seen, without duplicates and without any upstream that is
	// itself a root cause (its own fault is its own line).
	Affects []string `json:"affects"`
	// AffectsTotal is set in the JSON document only, as RootCause's.
	AffectsTotal int `json:"affects_total,omitempty"`
}

// resolverWideDNSCodes are the DNS causes that are about the resolver, not
// the name asked.
var resolverWideDNSCodes = map[string]bool{
	"dns.resolver_unreachable": true,
	"dns.timeout":              true,
	"dns.servfail":             true,
	"dns.truncated":            true,
}

// RootCauseGroups folds r.RootCauses into one group per shared fault, in
// the order each fault first appears.
func (r *Report) RootCauseGroups() []RootCauseGroup {
	isRoot := make(map[string]bool, len(r.RootCauses))
	for _, rc := range r.RootCauses {
		isRoot[rc.Upstream] = true
	}
	var groups []RootCauseGroup
	index := map[string]int{}
	seenAffect := map[int]map[string]bool{}
	var dnsOf map[string]*DNS // upstream → its dns object, made at the first DNS cause
	for _, rc := range r.RootCauses {
		if dnsOf == nil && rc.Target == "" && strings.HasPrefix(rc.Code, "dns.") {
			dnsOf = make(map[string]*DNS, len(r.Upstreams))
			for i := range r.Upstreams {
				dnsOf[r.Upstreams[i].Name] = r.Upstreams[i].DNS
			}
		}
		where := faultPlace(rc, dnsOf)
		key := rc.Code + "\x00" + where
		switch {
		case where == "":
			key += "\x00" + rc.Upstream // nothing shared: its own group
		case !resolverWideDNSCodes[rc.Code]:
			// The same code at one address is one fault only when it was
			// seen the same way: two services behind one ingress answering
			// different bodies to different paths are two faults, each with
			// its own quote and reproduction step.
			key += "\x00" + rc.Message
		}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			seenAffect[i] = map[string]bool{}
			groups = append(groups, RootCauseGroup{Code: rc.Code, Severity: rc.Severity, Where: where, First: rc})
		}
		g := &groups[i]
		g.Upstreams = append(g.Upstreams, rc.Upstream)
		if rc.Severity == Fail {
			g.Severity = Fail
		}
		for _, a := range rc.Affects {
			if isRoot[a] || seenAffect[i][a] {
				continue
			}
			seenAffect[i][a] = true
			g.Affects = append(g.Affects, a)
		}
	}
	return groups
}

// faultPlace is where a root cause's fault lies, for grouping: its target,
// or for an upstream-level DNS cause its resolver (and name), from dnsOf
// (each upstream's dns object).
func faultPlace(rc RootCause, dnsOf map[string]*DNS) string {
	if rc.Target != "" {
		return rc.Target
	}
	if !strings.HasPrefix(rc.Code, "dns.") {
		return ""
	}
	d := dnsOf[rc.Upstream]
	if d == nil {
		return ""
	}
	if resolverWideDNSCodes[rc.Code] {
		return "resolver " + d.Resolver
	}
	return d.Name + " via " + d.Resolver
}

// Title is the group on one line: "tcp.refused on 127.0.0.1:18200 — 500
// upstreams (svc000, svc001, … +497)"; with one member, "tcp.refused on
// 127.0.0.1:18200 — payments".
func (g RootCauseGroup) Title() string {
	s := g.Code
	if g.Where != "" {
		s += " on " + g.Where
	}
	return s + " — " + g.Members()
}

// Line is the group's line under ROOT CAUSES: its title and, when it
// affects other upstreams, " → " and its impact phrase.
func (g RootCauseGroup) Line(r *Report) string { return g.lineWith(g.ImpactPhrase(r)) }

// GroupLines is the Line of each group, the report indexed once for all
// of them (Line alone indexes it per group: quadratic over many groups).
func (r *Report) GroupLines(groups []RootCauseGroup) []string {
	out := r.impactPhrases(groups)
	for i, g := range groups {
		out[i] = g.lineWith(out[i])
	}
	return out
}

// impactPhrases is the ImpactPhrase of each group, the report indexed once
// for all of them.
func (r *Report) impactPhrases(groups []RootCauseGroup) []string {
	byName := r.ByName()
	find := func(name string) *Upstream { return byName[name] }
	out := make([]string, len(groups))
	for i, g := range groups {
		out[i] = impactBy(g.Affects, find).Phrase()
	}
	return out
}

func (g RootCauseGroup) lineWith(impact string) string {
	if impact != "" {
		return g.Title() + " → " + impact
	}
	return g.Title()
}

// Members names the group's upstreams: the one name, or their count and the
// first few ("500 upstreams (svc000, svc001, … +497)").
func (g RootCauseGroup) Members() string {
	if len(g.Upstreams) == 1 {
		return g.Upstreams[0]
	}
	return textfmt.Plural(len(g.Upstreams), "upstream") + " (" + NameList(g.Upstreams, titleNames) + ")"
}

// titleNames is how many of its upstreams a group's title names before
// "… +N".
const titleNames = 2

// namesAllShown: Members names every one of names.
func namesAllShown(names []string) bool { return len(names) <= titleNames+1 }

// NameList joins names with ", ", keeping the first keep of them and
// "… +N" for the rest when more than keep+1 ("a, b, … +497"; three names
// with keep 2 are all shown: "+1" would save nothing).
func NameList(names []string, keep int) string {
	if len(names) <= keep+1 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:keep], ", ") + ", … +" + strconv.Itoa(len(names)-keep)
}
