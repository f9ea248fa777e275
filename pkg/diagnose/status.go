package diagnose

import (
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// statusOf is the status findings give an upstream (SPEC §5): unhealthy
// with a fail other than run.*; else unknown when the run ended before the
// upstream finished (a run.* finding: nothing says it is healthy, nothing
// says it failed); else degraded with a warn; else healthy.
func statusOf(fs []finding) report.Status {
	s := report.Healthy
	for _, f := range fs {
		if f.Layer == catalog.LayerRun {
			s = report.WorstStatus(s, report.Unknown)
			continue
		}
		s = report.WorstStatus(s, sevStatus(f.Severity))
	}
	return s
}

func sevStatus(s report.Severity) report.Status {
	if s == report.Fail {
		return report.Unhealthy
	}
	return report.Degraded
}

func sevLayer(s report.Severity) report.LayerStatus {
	if s == report.Fail {
		return report.LFail
	}
	return report.LWarn
}

func worseLayer(a, b report.LayerStatus) report.LayerStatus {
	if report.LayerStatusRank(b) > report.LayerStatusRank(a) {
		return b
	}
	return a
}

// targetStatus is target i's own status: from its findings' own
// severities (before the replica rule lowered them); unknown when the run
// ended before it finished, as nothing then says it is healthy (and a
// failure of what did finish still makes it unhealthy).
func targetStatus(s *subject, fs []finding, i int) report.Status {
	st := report.Healthy
	if targetUnfinished(s, i) {
		st = report.Unknown
	}
	for _, f := range fs {
		if f.target == i {
			st = report.WorstStatus(st, sevStatus(f.own))
		}
	}
	return st
}

// targetUnfinished reports whether the run ended before target i's last
// layer (http, else tls, else tcp) ran.
func targetUnfinished(s *subject, i int) bool {
	if s.res.Unfinished == nil {
		return false
	}
	t := s.target(i)
	switch {
	case s.hasHTTP():
		return !httpRan(t)
	case s.hasTLS():
		return !tlsRan(t)
	default:
		return !tcpRan(t)
	}
}

// targetLayer is the status of one layer of target i: skip when it did not
// run, else the worst severity of the target's findings observed in that
// layer (own: before the replica rule; otherwise final), else pass.
func targetLayer(s *subject, fs []finding, i int, layer catalog.Layer, own bool) report.LayerStatus {
	t := s.target(i)
	var ran bool
	switch layer {
	case catalog.LayerDNS:
		ran = t.DNS != nil && len(t.DNS.Queries) > 0
	case catalog.LayerTCP:
		ran = tcpRan(t)
	case catalog.LayerTLS:
		ran = s.hasTLS() && tlsRan(t)
	case catalog.LayerHTTP:
		ran = s.hasHTTP() && httpRan(t)
	case catalog.LayerLatency:
		ran = latencyShown(s, fs, i)
	}
	if !ran {
		return report.Skip
	}
	st := report.Pass
	for _, f := range fs {
		if f.target != i || f.Layer != layer {
			continue
		}
		sev := f.Severity
		if own {
			sev = f.own
		}
		st = worseLayer(st, sevLayer(sev))
	}
	return st
}

// latencyShown: target i has latency samples and its lower layers passed,
// so its latency layer is judged and its numbers are shown (SPEC §3).
func latencyShown(s *subject, fs []finding, i int) bool {
	t := s.target(i)
	return t.Latency != nil && len(t.Latency.Samples) > 0 && !lowerLayerFailed(fs, i)
}

// layers are the upstream's layer statuses: dns from the dns findings; the
// others the worst over the targets (final severities) and the
// upstream-level findings of that layer; tls and http skip when the scheme
// has none.
func layers(s *subject, fs []finding) report.Layers {
	l := report.Layers{DNS: report.Skip, TCP: report.Skip, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip}
	if s.res.DNS != nil || s.targetDNSRan() {
		l.DNS = report.Pass
	}
	for i := range s.res.Targets {
		for _, layer := range catalog.ProbeLayers() {
			l.Set(layer, worseLayer(l.Of(layer), targetLayer(s, fs, i, layer, false)))
		}
	}
	for _, f := range fs {
		if f.target >= 0 || l.Of(f.Layer) == "" {
			continue
		}
		l.Set(f.Layer, worseLayer(l.Of(f.Layer), sevLayer(f.Severity)))
	}
	if !s.hasTLS() {
		l.TLS = report.Skip
	}
	if !s.hasHTTP() {
		l.HTTP = report.Skip
	}
	return l
}

// tcpRan, tlsRan, httpRan: the layer produced a fact, not cut short by the
// end of the run.
func tcpRan(t *probe.TargetResult) bool {
	return t.TCP != nil && classify(tcpErr(t)) != kindCanceled
}

func tlsRan(t *probe.TargetResult) bool {
	return t.TLS != nil && classify(tlsErr(t)) != kindCanceled
}

func httpRan(t *probe.TargetResult) bool {
	return t.HTTP != nil && classify(httpErr(t)) != kindCanceled
}

func tcpErr(t *probe.TargetResult) error {
	if t.TCP == nil {
		return nil
	}
	return t.TCP.Err
}

func tlsErr(t *probe.TargetResult) error {
	if t.TLS == nil {
		return nil
	}
	if t.TLS.HandshakeErr != nil {
		return t.TLS.HandshakeErr
	}
	return t.TLS.VerifyErr
}

func httpErr(t *probe.TargetResult) error {
	if t.HTTP == nil {
		return nil
	}
	return t.HTTP.Err
}
