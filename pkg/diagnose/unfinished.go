package diagnose

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// classifyUnfinished reports an upstream the run ended before it finished:
// run.deadline_exceeded or run.interrupted, saying what had finished.
func classifyUnfinished(s *subject) []draft {
	err := s.res.Unfinished
	if err == nil {
		return nil
	}
	code, what := catalog.RunInterrupted, "the run was interrupted"
	if errors.Is(err, context.DeadlineExceeded) {
		code, what = catalog.RunDeadlineExceeded, "the run deadline was exceeded"
	}
	done := progress(s)
	return []draft{{
		Code:     code,
		Target:   -1,
		Message:  what + " before " + s.up.Name + " finished (" + done + ")",
		Evidence: map[string]any{"finished": done, "error": err.Error()},
	}}
}

// progress says which layers and targets had finished: "dns done, tcp 1/1
// targets, http 0/1, latency 0/1".
func progress(s *subject) string {
	var parts []string
	if s.res.DNS != nil || s.targetDNSRan() {
		if cut := cutQuestions(s); len(cut) > 0 {
			parts = append(parts, "dns: "+strings.Join(cut, ", ")+" unanswered")
		} else {
			parts = append(parts, "dns done")
		}
	}
	n := len(s.res.Targets)
	if n == 0 {
		parts = append(parts, "no target probed")
		return strings.Join(parts, ", ")
	}
	count := func(ran func(*probe.TargetResult) bool) string {
		c := 0
		for i := range s.res.Targets {
			if ran(s.target(i)) {
				c++
			}
		}
		return strconv.Itoa(c) + "/" + strconv.Itoa(n)
	}
	parts = append(parts, "tcp "+count(tcpRan)+" targets")
	if s.hasTLS() {
		parts = append(parts, "tls "+count(tlsRan))
	}
	if s.hasHTTP() {
		parts = append(parts, "http "+count(httpRan))
	}
	parts = append(parts, "latency "+count(func(t *probe.TargetResult) bool { return t.Latency != nil && len(t.Latency.Samples) > 0 }))
	return strings.Join(parts, ", ")
}

// cutQuestions are the query types the run's end left unanswered, in the
// dns layer of the URL host or of the targets' names: ["AAAA"].
func cutQuestions(s *subject) []string {
	var out []string
	add := func(d *probe.DNSResult) {
		if d == nil {
			return
		}
		for _, q := range d.Cut {
			if !slices.Contains(out, q.QType) {
				out = append(out, q.QType)
			}
		}
	}
	add(s.res.DNS)
	for _, t := range s.res.Targets {
		add(t.DNS)
	}
	return out
}
