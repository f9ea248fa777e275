package catalog

import "strings"

// symptomTemplate is the step put first on a finding that a failing
// dependency explains (Entry.ExplainedByDependency), when its upstream has
// an unhealthy dependency: look at the dependency first.
const symptomTemplate = "This is most likely a symptom: {{Upstream}} depends on {{Dependency}}, which is unhealthy{{Cause}}. " +
	"Fix {{Dependency}} first: {{Check}} -v"

// symptomChainTemplate is the symptom step for a dependency reached through
// others: it names the chain, never "edge depends on db" when edge depends
// on api, which depends on db.
const symptomChainTemplate = "This is most likely a symptom: {{Upstream}} depends on {{Dependency}} through {{Path}}, " +
	"and {{Dependency}} is unhealthy{{Cause}}. Fix {{Dependency}} first: {{Check}} -v"

// Symptom names the unhealthy dependency that most likely explains a
// finding of an upstream.
type Symptom struct {
	Upstream   string // the upstream whose finding it is
	Dependency string // the unhealthy dependency to fix first
	Cause      string // the code of the dependency's failure; "" when unknown
	Check      string // the command that re-runs Dependency ("updoc check -f FILE --only DEP")
	// Path is the dependency path from Upstream to Dependency,
	// "edge → api → db"; "" or a direct dependency names no chain.
	Path string
}

// Step renders the symptom step: "This is most likely a symptom: edge
// depends on users, which is unhealthy (tcp.refused). Fix users first:
// updoc check --only users -v".
func (s Symptom) Step() string {
	cause := ""
	if s.Cause != "" {
		cause = " (" + s.Cause + ")"
	}
	template := symptomTemplate
	if strings.Count(s.Path, "→") > 1 {
		template = symptomChainTemplate
	}
	return noteStdinGraph(strings.NewReplacer(
		"{{Path}}", s.Path,
		"{{Upstream}}", s.Upstream,
		"{{Dependency}}", s.Dependency,
		"{{Cause}}", cause,
		"{{Check}}", s.Check,
	).Replace(template))
}
