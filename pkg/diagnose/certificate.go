package diagnose

import (
	"bytes"
	"crypto/x509"
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
