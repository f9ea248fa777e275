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

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// classifyLatency: latency.slow per target, and a failed sample (an
// intermittent failure: the target passed its own probe) as a warning.
func (u *upstream) classifyLatency(i int, lr *probe.LatencyResult) {
	addr := u.addrOf(i)
	if maxLat := u.up.Expect.MaxLatency; maxLat > 0 && len(lr.Samples) > 0 {
		st := latencyStats(lr.Samples)
		if st.P90 > ms(maxLat) {
			u.add(draft{
				Code: catalog.LatencySlow, Layer: catalog.LayerLatency, Target: i,
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
	addr := u.addrOf(i)
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
		Code: code, Layer: catalog.LayerLatency, Target: i, CapWarn: true,
		Message: fmt.Sprintf("latency sample %d to %s failed after %d good ones: %s (intermittent failure)",
			n+1, addr, n, what),
		Evidence: map[string]any{"error": shortErr(lr.Err), "sample": n + 1, "good_samples": n},
	})
}

// Thresholds of the latency rules across samples and targets (SPEC §4).
const (
	spreadMinSamples = 10  // latency.high_spread needs at least this many samples
	spreadRatio      = 4.0 // p99 > 4 × p50
	spreadMinGapMS   = 50  // and p99 − p50 > 50 ms

	// load.imbalance compares each target with the median p50 of the
	// OTHER targets (upper median for an even count, see median), so it needs at least imbalanceMinTargets targets with
	// at least imbalanceMinSamples samples each: with two targets the
	// "median of the others" is a single replica, and a 2× difference
	// between two replicas does not say which one is the odd one out in
	// general; with three or more, one slow target stands out against the
	// others and the others never stand out against a median that includes
	// a fast replica.
	imbalanceMinTargets = 3
	imbalanceMinSamples = 3
	imbalanceRatio      = 2.0 // p50 > 2 × median p50 of the others
	imbalanceMinGapMS   = 20  // and > 20 ms above it
)

// upstreamLatencyRules compares the latency samples of an upstream's
// targets: latency.high_spread per target, and load.imbalance on exactly
// the target(s) much slower than the others.
func (u *upstream) upstreamLatencyRules() {
	stats := make([]*report.Latency, len(u.res.Targets))
	for i, t := range u.res.Targets {
		// Only targets whose lower layers passed are judged (and compared).
		if t.Latency != nil && len(t.Latency.Samples) > 0 && !u.lowerLayerFailed(i) {
			stats[i] = latencyStats(t.Latency.Samples)
		}
	}
	for i, st := range stats {
		if st == nil || st.Samples < spreadMinSamples {
			continue
		}
		if st.P99 > spreadRatio*st.P50 && st.P99-st.P50 > spreadMinGapMS {
			u.add(draft{
				Code: catalog.LatencyHighSpread, Layer: catalog.LayerLatency, Target: i,
				Message: fmt.Sprintf("p99 %s to %s is %.1f × its p50 %s (%d samples, max %s)",
					fmtMSf(st.P99), u.addrOf(i), st.P99/math.Max(st.P50, 0.1), fmtMSf(st.P50), st.Samples, fmtMSf(st.Max)),
				Evidence: map[string]any{"p50_ms": st.P50, "p99_ms": st.P99, "max_ms": st.Max, "samples": st.Samples},
			})
		}
	}

	var usable []int
	for i, st := range stats {
		if st != nil && st.Samples >= imbalanceMinSamples {
			usable = append(usable, i)
		}
	}
	if len(usable) < imbalanceMinTargets {
		return
	}
	for _, i := range usable {
		var others []float64
		for _, j := range usable {
			if j != i {
				others = append(others, stats[j].P50)
			}
		}
		med := median(others)
		p50 := stats[i].P50
		if p50 > imbalanceRatio*med && p50-med > imbalanceMinGapMS {
			u.add(draft{
				Code: catalog.LoadImbalance, Layer: catalog.LayerLatency, Target: i,
				Message: fmt.Sprintf("%s answers with p50 %s, %.1f × the median p50 %s of the other %d targets (+%s)",
					u.addrOf(i), fmtMSf(p50), p50/math.Max(med, 0.1), fmtMSf(med), len(others), fmtMSf(roundMS(p50-med))),
				Evidence: map[string]any{"p50_ms": p50, "others_median_p50_ms": roundMS(med), "other_targets": len(others), "samples": stats[i].Samples},
			})
		}
	}
}

// median of values; for an even count the upper of the two middle values
// (any value between them is a median). The upper one keeps load.imbalance
// honest with few targets: with two others {1 ms, 80 ms}, a target at 82 ms
// is not "2× the median" — it is as slow as half of the others, and the
// mean of the two middle values (40.5 ms) would single it out wrongly.
func median(values []float64) float64 {
	s := slices.Clone(values)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}
