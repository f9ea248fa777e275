package report

import (
	"fmt"
	"math"
	"net"
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// How the human-readable outputs (table, Markdown, GitHub) say a status, a
// duration and a summary.

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

// CountsLine is "3 upstreams: 1 healthy, 1 degraded, 1 unhealthy", as the
// headline of every output says it (the TUI's summary line too); the
// unknown count ("2 unknown", before unhealthy) shows when there is one.
func CountsLine(s Summary) string {
	unknown := ""
	if s.Unknown > 0 {
		unknown = fmt.Sprintf(" %d unknown,", s.Unknown)
	}
	return fmt.Sprintf("%s: %d healthy, %d degraded,%s %d unhealthy",
		textfmt.Plural(s.Total, "upstream"), s.Healthy, s.Degraded, unknown, s.Unhealthy)
}

// SNIPhrase says what a handshake sent as SNI: "sni NAME", or "no sni (IP
// address ADDR)" when it was made to an IP address (clients send no SNI
// for one: RFC 6066 §3); "" when nothing is known.
func SNIPhrase(t *TLS) string {
	switch {
	case t == nil:
		return ""
	case t.SNI != "":
		return "sni " + t.SNI
	case net.ParseIP(t.ServerName) != nil:
		return "no sni (IP address " + t.ServerName + ")"
	case t.ServerName != "": // a report written before the sni key: a name is always sent
		return "sni " + t.ServerName
	}
	return ""
}
