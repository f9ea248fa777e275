package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteGitHub writes GitHub Actions workflow commands — "::error" for every
// fail finding (root causes first), "::warning" for every warning — then
// the table. Each annotation's title is "updoc CODE (UPSTREAM)" and its
// message the finding's message followed by the first remediation step,
// its command whole on a line of its own.
func WriteGitHub(w io.Writer, r *Report, o TableOptions) error {
	n := Normalize(r)
	var b strings.Builder
	type ann struct {
		level string
		u     *Upstream
		f     *Finding
	}
	var anns []ann
	for _, pass := range []func(*Finding) bool{
		func(f *Finding) bool { return f.Severity == Fail && f.RootCause },
		func(f *Finding) bool { return f.Severity == Fail && !f.RootCause },
		func(f *Finding) bool { return f.Severity != Fail },
	} {
		for i := range n.Upstreams {
			u := &n.Upstreams[i]
			for _, k := range u.SortedFindings() {
				if f := &u.Findings[k]; pass(f) {
					level := "warning"
					if f.Severity == Fail {
						level = "error"
					}
					anns = append(anns, ann{level, u, f})
				}
			}
		}
	}
	for _, a := range anns {
		title := fmt.Sprintf("updoc %s (%s)", a.f.Code, a.u.Name)
		msg := a.f.Message
		if a.f.Target != "" && !strings.Contains(msg, a.f.Target) {
			msg = a.f.Target + ": " + msg
		}
		if !a.f.RootCause && a.f.Severity == Fail {
			if rc := rootCauseFor(n, a.u); rc != nil && rc.Upstream != a.u.Name {
				msg += fmt.Sprintf(" (caused by %s: %s)", rc.Upstream, rc.Code)
			}
		}
		if len(a.f.Remediation) > 0 {
			prose, command := splitStep(a.f.Remediation[0])
			msg += "\nNext step: " + prose
			if command != "" {
				msg += "\n" + command
			}
		}
		fmt.Fprintf(&b, "::%s title=%s::%s\n", a.level, ghProperty(title), ghData(msg))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return WriteTable(w, n, o)
}

// ghData escapes a workflow command's message (as @actions/core does).
var ghDataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

func ghData(s string) string { return ghDataEscaper.Replace(s) }

// ghProperty escapes a workflow command property value: also ":" and ",".
var ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }
