package diagnose

import (
	"fmt"
	"math"
	"slices"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// latencyJudged says, per target, whether its latency is judged: a target
// whose own dns, tcp, tls or http layer failed (its findings fs so far, as the
// policy left them) has its latency layer skipped — latency of failed
// answers means little (SPEC §3).
func latencyJudged(s *subject, fs []finding) []bool {
	out := make([]bool, len(s.res.Targets))
	for i := range out {
		out[i] = !lowerLayerFailed(fs, i)
	}
	return out
}

// lowerLayerFailed: target i has a finding of severity fail (its own,
// before the replica rule) in a layer below latency — dns, tcp, tls or
// http (a 502, 503, 504, ...).
func lowerLayerFailed(fs []finding, i int) bool {
	for _, f := range fs {
		if f.target == i && f.own == report.Fail && f.Layer.Rank() < catalog.LayerLatency.Rank() {
			return true
		}
	}
	return false
}

// classifyLatency judges target i's latency samples, when its latency is
// judged: latency.slow, and a failed sample (an intermittent failure: the
// target passed its own probe) as a warning.
func classifyLatency(s *subject, i int, judged bool) []draft {
	lr := s.target(i).Latency
	if lr == nil || !judged {
		return nil
	}
	var out []draft
	if maxLat := s.up.Expect.MaxLatency; maxLat > 0 && len(lr.Samples) > 0 {
		st := latencyStats(lr.Samples)
		if st.P90 > ms(maxLat) {
			out = append(out, draft{
				Code: catalog.LatencySlow, Layer: catalog.LayerLatency, Target: i,
				Message: fmt.Sprintf("p90 %s to %s is above max_latency %s (p50 %s, p99 %s, %d samples)",
					fmtMSf(st.P90), s.addrOf(i), maxLat, fmtMSf(st.P50), fmtMSf(st.P99), st.Samples),
				Evidence: map[string]any{
					"p50_ms": st.P50, "p90_ms": st.P90, "p99_ms": st.P99, "max_ms": st.Max,
					"samples": st.Samples, "max_latency_ms": ms(maxLat),
				},
			})
		}
	}
	if lr.Err != nil {
		out = append(out, sampleFailed(s, i, lr)...)
	}
	return out
}

// sampleFailed reports a latency sample that failed after the target's own
// probe succeeded: the cause code of the error, capped at warn.
func sampleFailed(s *subject, i int, lr *probe.LatencyResult) []draft {
	k := classify(lr.Err)
	if k == kindCanceled {
		return nil
	}
	var code, what string
	switch k {
	case kindRefused:
		code, what = catalog.TCPRefused, "connection refused"
	case kindUnreachable:
		code, what = catalog.TCPUnreachable, errnoText(lr.Err)
	case kindTimeout:
		code, what = catalog.TCPTimeout, "timed out"
		if s.hasHTTP() {
			code = catalog.HTTPTimeout
		}
	case kindNotTLS, kindTLSAlert:
		code, what = catalog.TLSHandshakeFailed, shortErr(lr.Err)
	default:
		code, what = catalog.TCPUnreachable, shortErr(lr.Err)
		if s.hasHTTP() {
			code = catalog.HTTPServerError
		} else if s.hasTLS() && (k == kindEOF || k == kindReset) {
			code = catalog.TLSHandshakeFailed
		}
	}
	n := len(lr.Samples)
	return []draft{{
		Code: code, Layer: catalog.LayerLatency, Target: i, CapWarn: true,
		Message: fmt.Sprintf("latency sample %d to %s failed after %d good ones: %s (intermittent failure)",
			n+1, s.addrOf(i), n, what),
		Evidence: map[string]any{"error": shortErr(lr.Err), "sample": n + 1, "good_samples": n},
	}}
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

// compareLatency compares the latency samples of an upstream's judged
// targets: latency.high_spread per target, and load.imbalance on exactly
// the target(s) much slower than the others.
func compareLatency(s *subject, judged []bool) []draft {
	stats := make([]*report.Latency, len(s.res.Targets))
	for i, t := range s.res.Targets {
		if judged[i] && t.Latency != nil && len(t.Latency.Samples) > 0 {
			stats[i] = latencyStats(t.Latency.Samples)
		}
	}
	var out []draft
	for i, st := range stats {
		if st == nil || st.Samples < spreadMinSamples {
			continue
		}
		if st.P99 > spreadRatio*st.P50 && st.P99-st.P50 > spreadMinGapMS {
			out = append(out, draft{
				Code: catalog.LatencyHighSpread, Layer: catalog.LayerLatency, Target: i,
				Message: fmt.Sprintf("p99 %s to %s is %.1f × its p50 %s (%d samples, max %s)",
					fmtMSf(st.P99), s.addrOf(i), st.P99/math.Max(st.P50, 0.1), fmtMSf(st.P50), st.Samples, fmtMSf(st.Max)),
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
		return out
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
			out = append(out, draft{
				Code: catalog.LoadImbalance, Layer: catalog.LayerLatency, Target: i,
				Message: fmt.Sprintf("%s answers with p50 %s, %.1f × the median p50 %s of the other %d targets (+%s)",
					s.addrOf(i), fmtMSf(p50), p50/math.Max(med, 0.1), fmtMSf(med), len(others), fmtMSf(roundMS(p50-med))),
				Evidence: map[string]any{"p50_ms": p50, "others_median_p50_ms": roundMS(med), "other_targets": len(others), "samples": stats[i].Samples},
			})
		}
	}
	return out
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
