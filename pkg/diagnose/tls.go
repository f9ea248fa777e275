package diagnose

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// classifyTLS judges target i's TLS handshake and the certificate it got:
// a failed handshake, a chain that did not verify, and a leaf valid now
// that expires within expect.cert_min_days.
func classifyTLS(s *subject, i int) []draft {
	tr := s.target(i).TLS
	if !s.hasTLS() || tr == nil {
		return nil
	}
	if tr.HandshakeErr != nil {
		// A handshake that verified the chain itself fails with the x509
		// error: classify it as a verification error.
		if dr, ok := verifyFailed(s, i, tr, tr.HandshakeErr); ok {
			return dr
		}
		return handshakeFailed(s, i, catalog.LayerTLS, tr.HandshakeErr, tr.Duration)
	}
	if tr.VerifyErr != nil {
		if dr, ok := verifyFailed(s, i, tr, tr.VerifyErr); ok {
			return dr
		}
		// Not an x509 error we know: the chain did not verify.
		sni := s.serverName(i, tr)
		return []draft{{
			Code: catalog.TLSUntrusted, Layer: catalog.LayerTLS, Target: i,
			Message:  "certificate of " + s.addrOf(i) + " for " + sni + " failed verification: " + tr.VerifyErr.Error(),
			Evidence: certEvidence(leaf(tr), s.now, map[string]any{"error": tr.VerifyErr.Error(), "server_name": sni}),
		}}
	}
	return certExpiring(s, i, tr)
}

// certExpiring: a trusted (or insecure_skip_verify) leaf that is valid now
// but expires within expect.cert_min_days, as the graph gives it (0: never
// too soon).
func certExpiring(s *subject, i int, tr *probe.TLSResult) []draft {
	c := leaf(tr)
	if c == nil || s.now.Before(c.NotBefore) || !s.now.Before(c.NotAfter) {
		return nil
	}
	left := c.NotAfter.Sub(s.now)
	minDays := s.up.Expect.CertMinDays
	if left >= time.Duration(minDays)*24*time.Hour {
		return nil
	}
	sni := s.serverName(i, tr)
	return []draft{{
		Code: catalog.TLSCertExpiring, Layer: catalog.LayerTLS, Target: i,
		Message: fmt.Sprintf("certificate for %s expires in %s (not_after %s), less than cert_min_days %d",
			sni, humanDuration(left), fmtDate(c.NotAfter), minDays),
		Evidence: certEvidence(c, s.now, map[string]any{"cert_min_days": minDays, "server_name": sni}),
	}}
}

// handshakeFailed reports tls.handshake_failed, observed in layer, with
// what the error type says; a refused or unreachable connection is a tcp.*
// cause, and a handshake the end of the run cut short is none.
func handshakeFailed(s *subject, i int, layer catalog.Layer, err error, took time.Duration) []draft {
	tr := s.target(i).TLS
	ev := map[string]any{"error": shortErr(err), "server_name": s.serverName(i, tr)}
	var why string
	switch k := classify(err); {
	case k == kindCanceled:
		return nil
	case tr != nil && tr.ClientCertRequested && (k == kindTLSAlert || k == kindEOF || k == kindReset):
		return clientCertRejected(s, i, layer, err, ev)
	case k == kindNotTLS:
		rh, _ := recordHeader(err)
		ev["record_header"] = fmt.Sprintf("% x", rh[:])
		why = "the server did not answer with TLS"
		if bytes.HasPrefix(rh[:], []byte("HTTP/")) {
			why = "the server answered with plain HTTP: the port does not speak TLS"
			ev["plain_http"] = true
		}
	case k == kindTLSAlert:
		why = "the server sent a TLS alert: " + shortErr(err)
	case k == kindEOF, k == kindReset:
		why = "the server closed the connection during the handshake (" + errnoText(err) + ")"
	case k == kindTimeout:
		ev["duration_ms"] = ms(took)
		why = "the handshake did not complete " + s.within(took, ev)
	case k == kindRefused, k == kindUnreachable:
		return connectFailed(s, i, layer, err, took)
	default:
		why = shortErr(err)
	}
	return []draft{{
		Code: catalog.TLSHandshakeFailed, Layer: layer, Target: i,
		Message:  "TLS handshake with " + s.addrOf(i) + " failed: " + why,
		Evidence: ev,
	}}
}

// clientCertRejected: the server asked for a client certificate and ended
// the handshake (an alert, or a close) — none was presented, or the one
// presented was not accepted. The catalogue's variant for the case leads
// the remediation.
func clientCertRejected(s *subject, i int, layer catalog.Layer, err error, ev map[string]any) []draft {
	tr := s.target(i).TLS
	ev["client_cert_requested"] = true
	ev["client_cert_presented"] = tr.ClientCertSent
	why := "the server requires a client certificate and none was presented"
	variant := catalog.VariantClientCertMissing
	if tr.ClientCertSent {
		why = "the server requires a client certificate and rejected the one presented"
		ev["cert_file"] = s.up.TLS.CertFile
		variant = catalog.VariantClientCertRejected
	}
	return []draft{{
		Code: catalog.TLSHandshakeFailed, Layer: layer, Target: i,
		Message:  "TLS handshake with " + s.addrOf(i) + " failed: " + why + " (" + shortErr(err) + ")",
		Evidence: ev,
		Variant:  variant,
	}}
}

// verifyFailed reports an x509 verification error of target i (tr: the
// certificates it sent, nil when unknown); false when err holds none of
// the x509 error types.
func verifyFailed(s *subject, i int, tr *probe.TLSResult, err error) ([]draft, bool) {
	addr := s.addrOf(i)
	sni := s.serverName(i, tr)
	now := s.now
	var chain []*x509.Certificate
	if tr != nil {
		chain = tr.PeerCertificates
	}
	one := func(code, msg string, ev map[string]any) ([]draft, bool) {
		return []draft{{Code: code, Layer: catalog.LayerTLS, Target: i, Message: msg, Evidence: ev}}, true
	}

	var inv x509.CertificateInvalidError
	var host x509.HostnameError
	var unknown x509.UnknownAuthorityError
	var roots x509.SystemRootsError
	switch {
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		// Expired covers both ends of the validity window: decide by the
		// dates which one, the certificate named by the error first.
		bad, notYet := outOfValidity(append([]*x509.Certificate{inv.Cert}, chain...), now)
		if bad == nil {
			bad = inv.Cert
			if bad == nil {
				bad = leaf(tr)
			}
		}
		which := "certificate for " + sni
		if bad != nil && len(chain) > 0 && !bad.Equal(chain[0]) {
			which = "chain certificate " + bad.Subject.String() + " of " + sni
		}
		ev := certEvidence(bad, now, map[string]any{"error": err.Error(), "server_name": sni})
		if notYet {
			msg := which + " is not valid yet"
			if bad != nil {
				msg += fmt.Sprintf(" (not_before %s, in %s: check this host's clock)",
					bad.NotBefore.UTC().Format(time.RFC3339), humanDuration(bad.NotBefore.Sub(now)))
			}
			return one(catalog.TLSCertNotYetValid, msg, ev)
		}
		msg := which + " expired"
		if bad != nil {
			msg += fmt.Sprintf(" %s ago (not_after %s)", humanDuration(now.Sub(bad.NotAfter)), fmtDate(bad.NotAfter))
		}
		return one(catalog.TLSCertExpired, msg, ev)

	case errors.As(err, &host):
		c := host.Certificate
		if c == nil {
			c = leaf(tr)
		}
		name := host.Host
		if name == "" {
			name = sni
		}
		covers := "no names"
		subj := ""
		if c != nil {
			if names := sans(c); len(names) > 0 {
				covers = strings.Join(names, ", ")
			}
			subj = " (" + c.Subject.String() + ")"
		}
		return one(catalog.TLSHostnameMismatch, "certificate from "+addr+subj+" covers "+covers+", not "+name,
			certEvidence(c, now, map[string]any{"error": err.Error(), "server_name": name}))

	case errors.As(err, &unknown):
		c := unknown.Cert
		if c == nil {
			c = leaf(tr)
		}
		ev := certEvidence(c, now, map[string]any{"error": err.Error(), "server_name": sni})
		if c != nil && selfSigned(c) && len(chain) <= 1 {
			ev["self_signed"] = true
			return one(catalog.TLSUntrusted, "certificate for "+sni+" from "+addr+" is self-signed ("+c.Subject.String()+")", ev)
		}
		issuer := "an unknown authority"
		if c != nil {
			issuer = c.Issuer.String()
		}
		ev["chain_length"] = len(chain)
		return one(catalog.TLSUntrusted, "certificate for "+sni+" from "+addr+" is signed by "+issuer+", which is not trusted", ev)

	case errors.As(err, &inv), errors.As(err, &roots):
		// Other chain problems (not authorised to sign, name constraints,
		// incompatible key usage, no system roots): the chain is not trusted.
		return one(catalog.TLSUntrusted, "certificate chain for "+sni+" from "+addr+" is not trusted: "+err.Error(),
			certEvidence(leaf(tr), now, map[string]any{"error": err.Error(), "server_name": sni}))
	}
	return nil, false
}
