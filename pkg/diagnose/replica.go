package diagnose

import (
	"slices"
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// replicaRule (SPEC §4): when some targets failed and at least one passed,
// the service still answers with less capacity. It returns the findings
// with the failed targets' fail findings lowered to warn (copies: their
// own severity stays fail) and load.replica_down added, as the policy
// leaves it; fs unchanged otherwise. A target counts as failed when one of
// its findings is fail as the policy left it: "ignore" or "warn" on its
// cause makes it pass.
func replicaRule(s *subject, fs []finding) []finding {
	var failed, passed []int
	for i := range s.res.Targets {
		isFailed := targetFailed(fs, i)
		if !tcpRan(s.target(i)) && !(s.dnsFailed(i) && isFailed) {
			continue // never probed (or cut by the run): neither passed nor failed
		}
		if isFailed {
			failed = append(failed, i)
		} else {
			passed = append(passed, i)
		}
	}
	if len(failed) == 0 || len(passed) == 0 {
		return fs
	}
	out := slices.Clone(fs)
	var failedList, passedList []string
	layer := catalog.LayerHTTP
	for _, i := range failed {
		codes := []string{}
		for k, f := range out {
			if f.target != i || f.Severity != report.Fail {
				continue
			}
			out[k].Severity = report.Warn
			if !slices.Contains(codes, f.Code) {
				codes = append(codes, f.Code)
			}
			if f.Layer.Rank() < layer.Rank() {
				layer = f.Layer
			}
		}
		failedList = append(failedList, s.target(i).Address+" ("+strings.Join(codes, ", ")+")")
	}
	for _, i := range passed {
		passedList = append(passedList, s.target(i).Address)
	}
	vars := s.vars(failed[0])
	return append(out, applyPolicy(s, []draft{{
		Code:   catalog.LoadReplicaDown,
		Layer:  layer,
		Target: -1,
		Message: strconv.Itoa(len(failed)) + " of " + strconv.Itoa(len(failed)+len(passed)) + " targets failed: " +
			strings.Join(failedList, ", ") + "; " + strconv.Itoa(len(passed)) + " still pass",
		Evidence: map[string]any{"failed_targets": failedList, "passed_targets": passedList},
		Vars:     &vars,
	}})...)
}

// targetFailed: target i has a finding whose own severity is fail.
func targetFailed(fs []finding, i int) bool {
	for _, f := range fs {
		if f.target == i && f.own == report.Fail {
			return true
		}
	}
	return false
}
