package diagnose

import (
	"github.com/updoc/updoc/pkg/probe"
)

// possibleProxyAnswer reports an answer whose body is a stock text both a
// proxy and any service of its language write (a Generic row: Go
// net/http's "404 page not found" is Traefik's and every Go service's):
// nothing in it names who wrote it, so it is judged by the plain status
// rules, and the message quotes it and says it may be either; the row's
// variant gives the step that tells them apart.
func possibleProxyAnswer(s *subject, i int, hr *probe.HTTPResult, r *fingerprintRow) []draft {
	out := statusUnexpected(s, i, hr) // quotes the body
	for k := range out {
		d := &out[k]
		d.Message += ": the body is " + r.Describe
		d.Evidence["fingerprint"] = r.ID
		d.Evidence["maybe_product"] = r.Product
		if r.Variant != "" && d.Vars != nil {
			d.Variant = r.Variant
			// The variant's step names the product's runbook.
			d.Vars.Product = r.Product
		}
	}
	return out
}
