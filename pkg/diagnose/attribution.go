package diagnose

import (
	"slices"
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// attribute is the graph step (SPEC §5), over the graph index gi. own
// holds each subject's findings before it (after the replica rule); an
// upstream's dependencies are judged by that own status, so that one
// failing node does not make every node above it "unhealthy" in turn.
//
// For an upstream with unhealthy dependencies it returns its findings with
// those a failing dependency explains (catalog Entry.ExplainedByDependency)
// no longer root causes and led by the symptom step, and
// dependency.unhealthy added (as the policy leaves it; never a root
// cause). Other upstreams keep their findings.
func attribute(gi graphIndex, subjects []*subject, own [][]finding) [][]finding {
	byName := make(map[string]int, len(subjects))
	for k, s := range subjects {
		byName[s.up.Name] = k
	}
	// The unhealthy graph upstreams, in graph order (subjects are), and
	// for each graph upstream those among its transitive dependencies.
	// An upstream not probed in this run is not among them: nothing known.
	var unhealthy []string
	for k, s := range subjects {
		if _, inGraph := gi.order[s.up.Name]; inGraph && statusOf(own[k]) == report.Unhealthy {
			unhealthy = append(unhealthy, s.up.Name)
		}
	}
	badOf := gi.dependenciesAmong(unhealthy)

	out := make([][]finding, len(subjects))
	for k, s := range subjects {
		out[k] = own[k]
		bad := badOf[s.up.Name]
		if _, inGraph := gi.order[s.up.Name]; !inGraph || len(bad) == 0 {
			continue
		}
		root := deepestFailing(bad, func(dep string) bool { return len(badOf[dep]) > 0 })
		paths := gi.paths(s.up.Name, bad)
		symptom := catalog.Symptom{
			Upstream:   s.up.Name,
			Dependency: root,
			Cause:      failureCode(own[byName[root]]),
			Check:      s.cmds.rerun(root),
			Path:       paths[slices.Index(bad, root)],
		}.Step()
		fs := make([]finding, 0, len(own[k])+1)
		for _, f := range own[k] {
			if explainedByDependency(f.Code) {
				f.RootCause = false
				f.Remediation = append([]string{symptom}, f.Remediation...)
			}
			fs = append(fs, f)
		}
		fs = append(fs, applyPolicy(s, []draft{dependencyUnhealthy(s, bad, paths)})...)
		out[k] = fs
	}
	return out
}

// explainedByDependency: the catalogue says a failing dependency explains
// findings of code.
func explainedByDependency(code string) bool {
	e, _ := catalog.Get(code)
	return e.ExplainedByDependency
}

// deepestFailing picks, among unhealthy dependencies, the first one whose
// own dependencies are all healthy: the likely root of the failure.
func deepestFailing(bad []string, hasFailingDeps func(string) bool) string {
	for _, dep := range bad {
		if !hasFailingDeps(dep) {
			return dep
		}
	}
	return bad[0]
}

// failureCode is the code of the first fail finding of fs; "" when none.
func failureCode(fs []finding) string {
	for _, f := range fs {
		if f.Severity == report.Fail {
			return f.Code
		}
	}
	return ""
}

// A dependency.unhealthy message names at most messageNames unhealthy
// dependencies and messagePaths paths through others, and says how many
// more (the evidence lists them all): one line, also for an upstream on
// top of a long chain of failing ones.
const (
	messageNames = 10
	messagePaths = 3
)

// dependencyUnhealthy is the dependency.unhealthy draft of an upstream
// whose dependencies bad (graph order) are unhealthy, with the path to
// each (paths, rendered by graphIndex.paths).
func dependencyUnhealthy(s *subject, bad, paths []string) draft {
	var vias []string
	for _, p := range paths {
		if strings.Count(p, " → ") > 1 {
			vias = append(vias, p)
		}
	}
	msg := "depends on unhealthy upstream " + bad[0]
	if len(bad) > 1 {
		msg = "depends on unhealthy upstreams " + textfmt.ListSome(bad, messageNames)
	}
	if len(vias) > 0 {
		shown := vias
		if len(vias) > messagePaths {
			shown = append(vias[:messagePaths:messagePaths], "… and "+strconv.Itoa(len(vias)-messagePaths)+" more")
		}
		msg += " (" + strings.Join(shown, "; ") + ")"
	}
	vars := s.vars(-1)
	vars.Dependencies = strings.Join(bad, ",")
	vars.CheckDependencies = s.cmds.rerun(bad...)
	return draft{
		Code:     catalog.DependencyUnhealthy,
		Target:   -1,
		Message:  msg,
		Evidence: map[string]any{"unhealthy_dependencies": bad, "paths": paths},
		Vars:     &vars,
	}
}
