package diagnose

import (
	"net"
	"net/url"
	"slices"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// Redirects to https are verified like the first hop (SPEC §3): a
// certificate problem of a hop is a tls.* finding that names the hop's
// host, made by the tls layer's own rules (tls.go) — observed in the http
// layer, on the target whose request was redirected.

// redirectTLS judges the TLS handshakes of target i's redirects: the one
// that failed (the exchange ended there), and certificates of hops that
// passed but expire within cert_min_days.
func redirectTLS(s *subject, i int, hr *probe.HTTPResult) []draft {
	var out []draft
	for _, hop := range hr.TLSHops {
		hs := hopSubject(s, i, hop)
		if hs == nil {
			continue
		}
		vars := hs.vars(i)
		for _, d := range classifyTLS(hs, i) {
			d.Layer = catalog.LayerHTTP
			d.Message += " (after following the redirect from " + s.addrOf(i) + " to " + redactURL(hop.URL) + ")"
			d.Evidence["redirected_to"] = redactURL(hop.URL)
			d.Evidence["redirects"] = redactAll(hr.Redirects)
			d.Evidence["address"] = hop.Address
			d.Vars = &vars
			out = append(out, d)
		}
	}
	return out
}

// hopTLSFailed reports whether the exchange of hr ended at the TLS
// handshake of a redirect (its last TLSHop failed).
func hopTLSFailed(hr *probe.HTTPResult) bool {
	if hr.ErrPhase != "tls" || len(hr.TLSHops) == 0 {
		return false
	}
	last := hr.TLSHops[len(hr.TLSHops)-1].TLS
	return last.HandshakeErr != nil || last.VerifyErr != nil
}

// hopSubject is s as if the redirect hop were the upstream: its https
// URL, target i standing for the hop (its host and port, the address
// dialled, its TLS facts) — so that the tls rules (classifyTLS) and the
// remediation speak of the hop. s is not changed; nil when the hop's URL
// does not parse.
func hopSubject(s *subject, i int, hop probe.TLSHop) *subject {
	u, err := url.Parse(hop.URL)
	if err != nil {
		return nil
	}
	if u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), "443")
	}
	up := *s.up
	up.URL, up.RawURL, up.URLWritten = u, hop.URL, ""
	up.TLS.ServerName = ""
	res := *s.res
	res.DNS = nil // the hop's host was not the dns layer's
	res.Targets = slices.Clone(s.res.Targets)
	t := &res.Targets[i]
	tls := hop.TLS
	t.Address, t.Dial, t.Name, t.DNS, t.TLS = u.Host, hop.Address, "", nil, &tls
	hs := *s
	hs.up, hs.res = &up, &res
	return &hs
}
