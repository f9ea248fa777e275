package diagnose

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// latencyStats summarises the samples in milliseconds (rounded to 0.1 ms):
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
		Mean:    round1(mean),
		Stddev:  round1(math.Sqrt(sq / float64(n))),
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

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// classifyLatency: latency.slow per target, and a failed sample (an
// intermittent failure: the target passed its own probe) as a warning.
func (u *upstream) classifyLatency(i int, lr *probe.LatencyResult) {
	addr := u.res.Targets[i].Address
	if maxLat := u.up.Expect.MaxLatency; maxLat > 0 && len(lr.Samples) > 0 {
		st := latencyStats(lr.Samples)
		if st.P90 > ms(maxLat) {
			u.add(draft{
				Code: catalog.LatencySlow, Layer: "latency", Target: i,
				Message: fmt.Sprintf("p90 %s to %s is above max_latency %s (p50 %s, p99 %s, %d samples)",
					fmtMSf(st.P90), addr, maxLat, fmtMSf(st.P50), fmtMSf(st.P99), st.Samples),
				Evidence: map[string]any{
					"p50_ms": st.P50, "p90_ms": st.P90, "p99_ms": st.P99, "max_ms": st.Max,
					"samples": st.Samples, "max_latency_ms": ms(maxLat),
				},
			})
		}
	}
	if lr.Err != nil {
		u.sampleFailed(i, lr)
	}
}

// sampleFailed reports a latency sample that failed after the target's own
// probe succeeded: the cause code of the error, capped at warn.
func (u *upstream) sampleFailed(i int, lr *probe.LatencyResult) {
	addr := u.res.Targets[i].Address
	k := classify(lr.Err)
	if k == kindCanceled {
		return
	}
	var code, what string
	switch k {
	case kindRefused:
		code, what = catalog.TCPRefused, "connection refused"
	case kindUnreachable:
		code, what = catalog.TCPUnreachable, errnoText(lr.Err)
	case kindTimeout:
		code, what = catalog.TCPTimeout, "timed out"
		if u.hasHTTP() {
			code = catalog.HTTPTimeout
		}
	case kindNotTLS, kindTLSAlert:
		code, what = catalog.TLSHandshakeFailed, shortErr(lr.Err)
	default:
		code, what = catalog.TCPUnreachable, shortErr(lr.Err)
		if u.hasHTTP() {
			code = catalog.HTTPServerError
		} else if u.hasTLS() && (k == kindEOF || k == kindReset) {
			code = catalog.TLSHandshakeFailed
		}
	}
	n := len(lr.Samples)
	u.add(draft{
		Code: code, Layer: "latency", Target: i, CapWarn: true,
		Message: fmt.Sprintf("latency sample %d to %s failed after %d good ones: %s (intermittent failure)",
			n+1, addr, n, what),
		Evidence: map[string]any{"error": shortErr(lr.Err), "sample": n + 1, "good_samples": n},
	})
}
