package diagnose

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
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
//
// It stops when ctx ends (an all-down chain makes it quadratic), checking
// once per upstream, and returns ctx's error.
func attribute(ctx context.Context, gi graphIndex, subjects []*subject, own [][]finding) ([][]finding, error) {
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
	badOf, err := gi.dependenciesAmong(ctx, unhealthy)
	if err != nil {
		return nil, err
	}

	out := make([][]finding, len(subjects))
	for k, s := range subjects {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[k] = own[k]
		bad := badOf[s.up.Name]
		if _, inGraph := gi.order[s.up.Name]; !inGraph || len(bad) == 0 {
			continue
		}
		root := deepestFailing(bad, func(dep string) bool { return len(badOf[dep]) > 0 })
		deps := dependencyPaths(gi, s.up, bad, root)
		symptom := catalog.Symptom{
			Upstream:   s.up.Name,
			Dependency: root,
			Cause:      failureCode(own[byName[root]]),
			Check:      s.cmds.rerun(root),
			Path:       deps.path(root),
		}.Step()
		fs := make([]finding, 0, len(own[k])+1)
		for _, f := range own[k] {
			if explainedByDependency(f.Code) {
				f.RootCause = false
				f.Remediation = append([]string{symptom}, f.Remediation...)
			}
			fs = append(fs, f)
		}
		fs = append(fs, applyPolicy(s, []draft{dependencyUnhealthy(s, deps)})...)
		out[k] = fs
	}
	return out, nil
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
// more: one line, also for an upstream on top of a long chain of failing
// ones. Its evidence lists the first evidenceNames of them with the path
// to each, and how many there are when that is more: what every member of
// a chain of failing upstreams says stays the same size, not the length of
// the chain (the report would otherwise grow with its square: each member
// listing every one below it).
const (
	messageNames  = 10
	messagePaths  = 3
	evidenceNames = 10
)

// unhealthyDeps are the unhealthy dependencies of an upstream and the
// paths to those its finding shows.
type unhealthyDeps struct {
	upstream string
	// bad are every unhealthy transitive dependency, in graph order.
	bad []string
	// vias are the first messagePaths of bad reached through another
	// upstream (not a direct dependency), in an array so that finding them
	// allocates nothing; nvias counts them all.
	vias  [messagePaths]string
	nvias int
	// to and paths are the dependencies whose path is written, and the
	// path to each: bad[:evidenceNames] first, then those of vias and the
	// root the symptom step names that are not among them.
	to, paths []string
}

// shownVias are the vias the message shows.
func (d *unhealthyDeps) shownVias() []string { return d.vias[:min(d.nvias, messagePaths)] }

// shown is the part of bad the evidence lists.
func (d *unhealthyDeps) shown() []string { return d.bad[:min(len(d.bad), evidenceNames)] }

// path is the dependency path to dep, one of d.to.
func (d *unhealthyDeps) path(dep string) string { return d.paths[slices.Index(d.to, dep)] }

// dependencyPaths writes the paths a dependency.unhealthy finding of up
// shows, and only those (one walk): a dependency is reached through
// another exactly when it is not a direct one, as paths are shortest.
func dependencyPaths(gi graphIndex, up *graph.Upstream, bad []string, root string) unhealthyDeps {
	d := unhealthyDeps{upstream: up.Name, bad: bad}
	for _, b := range bad {
		if !slices.Contains(up.DependsOn, b) {
			if d.nvias < messagePaths {
				d.vias[d.nvias] = b
			}
			d.nvias++
		}
	}
	d.to = d.shown() // vias and root are among bad: all of them when bad is short
	if len(bad) > len(d.to) {
		d.to = slices.Clip(d.to)
		for _, dep := range d.shownVias() {
			if !slices.Contains(d.to, dep) {
				d.to = append(d.to, dep)
			}
		}
		if !slices.Contains(d.to, root) {
			d.to = append(d.to, root)
		}
	}
	d.paths = gi.paths(up.Name, d.to)
	return d
}

// dependencyUnhealthy is the dependency.unhealthy draft of an upstream
// whose dependencies d.bad (graph order) are unhealthy.
func dependencyUnhealthy(s *subject, d unhealthyDeps) draft {
	bad := d.bad
	msg := "depends on unhealthy upstream " + bad[0]
	if len(bad) > 1 {
		msg = "depends on unhealthy upstreams " + textfmt.ListSome(bad, messageNames)
	}
	if vias := d.shownVias(); len(vias) > 0 {
		shown := make([]string, 0, len(vias)+1)
		for _, v := range vias {
			shown = append(shown, d.path(v))
		}
		if d.nvias > len(vias) {
			shown = append(shown, "… and "+strconv.Itoa(d.nvias-len(vias))+" more")
		}
		msg += " (" + strings.Join(shown, "; ") + ")"
	}
	listed := d.shown()
	evidence := map[string]any{"unhealthy_dependencies": listed, "paths": d.paths[:len(listed):len(listed)]}
	vars := s.vars(-1)
	vars.Dependencies = strings.Join(listed, ",")
	if len(bad) > len(listed) {
		// Each of them with its own findings: the upstream and everything
		// it depends on, in a command as long as one name.
		evidence["unhealthy_dependencies_total"] = len(bad)
		vars.CheckDependencies = s.cmds.rerunWithDeps(d.upstream)
	} else {
		vars.CheckDependencies = s.cmds.rerun(bad...)
	}
	return draft{
		Code:     catalog.DependencyUnhealthy,
		Target:   -1,
		Message:  msg,
		Evidence: evidence,
		Vars:     &vars,
	}
}
