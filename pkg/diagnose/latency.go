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

// samplesJudged is target i's latency samples, each judged: what the
// latency rules and the report read.
type samplesJudged struct {
	ran    int             // samples that ran
	passed []time.Duration // durations of the samples that passed, in order
	failed int             // samples that did not pass
	// first is the first sample that did not pass, and firstNo its number
	// (1-based; 0 when every sample passed).
	first   probe.LatencySample
	firstNo int
	// stopped: the last sample timed out and ended the sampling before
	// every planned sample ran.
	stopped bool
	// reconnects counts the samples that re-opened a connection the
	// server had closed after its previous answer (SPEC §3: evidence, not
	// a failure).
	reconnects int
}

// judgeSamples judges each latency sample of target i (sampleAnswered).
func judgeSamples(s *subject, i int) samplesJudged {
	var j samplesJudged
	lr := s.target(i).Latency
	if lr == nil {
		return j
	}
	j.ran = len(lr.Samples)
	j.passed = make([]time.Duration, 0, len(lr.Samples))
	for k, sm := range lr.Samples {
		switch sm.Reconnect {
		case probe.ReconnectServerClosed, probe.ReconnectConnectionClose:
			j.reconnects++
		}
		if sampleAnswered(s, i, sm) {
			j.passed = append(j.passed, sm.Duration)
			continue
		}
		j.failed++
		if j.firstNo == 0 {
			j.first, j.firstNo = sm, k+1
		}
	}
	if n := j.ran; n > 0 && n < lr.Planned {
		j.stopped = classify(lr.Samples[n-1].Err) == kindTimeout
	}
	return j
}

// sampleAnswered: sample sm of target i completed with an answer the check
// accepts — an expected status, or the 3xx the http layer followed to get
// its own answer (samples do not follow redirects).
func sampleAnswered(s *subject, i int, sm probe.LatencySample) bool {
	if sm.Err != nil {
		return false
	}
	if !s.hasHTTP() || statusExpected(s.up.Expect.Status, sm.Status) {
		return true
	}
	hr := s.target(i).HTTP
	return sm.Status/100 == 3 && hr != nil && len(hr.Redirects) > 0
}

// latencyReport is target i's latency_ms in the report: statistics of the
// samples that passed, and the reconnects; nil when none passed.
func latencyReport(s *subject, i int) *report.Latency {
	ts := s.samplesOf(i)
	if ts.stats == nil {
		return nil
	}
	st := *ts.stats
	st.Reconnects = ts.judged.reconnects
	return &st
}

// classifyLatency judges target i's latency samples, when its latency is
// judged: latency.slow on the samples that passed, and http.intermittent
// when some failed (the target passed its own probe).
func classifyLatency(s *subject, i int, judged bool) []draft {
	lr := s.target(i).Latency
	if lr == nil || !judged {
		return nil
	}
	ts := s.samplesOf(i)
	j := ts.judged
	var out []draft
	if maxLat := s.up.Expect.MaxLatency; maxLat > 0 && len(j.passed) > 0 {
		st := ts.stats
		if st.P90 > ms(maxLat) {
			ev := map[string]any{
				"p50_ms": st.P50, "p90_ms": st.P90, "p99_ms": st.P99, "max_ms": st.Max,
				"samples": st.Samples, "max_latency_ms": ms(maxLat),
			}
			if j.reconnects > 0 {
				ev["reconnects"] = j.reconnects
			}
			out = append(out, draft{
				Code: catalog.LatencySlow, Layer: catalog.LayerLatency, Target: i,
				Message: fmt.Sprintf("p90 %s to %s is above max_latency %s (p50 %s, p99 %s, %d samples)",
					fmtMSf(st.P90), s.addrOf(i), maxLat, fmtMSf(st.P50), fmtMSf(st.P99), st.Samples),
				Evidence: ev,
			})
		}
	}
	if j.failed > 0 {
		out = append(out, intermittent(s, i, lr, j))
	}
	return out
}

// intermittent reports latency samples that failed while the target's own
// probe passed (SPEC §4 http.intermittent, a warning): how many of how
// many, and the first failure. For tcp:// and tls:// upstreams the samples
// are TCP connects; the same code names their intermittent failures (the
// catalogue places it in the latency layer), with the connect variant of
// its steps.
func intermittent(s *subject, i int, lr *probe.LatencyResult, j samplesJudged) draft {
	what := "latency samples"
	variant := ""
	if !s.hasHTTP() {
		what = "latency samples (TCP connects)"
		variant = catalog.VariantIntermittentConnect
	}
	ev := map[string]any{
		"failed": j.failed, "samples": j.ran, "planned": lr.Planned,
		"first_failed_sample": j.firstNo,
	}
	first := sampleFailure(s, j.first, ev)
	var head string
	switch {
	case j.failed == j.ran && j.ran == 1:
		head = fmt.Sprintf("the only latency sample to %s failed although the target's own check passed", s.addrOf(i))
	case j.failed == j.ran:
		head = fmt.Sprintf("all %d %s to %s failed although the target's own check passed", j.ran, what, s.addrOf(i))
	default:
		head = fmt.Sprintf("%d of %d %s to %s failed while the others passed", j.failed, j.ran, what, s.addrOf(i))
	}
	msg := fmt.Sprintf("%s (intermittent); the first, sample %d: %s", head, j.firstNo, first)
	if j.stopped {
		ev["stopped"] = true
		msg += fmt.Sprintf("; sampling stopped there, after %d of %d samples (another would wait as long)", j.ran, lr.Planned)
	}
	return draft{
		Code: catalog.HTTPIntermittent, Layer: catalog.LayerLatency, Target: i,
		Message: msg, Evidence: ev, Variant: variant,
	}
}

// sampleFailure says why one sample failed, and adds first_error or
// first_status to ev.
func sampleFailure(s *subject, sm probe.LatencySample, ev map[string]any) string {
	if sm.Err == nil {
		ev["first_status"] = sm.Status
		return fmt.Sprintf("%s, expected %s", statusText(sm.Status), statusRangesText(s.up.Expect.Status))
	}
	ev["first_error"] = shortErr(sm.Err)
	var why string
	switch classify(sm.Err) {
	case kindTimeout:
		why = "no answer " + s.within(sm.Duration, ev)
	case kindRefused:
		why = "connection refused"
	case kindReset:
		why = "the connection was reset (" + errnoText(sm.Err) + ")"
	case kindEOF:
		why = "the connection closed without a complete answer"
	default:
		why = shortErr(sm.Err)
	}
	if sm.Status != 0 {
		ev["first_status"] = sm.Status
		return fmt.Sprintf("%s, then the body failed: %s", statusText(sm.Status), why)
	}
	return why
}

// Thresholds of the latency rules across samples and targets (SPEC §4).
const (
	// latency.high_spread: of at least spreadMinSamples samples, at least
	// spreadMinSlow, and at least spreadMinShare percent of them, are slow:
	// slower than spreadRatio × p50 and more than spreadMinGapMS above it.
	// One stall is noise on a busy machine; with 10 samples p99 is the
	// maximum, so a rule on p99 alone trips on it.
	spreadMinSamples = 10
	spreadMinSlow    = 2
	spreadMinShare   = 10  // percent
	spreadRatio      = 4.0 // slower than 4 × p50
	spreadMinGapMS   = 50  // and more than 50 ms above it

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

// slowSamples counts the samples slower than spreadRatio × p50 and more
// than spreadMinGapMS above it (p50 in milliseconds).
func slowSamples(samples []time.Duration, p50 float64) int {
	n := 0
	for _, d := range samples {
		if v := ms(d); v > spreadRatio*p50 && v-p50 > spreadMinGapMS {
			n++
		}
	}
	return n
}

// compareLatency compares the latency samples of an upstream's judged
// targets: latency.high_spread per target, and load.imbalance on exactly
// the target(s) much slower than the others. Both read the samples that
// passed.
func compareLatency(s *subject, judged []bool) []draft {
	stats := make([]*report.Latency, len(s.res.Targets))
	passed := make([][]time.Duration, len(s.res.Targets))
	for i, t := range s.res.Targets {
		if judged[i] && t.Latency != nil {
			ts := s.samplesOf(i)
			passed[i], stats[i] = ts.judged.passed, ts.stats
		}
	}
	var out []draft
	for i, st := range stats {
		if st == nil || st.Samples < spreadMinSamples {
			continue
		}
		slow := slowSamples(passed[i], st.P50)
		if slow >= spreadMinSlow && slow*100 >= spreadMinShare*st.Samples {
			out = append(out, draft{
				Code: catalog.LatencyHighSpread, Layer: catalog.LayerLatency, Target: i,
				Message: fmt.Sprintf("%d of %d samples to %s were slower than %.0f × p50 %s and more than %dms above it (p99 %s, max %s)",
					slow, st.Samples, s.addrOf(i), spreadRatio, fmtMSf(st.P50), spreadMinGapMS, fmtMSf(st.P99), fmtMSf(st.Max)),
				Evidence: map[string]any{"p50_ms": st.P50, "p99_ms": st.P99, "max_ms": st.Max, "samples": st.Samples, "slow_samples": slow},
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
