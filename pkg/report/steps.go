package report

import (
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
)

// How the outputs for people show a remediation step: its prose wrapped to
// the width (words never split), then the command it tells the user to run
// (catalog.SplitStep) whole, on a line of its own, however long — the one
// thing a reader copies must never be cut or broken.

// commandIndent is how much further than its prose a step's command is
// indented.
const commandIndent = "  "

// stepLines are the lines of step number n (1-based) at width columns after
// indent: "1. prose…", the prose's next lines hanging under it, and the
// command on its own line under the prose.
func stepLines(n int, step string, width int, indent string) []string {
	prose, command := splitStep(step)
	label := strconv.Itoa(n) + ". "
	hang := indent + textfmt.Spaces(textfmt.Width(label))
	lines := textfmt.WrapHanging(prose, width, indent+label, hang, textfmt.KeepCodeWords)
	if command != "" {
		lines = append(lines, hang+commandIndent+command)
	}
	return lines
}

// splitStep is catalog.SplitStep on a step folded to one line of prose;
// the command keeps its inner spacing (it may be quoted).
func splitStep(step string) (prose, command string) {
	prose, command = catalog.SplitStep(strings.TrimSpace(step))
	return textfmt.OneLine(prose), strings.TrimSpace(command)
}

// rootFinding is the finding behind a root cause: the root-cause finding of
// its upstream with its code and target; nil when the report lacks it.
func rootFinding(rc RootCause, l *lookup) *Finding {
	u := l.upstream(rc.Upstream)
	if u == nil {
		return nil
	}
	var fallback *Finding
	for i := range u.Findings {
		f := &u.Findings[i]
		if f.Code != rc.Code {
			continue
		}
		if f.RootCause && f.Target == rc.Target {
			return f
		}
		if fallback == nil {
			fallback = f
		}
	}
	return fallback
}
