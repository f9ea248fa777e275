package diagnose

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// classifyTarget classifies every layer of target i that ran. A layer that
// failed stops the classification of the layers above it only because
// probe does not run them; whatever facts are present are judged.
func (u *upstream) classifyTarget(i int) {
	t := u.res.Targets[i]
	if t.TCP != nil && t.TCP.Err != nil {
		u.classifyConnErr(i, catalog.LayerTCP, t.TCP.Err, t.TCP.Duration, false)
	}
	if u.hasTLS() && t.TLS != nil {
		u.classifyTLS(i, t.TLS)
	}
	if u.hasHTTP() && t.HTTP != nil {
		u.classifyHTTP(i, t.HTTP)
	}
	if t.Latency != nil && !u.lowerLayerFailed(i) {
		u.classifyLatency(i, t.Latency)
	}
}

// classifyConnErr classifies a failed connect (or a connection error met in
// a later layer, observed in layer). capWarn marks an intermittent failure.
func (u *upstream) classifyConnErr(i int, layer catalog.Layer, err error, took time.Duration, capWarn bool) {
	addr := u.addrOf(i)
	ev := map[string]any{"error": shortErr(err)}
	if layer != "tcp" {
		ev["phase"] = layer
	}
	// A connection the http layer opened elsewhere — to the host of a
	// redirect, or to the target's host on another port — failed: name
	// the address that failed, not the target, in the message and the
	// commands.
	var vars *catalog.Vars
	after := ""
	if failed := u.failedAddr(i, err); failed != "" && layer != "tcp" {
		addr = failed
		ev["address"] = failed
		v := u.vars(i)
		v.Target = failed
		if h, p, err := net.SplitHostPort(failed); err == nil {
			v.TargetHost, v.TargetPort = h, p
		}
		vars = &v
		if hr := u.res.Targets[i].HTTP; hr != nil && len(hr.Redirects) > 0 {
			to := redactURL(hr.URL)
			ev["redirected_to"] = to
			ev["redirects"] = redactAll(hr.Redirects)
			after = ", after following the redirect from " + u.addrOf(i) + " to " + to
		}
	}
	var code, msg string
	switch classify(err) {
	case kindCanceled:
		return // the run ended; run.* reports it
	case kindRefused:
		code, msg = catalog.TCPRefused, addr+" refused the connection"
	case kindTimeout:
		ev["duration_ms"] = ms(took)
		code, msg = catalog.TCPTimeout, "connect to "+addr+" timed out after "+fmtMS(took)
		if w := u.within(took, ev); strings.HasPrefix(w, "within the ") {
			msg = "connect to " + addr + " did not complete " + w
		}
	case kindUnreachable:
		code, msg = catalog.TCPUnreachable, addr+" is unreachable: "+errnoText(err)
	default:
		// No code says "connect failed for another reason" (EADDRNOTAVAIL,
		// EACCES, a reset during connect, a DNS error for a host:port
		// target): unreachable is the closest — the target cannot be reached.
		code, msg = catalog.TCPUnreachable, "cannot connect to "+addr+": "+shortErr(err)
	}
	if layer != "tcp" {
		msg += " (during " + string(layer) + after + ")"
	}
	u.add(draft{Code: code, Layer: layer, Target: i, Message: msg, Evidence: ev, CapWarn: capWarn, Vars: vars})
}

// failedAddr is the address a connection error of target i names (its
// *net.OpError's Addr) when that is not the address the target's own
// connect dialled; "" otherwise.
func (u *upstream) failedAddr(i int, err error) string {
	var op *net.OpError
	if !errors.As(err, &op) || op.Addr == nil {
		return ""
	}
	a := op.Addr.String()
	if a == "" || a == u.res.Targets[i].DialAddress() || a == u.res.Targets[i].Address {
		return ""
	}
	return a
}

// ---------------------------------------------------------------- tls

func (u *upstream) serverName(i int, tr *probe.TLSResult) string {
	if tr != nil && tr.ServerName != "" {
		return tr.ServerName
	}
	return u.vars(i).ServerName
}

func (u *upstream) classifyTLS(i int, tr *probe.TLSResult) {
	addr := u.addrOf(i)
	sni := u.serverName(i, tr)
	if tr.HandshakeErr != nil {
		// A handshake that verified the chain itself fails with the x509
		// error: classify it as a verification error.
		if u.classifyVerify(i, tr, tr.HandshakeErr) {
			return
		}
		u.handshakeFailed(i, catalog.LayerTLS, tr.HandshakeErr, tr.Duration)
		return
	}
	if tr.VerifyErr != nil {
		if !u.classifyVerify(i, tr, tr.VerifyErr) {
			// Not an x509 error we know: the chain did not verify.
			u.add(draft{
				Code: catalog.TLSUntrusted, Layer: catalog.LayerTLS, Target: i,
				Message:  "certificate of " + addr + " for " + sni + " failed verification: " + tr.VerifyErr.Error(),
				Evidence: certEvidence(leaf(tr), u.d.now, map[string]any{"error": tr.VerifyErr.Error(), "server_name": sni}),
			})
		}
		return
	}
	// Trusted (or insecure_skip_verify): a leaf that is valid now but
	// expires within cert_min_days is a warning.
	c := leaf(tr)
	if c == nil || u.d.now.Before(c.NotBefore) || !u.d.now.Before(c.NotAfter) {
		return
	}
	left := c.NotAfter.Sub(u.d.now)
	minDays := u.up.Expect.CertMinDays
	if left >= time.Duration(minDays)*24*time.Hour {
		return
	}
	u.add(draft{
		Code: catalog.TLSCertExpiring, Layer: catalog.LayerTLS, Target: i,
		Message: fmt.Sprintf("certificate for %s expires in %s (not_after %s), less than cert_min_days %d",
			sni, humanDur(left), c.NotAfter.UTC().Format("2006-01-02"), minDays),
		Evidence: certEvidence(c, u.d.now, map[string]any{"cert_min_days": minDays, "server_name": sni}),
	})
}

// handshakeFailed reports tls.handshake_failed with what the error type says.
func (u *upstream) handshakeFailed(i int, layer catalog.Layer, err error, took time.Duration) {
	addr := u.addrOf(i)
	tr := u.res.Targets[i].TLS
	ev := map[string]any{"error": shortErr(err), "server_name": u.serverName(i, tr)}
	var why string
	switch k := classify(err); {
	case k == kindCanceled:
		return
	case tr != nil && tr.ClientCertRequested && (k == kindTLSAlert || k == kindEOF || k == kindReset):
		u.clientCertRejected(i, layer, err, ev)
		return
	}
	switch classify(err) {
	case kindNotTLS:
		rh, _ := recordHeader(err)
		ev["record_header"] = fmt.Sprintf("% x", rh[:])
		why = "the server did not answer with TLS"
		if bytes.HasPrefix(rh[:], []byte("HTTP/")) {
			why = "the server answered with plain HTTP: the port does not speak TLS"
			ev["plain_http"] = true
		}
	case kindTLSAlert:
		why = "the server sent a TLS alert: " + shortErr(err)
	case kindEOF, kindReset:
		why = "the server closed the connection during the handshake (" + errnoText(err) + ")"
	case kindTimeout:
		ev["duration_ms"] = ms(took)
		why = "the handshake did not complete " + u.within(took, ev)
	case kindRefused, kindUnreachable:
		u.classifyConnErr(i, layer, err, took, false)
		return
	default:
		why = shortErr(err)
	}
	u.add(draft{
		Code: catalog.TLSHandshakeFailed, Layer: layer, Target: i,
		Message:  "TLS handshake with " + addr + " failed: " + why,
		Evidence: ev,
	})
}

// clientCertRejected: the server asked for a client certificate and ended
// the handshake (an alert, or a close) — none was presented, or the one
// presented was not accepted.
func (u *upstream) clientCertRejected(i int, layer catalog.Layer, err error, ev map[string]any) {
	tr := u.res.Targets[i].TLS
	ev["client_cert_requested"] = true
	ev["client_cert_presented"] = tr.ClientCertSent
	why := "the server requires a client certificate and none was presented"
	lead := "Give updoc a client certificate the server accepts: set tls.cert_file and tls.key_file for " + u.up.Name +
		" (PEM files; the certificate must be issued by a CA the server trusts for client authentication)."
	if tr.ClientCertSent {
		why = "the server requires a client certificate and rejected the one presented"
		ev["cert_file"] = u.up.TLS.CertFile
		lead = "The certificate in tls.cert_file (" + u.up.TLS.CertFile + ") of " + u.up.Name + " was rejected: check it is " +
			"issued by a CA the server trusts for client authentication, not expired, and allowed for clientAuth: " +
			"openssl x509 -in " + catalog.ShellQuote(u.up.TLS.CertFile) + " -noout -subject -issuer -dates -ext extendedKeyUsage"
	}
	why += " (" + shortErr(err) + ")"
	f := u.add(draft{
		Code: catalog.TLSHandshakeFailed, Layer: layer, Target: i,
		Message:  "TLS handshake with " + u.addrOf(i) + " failed: " + why,
		Evidence: ev,
	})
	if f == nil {
		return
	}
	steps := []string{lead}
	for _, s := range f.Remediation {
		if !strings.Contains(s, "tls.cert_file") {
			steps = append(steps, s)
		}
	}
	f.Remediation = steps
}

// classifyVerify reports an x509 verification error; false when err holds
// none of the x509 error types.
func (u *upstream) classifyVerify(i int, tr *probe.TLSResult, err error) bool {
	addr := u.addrOf(i)
	sni := u.serverName(i, tr)
	now := u.d.now
	var chain []*x509.Certificate
	if tr != nil {
		chain = tr.PeerCertificates
	}

	var inv x509.CertificateInvalidError
	var host x509.HostnameError
	var unknown x509.UnknownAuthorityError
	var roots x509.SystemRootsError
	switch {
	case errors.As(err, &inv) && inv.Reason == x509.Expired:
		// Expired covers both ends of the validity window: decide by the
		// dates which one, the certificate named by the error first.
		cands := append([]*x509.Certificate{inv.Cert}, chain...)
		var bad *x509.Certificate
		notYet := false
		for _, c := range cands {
			if c == nil {
				continue
			}
			if now.Before(c.NotBefore) {
				bad, notYet = c, true
				break
			}
			if now.After(c.NotAfter) {
				bad = c
				break
			}
		}
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
					bad.NotBefore.UTC().Format(time.RFC3339), humanDur(bad.NotBefore.Sub(now)))
			}
			u.add(draft{Code: catalog.TLSCertNotYetValid, Layer: catalog.LayerTLS, Target: i, Message: msg, Evidence: ev})
			return true
		}
		msg := which + " expired"
		if bad != nil {
			msg += fmt.Sprintf(" %s ago (not_after %s)", humanDur(now.Sub(bad.NotAfter)), bad.NotAfter.UTC().Format("2006-01-02"))
		}
		u.add(draft{Code: catalog.TLSCertExpired, Layer: catalog.LayerTLS, Target: i, Message: msg, Evidence: ev})
		return true

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
		if c != nil {
			if s := sans(c); len(s) > 0 {
				covers = strings.Join(s, ", ")
			}
		}
		subj := ""
		if c != nil {
			subj = " (" + c.Subject.String() + ")"
		}
		u.add(draft{
			Code: catalog.TLSHostnameMismatch, Layer: catalog.LayerTLS, Target: i,
			Message:  "certificate from " + addr + subj + " covers " + covers + ", not " + name,
			Evidence: certEvidence(c, now, map[string]any{"error": err.Error(), "server_name": name}),
		})
		return true

	case errors.As(err, &unknown):
		c := unknown.Cert
		if c == nil {
			c = leaf(tr)
		}
		ev := certEvidence(c, now, map[string]any{"error": err.Error(), "server_name": sni})
		var msg string
		if c != nil && selfSigned(c) && len(chain) <= 1 {
			ev["self_signed"] = true
			msg = "certificate for " + sni + " from " + addr + " is self-signed (" + c.Subject.String() + ")"
		} else {
			issuer := "an unknown authority"
			if c != nil {
				issuer = c.Issuer.String()
			}
			msg = "certificate for " + sni + " from " + addr + " is signed by " + issuer + ", which is not trusted"
			ev["chain_length"] = len(chain)
		}
		u.add(draft{Code: catalog.TLSUntrusted, Layer: catalog.LayerTLS, Target: i, Message: msg, Evidence: ev})
		return true

	case errors.As(err, &inv), errors.As(err, &roots):
		// Other chain problems (not authorised to sign, name constraints,
		// incompatible key usage, no system roots): the chain is not trusted.
		u.add(draft{
			Code: catalog.TLSUntrusted, Layer: catalog.LayerTLS, Target: i,
			Message:  "certificate chain for " + sni + " from " + addr + " is not trusted: " + err.Error(),
			Evidence: certEvidence(leaf(tr), now, map[string]any{"error": err.Error(), "server_name": sni}),
		})
		return true
	}
	return false
}

func leaf(tr *probe.TLSResult) *x509.Certificate {
	if tr == nil || len(tr.PeerCertificates) == 0 {
		return nil
	}
	return tr.PeerCertificates[0]
}

func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject)
}

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

func daysLeft(c *x509.Certificate, now time.Time) int {
	return int(math.Floor(c.NotAfter.Sub(now).Hours() / 24))
}

func certEvidence(c *x509.Certificate, now time.Time, ev map[string]any) map[string]any {
	if c == nil {
		return ev
	}
	ev["subject"] = c.Subject.String()
	ev["issuer"] = c.Issuer.String()
	ev["sans"] = sans(c)
	ev["not_before"] = c.NotBefore.UTC().Format(time.RFC3339)
	ev["not_after"] = c.NotAfter.UTC().Format(time.RFC3339)
	ev["days_left"] = daysLeft(c, now)
	return ev
}

func certReport(c *x509.Certificate, now time.Time) *report.Cert {
	if c == nil {
		return nil
	}
	return &report.Cert{
		Subject:   c.Subject.String(),
		SANs:      sans(c),
		Issuer:    c.Issuer.String(),
		NotBefore: c.NotBefore.UTC(),
		NotAfter:  c.NotAfter.UTC(),
		DaysLeft:  daysLeft(c, now),
	}
}

// humanDur renders a positive duration as "3 days", "1 day", "5 hours", "12 minutes".
func humanDur(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.Itoa(n) + " " + unit + "s"
	}
	switch {
	case d >= 24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day")
	case d >= time.Hour:
		return plural(int(d/time.Hour), "hour")
	case d >= time.Minute:
		return plural(int(d/time.Minute), "minute")
	default:
		return plural(int(d/time.Second), "second")
	}
}

// ---------------------------------------------------------------- http

// classifyHTTP judges one HTTP exchange. Order:
//
//  1. too many redirects;
//  2. no response headers: by error type and phase (connect, tls, headers);
//  3. status outside expect.status: proxy fingerprints first (hooks.go),
//     then the plain status rules;
//  4. status expected: body stalled or cut, then body_contains / body_regex;
//  5. deprecation and sunset signals (hooks.go), whatever the status.
func (u *upstream) classifyHTTP(i int, hr *probe.HTTPResult) {
	if hr.TooManyRedirects {
		u.tooManyRedirects(i, hr)
		return
	}
	if hr.StatusCode == 0 {
		if hr.Err != nil {
			u.httpNoResponse(i, hr)
		}
		return
	}

	if !u.statusExpected(hr.StatusCode) {
		if fp, ok := matchProxy(hr); ok {
			u.proxyFinding(i, hr, fp)
		} else {
			u.statusFinding(i, hr)
		}
	} else if hr.Err != nil {
		u.bodyError(i, hr)
	} else {
		u.bodyMismatch(i, hr)
	}

	for _, s := range deprecationSignals(hr, u.d.now) {
		u.add(draft{Code: s.Code, Layer: catalog.LayerHTTP, Target: i, Message: s.Message, Evidence: s.Evidence})
	}
}

// tooManyRedirects: probe stopped following redirects, either at a
// Location it had already visited (a loop) or after MaxRedirects of them.
func (u *upstream) tooManyRedirects(i int, hr *probe.HTTPResult) {
	addr := u.addrOf(i)
	n := len(hr.Redirects)
	ev := map[string]any{"redirects": append([]string{}, hr.Redirects...)}
	from := redactURL(hr.URL)
	if from == "" {
		from = u.displayURL()
	}
	next := ""
	if loc := hr.Header.Get("Location"); loc != "" {
		next = loc
		if base, err := url.Parse(hr.URL); err == nil {
			if ref, err := base.Parse(loc); err == nil {
				ref.Fragment = ""
				next = ref.String()
			}
		}
		next = redactURL(next)
		ev["location"] = next
	}
	var what string
	switch {
	case n >= probe.MaxRedirects:
		what = fmt.Sprintf("more than %d redirects", probe.MaxRedirects)
		if next != "" {
			what += " (the next Location: " + next + ")"
		} else if n > 0 {
			what += " (last Location: " + redactURL(hr.Redirects[n-1]) + ")"
		}
	case next == from:
		ev["loop"] = true
		what = "redirect loop: " + from + " redirects to itself"
	default:
		ev["loop"] = true
		what = "redirect loop: " + from + " redirects back to " + or(next, "a URL already visited")
		if n > 0 {
			what += " after " + plural(n, "redirect")
		}
	}
	u.add(draft{
		Code: catalog.HTTPTooManyRedirects, Layer: catalog.LayerHTTP, Target: i,
		Message:  fmt.Sprintf("%s %s via %s: %s", hr.Method, u.displayURL(), addr, what),
		Evidence: ev,
	})
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// statusExpected: expect.status, default 2xx and 3xx.
func (u *upstream) statusExpected(code int) bool {
	rs := u.up.Expect.Status
	if len(rs) == 0 {
		return code >= 200 && code <= 399
	}
	for _, r := range rs {
		if code >= r.Lo && code <= r.Hi {
			return true
		}
	}
	return false
}

func (u *upstream) expectedText() string {
	rs := u.up.Expect.Status
	if len(rs) == 0 {
		return "2xx, 3xx"
	}
	parts := make([]string, 0, len(rs))
	for _, r := range rs {
		switch {
		case r.Lo == r.Hi:
			parts = append(parts, strconv.Itoa(r.Lo))
		case r.Lo%100 == 0 && r.Hi == r.Lo+99:
			parts = append(parts, strconv.Itoa(r.Lo/100)+"xx")
		default:
			parts = append(parts, strconv.Itoa(r.Lo)+"-"+strconv.Itoa(r.Hi))
		}
	}
	return strings.Join(parts, ", ")
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

// dnsOf is the resolution that gave target i its address: its own name's,
// else the URL host's; nil for an IP target.
func (u *upstream) dnsOf(i int) *probe.DNSResult {
	if d := u.res.Targets[i].DNS; d != nil {
		return d
	}
	if u.res.Targets[i].Name == "" {
		return u.res.DNS
	}
	return nil
}

// httpNoResponse: the exchange failed before response headers arrived.
func (u *upstream) httpNoResponse(i int, hr *probe.HTTPResult) {
	addr := u.addrOf(i)
	took := hr.Timings.Total
	var re *probe.ResolveError
	if errors.As(hr.Err, &re) && re.DNS != nil && classify(hr.Err) != kindCanceled {
		// The host of a redirect did not resolve through the upstream's
		// resolvers.
		before := len(u.findings)
		u.classifyDNSResult(re.DNS, i, catalog.LayerHTTP, "after following the redirect to "+redactURL(hr.URL)+": ", false)
		if len(u.findings) > before {
			f := u.findings[len(u.findings)-1]
			f.Evidence["redirected_to"] = redactURL(hr.URL)
			f.Evidence["redirects"] = redactAll(hr.Redirects)
		}
		return
	}
	switch hr.ErrPhase {
	case "connect":
		u.classifyConnErr(i, catalog.LayerHTTP, hr.Err, took, false)
		return
	case "tls":
		if u.classifyVerify(i, u.res.Targets[i].TLS, hr.Err) {
			return
		}
		u.handshakeFailed(i, catalog.LayerHTTP, hr.Err, took)
		return
	}
	// An https redirect target with a bad certificate fails here too.
	if u.classifyVerify(i, u.res.Targets[i].TLS, hr.Err) {
		return
	}
	// A TLS 1.3 server's verdict on the client certificate that came
	// after the tls layer had finished.
	if tr := u.res.Targets[i].TLS; tr != nil && tr.ClientCertRequested && classify(hr.Err) == kindTLSAlert {
		u.handshakeFailed(i, catalog.LayerHTTP, hr.Err, took)
		return
	}
	ev := map[string]any{"error": shortErr(hr.Err), "method": hr.Method, "url": redactURL(hr.URL)}
	if hr.ErrPhase != "" {
		ev["phase"] = hr.ErrPhase
	}
	switch k := classify(hr.Err); k {
	case kindCanceled:
		return
	case kindTimeout:
		ev["duration_ms"] = ms(took)
		u.add(draft{
			Code: catalog.HTTPTimeout, Layer: catalog.LayerHTTP, Target: i,
			Message:  fmt.Sprintf("no response headers from %s %s (%s %s)", addr, u.within(took, ev), hr.Method, redactURL(hr.URL)),
			Evidence: ev,
		})
	case kindRefused, kindUnreachable:
		u.classifyConnErr(i, catalog.LayerHTTP, hr.Err, took, false)
	default:
		// Connection closed or reset before a response (curl's "empty reply
		// from server"), or another transport error: the service failed to
		// answer — the closest cause is a server error.
		what := "closed the connection without a response"
		if k == kindReset {
			what = "reset the connection before responding"
		} else if k != kindEOF {
			what = "gave no HTTP response: " + shortErr(hr.Err)
		}
		u.add(draft{
			Code: catalog.HTTPServerError, Layer: catalog.LayerHTTP, Target: i,
			Message:  fmt.Sprintf("%s %s (%s %s)", addr, what, hr.Method, redactURL(hr.URL)),
			Evidence: ev,
		})
	}
}

// bodyError: the status was expected but reading the body failed.
func (u *upstream) bodyError(i int, hr *probe.HTTPResult) {
	addr := u.addrOf(i)
	ev := map[string]any{"status_code": hr.StatusCode, "error": shortErr(hr.Err), "body_bytes": len(hr.Body), "phase": hr.ErrPhase}
	switch classify(hr.Err) {
	case kindCanceled:
		return
	case kindTimeout:
		ev["duration_ms"] = ms(hr.Timings.Total)
		u.add(draft{
			Code: catalog.HTTPTimeout, Layer: catalog.LayerHTTP, Target: i,
			Message: fmt.Sprintf("%s from %s but the body stalled: %d bytes read, not finished %s",
				statusText(hr.StatusCode), addr, len(hr.Body), u.within(hr.Timings.Total, ev)),
			Evidence: ev,
		})
	default:
		u.add(draft{
			Code: catalog.HTTPServerError, Layer: catalog.LayerHTTP, Target: i,
			Message: fmt.Sprintf("%s from %s but the body was cut short after %d bytes: %s",
				statusText(hr.StatusCode), addr, len(hr.Body), errnoText(hr.Err)),
			Evidence: ev,
		})
	}
}

// bodyMismatch checks body_contains and body_regex on the body read.
func (u *upstream) bodyMismatch(i int, hr *probe.HTTPResult) {
	exp := u.up.Expect
	var failed []string
	ev := map[string]any{"status_code": hr.StatusCode, "body_bytes": len(hr.Body)}
	if exp.BodyContains != "" && !bytes.Contains(hr.Body, []byte(exp.BodyContains)) {
		failed = append(failed, fmt.Sprintf("does not contain %q", exp.BodyContains))
		ev["body_contains"] = exp.BodyContains
	}
	if exp.BodyRegex != nil && !exp.BodyRegex.Match(hr.Body) {
		failed = append(failed, fmt.Sprintf("does not match /%s/", exp.BodyRegex.String()))
		ev["body_regex"] = exp.BodyRegex.String()
	}
	if len(failed) == 0 {
		return
	}
	msg := fmt.Sprintf("%s from %s but the body %s", statusText(hr.StatusCode), u.addrOf(i), strings.Join(failed, " and "))
	if hr.BodyTruncated {
		msg += fmt.Sprintf(" (only the first %d bytes were read: max_body)", len(hr.Body))
		ev["body_truncated"] = true
	}
	u.add(draft{Code: catalog.HTTPBodyMismatch, Layer: catalog.LayerHTTP, Target: i, Message: msg, Evidence: ev})
}

// statusFinding: the plain status rules, after the proxy fingerprints.
func (u *upstream) statusFinding(i int, hr *probe.HTTPResult) {
	addr := u.addrOf(i)
	code := hr.StatusCode
	ev := map[string]any{"status_code": code, "method": hr.Method, "url": redactURL(hr.URL)}
	server := hr.Header.Get("Server")
	if server != "" {
		ev["server"] = server
	}
	if via := hr.Header.Get("Via"); via != "" {
		ev["via"] = via
	}
	vars := u.vars(i)
	vars.Status = strconv.Itoa(code)
	extra := ""
	if server != "" {
		extra = " (server: " + server + ")"
	}
	retry := func() {
		if ra := hr.Header.Get("Retry-After"); ra != "" {
			ev["retry_after"] = ra
			vars.RetryAfter = ra
			extra += " (Retry-After: " + ra + ")"
		}
	}

	var cause string
	switch {
	case code == http.StatusBadGateway:
		cause = catalog.GatewayBadGateway
	case code == http.StatusGatewayTimeout:
		cause = catalog.GatewayTimeout
		extra += " after " + fmtMS(hr.Timings.Total)
		ev["duration_ms"] = ms(hr.Timings.Total)
	case code == http.StatusServiceUnavailable:
		cause = catalog.HTTPUnavailable
		retry()
	case code >= 500 && code <= 599:
		cause = catalog.HTTPServerError
	case code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusProxyAuthRequired:
		cause = catalog.HTTPAuthFailed
		for _, h := range []string{"WWW-Authenticate", "Proxy-Authenticate"} {
			if v := hr.Header.Get(h); v != "" {
				ev[strings.ToLower(strings.ReplaceAll(h, "-", "_"))] = v
				extra += " (" + h + ": " + v + ")"
			}
		}
	case code == http.StatusTooManyRequests:
		cause = catalog.HTTPRateLimited
		retry()
	default:
		cause = catalog.HTTPUnexpectedStatus
		if loc := hr.Header.Get("Location"); loc != "" {
			ev["location"] = redactURL(loc)
			extra += " (Location: " + redactURL(loc) + ")"
		}
		extra += "; expected " + u.expectedText()
		ev["expected_status"] = u.expectedText()
	}
	u.add(draft{
		Code: cause, Layer: catalog.LayerHTTP, Target: i,
		Message:  fmt.Sprintf("%s from %s for %s %s%s", statusText(code), addr, hr.Method, redactURL(hr.URL), extra),
		Evidence: ev,
		Vars:     &vars,
	})
}

// proxyFinding reports a recognised proxy answer (fingerprint table in
// fingerprints.go): `503 "no healthy upstream" from Envoy at ADDR (GET URL): ...`.
func (u *upstream) proxyFinding(i int, hr *probe.HTTPResult, fp proxyFingerprint) {
	vars := u.vars(i)
	vars.Status = strconv.Itoa(hr.StatusCode)
	vars.Product = fp.Product
	ev := map[string]any{
		"status_code": hr.StatusCode, "product": fp.Product, "fingerprint": fp.ID,
		"method": hr.Method, "url": redactURL(hr.URL),
	}
	for _, h := range []string{"Server", "Via", "L5d-Proxy-Error", "Retry-After"} {
		if v := hr.Header.Get(h); v != "" {
			ev[strings.ToLower(strings.ReplaceAll(h, "-", "_"))] = v
		}
	}
	what := statusText(hr.StatusCode)
	if q := bodyQuote(hr.Body); q != "" {
		what = strconv.Itoa(hr.StatusCode) + " " + strconv.Quote(q)
		ev["body"] = q
	} else if len(hr.Body) == 0 {
		what += " (empty body)"
	}
	extra := ""
	if fp.Code == catalog.GatewayTimeout {
		extra = " after " + fmtMS(hr.Timings.Total)
		ev["duration_ms"] = ms(hr.Timings.Total)
	}
	u.add(draft{
		Code: fp.Code, Layer: catalog.LayerHTTP, Target: i,
		Message: fmt.Sprintf("%s from %s at %s (%s %s)%s: %s", what, fp.Product,
			u.addrOf(i), hr.Method, redactURL(hr.URL), extra, fp.Describe),
		Evidence: ev,
		Vars:     &vars,
	})
}

// ---------------------------------------------------------------- report values

// targetReport converts target i's facts; layer statuses are the target's
// own (before the replica rule lowered them).
func (u *upstream) targetReport(i int) report.Target {
	t := u.res.Targets[i]
	out := report.Target{Address: t.Address, Status: report.Healthy, DNS: dnsResultReport(t.DNS)}
	if d := t.DialAddress(); d != t.Address {
		out.Dial = d
	}
	if u.targetUnfinished(i) {
		// The run ended first: nothing says this target is healthy.
		out.Status = report.Unhealthy
	}
	for _, f := range u.findings {
		if f.target == i {
			out.Status = report.WorstStatus(out.Status, sevStatus(f.ownSev))
		}
	}
	if t.TCP != nil {
		out.TCP = &report.TCP{Status: u.targetLayer(i, catalog.LayerTCP, true), DurationMS: ms(t.TCP.Duration)}
		if t.TCP.Err != nil {
			out.TCP.Error = errnoText(t.TCP.Err)
		}
	}
	if t.TLS != nil && u.hasTLS() {
		tr := t.TLS
		out.TLS = &report.TLS{
			Status:              u.targetLayer(i, catalog.LayerTLS, true),
			DurationMS:          ms(tr.Duration),
			ServerName:          u.serverName(i, tr),
			Version:             tr.Version,
			ALPN:                tr.ALPN,
			ClientCertRequested: tr.ClientCertRequested,
			Cert:                certReport(leaf(tr), u.d.now),
		}
		if err := tlsErr(t); err != nil {
			out.TLS.Error = shortErr(err)
		}
	}
	if t.HTTP != nil && u.hasHTTP() {
		hr := t.HTTP
		timings := hr.Timings
		if d := u.dnsOf(i); timings.DNS == 0 && d != nil {
			// The request dialled the resolved address, so the name was
			// looked up by the dns layer: that is the dns phase.
			timings.DNS = d.Duration
			timings.Total += timings.DNS
		}
		h := &report.HTTP{
			Status:     u.targetLayer(i, catalog.LayerHTTP, true),
			Method:     hr.Method,
			URL:        redactURL(hr.URL),
			StatusCode: hr.StatusCode,
			Server:     hr.Header.Get("Server"),
			BodyPrefix: bodyPrefix(hr.Body),
			TimingsMS: report.Timings{
				DNS: ms(timings.DNS), Connect: ms(timings.Connect), TLS: ms(timings.TLS),
				TTFB: ms(timings.TTFB), Transfer: ms(timings.Transfer), Total: ms(timings.Total),
			},
		}
		if h.URL == "" {
			h.URL = u.displayURL()
		}
		for _, r := range hr.Redirects {
			h.Redirects = append(h.Redirects, redactURL(r))
		}
		if hr.Err != nil {
			h.Error = shortErr(hr.Err)
		}
		h.Deprecation, h.Sunset = deprecationReport(hr, u.d.now)
		out.HTTP = h
	}
	if t.Latency != nil && len(t.Latency.Samples) > 0 && !u.lowerLayerFailed(i) {
		// A skipped latency layer shows no numbers: latency of failed
		// answers would read as a measurement of the service.
		out.LatencyMS = latencyStats(t.Latency.Samples)
	}
	return out
}

// bodyPrefix is the first 512 bytes of the body as text, cut at a rune
// boundary, invalid UTF-8 replaced.
func bodyPrefix(b []byte) string {
	const max = 512
	if len(b) > max {
		b = b[:max]
		// Drop a rune cut in half at the end.
		for k := 1; k < utf8.UTFMax && k <= len(b); k++ {
			if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size != 1 {
				break
			}
			if utf8.RuneStart(b[len(b)-k]) {
				if !utf8.FullRune(b[len(b)-k:]) {
					b = b[:len(b)-k]
				}
				break
			}
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func redactAll(urls []string) []string {
	out := make([]string, 0, len(urls))
	for _, s := range urls {
		out = append(out, redactURL(s))
	}
	return out
}

// targetUnfinished reports whether the run ended before target i's last
// layer (http, else tls, else tcp) ran.
func (u *upstream) targetUnfinished(i int) bool {
	if u.res.Unfinished == nil {
		return false
	}
	t := u.res.Targets[i]
	switch {
	case u.hasHTTP():
		return !layerRan(t.HTTP != nil, httpErr(t))
	case u.hasTLS():
		return !layerRan(t.TLS != nil, tlsErr(t))
	default:
		return !layerRan(t.TCP != nil, tcpErr(t))
	}
}
