package diagnose

import (
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// maxCNAMELinks is the longest CNAME chain updoc accepts (SPEC §4
// dns.cname_loop): resolvers and clients stop following sooner or later,
// and a longer chain is a misconfiguration waiting to break.
const maxCNAMELinks = 8

// loopsOrLong: q's CNAME chain loops or has more than maxCNAMELinks links.
func loopsOrLong(q probe.DNSQuery) bool { return q.CNAMELoop || len(q.CNAMEChain) > maxCNAMELinks }

// cnameLoop finds a query whose CNAME chain loops back to a name it already
// passed, or is longer than maxCNAMELinks links: dns.cname_loop, with the
// chain in the message ("a.x. → b.x. → a.x."). Every query with such a
// chain is named; the first one's chain is shown.
func cnameLoop(name string, queries []probe.DNSQuery, ev map[string]any, vars catalog.Vars) (draft, bool) {
	var bad []probe.DNSQuery
	for _, q := range queries {
		if loopsOrLong(q) {
			bad = append(bad, q)
		}
	}
	if len(bad) == 0 {
		return draft{}, false
	}
	q := bad[0]
	setResolver(&vars, q)
	asked := answeredName(name, q)
	chain := chainText(asked, q.CNAMEChain)
	ev["resolver"] = q.ResolverName()
	ev["rcode"] = effectiveRcode(q)
	ev["cname_chain"] = q.CNAMEChain
	ev["links"] = len(q.CNAMEChain)
	var msg string
	if q.CNAMELoop {
		ev["loops_to"] = fqdn(q.CNAMEChain[len(q.CNAMEChain)-1])
		msg = "the CNAME chain of " + asked + " loops: " + chain
	} else {
		msg = "the CNAME chain of " + asked + " is " + strconv.Itoa(len(q.CNAMEChain)) + " links long, more than " +
			strconv.Itoa(maxCNAMELinks) + ": " + chain
	}
	msg += " (" + effectiveRcode(q) + " from " + byResolver(bad) + ")"
	if len(q.Addresses) == 0 {
		msg += "; it never reaches an address"
	}
	return draft{Code: catalog.DNSCNAMELoop, Message: msg, Evidence: ev, Vars: &vars}, true
}

// chainText renders a CNAME chain from name: "a.x. → b.x. → a.x.".
func chainText(name string, chain []string) string {
	parts := []string{fqdn(name)}
	for _, c := range chain {
		parts = append(parts, fqdn(c))
	}
	return strings.Join(parts, " → ")
}
