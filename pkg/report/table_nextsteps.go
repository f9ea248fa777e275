package report

import (
	"github.com/updoc/updoc/internal/textfmt"
)

// NEXT STEPS: under the upstream table, what to do, worst first — each
// root-cause group (failures, then warnings) with its whole message, its
// impact and every remediation step, then each sick upstream that no root
// cause explains. Commands stand whole on their own lines (stepLines).

// nextStep is one entry of the section.
type nextStep struct {
	severity Severity
	title    string
	finding  *Finding // its message and steps; nil when the report lacks it
	message  string   // when finding is nil
	impact   string
	// upstream is whose findings stand for the entry (the group's first
	// member); members are the group's upstreams (just upstream for an
	// entry that is no group).
	upstream string
	members  []string
}

// nextSteps lists the section's entries.
func (r *Report) nextSteps() []nextStep {
	var out []nextStep
	l := r.lookup()
	groups := r.RootCauseGroups()
	for _, sev := range []Severity{Fail, Warn} {
		for _, g := range groups {
			if (g.Severity == Fail) != (sev == Fail) {
				continue
			}
			out = append(out, nextStep{severity: g.Severity, title: g.Title(), finding: rootFinding(g.First, l),
				message: g.First.Message, impact: impactBy(g.Affects, l.upstream).Phrase(), upstream: g.First.Upstream, members: g.Upstreams})
		}
	}
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		if u.Status == Healthy || l.explained[u.Name] {
			continue
		}
		k := u.PrimaryFinding()
		if k < 0 {
			continue
		}
		f := &u.Findings[k]
		title := f.Code + " on " + u.Name
		if f.Target != "" {
			title += " (" + f.Target + ")"
		}
		out = append(out, nextStep{severity: f.Severity, title: title, finding: f, upstream: u.Name, members: []string{u.Name}})
	}
	return out
}

// inNextSteps: the upstream's primary finding is shown whole under NEXT
// STEPS (so its table row may keep only the start of its message): it is a
// root cause, or no root cause explains it (l.explained: then its steps
// are those of a root-cause group).
func inNextSteps(u *Upstream, l *lookup) bool {
	k := u.PrimaryFinding()
	if k < 0 || u.Status == Healthy {
		return false
	}
	f := &u.Findings[k]
	if f.RootCause {
		return true
	}
	return !l.explained[u.Name]
}

// nextSteps writes the section.
func (p *printer) nextSteps(r *Report) {
	steps := r.nextSteps()
	if len(steps) == 0 {
		return
	}
	p.blank()
	p.line(p.style("NEXT STEPS", ansiBold))
	for i, s := range steps {
		if i > 0 {
			p.blank()
		}
		for _, l := range textfmt.WrapHanging(s.title, p.width, p.badge(s.severity)+" ", "  ", textfmt.KeepCodeWords) {
			p.line(l)
		}
		msg := s.message
		if s.finding != nil {
			msg = s.finding.Message
		}
		p.wrapped("  ", msg)
		if s.impact != "" {
			for _, l := range textfmt.WrapHanging(s.impact, p.width, "  ", "  ", textfmt.KeepCodeWords) {
				p.line(p.style(l, ansiBold))
			}
		}
		if s.finding == nil {
			continue
		}
		for n, step := range s.finding.Remediation {
			for _, l := range stepLines(n+1, step, p.width, "  ") {
				p.line(l)
			}
		}
	}
}
