package diagnose

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

// classifyHTTP judges target i's HTTP exchange. Order:
//
//  1. too many redirects;
//  2. no response headers: by error type and phase (connect, proxy, tls —
//     a redirect's certificate included, redirecttls.go —, headers), and
//     an answer that is not HTTP (protocol.go);
//  3. status outside expect.status: a TLS port answering plain HTTP, then
//     proxy fingerprints (fingerprints.go), then the plain status rules;
//  4. status expected: body stalled, cut or not decodable, then
//     body_contains / body_regex;
//  5. certificates of redirects that expire soon, and deprecation and
//     sunset signals (deprecation.go), whatever the status.
func classifyHTTP(s *subject, i int) []draft {
	hr := s.target(i).HTTP
	if !s.hasHTTP() || hr == nil {
		return nil
	}
	if hr.TooManyRedirects {
		return append(tooManyRedirects(s, i, hr), redirectTLS(s, i, hr)...)
	}
	if hr.StatusCode == 0 {
		if hr.Err == nil {
			return nil
		}
		return noResponse(s, i, hr)
	}
	var out []draft
	switch {
	case !statusExpected(s.up.Expect.Status, hr.StatusCode) && hr.OtherProtocol != "":
		out = protocolError(s, i, hr)
	case !statusExpected(s.up.Expect.Status, hr.StatusCode):
		if dr, ok := forwardProxyAnswer(s, i, hr); ok {
			out = dr
		} else if fp, ok := matchProxy(hr); ok {
			out = proxyAnswer(s, i, hr, fp)
		} else {
			out = statusUnexpected(s, i, hr)
		}
	case hr.ErrPhase == "redirect":
		out = redirectFailed(s, i, hr)
	case hr.Err != nil:
		out = bodyFailed(s, i, hr)
	default:
		out = bodyMismatch(s, i, hr)
	}
	out = append(out, redirectTLS(s, i, hr)...)
	for _, sg := range deprecationSignals(hr, s.now) {
		out = append(out, draft{Code: sg.Code, Layer: catalog.LayerHTTP, Target: i, Message: sg.Message, Evidence: sg.Evidence})
	}
	return out
}

// tooManyRedirects: probe stopped following redirects, either at a
// Location it had already visited (a loop) or after MaxRedirects of them.
func tooManyRedirects(s *subject, i int, hr *probe.HTTPResult) []draft {
	n := len(hr.Redirects)
	ev := map[string]any{"redirects": append([]string{}, hr.Redirects...)}
	from := redactURL(hr.URL)
	if from == "" {
		from = s.displayURL()
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
		back := next
		if back == "" {
			back = "a URL already visited"
		}
		what = "redirect loop: " + from + " redirects back to " + back
		if n > 0 {
			what += " after " + textfmt.Plural(n, "redirect")
		}
	}
	return []draft{{
		Code: catalog.HTTPTooManyRedirects, Layer: catalog.LayerHTTP, Target: i,
		Message:  fmt.Sprintf("%s %s via %s: %s", hr.Method, s.displayURL(), s.addrOf(i), what),
		Evidence: ev,
	}}
}

// statusExpected: code falls in one of the ranges of expect.status, as the
// graph resolved it.
func statusExpected(ranges []graph.StatusRange, code int) bool {
	for _, r := range ranges {
		if code >= r.Lo && code <= r.Hi {
			return true
		}
	}
	return false
}

// statusRangesText renders expect.status for messages: "2xx, 3xx", "204, 300-302".
func statusRangesText(ranges []graph.StatusRange) string {
	parts := make([]string, 0, len(ranges))
	for _, r := range ranges {
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

// noResponse: the exchange failed before response headers arrived.
func noResponse(s *subject, i int, hr *probe.HTTPResult) []draft {
	took := hr.Timings.Total
	tr := s.target(i).TLS
	var re *probe.ResolveError
	if errors.As(hr.Err, &re) && re.DNS != nil && classify(hr.Err) != kindCanceled {
		// The host of a redirect did not resolve through the upstream's
		// resolvers.
		out := classifyResolution(s, re.DNS, i, catalog.LayerHTTP, "after following the redirect to "+redactURL(hr.URL)+": ", false)
		for k := range out {
			out[k].Evidence["redirected_to"] = redactURL(hr.URL)
			out[k].Evidence["redirects"] = redactAll(hr.Redirects)
		}
		return out
	}
	switch hr.ErrPhase {
	case "connect", "proxy":
		return connectFailed(s, i, catalog.LayerHTTP, hr.Err, took)
	case "tls":
		if hopTLSFailed(hr) {
			return redirectTLS(s, i, hr)
		}
		if dr, ok := verifyFailed(s, i, tr, hr.Err); ok {
			return dr
		}
		return handshakeFailed(s, i, catalog.LayerHTTP, hr.Err, took)
	}
	// A TLS 1.3 server's verdict on the client certificate that came
	// after the tls layer had finished.
	if tr != nil && tr.ClientCertRequested && classify(hr.Err) == kindTLSAlert {
		return handshakeFailed(s, i, catalog.LayerHTTP, hr.Err, took)
	}
	if dr, ok := notHTTP(s, i, hr); ok {
		return dr
	}
	addr := s.addrOf(i)
	ev := map[string]any{"error": shortErr(hr.Err), "method": hr.Method, "url": redactURL(hr.URL)}
	if hr.ErrPhase != "" {
		ev["phase"] = hr.ErrPhase
	}
	switch classify(hr.Err) {
	case kindCanceled:
		return nil
	case kindTimeout:
		ev["duration_ms"] = ms(took)
		return []draft{{
			Code: catalog.HTTPTimeout, Layer: catalog.LayerHTTP, Target: i,
			Message:  fmt.Sprintf("no response headers from %s %s (%s %s)", addr, s.within(took, ev), hr.Method, redactURL(hr.URL)),
			Evidence: ev,
		}}
	case kindRefused, kindUnreachable:
		return connectFailed(s, i, catalog.LayerHTTP, hr.Err, took)
	default:
		// Another transport error before an answer (writing the request
		// failed, say): no response came.
		return []draft{{
			Code: catalog.HTTPNoResponse, Layer: catalog.LayerHTTP, Target: i,
			Message:  fmt.Sprintf("%s gave no HTTP response: %s (%s %s)", addr, shortErr(hr.Err), hr.Method, redactURL(hr.URL)),
			Evidence: ev,
		}}
	}
}

// bodyFailed: the status was expected but reading the body failed.
func bodyFailed(s *subject, i int, hr *probe.HTTPResult) []draft {
	addr := s.addrOf(i)
	ev := map[string]any{"status_code": hr.StatusCode, "error": shortErr(hr.Err), "body_bytes": hr.BodyBytes, "phase": hr.ErrPhase}
	if hr.ErrPhase == "decode" {
		enc := hr.Header.Get("Content-Encoding")
		ev["content_encoding"] = enc
		return []draft{{
			Code: catalog.HTTPProtocolError, Layer: catalog.LayerHTTP, Target: i,
			Message: fmt.Sprintf("%s from %s but its body, sent with Content-Encoding: %s, does not decode: %s",
				statusText(hr.StatusCode), addr, enc, shortErr(hr.Err)),
			Evidence: ev,
			Variant:  catalog.VariantMalformed,
		}}
	}
	// What arrived before the body stalled or was cut: `("{\"status\":")`.
	said := ""
	if w := bodyWords(hr.Body, ev); len(hr.Body) > 0 {
		said = " (" + w + ")"
	}
	read := textfmt.Plural(int(hr.BodyBytes), "byte")
	switch classify(hr.Err) {
	case kindCanceled:
		return nil
	case kindTimeout:
		ev["duration_ms"] = ms(hr.Timings.Total)
		return []draft{{
			Code: catalog.HTTPTimeout, Layer: catalog.LayerHTTP, Target: i,
			Message: fmt.Sprintf("%s from %s but the body stalled: %s read%s, not finished %s",
				statusText(hr.StatusCode), addr, read, said, s.within(hr.Timings.Total, ev)),
			Evidence: ev,
		}}
	default:
		// The answer ended before its body did (RFC 9112 §8: an
		// incomplete message): not a 5xx, an answer that is not whole.
		what := "the body was cut short after " + read
		if n := hr.Header.Get("Content-Length"); n != "" {
			what += " of the " + n + " its Content-Length announced"
			ev["content_length"] = n
		}
		what += said
		return []draft{{
			Code: catalog.HTTPProtocolError, Layer: catalog.LayerHTTP, Target: i,
			Message: fmt.Sprintf("%s from %s but %s: %s (the server or a proxy closed the connection mid-answer)",
				statusText(hr.StatusCode), addr, what, errnoText(hr.Err)),
			Evidence: ev,
			Variant:  catalog.VariantMalformed,
		}}
	}
}

// redirectFailed: a redirect the http layer could not follow — its
// Location is not a URL (a malformed answer), or it leads to a scheme other
// than http and https (an answer updoc does not judge further).
func redirectFailed(s *subject, i int, hr *probe.HTTPResult) []draft {
	var re *probe.RedirectError
	if !errors.As(hr.Err, &re) {
		return bodyFailed(s, i, hr)
	}
	loc := redactURL(re.Location)
	ev := map[string]any{"status_code": hr.StatusCode, "location": loc, "method": hr.Method, "url": redactURL(hr.URL)}
	if re.Err != nil {
		ev["error"] = shortErr(re.Err)
		return []draft{{
			Code: catalog.HTTPProtocolError, Layer: catalog.LayerHTTP, Target: i,
			Message: fmt.Sprintf("%s from %s redirects to a Location that is not a URL: %q (%s)",
				statusText(hr.StatusCode), s.addrOf(i), loc, shortErr(re.Err)),
			Evidence: ev,
			Variant:  catalog.VariantMalformed,
		}}
	}
	ev["expected_status"] = statusRangesText(s.up.Expect.Status)
	return []draft{{
		Code: catalog.HTTPUnexpectedStatus, Layer: catalog.LayerHTTP, Target: i,
		Message: fmt.Sprintf("%s from %s redirects to %s, a %s:// URL updoc cannot follow (http and https only); if that redirect is the intended answer, set follow_redirects: false",
			statusText(hr.StatusCode), s.addrOf(i), loc, re.Scheme),
		Evidence: ev,
	}}
}

// bodyMismatch reports what the probe found of body_contains and
// body_regex in the body read (HTTPResult.BodyMissing, BodyUnmatched).
func bodyMismatch(s *subject, i int, hr *probe.HTTPResult) []draft {
	exp := s.up.Expect
	noContains := exp.BodyContains != "" && hr.BodyMissing
	noMatch := exp.BodyRegex != nil && hr.BodyUnmatched
	if !noContains && !noMatch {
		return nil // the common case: nothing to say, so nothing made
	}
	var failed []string
	ev := map[string]any{"status_code": hr.StatusCode, "body_bytes": hr.BodyBytes}
	if noContains {
		failed = append(failed, fmt.Sprintf("does not contain %q", exp.BodyContains))
		ev["body_contains"] = exp.BodyContains
	}
	if noMatch {
		failed = append(failed, fmt.Sprintf("does not match /%s/", exp.BodyRegex.String()))
		ev["body_regex"] = exp.BodyRegex.String()
	}
	msg := fmt.Sprintf("%s from %s but the body %s", statusText(hr.StatusCode), s.addrOf(i), strings.Join(failed, " and "))
	if hr.ContentEncoding != "" {
		msg += " (decoded from " + hr.ContentEncoding + ")"
		ev["content_encoding"] = hr.ContentEncoding
	}
	// What it held instead: the words that show why (`"status":"DOWN"`).
	said := bodyWords(hr.Body, ev)
	switch {
	case hr.Undecoded != "":
		// Still encoded: its bytes say nothing to a reader.
	case ev["body"] != "":
		msg += ": it says " + said
	case hr.BodyBytes == 0:
		msg += ": it is empty"
	default:
		msg += ": it holds no text (" + textfmt.Plural(int(hr.BodyBytes), "byte") + ")"
	}
	if hr.BodyTruncated {
		msg += fmt.Sprintf(" (only the first %d bytes were read: max_body)", hr.BodyBytes)
		ev["body_truncated"] = true
	}
	if hr.Undecoded != "" {
		msg += fmt.Sprintf(" — it is %s-encoded, which updoc cannot decode: drop %s from the Accept-Encoding header of %s", hr.Undecoded, hr.Undecoded, s.up.Name)
		ev["undecoded_encoding"] = hr.Undecoded
	}
	return []draft{{Code: catalog.HTTPBodyMismatch, Layer: catalog.LayerHTTP, Target: i, Message: msg, Evidence: ev}}
}

// statusUnexpected: the plain status rules, for an answer no proxy
// fingerprint recognised.
func statusUnexpected(s *subject, i int, hr *probe.HTTPResult) []draft {
	code := hr.StatusCode
	ev := map[string]any{"status_code": code, "method": hr.Method, "url": redactURL(hr.URL)}
	server := hr.Header.Get("Server")
	if server != "" {
		ev["server"] = server
	}
	if via := hr.Header.Get("Via"); via != "" {
		ev["via"] = via
	}
	vars := s.vars(i)
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
				ev[evidenceKey(h)] = v
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
		expected := statusRangesText(s.up.Expect.Status)
		extra += "; expected " + expected
		ev["expected_status"] = expected
	}
	return []draft{{
		Code: cause, Layer: catalog.LayerHTTP, Target: i,
		Message:  fmt.Sprintf("%s from %s for %s %s%s", answerText(hr, ev), s.addrOf(i), hr.Method, redactURL(hr.URL), extra),
		Evidence: ev,
		Vars:     &vars,
	}}
}

// evidenceKey is the evidence key of a header: "Retry-After" → "retry_after".
func evidenceKey(header string) string {
	return strings.ToLower(strings.ReplaceAll(header, "-", "_"))
}

// redactURL hides the password of a URL and leaves out its default port
// (graph.ShownURL); s unchanged when it does not parse.
func redactURL(s string) string {
	if s == "" {
		return ""
	}
	if p, err := url.Parse(s); err == nil {
		return graph.RedactedURL(graph.ShownURL(p))
	}
	return s
}

func redactAll(urls []string) []string {
	out := make([]string, 0, len(urls))
	for _, s := range urls {
		out = append(out, redactURL(s))
	}
	return out
}
