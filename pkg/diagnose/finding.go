package diagnose

import (
	"cmp"
	"math"
	"slices"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// draft is what a rule says about the facts, before the graph's policy:
// a cause code, where it was observed, a message and its evidence.
type draft struct {
	Code     string
	Layer    catalog.Layer // where it was observed; "": the catalogue's layer
	Target   int           // index into the result's Targets; -1: upstream-level
	Message  string
	Evidence map[string]any
	// Vars are the remediation values; nil: the upstream's (and target's),
	// subject.vars.
	Vars *catalog.Vars
	// Variant names the catalogue's remediation variant for this case of
	// the cause (catalog.VariantClientCertMissing, ...); "": the generic steps.
	Variant string
	// CapWarn lowers the catalogue's default severity to warn (e.g. one
	// failed latency sample); an explicit policy still wins.
	CapWarn bool
}

// finding is a report.Finding plus what the later steps need to know
// about it. Steps never change a finding another step made: they return
// new values.
type finding struct {
	report.Finding
	target int // index into the result's Targets; -1 for upstream-level findings
	// own is the severity the policy gave, before the replica rule lowered
	// it: the target's own status is computed from it.
	own report.Severity
}

// applyPolicy turns drafts into findings. It is the one place where the
// graph's policy is applied: "ignore" drops a finding, "warn"/"fail" set
// its severity. Each finding gets the catalogue's remediation, rendered
// with its values, and root_cause true (attribution decides otherwise).
func applyPolicy(s *subject, drafts []draft) []finding {
	out := make([]finding, 0, len(drafts))
	for _, dr := range drafts {
		e, ok := catalog.Get(dr.Code)
		if !ok {
			panic("diagnose: code not in catalogue: " + dr.Code)
		}
		if dr.Variant != "" && !e.HasVariant(dr.Variant) {
			panic("diagnose: " + dr.Code + " has no remediation variant " + dr.Variant)
		}
		sev := e.Severity
		if dr.CapWarn {
			sev = report.Warn
		}
		sev, keep := s.policy.Apply(dr.Code, sev)
		if !keep {
			continue
		}
		layer := dr.Layer
		if layer == "" {
			layer = e.Layer()
		}
		vars := s.vars(dr.Target)
		if dr.Vars != nil {
			vars = *dr.Vars
		}
		vars.Variant = dr.Variant
		ev := dr.Evidence
		if ev == nil {
			ev = map[string]any{}
		}
		f := finding{
			Finding: report.Finding{
				Code:        dr.Code,
				Severity:    sev,
				Layer:       layer,
				Message:     dr.Message,
				Evidence:    ev,
				Remediation: e.Steps(vars),
				RootCause:   !e.NeverRootCause,
			},
			target: dr.Target,
			own:    sev,
		}
		if dr.Target >= 0 && dr.Target < len(s.res.Targets) {
			f.Target = s.target(dr.Target).Address
		}
		out = append(out, f)
	}
	return out
}

// oneCausePerTarget keeps the first finding of each code per target (e.g.
// a verification error seen by both the tls and the http layer is one
// cause). Upstream-level findings are all kept.
func oneCausePerTarget(fs []finding) []finding {
	type key struct {
		target int
		code   string
	}
	seen := map[key]bool{}
	out := make([]finding, 0, len(fs))
	for _, f := range fs {
		if f.target >= 0 {
			k := key{f.target, f.Code}
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, f)
	}
	return out
}

// inReportOrder returns the findings in THE finding order of the report:
// by layer (catalog.Layer.Rank), then by target (upstream-level findings
// after the targets' findings of the same layer), then in the order the
// pipeline made them.
func inReportOrder(fs []finding) []finding {
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b finding) int {
		if c := cmp.Compare(a.Layer.Rank(), b.Layer.Rank()); c != 0 {
			return c
		}
		return cmp.Compare(targetRank(a), targetRank(b))
	})
	return out
}

func targetRank(f finding) int {
	if f.target < 0 {
		return math.MaxInt
	}
	return f.target
}

// reportFindings converts the findings, in report order.
func reportFindings(fs []finding) []report.Finding {
	out := make([]report.Finding, 0, len(fs))
	for _, f := range inReportOrder(fs) {
		out = append(out, f.Finding)
	}
	return out
}
