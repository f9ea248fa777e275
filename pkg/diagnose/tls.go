package diagnose

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// classifyTLS judges target i's TLS handshake and the certificates it got:
// a failed handshake, a chain that did not verify, and a certificate of
// the verified chain the server sent (leaf or intermediate) that is valid
// now but expires within expect.cert_min_days.
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

// certExpiring: the certificates of the chain the server sent that the
// expiry rules judge (sentChain: of the verified chain, SPEC §3) that are
// valid now but expire within expect.cert_min_days, as the graph gives it
// (0: never too soon). One finding names the one that expires first, leaf
// or intermediate; the others that expire too soon are in its message.
func certExpiring(s *subject, i int, tr *probe.TLSResult) []draft {
	minDays := s.up.Expect.CertMinDays
	var soon []*x509.Certificate
	for _, c := range sentChain(tr) {
		if !s.now.Before(c.NotBefore) && s.now.Before(c.NotAfter) && c.NotAfter.Sub(s.now) < time.Duration(minDays)*24*time.Hour {
			soon = append(soon, c)
		}
	}
	if len(soon) == 0 {
		return nil
	}
	slices.SortStableFunc(soon, func(a, b *x509.Certificate) int { return a.NotAfter.Compare(b.NotAfter) })
	c, lf, sni := soon[0], leaf(tr), s.serverName(i, tr)
	msg := fmt.Sprintf("%s expires in %s (not_after %s), less than cert_min_days %d",
		certName(c, lf, sni), humanDuration(c.NotAfter.Sub(s.now)), fmtDate(c.NotAfter), minDays)
	for _, o := range soon[1:] {
		msg += fmt.Sprintf("; the %s %s expires in %s", certRole(o, lf), o.Subject, humanDuration(o.NotAfter.Sub(s.now)))
	}
	variant := ""
	if role := certRole(c, lf); role != "leaf" {
		variant = catalog.VariantChainCertExpiring
		if !slices.ContainsFunc(soon, lf.Equal) {
			msg += fmt.Sprintf("; the leaf is valid for %s more", humanDuration(lf.NotAfter.Sub(s.now)))
		}
	}
	return []draft{{
		Code: catalog.TLSCertExpiring, Layer: catalog.LayerTLS, Target: i,
		Message:  msg,
		Evidence: certEvidence(c, s.now, map[string]any{"cert_min_days": minDays, "server_name": sni, "certificate": certRole(c, lf)}),
		Variant:  variant,
	}}
}

// handshakeFailed reports tls.handshake_failed, observed in layer, with
// what the error type says; a refused or unreachable connection is a tcp.*
// cause, and a handshake the end of the run cut short is none.
func handshakeFailed(s *subject, i int, layer catalog.Layer, err error, took time.Duration) []draft {
	tr := s.target(i).TLS
	ev := map[string]any{"error": shortErr(err)}
	if tr != nil && tr.SNI == "" {
		ev["sni_sent"] = false
	} else {
		ev["server_name"] = s.serverName(i, tr)
	}
	refused := false // the server ended the handshake: an alert, a close or a reset
	var why string
	switch k := classify(err); {
	case k == kindCanceled:
		return nil
	case tr != nil && tr.ClientCertRequested && (k == kindTLSAlert || k == kindEOF || k == kindReset):
		return clientCertRejected(s, i, layer, err, ev)
	case layer == catalog.LayerTLS && tr != nil && tr.Legacy != nil:
		return legacyOnly(s, i, err, tr.Legacy, ev)
	case k == kindNotTLS:
		rh, _ := recordHeader(err)
		ev["record_header"] = fmt.Sprintf("% x", rh[:])
		why = "the server did not answer with TLS"
		if bytes.HasPrefix(rh[:], []byte("HTTP/")) {
			why = "the server answered with plain HTTP: the port does not speak TLS"
			ev["plain_http"] = true
		}
	case k == kindTLSAlert:
		refused = true
		why = "the server sent a TLS alert: " + shortErr(err)
		if a, ok := peerAlert(err); ok {
			ev["alert"] = strings.TrimPrefix(a.Error(), "tls: ")
		}
	case k == kindEOF, k == kindReset:
		refused = true
		why = "the server closed the connection during the handshake (" + errnoText(err) + ")"
	case k == kindTimeout:
		ev["duration_ms"] = ms(took)
		why = "the handshake did not complete " + s.within(took, ev)
	case k == kindRefused, k == kindUnreachable:
		return connectFailed(s, i, layer, err, took)
	default:
		why = shortErr(err)
	}
	variant := ""
	if refused && layer == catalog.LayerTLS {
		why, variant = refusalCause(s, i, tr, err, why, ev)
	}
	return []draft{{
		Code: catalog.TLSHandshakeFailed, Layer: layer, Target: i,
		Message:  "TLS handshake with " + s.addrOf(i) + " failed: " + why,
		Evidence: ev,
		Variant:  variant,
	}}
}

// refusalCause says what the facts of target i's tls layer tell of a
// handshake the server ended (err: an alert, a close or a reset; why: what
// it was), and names the remediation variant:
//   - the alert unrecognized name to a handshake that carried no server
//     name (an IP url): the missing SNI (no_sni);
//   - the alert handshake failure or insufficient security, with the
//     legacy handshake (every version and suite crypto/tls implements)
//     refused as well: no cipher suite in common (no_common_cipher);
//
// otherwise nothing more than why. A handshake without SNI that the server
// ended otherwise is not put down to the name: why says no SNI was sent,
// and how to tell. ev gains what the facts add.
func refusalCause(s *subject, i int, tr *probe.TLSResult, err error, why string, ev map[string]any) (string, string) {
	noSNI := tr != nil && tr.SNI == ""
	alert, isAlert := peerAlert(err)
	switch {
	case noSNI && isAlert && alert == alertUnrecognizedName:
		return "the server refused a handshake without a server name (alert unrecognized name); no SNI was sent, since " +
				s.serverName(i, tr) + " is an IP address (TLS clients never send one as SNI, RFC 6066 §3): set tls.server_name to a name the server serves",
			catalog.VariantNoSNI
	case isAlert && (alert == alertHandshakeFailure || alert == alertInsufficientSecurity) && tr != nil && tr.LegacyErr != nil:
		ev["legacy_error"] = shortErr(tr.LegacyErr)
		why = "the server refused updoc's offer (alert " + strings.TrimPrefix(alert.Error(), "tls: ") + ") and a second one with " +
			"TLS 1.0 to 1.3 and every cipher suite Go implements, legacy ones included (" + shortErr(tr.LegacyErr) + "): " +
			"it shares no cipher suite with updoc — it may accept only suites Go does not implement, such as DHE (finite-field Diffie-Hellman), CCM or CAMELLIA"
		if noSNI {
			why += "; no SNI was sent (" + s.serverName(i, tr) + " is an IP address), which some servers also refuse this way: the steps tell the two apart"
		}
		return why, catalog.VariantNoCommonCipher
	case noSNI:
		return why + "; no SNI was sent (" + s.serverName(i, tr) + " is an IP address): if the server picks its certificate by name, " +
			"set tls.server_name (openssl s_client with and without -servername tells)", ""
	}
	return why, ""
}

// The alerts refusalCause reads (RFC 8446 §6): unrecognized name is the
// alert of a server that has no certificate for the server name sent, or
// for none (RFC 6066 §3); handshake failure and insufficient security,
// that of one that found nothing acceptable in the offer.
const (
	alertUnrecognizedName     tls.AlertError = 112
	alertHandshakeFailure     tls.AlertError = 40
	alertInsufficientSecurity tls.AlertError = 71
)

// peerAlert is the alert the server sent, when err is one. crypto/tls
// reports it as a *net.OpError with Op "remote error" whose Err is its
// unexported alert type, a uint8 of package crypto/tls: it is read by its
// type and kind, never from the text.
func peerAlert(err error) (tls.AlertError, bool) {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "remote error" || op.Err == nil {
		return 0, false
	}
	var ae tls.AlertError
	if errors.As(op.Err, &ae) {
		return ae, true
	}
	if v := reflect.ValueOf(op.Err); v.Kind() == reflect.Uint8 && v.Type().PkgPath() == "crypto/tls" {
		return tls.AlertError(v.Uint()), true
	}
	return 0, false
}

// legacyOnly: the server refused updoc's handshake (TLS 1.2 and 1.3, Go's
// default suites) and completed the legacy one (probe.TLSResult.Legacy):
// it speaks only TLS 1.0 or 1.1, or at TLS 1.2 only suites updoc does not
// offer. err is the first handshake's error.
func legacyOnly(s *subject, i int, err error, lh *probe.LegacyHandshake, ev map[string]any) []draft {
	ev["legacy_version"] = lh.Version
	ev["legacy_cipher_suite"] = lh.CipherSuite
	why := fmt.Sprintf("the server speaks %s only; updoc requires ≥ TLS 1.2 "+
		"(offered TLS 1.2 and 1.3, the handshake failed: %s; offered TLS 1.0 and 1.1 as well, it completed with %s)",
		lh.Version, shortErr(err), lh.Version)
	variant := catalog.VariantLegacyVersion
	if lh.VersionID >= tls.VersionTLS12 {
		why = fmt.Sprintf("the server accepts only cipher suites updoc does not offer "+
			"(offered Go's default suites, the handshake failed: %s; offered every suite, it chose %s with %s)",
			shortErr(err), lh.CipherSuite, lh.Version)
		variant = catalog.VariantLegacyCipher
	}
	return []draft{{
		Code: catalog.TLSHandshakeFailed, Layer: catalog.LayerTLS, Target: i,
		Message:  "TLS handshake with " + s.addrOf(i) + " failed: " + why,
		Evidence: ev,
		Variant:  variant,
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
	one := func(code, msg string, ev map[string]any, variant string) ([]draft, bool) {
		return []draft{{Code: code, Layer: catalog.LayerTLS, Target: i, Message: msg, Evidence: ev, Variant: variant}}, true
	}

	var inv x509.CertificateInvalidError
	var host x509.HostnameError
	var unknown x509.UnknownAuthorityError
	var roots x509.SystemRootsError
	switch {
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		// Expired covers both ends of the validity window: decide by the
		// dates which one, the certificate named by the error first.
		chain := chainOf(err, tr, inv.Cert)
		bad, notYet := outOfValidity(append([]*x509.Certificate{inv.Cert}, chain...), now)
		if bad == nil {
			bad = inv.Cert
			if bad == nil {
				bad = first(chain)
			}
		}
		which, variant := "certificate for "+sni, ""
		ev := map[string]any{"error": err.Error(), "server_name": sni}
		if lf := first(chain); bad != nil && lf != nil {
			ev["certificate"] = certRole(bad, lf)
			if !bad.Equal(lf) {
				which, variant = certName(bad, lf, sni), catalog.VariantChainCertExpired
			}
		}
		ev = certEvidence(bad, now, ev)
		if notYet {
			msg := which + " is not valid yet"
			if bad != nil {
				msg += fmt.Sprintf(" (not_before %s, in %s: check this host's clock)",
					bad.NotBefore.UTC().Format(time.RFC3339), humanDuration(bad.NotBefore.Sub(now)))
			}
			return one(catalog.TLSCertNotYetValid, msg, ev, "")
		}
		msg := which + " expired"
		if bad != nil {
			msg += fmt.Sprintf(" %s ago (not_after %s)", humanDuration(now.Sub(bad.NotAfter)), fmtDate(bad.NotAfter))
		}
		return one(catalog.TLSCertExpired, msg, ev, variant)

	case errors.As(err, &host):
		c := host.Certificate
		if c == nil {
			c = leaf(tr)
		}
		name := host.Host
		if name == "" {
			name = sni
		}
		ev := certEvidence(c, now, map[string]any{"error": err.Error(), "server_name": name})
		if c != nil && len(sans(c)) == 0 && c.Subject.CommonName != "" {
			// The legacy form: a common name and no subjectAltName.
			ev["common_name"] = c.Subject.CommonName
			return one(catalog.TLSHostnameMismatch, "certificate from "+addr+" names "+c.Subject.CommonName+
				" only in its common name (CN) and has no subjectAltName; modern clients ignore the common name "+
				"(Go since 1.15, Chrome since 58, RFC 9525), so it covers no names, not "+name, ev, catalog.VariantNoSAN)
		}
		covers := "no names"
		subj := ""
		if c != nil {
			if names := sans(c); len(names) > 0 {
				covers = strings.Join(names, ", ")
			}
			subj = " (" + c.Subject.String() + ")"
		}
		msg := "certificate from " + addr + subj + " covers " + covers + ", not " + name
		if tr != nil && tr.SNI == "" && c != nil && len(c.DNSNames) > 0 {
			// A server that picks its certificate by name got none and
			// sent its default one.
			ev["sni_sent"] = false
			msg += "; no SNI was sent for the IP address, so the server sent its default certificate: set tls.server_name to a name it serves"
		}
		return one(catalog.TLSHostnameMismatch, msg, ev, "")

	case errors.As(err, &unknown):
		return untrusted(s, i, err, chainOf(err, tr, unknown.Cert), unknown.Cert), true

	case errors.As(err, &roots):
		// No ca_file, and this host has no trust store to verify against:
		// no chain can be trusted; a CA to trust is the fix.
		return one(catalog.TLSUntrusted, "certificate chain for "+sni+" from "+addr+" could not be verified: "+
			"this host has no system trust store and tls.ca_file is not set ("+err.Error()+")",
			certEvidence(leaf(tr), now, map[string]any{"error": err.Error(), "server_name": sni, "system_roots": false}),
			catalog.VariantUntrustedRoot)

	case errors.As(err, &inv):
		// Other chain problems (not authorised to sign, name constraints,
		// incompatible key usage): the chain is not trusted.
		return one(catalog.TLSUntrusted, "certificate chain for "+sni+" from "+addr+" is not trusted: "+err.Error(),
			certEvidence(leaf(tr), now, map[string]any{"error": err.Error(), "server_name": sni}), "")
	}
	return nil, false
}

// untrusted reports a chain that leads to no trusted root
// (x509.UnknownAuthorityError err, about certificate c; nil when unknown),
// reading what the server sent (chain, leaf first) as it links up from the
// leaf (issuerPath):
//   - a self-signed leaf;
//   - a path that ends at a root the server sent, or at a CA certificate
//     (an intermediate) whose issuer it did not send: the chain is whole
//     as servers send it (intermediates, not the root) and the CA it
//     leads to is not trusted — a private CA, a tls.ca_file without it, a
//     trust store that lacks it;
//   - a leaf alone whose issuer was not sent: incomplete (a missing
//     intermediate) when a ca_file holds the roots or the leaf points at
//     its issuer's certificate (Authority Information Access); without
//     either it is as likely signed directly by a private root.
//
// With tls.ca_file set, no step says to set it.
func untrusted(s *subject, i int, err error, chain []*x509.Certificate, c *x509.Certificate) []draft {
	addr, sni, caFile := s.addrOf(i), s.serverName(i, s.target(i).TLS), s.up.TLS.CAFile
	lf := first(chain)
	if lf == nil {
		lf = c
	}
	ev := certEvidence(lf, s.now, map[string]any{"error": err.Error(), "server_name": sni})
	trust, variant := "which is not trusted", ""
	if caFile != "" {
		ev["ca_file"] = caFile
		trust, variant = "which is not in tls.ca_file ("+caFile+")", catalog.VariantCAFileUntrusted
	}
	draft := func(msg string) []draft {
		return []draft{{Code: catalog.TLSUntrusted, Layer: catalog.LayerTLS, Target: i, Message: msg, Evidence: ev, Variant: variant}}
	}
	if lf == nil {
		return draft("certificate for " + sni + " from " + addr + " is signed by an unknown authority, " + trust)
	}
	if selfSigned(lf) {
		ev["self_signed"] = true
		return draft("certificate for " + sni + " from " + addr + " is self-signed (" + lf.Subject.String() + ")")
	}
	ev["chain_length"] = len(chain)
	ev["chain"] = subjects(chain)
	path := issuerPath(chain)
	if len(path) == 0 {
		path = []*x509.Certificate{lf}
	}
	end := path[len(path)-1]
	msg := "certificate for " + sni + " from " + addr + " is signed by " + lf.Issuer.String()
	if caFile == "" && (selfSigned(end) || len(path) > 1) {
		variant = catalog.VariantUntrustedRoot
	}
	switch {
	case selfSigned(end):
		ev["untrusted_ca"] = end.Subject.String()
		if len(path) > 2 {
			msg += ", which chains up to the root " + end.Subject.String() + " (sent by the server)"
		}
		return draft(msg + ", " + trust)
	case len(path) > 1:
		// The server sent the leaf and the CA certificates above it, up to
		// one whose issuer it did not send — as servers are meant to: the
		// root is the client's to trust.
		ev["untrusted_ca"] = end.Issuer.String()
		return draft("certificate chain for " + sni + " from " + addr + " leads to " + end.Issuer.String() + ", " + trust +
			": the server sent " + strings.Join(subjects(path), " → ") + ", issued by " + end.Issuer.String() +
			" (if that is an intermediate rather than a root, the server must send it too)")
	case caFile == "" && len(end.IssuingCertificateURL) == 0:
		// A lone leaf, no ca_file, and no pointer to its issuer's
		// certificate (Authority Information Access): as likely signed
		// directly by a private root not trusted here as by an
		// intermediate the server did not send.
		return draft(msg + " (not sent by the server), " + trust)
	}
	// A lone leaf whose issuer was not sent and is no trusted root.
	ev["missing_issuer"] = end.Issuer.String()
	if len(end.IssuingCertificateURL) > 0 {
		ev["issuer_url"] = end.IssuingCertificateURL[0]
	}
	trust = "which is not a trusted root either"
	if caFile != "" {
		trust = "which is not in tls.ca_file (" + caFile + ") either"
	}
	variant = catalog.VariantChainIncomplete
	return draft("certificate chain for " + sni + " from " + addr + " is incomplete: the server sent " + end.Subject.String() +
		" without its issuer, " + end.Issuer.String() + ", " + trust)
}

// chainOf is the chain err is about, leaf first: the certificates
// crypto/tls attached to it (tls.CertificateVerificationError), else those
// tr holds — unless err names a certificate (named) that is not among
// them (another hop's), then that one alone.
func chainOf(err error, tr *probe.TLSResult, named *x509.Certificate) []*x509.Certificate {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) && len(cve.UnverifiedCertificates) > 0 {
		return cve.UnverifiedCertificates
	}
	var chain []*x509.Certificate
	if tr != nil {
		chain = tr.PeerCertificates
	}
	if named != nil && !slices.ContainsFunc(chain, named.Equal) {
		return []*x509.Certificate{named}
	}
	return chain
}

// first is the first certificate of chain; nil when it is empty.
func first(chain []*x509.Certificate) *x509.Certificate {
	if len(chain) == 0 {
		return nil
	}
	return chain[0]
}
