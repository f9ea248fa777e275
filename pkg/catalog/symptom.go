package catalog

import "strings"

// symptomTemplate is the step put first on a finding that a failing
// dependency explains (Entry.ExplainedByDependency), when its upstream has
// an unhealthy dependency: look at the dependency first.
const symptomTemplate = "This is most likely a symptom: {{Upstream}} depends on {{Dependency}}, which is unhealthy{{Cause}}. " +
	"Fix {{Dependency}} first: {{Check}} -v"

// Symptom names the unhealthy dependency that most likely explains a
// finding of an upstream.
type Symptom struct {
	Upstream   string // the upstream whose finding it is
	Dependency string // the unhealthy dependency to fix first
	Cause      string // the code of the dependency's failure; "" when unknown
	Check      string // the command that re-runs Dependency ("updoc check -f FILE --only DEP")
}

// Step renders the symptom step: "This is most likely a symptom: edge
// depends on users, which is unhealthy (tcp.refused). Fix users first:
// updoc check --only users -v".
func (s Symptom) Step() string {
	cause := ""
	if s.Cause != "" {
		cause = " (" + s.Cause + ")"
	}
	return strings.NewReplacer(
		"{{Upstream}}", s.Upstream,
		"{{Dependency}}", s.Dependency,
		"{{Cause}}", cause,
		"{{Check}}", s.Check,
	).Replace(symptomTemplate)
}
