package diagnose

import (
	"bytes"
	"crypto/x509"
	"slices"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/probe"
)

// leaf is the first certificate the server sent; nil when none is known.
func leaf(tr *probe.TLSResult) *x509.Certificate {
	if tr == nil || len(tr.PeerCertificates) == 0 {
		return nil
	}
	return tr.PeerCertificates[0]
}

func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject)
}

// issuerPath is the chain the server sent as it links up from the leaf
// (chain[0]): each next certificate is one of chain that names the
// previous one's issuer and whose key signed it. It ends at a self-signed
// certificate (a root the server sent) or at one whose issuer the server
// did not send. Certificates sent that are not on the path (stale or
// cross-signed extras) are left out; nil for an empty chain.
func issuerPath(chain []*x509.Certificate) []*x509.Certificate {
	if len(chain) == 0 {
		return nil
	}
	path := []*x509.Certificate{chain[0]}
	for c := chain[0]; !selfSigned(c); {
		i := slices.IndexFunc(chain, func(p *x509.Certificate) bool {
			return !slices.ContainsFunc(path, p.Equal) && bytes.Equal(p.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(p) == nil
		})
		if i < 0 {
			break
		}
		c = chain[i]
		path = append(path, c)
	}
	return path
}

// sentChain is what the expiry rules judge (SPEC §3): the certificates of
// the verified chain that the server sent, leaf first — a root that came
// from the trust store is not the server's to renew. Without a verified
// chain (insecure_skip_verify) it is the issuer path of what was sent.
func sentChain(tr *probe.TLSResult) []*x509.Certificate {
	if tr == nil {
		return nil
	}
	if len(tr.VerifiedChain) == 0 {
		return issuerPath(tr.PeerCertificates)
	}
	var out []*x509.Certificate
	for _, c := range tr.VerifiedChain {
		if slices.ContainsFunc(tr.PeerCertificates, c.Equal) {
			out = append(out, c)
		}
	}
	return out
}

// certRole says what c is to the chain whose leaf is leaf: "leaf", "root"
// (a self-signed CA) or "intermediate".
func certRole(c, leaf *x509.Certificate) string {
	switch {
	case leaf != nil && c.Equal(leaf):
		return "leaf"
	case selfSigned(c):
		return "root"
	default:
		return "intermediate"
	}
}

// certName names certificate c in a message about the chain for server
// name sni whose leaf is leaf: "certificate for api.example.com" for the
// leaf, "intermediate CN=R3,O=Let's Encrypt in the chain for
// api.example.com" for another. A leaf that does not cover sni (checked
// with verification off, -k) is not called sni's: "certificate from
// 127.0.0.1 (CN=svc.test)", "intermediate … in the chain from 127.0.0.1".
func certName(c, leaf *x509.Certificate, sni string) string {
	covers := leaf == nil || leaf.VerifyHostname(sni) == nil
	if role := certRole(c, leaf); role != "leaf" {
		if !covers {
			return role + " " + c.Subject.String() + " in the chain from " + sni
		}
		return role + " " + c.Subject.String() + " in the chain for " + sni
	}
	if !covers {
		return "certificate from " + sni + " (" + certIdentity(c) + ")"
	}
	return "certificate for " + sni
}

// certIdentity names whom certificate c is for: its common name
// ("CN=svc.test"), else its subjectAltNames, else its subject.
func certIdentity(c *x509.Certificate) string {
	switch {
	case c.Subject.CommonName != "":
		return "CN=" + c.Subject.CommonName
	case len(sans(c)) > 0:
		return "subjectAltName " + strings.Join(sans(c), ", ")
	case c.Subject.String() != "":
		return c.Subject.String()
	}
	return "no subject"
}

// subjects are the subjects of certs, in order.
func subjects(certs []*x509.Certificate) []string {
	out := make([]string, len(certs))
	for i, c := range certs {
		out[i] = c.Subject.String()
	}
	return out
}

// sans are the names a certificate covers: DNS names, IP addresses, URIs.
func sans(c *x509.Certificate) []string {
	out := append([]string{}, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	for _, u := range c.URIs {
		out = append(out, u.String())
	}
	return out
}

// outOfValidity is the first certificate of certs (nil entries skipped)
// that is not valid at now, and whether it is not valid yet (else it
// expired); nil when every one is valid.
func outOfValidity(certs []*x509.Certificate, now time.Time) (*x509.Certificate, bool) {
	for _, c := range certs {
		switch {
		case c == nil:
		case now.Before(c.NotBefore):
			return c, true
		case now.After(c.NotAfter):
			return c, false
		}
	}
	return nil, false
}

// certEvidence adds what a finding says about certificate c to ev (nothing
// when c is nil) and returns ev.
func certEvidence(c *x509.Certificate, now time.Time, ev map[string]any) map[string]any {
	if c == nil {
		return ev
	}
	ev["subject"] = c.Subject.String()
	ev["issuer"] = c.Issuer.String()
	ev["sans"] = sans(c)
	ev["not_before"] = c.NotBefore.UTC().Format(time.RFC3339)
	ev["not_after"] = c.NotAfter.UTC().Format(time.RFC3339)
	ev["days_left"] = daysLeft(now, c.NotAfter)
	return ev
}
