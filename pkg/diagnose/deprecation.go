package diagnose

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// Deprecation and sunset signals of one response (SPEC §3 layer 5):
//
//   - Deprecation (RFC 9745): a structured-field Date "@<unix-seconds>";
//     the draft forms "true" (and "?1") and an HTTP-date are accepted too.
//     "false" / "?0" mean not deprecated; any other value is still a signal.
//   - Sunset (RFC 8594): an HTTP-date.
//   - Link (RFC 8288) with rel "deprecation" (RFC 9745) or "sunset"
//     (RFC 8594): several Link headers, several links per header, rel lists.
//   - Warning code 299 (RFC 7234 "miscellaneous persistent warning", used
//     for deprecations by e.g. Kubernetes).

// lifecycle is what the headers say.
type lifecycle struct {
	depRaw     string     // Deprecation header value ("" when absent)
	deprecated bool       // any deprecation signal
	depDate    *time.Time // from Deprecation, when it holds a date
	depLink    string     // Link rel=deprecation
	warnings   []string   // Warning 299 texts

	sunsetRaw  string
	sunsetDate *time.Time
	sunsetLink string // Link rel=sunset
}

func parseLifecycle(h http.Header) lifecycle {
	var lc lifecycle
	if h == nil {
		return lc
	}
	if v := firstValue(h, "Deprecation"); v != "" {
		lc.depRaw = v
		date, dep := parseDeprecation(v)
		lc.depDate = date
		lc.deprecated = dep
	}
	if v := firstValue(h, "Sunset"); v != "" {
		lc.sunsetRaw = v
		lc.sunsetDate = parseHTTPDate(v)
	}
	for _, l := range parseLinks(h.Values("Link")) {
		for _, rel := range l.Rels {
			switch rel {
			case "deprecation":
				if lc.depLink == "" {
					lc.depLink = l.URI
				}
			case "sunset":
				if lc.sunsetLink == "" {
					lc.sunsetLink = l.URI
				}
			}
		}
	}
	if lc.depLink != "" {
		lc.deprecated = true
	}
	for _, w := range parseWarnings(h.Values("Warning")) {
		if w.Code == 299 {
			lc.warnings = append(lc.warnings, w.Text)
		}
	}
	if len(lc.warnings) > 0 {
		lc.deprecated = true
	}
	return lc
}

// firstValue is the first non-empty value of header name, trimmed.
func firstValue(h http.Header, name string) string {
	for _, v := range h.Values(name) {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// parseDeprecation reads a Deprecation value: the date when it holds one,
// and whether it says "deprecated".
func parseDeprecation(v string) (*time.Time, bool) {
	v = strings.TrimSpace(v)
	switch strings.ToLower(v) {
	case "false", "?0":
		return nil, false
	case "true", "?1":
		return nil, true
	}
	if t, ok := parseSFDate(v); ok {
		return &t, true
	}
	if t := parseHTTPDate(v); t != nil {
		return t, true
	}
	return nil, true // present but unreadable: still a deprecation signal
}

// parseSFDate reads an RFC 9651 Date: "@" followed by an sf-integer
// (optional "-", 1 to 15 digits), seconds since the epoch.
func parseSFDate(v string) (time.Time, bool) {
	s, ok := strings.CutPrefix(v, "@")
	if !ok {
		return time.Time{}, false
	}
	digits := strings.TrimPrefix(s, "-")
	if len(digits) == 0 || len(digits) > 15 {
		return time.Time{}, false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}

// parseHTTPDate reads an HTTP-date (IMF-fixdate, and the obsolete RFC 850
// and asctime forms).
func parseHTTPDate(v string) *time.Time {
	t, err := http.ParseTime(strings.TrimSpace(v))
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

// link is one link of a Link header.
type link struct {
	URI  string
	Rels []string // lower case
}

// parseLinks parses Link header values (RFC 8288): comma-separated
// "<URI>; param=value; rel="a b"" entries; commas inside <...> and quoted
// strings do not separate. Malformed entries are skipped.
func parseLinks(values []string) []link {
	var out []link
	for _, v := range values {
		i := 0
		for i < len(v) {
			i = skipSeparators(v, i)
			if i >= len(v) {
				break
			}
			if v[i] != '<' {
				i = skipEntry(v, i)
				continue
			}
			end := strings.IndexByte(v[i+1:], '>')
			if end < 0 {
				break
			}
			l := link{URI: strings.TrimSpace(v[i+1 : i+1+end])}
			i += end + 2
			// Parameters until the next top-level comma.
			for i < len(v) && v[i] != ',' {
				if v[i] != ';' {
					i++
					continue
				}
				i++
				name, value, next := parseParam(v, i)
				i = next
				if strings.EqualFold(name, "rel") && l.Rels == nil {
					for _, r := range strings.Fields(value) {
						l.Rels = append(l.Rels, strings.ToLower(r))
					}
				}
			}
			out = append(out, l)
		}
	}
	return out
}

// skipSeparators returns the index of the first byte at or after i that is
// not white space or the comma between list entries.
func skipSeparators(v string, i int) int {
	for i < len(v) && (v[i] == ' ' || v[i] == '\t' || v[i] == ',') {
		i++
	}
	return i
}

// skipEntry returns the index of the comma ending the entry at i (or
// len(v)), skipping quoted strings and <...>.
func skipEntry(v string, i int) int {
	for i < len(v) {
		switch v[i] {
		case ',':
			return i
		case '"':
			i = skipQuoted(v, i)
			continue
		case '<':
			if end := strings.IndexByte(v[i:], '>'); end >= 0 {
				i += end + 1
				continue
			}
		}
		i++
	}
	return i
}

// skipQuoted returns the index after the quoted string starting at v[i] == '"'.
func skipQuoted(v string, i int) int {
	i++
	for i < len(v) {
		switch v[i] {
		case '\\':
			i += 2
			continue
		case '"':
			return i + 1
		}
		i++
	}
	return len(v)
}

// parseParam reads "name[=value]" at i (after a ';'); it returns the name,
// the unquoted value and the index of the next ';', ',' or the end.
func parseParam(v string, i int) (string, string, int) {
	start := i
	for i < len(v) && v[i] != '=' && v[i] != ';' && v[i] != ',' {
		i++
	}
	name := strings.TrimSpace(v[start:i])
	if i >= len(v) || v[i] != '=' {
		return name, "", i
	}
	i++
	for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
		i++
	}
	if i < len(v) && v[i] == '"' {
		end := skipQuoted(v, i)
		value := unquote(v[i:end])
		for end < len(v) && v[end] != ';' && v[end] != ',' {
			end++
		}
		return name, value, end
	}
	start = i
	for i < len(v) && v[i] != ';' && v[i] != ',' {
		i++
	}
	return name, strings.TrimSpace(v[start:i]), i
}

// unquote removes the quotes and backslash escapes of a quoted string
// (possibly unterminated).
func unquote(q string) string {
	q = strings.TrimPrefix(q, `"`)
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		switch q[i] {
		case '\\':
			if i+1 < len(q) {
				i++
				b.WriteByte(q[i])
			}
		case '"':
			return b.String()
		default:
			b.WriteByte(q[i])
		}
	}
	return b.String()
}

// warning is one Warning header entry: warn-code warn-agent "warn-text" ["date"].
type warning struct {
	Code int
	Text string
}

// parseWarnings parses Warning values (RFC 7234 §5.5). Entries that do
// not start with a 3-digit code are skipped.
func parseWarnings(values []string) []warning {
	var out []warning
	for _, v := range values {
		i := 0
		for i < len(v) {
			i = skipSeparators(v, i)
			if i >= len(v) {
				break
			}
			end := skipEntry(v, i)
			entry := v[i:end]
			i = end
			if len(entry) < 3 {
				continue
			}
			code, err := strconv.Atoi(entry[:3])
			if err != nil || (len(entry) > 3 && entry[3] != ' ' && entry[3] != '\t') {
				continue
			}
			w := warning{Code: code}
			if q := strings.IndexByte(entry, '"'); q >= 0 {
				w.Text = unquote(entry[q:skipQuoted(entry, q)])
			} else {
				w.Text = strings.TrimSpace(entry[3:])
			}
			out = append(out, w)
		}
	}
	return out
}

// signal is an api.* finding of one response, before policy: the http
// rules make it a draft of the target that got the response.
type signal struct {
	Code     string
	Message  string
	Evidence map[string]any
}

// deprecationSignals returns the api.* findings for one response.
func deprecationSignals(hr *probe.HTTPResult, now time.Time) []signal {
	if hr == nil {
		return nil
	}
	lc := parseLifecycle(hr.Header)
	if !lc.deprecated && lc.sunsetDate == nil {
		return nil // most answers: no request line to name
	}
	where := strings.TrimSpace(hr.Method + " " + redactURL(hr.URL))
	var out []signal
	if lc.deprecated {
		ev := map[string]any{}
		var what string
		switch {
		case lc.depDate != nil && lc.depDate.After(now):
			what = fmt.Sprintf("will be deprecated on %s (in %s)", fmtDate(*lc.depDate), humanDuration(lc.depDate.Sub(now)))
		case lc.depDate != nil:
			what = fmt.Sprintf("is deprecated since %s (%s ago)", fmtDate(*lc.depDate), humanDuration(now.Sub(*lc.depDate)))
		default:
			what = "is deprecated"
		}
		var how []string
		if lc.depRaw != "" {
			how = append(how, "Deprecation: "+lc.depRaw)
			ev["deprecation"] = lc.depRaw
		}
		if lc.depDate != nil {
			ev["date"] = lc.depDate.Format(time.RFC3339)
		}
		if lc.depLink != "" {
			how = append(how, `Link rel="deprecation"`)
			ev["link"] = lc.depLink
		}
		if len(lc.warnings) > 0 {
			how = append(how, "Warning: 299 "+strconv.Quote(lc.warnings[0]))
			ev["warning"] = lc.warnings[0]
		}
		msg := where + " " + what + " (" + strings.Join(how, "; ") + ")"
		if lc.depLink != "" {
			msg += "; see " + lc.depLink
		}
		out = append(out, signal{Code: catalog.APIDeprecated, Message: msg, Evidence: ev})
	}
	if lc.sunsetDate != nil {
		days := daysLeft(now, *lc.sunsetDate)
		ev := map[string]any{"sunset": lc.sunsetRaw, "date": lc.sunsetDate.Format(time.RFC3339), "days_left": days}
		var code, msg string
		if lc.sunsetDate.After(now) {
			code = catalog.APISunsetScheduled
			msg = fmt.Sprintf("%s will stop on its Sunset date %s: %d days left (Sunset: %s)", where, fmtDate(*lc.sunsetDate), days, lc.sunsetRaw)
		} else {
			code = catalog.APISunsetPassed
			msg = fmt.Sprintf("%s is past its Sunset date %s: %s ago (Sunset: %s)", where, fmtDate(*lc.sunsetDate), humanDuration(now.Sub(*lc.sunsetDate)), lc.sunsetRaw)
		}
		if lc.sunsetLink != "" {
			ev["link"] = lc.sunsetLink
			msg += "; see " + lc.sunsetLink
		}
		out = append(out, signal{Code: code, Message: msg, Evidence: ev})
	}
	return out
}
