package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteGitHub writes GitHub Actions workflow commands, one per entry of
// NEXT STEPS — one per root-cause group (failures, then warnings), then one
// per sick upstream no root cause explains — then the table. So 500
// upstreams behind one dead address are one annotation, not 500. Each
// annotation is "::error" for a failure, "::warning" for a warning; its
// title is "updoc " and the entry's title, which names the group's count
// ("updoc tcp.refused on 127.0.0.1:18200 — 500 upstreams (svc000, svc001,
// … +498)"); its message is the finding's message, what it takes down and
// its first remediation step, the command whole on a line of its own.
func WriteGitHub(w io.Writer, r *Report, o TableOptions) error {
	n := Normalize(r)
	var b strings.Builder
	for _, s := range n.nextSteps() {
		level := "warning"
		if s.severity == Fail {
			level = "error"
		}
		fmt.Fprintf(&b, "::%s title=%s::%s\n", level, ghProperty("updoc "+s.title), ghData(annotationMessage(s)))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return WriteTable(w, n, o)
}

// annotationMessage is an entry's message, impact and first step.
func annotationMessage(s nextStep) string {
	msg := s.message
	if f := s.finding; f != nil {
		msg = f.Message
		if f.Target != "" && !strings.Contains(msg, f.Target) {
			msg = f.Target + ": " + msg
		}
	}
	if s.impact != "" {
		msg += "\n" + s.impact
	}
	if s.finding != nil && len(s.finding.Remediation) > 0 {
		prose, command := splitStep(s.finding.Remediation[0])
		msg += "\nNext step: " + prose
		if command != "" {
			msg += "\n" + command
		}
	}
	return msg
}

// ghData escapes a workflow command's message (as @actions/core does).
var ghDataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

func ghData(s string) string { return ghDataEscaper.Replace(s) }

// ghProperty escapes a workflow command property value: also ":" and ",".
var ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }
