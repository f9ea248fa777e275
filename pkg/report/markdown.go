package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// WriteMarkdown writes r as GitHub-flavoured Markdown for a CI job summary
// or a pull-request comment, grouped as the table is: a summary line, the
// root causes (one row per fault), the upstreams (worst first; the members
// of a large root-cause group share one row, "svc000 +499"; the healthy
// ones named on one line), the dependencies left out of the run, and the
// next steps — each root cause's message, impact and remediation
// (commands whole in code spans), with one collapsed section of evidence
// per entry, not per upstream. So 500 upstreams behind one dead address
// are a few dozen lines, and the demo stays under GitHub's 65,536
// characters for a comment. r is not modified.
func WriteMarkdown(w io.Writer, r *Report) error {
	r = Normalize(r)
	var b strings.Builder
	fmt.Fprintf(&b, "### updoc: %s %s\n\n", statusEmoji(r.Status), statusWord(r.Status))
	fmt.Fprintf(&b, "%s in %s.\n", mdText(CountsLine(r.Summary)), FormatMS(r.DurationMS))
	mdRootCauses(&b, r)
	mdUpstreams(&b, r)
	mdNotProbed(&b, r.NotProbed)
	mdNextSteps(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

// mdRootCauses is the root-cause table, one row per group.
func mdRootCauses(b *strings.Builder, r *Report) {
	groups := failFirst(r.RootCauseGroups())
	if len(groups) == 0 {
		return
	}
	b.WriteString("\n#### Root causes\n\n")
	b.WriteString("| | Code | Where | Upstreams | Impact |\n")
	b.WriteString("|---|---|---|---|---|\n")
	impacts := r.impactPhrases(groups)
	for i, g := range groups {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n",
			severityEmoji(g.Severity), mdCode(g.Code), mdCode(g.Where), mdText(g.Members()), mdText(orDash(impacts[i])))
	}
}

// mdHealthyNames is how many healthy upstreams the Markdown names before
// "… +N".
const mdHealthyNames = 20

// mdUpstreams is the upstream table: the table's rows (tableRows), the
// healthy upstreams on one line under it.
func mdUpstreams(b *strings.Builder, r *Report) {
	if len(r.Upstreams) == 0 {
		b.WriteString("\nNo upstreams probed.\n")
		return
	}
	rows, healthy := r.tableRows(false)
	if len(rows) > 0 {
		b.WriteString("\n#### Upstreams\n\n")
		b.WriteString("| Upstream | Status | Layer | Code | Message |\n")
		b.WriteString("|---|---|---|---|---|\n")
		for _, d := range rows {
			code := d.code
			if code != "-" {
				code = mdCode(code)
			}
			if d.more != "" {
				code += " " + d.more
			}
			fmt.Fprintf(b, "| %s | %s %s | %s | %s | %s |\n",
				mdText(d.name), statusEmoji(d.status), statusWord(d.status), mdText(orDash(d.layer)), code, mdText(d.msg))
		}
	}
	if len(healthy) > 0 {
		fmt.Fprintf(b, "\n%s %s healthy: %s\n", statusEmoji(Healthy),
			textfmt.Plural(len(healthy), "upstream"), mdText(NameList(healthy, mdHealthyNames)))
	}
}

// mdNotProbed names each dependency the run left out (--only, --tags).
func mdNotProbed(b *strings.Builder, missing []NotProbed) {
	if len(missing) == 0 {
		return
	}
	b.WriteString("\n#### Not probed\n\n")
	for _, m := range missing {
		fmt.Fprintf(b, "- %s %s on %s — not probed; add `--with-deps`\n",
			mdText(textfmt.ListSome(m.NeededBy, 3)), textfmt.Noun(len(m.NeededBy), "depends", "depend"), mdText(m.Upstream))
	}
}

// mdNextSteps is each entry of NEXT STEPS with its evidence collapsed
// under it.
func mdNextSteps(b *strings.Builder, r *Report) {
	steps := r.nextSteps()
	if len(steps) == 0 {
		return
	}
	byName := r.ByName()
	b.WriteString("\n#### Next steps\n")
	for _, s := range steps {
		fmt.Fprintf(b, "\n%s **%s**\n\n", severityEmoji(s.severity), mdText(s.title))
		msg := s.message
		if s.finding != nil {
			msg = s.finding.Message
		}
		b.WriteString(mdText(msg) + "\n")
		if s.impact != "" {
			b.WriteString("\n" + mdText(s.impact) + "\n")
		}
		if s.finding != nil && len(s.finding.Remediation) > 0 {
			b.WriteString("\n")
			for j, step := range s.finding.Remediation {
				fmt.Fprintf(b, "%d. %s\n", j+1, mdStep(step))
			}
		}
		mdEvidence(b, byName[s.upstream], s)
	}
}

// mdEvidence is one entry's collapsed section: the upstreams of its group
// when they are more than the title names, then every finding of the
// upstream that stands for it, with its evidence — and its message and
// steps, but for the entry's own finding, whose are just above.
func mdEvidence(b *strings.Builder, u *Upstream, s nextStep) {
	if u == nil || len(u.Findings) == 0 {
		return
	}
	summary := fmt.Sprintf("Evidence: %d %s", len(u.Findings), textfmt.Noun(len(u.Findings), "finding", "findings"))
	if len(s.members) > 1 {
		summary += " of " + u.Name + " (1 of " + textfmt.Plural(len(s.members), "upstream") + ")"
	} else {
		summary += " of " + u.Name
	}
	fmt.Fprintf(b, "\n<details><summary>%s</summary>\n\n", htmlText(summary))
	if !namesAllShown(s.members) {
		fmt.Fprintf(b, "All %d upstreams: %s\n\n", len(s.members), mdText(strings.Join(s.members, ", ")))
	}
	for _, k := range u.SortedFindings() {
		f := &u.Findings[k]
		var where []string
		if f.Layer != "" {
			where = append(where, mdText(string(f.Layer)))
		}
		if f.Target != "" {
			where = append(where, mdInlineCode(f.Target))
		}
		if f.RootCause {
			where = append(where, "**root cause**")
		}
		fmt.Fprintf(b, "- %s %s", severityEmoji(f.Severity), mdInlineCode(f.Code))
		if len(where) > 0 {
			fmt.Fprintf(b, " (%s)", strings.Join(where, ", "))
		}
		if f == s.finding {
			b.WriteString("\n") // its message is just above
		} else {
			fmt.Fprintf(b, ": %s\n", mdText(f.Message))
		}
		if ev := EvidencePairs(f.Evidence); len(ev) > 0 {
			fmt.Fprintf(b, "  - evidence: %s\n", mdInlineCode(strings.Join(ev, " ")))
		}
		if f == s.finding {
			continue
		}
		for j, step := range f.Remediation {
			fmt.Fprintf(b, "  %d. %s\n", j+1, mdStep(step))
		}
	}
	b.WriteString("\n</details>\n")
}
