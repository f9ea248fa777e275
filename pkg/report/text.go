package report

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/updoc/updoc/internal/textfmt"
)

// wrap is the table's wrap: s folded into one paragraph, broken into lines
// of at most w columns (long words cut) and, with maxLines > 0, clipped to
// maxLines with "…".
func wrap(s string, w, maxLines int) []string {
	return textfmt.Clip(textfmt.Wrap(textfmt.OneLine(s), w, textfmt.BreakLongWords), maxLines, w)
}

// FormatMS formats milliseconds for people, with the precision the size
// deserves: "0.04ms", "3.1ms", "42ms", "1.25s", "12.5s"; "-" for NaN, an
// infinity or a negative value. Every human-readable output uses it.
func FormatMS(ms float64) string {
	switch {
	case math.IsNaN(ms) || math.IsInf(ms, 0) || ms < 0:
		return "-"
	case ms == 0:
		return "0ms"
	case ms < 1:
		return strconv.FormatFloat(ms, 'f', 2, 64) + "ms"
	case ms < 10:
		return strconv.FormatFloat(ms, 'f', 1, 64) + "ms"
	case ms < 1000:
		return strconv.FormatFloat(ms, 'f', 0, 64) + "ms"
	case ms < 10000:
		return strconv.FormatFloat(ms/1000, 'f', 2, 64) + "s"
	default:
		return strconv.FormatFloat(ms/1000, 'f', 1, 64) + "s"
	}
}

// EvidencePairs flattens evidence into sorted key=value strings; nested
// maps become dotted keys, lists are comma-joined. Every human-readable
// output (table, TUI) shows evidence this way.
func EvidencePairs(ev map[string]any) []string {
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		rv := reflect.ValueOf(v)
		if v != nil && rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String {
			keys := make([]string, 0, rv.Len())
			vals := map[string]any{}
			it := rv.MapRange()
			for it.Next() {
				k := it.Key().String()
				keys = append(keys, k)
				vals[k] = it.Value().Interface()
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(prefix+"."+k, vals[k])
			}
			return
		}
		out = append(out, prefix+"="+quoteIfNeeded(evidenceValue(v)))
	}
	keys := make([]string, 0, len(ev))
	for k := range ev {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		walk(k, ev[k])
	}
	return out
}

// evidenceValue renders one evidence value as plain text.
func evidenceValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case *time.Time:
		if x == nil {
			return "null"
		}
		return x.UTC().Format(time.RFC3339)
	case time.Duration:
		return x.String()
	case error:
		return x.Error()
	case fmt.Stringer:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return string(rv.Bytes())
		}
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = evidenceValue(rv.Index(i).Interface())
		}
		return strings.Join(parts, ",")
	case reflect.Map:
		parts := EvidencePairs(toStringMap(rv))
		return "{" + strings.Join(parts, " ") + "}"
	case reflect.Pointer:
		if rv.IsNil() {
			return "null"
		}
		return evidenceValue(rv.Elem().Interface())
	}
	return fmt.Sprint(v)
}

func toStringMap(rv reflect.Value) map[string]any {
	m := map[string]any{}
	it := rv.MapRange()
	for it.Next() {
		m[fmt.Sprint(it.Key().Interface())] = it.Value().Interface()
	}
	return m
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\r\"=") {
		return strconv.Quote(s)
	}
	return s
}

// statusWord is the status as shown to people; "" becomes "unknown".
func statusWord(s Status) string {
	if s == "" {
		return "unknown"
	}
	return string(s)
}

// upstreamSummary is the short "ok" summary of a healthy upstream: HTTP
// status, p50, certificate days left, targets count.
func upstreamSummary(u *Upstream) string {
	var parts []string
	codes := map[int]bool{}
	var codeList []string
	var p50s []float64
	var tcpMS []float64
	minDays, haveDays := 0, false
	for _, t := range u.Targets {
		if t.HTTP != nil && t.HTTP.StatusCode != 0 && !codes[t.HTTP.StatusCode] {
			codes[t.HTTP.StatusCode] = true
			codeList = append(codeList, strconv.Itoa(t.HTTP.StatusCode))
		}
		if t.LatencyMS != nil && t.LatencyMS.Samples > 0 {
			p50s = append(p50s, t.LatencyMS.P50)
		}
		if t.TCP != nil && t.TCP.Status == Pass {
			tcpMS = append(tcpMS, t.TCP.DurationMS)
		}
		if t.TLS != nil && t.TLS.Cert != nil {
			if !haveDays || t.TLS.Cert.DaysLeft < minDays {
				minDays, haveDays = t.TLS.Cert.DaysLeft, true
			}
		}
	}
	if len(codeList) > 0 {
		parts = append(parts, "HTTP "+strings.Join(codeList, ","))
	}
	switch {
	case len(p50s) > 0:
		parts = append(parts, "p50 "+msRange(p50s))
	case len(tcpMS) > 0:
		parts = append(parts, "connect "+msRange(tcpMS))
	}
	if haveDays {
		parts = append(parts, fmt.Sprintf("cert %dd left", minDays))
	}
	if n := len(u.Targets); n > 1 {
		parts = append(parts, fmt.Sprintf("%d targets", n))
	}
	if len(parts) == 0 {
		return "ok"
	}
	return "ok · " + strings.Join(parts, " · ")
}

// msRange is "4.2ms" or "4.2ms–6.1ms".
func msRange(v []float64) string {
	lo, hi := v[0], v[0]
	for _, x := range v[1:] {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if FormatMS(lo) == FormatMS(hi) {
		return FormatMS(lo)
	}
	return FormatMS(lo) + "–" + FormatMS(hi)
}

// Impact sorts the upstreams a root cause affects by the status they have
// in this report: taken down (unhealthy), degraded, or still healthy.
func (r *Report) Impact(rc RootCause) (down, degraded, healthy []string) {
	for _, name := range rc.Affects {
		st := Healthy
		if u := r.Upstream(name); u != nil {
			st = u.Status
		}
		switch st {
		case Unhealthy:
			down = append(down, name)
		case Degraded:
			degraded = append(degraded, name)
		default:
			healthy = append(healthy, name)
		}
	}
	return down, degraded, healthy
}

// ImpactPhrase says what a root cause does to the upstreams that depend on
// it, by the status they have: "takes down 1 upstream: orders; degrades 2:
// edge, users"; "" when nothing depends on it.
func (r *Report) ImpactPhrase(rc RootCause) string {
	down, degraded, healthy := r.Impact(rc)
	var parts []string
	if len(down) > 0 {
		parts = append(parts, "takes down "+textfmt.Plural(len(down), "upstream")+": "+strings.Join(down, ", "))
	}
	if len(degraded) > 0 {
		if len(parts) == 0 {
			parts = append(parts, "degrades "+textfmt.Plural(len(degraded), "upstream")+": "+strings.Join(degraded, ", "))
		} else {
			parts = append(parts, fmt.Sprintf("degrades %d: %s", len(degraded), strings.Join(degraded, ", ")))
		}
	}
	if len(healthy) > 0 {
		verb := "depends"
		if len(healthy) > 1 {
			verb = "depend"
		}
		parts = append(parts, fmt.Sprintf("%s %s on it but %s still healthy", strings.Join(healthy, ", "), verb, map[bool]string{true: "is", false: "are"}[len(healthy) == 1]))
	}
	return strings.Join(parts, "; ")
}

// countsLine is "3 upstreams: 1 healthy, 1 degraded, 1 unhealthy".
func countsLine(s Summary) string {
	return fmt.Sprintf("%s: %d healthy, %d degraded, %d unhealthy",
		textfmt.Plural(s.Total, "upstream"), s.Healthy, s.Degraded, s.Unhealthy)
}
