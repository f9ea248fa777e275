package diagnose

import (
	"crypto/x509"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// Conversion of facts and findings to report values: an upstream, its
// targets and the facts of each layer (dns, tcp, tls, http with its
// deprecation and sunset, latency statistics). Nothing here judges: the
// statuses come from status.go, the findings from the rules.

// upstreamReport converts one upstream with its final findings fs and status.
func upstreamReport(s *subject, fs []finding, status report.Status) report.Upstream {
	out := report.Upstream{
		Name:        s.up.Name,
		URL:         s.displayURL(),
		Description: s.up.Description,
		Tags:        slices.Clone(s.up.Tags),
		Proxy:       proxyReport(s.res.Proxy),
		Status:      status,
		DurationMS:  ms(s.res.Duration),
		DependsOn:   append([]string{}, s.up.DependsOn...),
		Layers:      layers(s, fs),
		DNS:         dnsReport(s),
		Targets:     make([]report.Target, 0, len(s.res.Targets)),
		Findings:    reportFindings(fs),
	}
	for i := range s.res.Targets {
		out.Targets = append(out.Targets, targetReport(s, fs, i))
	}
	return out
}

// proxyReport is the proxy the url was reached through, nil for a direct
// connection.
func proxyReport(px *graph.ProxyChoice) *report.Proxy {
	if px == nil || px.URL == nil {
		return nil
	}
	return &report.Proxy{URL: graph.RedactedURL(px.URL), Source: px.Source}
}

// targetReport converts target i's facts; its status and layer statuses
// are its own (before the replica rule lowered them).
func targetReport(s *subject, fs []finding, i int) report.Target {
	t := s.target(i)
	out := report.Target{Address: t.Address, Status: targetStatus(s, fs, i), DNS: dnsResultReport(t.DNS)}
	if d := t.DialAddress(); d != t.Address {
		out.Dial = d
	}
	if t.TCP != nil {
		out.TCP = &report.TCP{Status: targetLayer(s, fs, i, catalog.LayerTCP, true), DurationMS: ms(t.TCP.Duration)}
		if t.TCP.Err != nil {
			out.TCP.Error = errnoText(t.TCP.Err)
		}
	}
	if t.TLS != nil && s.hasTLS() {
		tr := t.TLS
		out.TLS = &report.TLS{
			Status:              targetLayer(s, fs, i, catalog.LayerTLS, true),
			DurationMS:          ms(tr.Duration),
			ServerName:          s.serverName(i, tr),
			SNI:                 tr.SNI,
			Version:             tr.Version,
			ALPN:                tr.ALPN,
			ClientCertRequested: tr.ClientCertRequested,
			Cert:                certReport(leaf(tr), s.now),
		}
		if err := tlsErr(t); err != nil {
			out.TLS.Error = shortErr(err)
		}
	}
	if t.HTTP != nil && s.hasHTTP() {
		out.HTTP = httpReport(s, fs, i)
	}
	if latencyShown(s, fs, i) {
		// A skipped latency layer shows no numbers: latency of failed
		// answers would read as a measurement of the service.
		out.LatencyMS = latencyReport(s, i)
	}
	return out
}

// httpReport converts target i's HTTP exchange.
func httpReport(s *subject, fs []finding, i int) *report.HTTP {
	hr := s.target(i).HTTP
	timings := hr.Timings
	if d := dnsOf(s, i); timings.DNS == 0 && d != nil {
		// The request dialled the resolved address, so the name was
		// looked up by the dns layer: that is the dns phase.
		timings.DNS = d.Duration
		timings.Total += timings.DNS
	}
	h := &report.HTTP{
		Status:     targetLayer(s, fs, i, catalog.LayerHTTP, true),
		Method:     hr.Method,
		URL:        redactURL(hr.URL),
		StatusCode: hr.StatusCode,
		Proto:      hr.Proto,
		Server:     hr.Header.Get("Server"),
		BodyPrefix: bodyPrefix(hr.Body),
		TimingsMS: report.Timings{
			DNS: ms(timings.DNS), Connect: ms(timings.Connect), TLS: ms(timings.TLS),
			TTFB: ms(timings.TTFB), Transfer: ms(timings.Transfer), Total: ms(timings.Total),
		},
	}
	if h.URL == "" {
		h.URL = s.displayURL()
	}
	for _, r := range hr.Redirects {
		h.Redirects = append(h.Redirects, redactURL(r))
	}
	if hr.Err != nil {
		h.Error = shortErr(hr.Err)
	}
	h.ContentEncoding = hr.ContentEncoding
	h.Deprecation, h.Sunset = deprecationReport(hr, s.now)
	return h
}

// dnsOf is the resolution that gave target i its address: its own name's,
// else the URL host's; nil for an IP target.
func dnsOf(s *subject, i int) *probe.DNSResult {
	if d := s.target(i).DNS; d != nil {
		return d
	}
	if s.target(i).Name == "" {
		return s.res.DNS
	}
	return nil
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

// certReport converts a certificate; nil for nil.
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
		DaysLeft:  daysLeft(now, c.NotAfter),
	}
}

// dnsReport converts the dns layer; nil when it did not run. When the
// targets name hosts (the URL host is then not resolved), it shows the
// resolution of the first target name; each target carries its own.
func dnsReport(s *subject) *report.DNS {
	r := s.res.DNS
	if r == nil {
		for _, t := range s.res.Targets {
			if t.DNS != nil && len(t.DNS.Queries) > 0 {
				r = t.DNS
				break
			}
		}
	}
	return dnsResultReport(r)
}

// dnsResultReport converts one name's resolution; nil for nil.
func dnsResultReport(r *probe.DNSResult) *report.DNS {
	if r == nil {
		return nil
	}
	out := &report.DNS{
		Name:       r.Name,
		Addresses:  append([]string{}, r.Addresses...),
		CNAMEChain: []string{},
		DurationMS: ms(r.Duration),
		Queries:    make([]report.DNSQuery, 0, len(r.Queries)),
	}
	// Resolver, Rcode and the CNAME chain describe the answer the
	// addresses came from: the first A answer from a resolver that
	// answered, else the first answer of any type, else the first query
	// (none answered: its resolver is the one named).
	first := -1
	for _, pick := range []func(probe.DNSQuery) bool{
		func(q probe.DNSQuery) bool { return q.QType == "A" && effectiveRcode(q) != "" },
		func(q probe.DNSQuery) bool { return effectiveRcode(q) != "" },
		func(probe.DNSQuery) bool { return true },
	} {
		if first = slices.IndexFunc(r.Queries, pick); first >= 0 {
			break
		}
	}
	if first >= 0 {
		q := r.Queries[first]
		out.Resolver = q.ResolverName()
		out.Rcode = effectiveRcode(q)
		out.FQDN = q.Name
		out.CNAMEChain = append(out.CNAMEChain, q.CNAMEChain...)
	}
	for _, q := range r.Queries {
		rq := report.DNSQuery{
			Resolver:   q.ResolverName(),
			Type:       q.QType,
			Rcode:      effectiveRcode(q),
			Addresses:  append([]string{}, q.Addresses...),
			CNAMEChain: append([]string{}, q.CNAMEChain...),
			DurationMS: ms(q.Duration),
		}
		if q.Err != nil {
			rq.Error = shortErr(q.Err)
		}
		rq.FQDN, rq.Searched, rq.CNAMELoop, rq.Truncated = q.Name, q.Searched, q.CNAMELoop, q.Truncated
		for _, e := range q.ExtendedErrors {
			rq.ExtendedErrors = append(rq.ExtendedErrors, report.DNSExtendedError{Code: int(e.Code), Name: e.Name, Text: e.Text})
		}
		out.Queries = append(out.Queries, rq)
	}
	return out
}

// deprecationReport returns the http.deprecation and http.sunset report
// fields for one response (nil when absent).
func deprecationReport(hr *probe.HTTPResult, now time.Time) (*report.Deprecation, *report.Sunset) {
	if hr == nil {
		return nil, nil
	}
	lc := parseLifecycle(hr.Header)
	var dep *report.Deprecation
	if lc.deprecated {
		raw := lc.depRaw
		if raw == "" && len(lc.warnings) > 0 {
			raw = "Warning: 299 " + strconv.Quote(lc.warnings[0])
		}
		if raw == "" {
			raw = `Link rel="deprecation"`
		}
		dep = &report.Deprecation{Raw: raw, Date: lc.depDate, Link: lc.depLink}
	}
	var sun *report.Sunset
	if lc.sunsetRaw != "" || lc.sunsetLink != "" {
		sun = &report.Sunset{Raw: lc.sunsetRaw, Date: lc.sunsetDate, Link: lc.sunsetLink}
		if lc.sunsetDate != nil {
			d := daysLeft(now, *lc.sunsetDate)
			sun.DaysLeft = &d
		}
	}
	return dep, sun
}

// latencyStats summarises the samples in milliseconds (rounded to the microsecond):
// nearest-rank percentiles, population standard deviation.
func latencyStats(samples []time.Duration) *report.Latency {
	n := len(samples)
	if n == 0 {
		return nil
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	var sum float64
	for _, d := range s {
		sum += msf(d)
	}
	mean := sum / float64(n)
	var sq float64
	for _, d := range s {
		x := msf(d) - mean
		sq += x * x
	}
	return &report.Latency{
		Samples: n,
		Min:     ms(s[0]),
		P50:     ms(nearestRank(s, 50)),
		P90:     ms(nearestRank(s, 90)),
		P99:     ms(nearestRank(s, 99)),
		Max:     ms(s[n-1]),
		Mean:    roundMS(mean),
		Stddev:  roundMS(math.Sqrt(sq / float64(n))),
	}
}

// nearestRank is the p-th percentile of sorted samples by the nearest-rank
// method: the value at rank ceil(p/100 × n).
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}
