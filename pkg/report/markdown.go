package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// WriteMarkdown writes r as GitHub-flavoured Markdown for a CI job summary
// or a pull-request comment: a summary line, the root-cause table (one row
// per fault), the per-upstream table (worst first), the next steps (each root cause's
// message and remediation, commands whole in code spans), and a collapsed
// section of findings and remediation per failing upstream. r is not
// modified.
func WriteMarkdown(w io.Writer, r *Report) error {
	r = Normalize(r)
	var b strings.Builder
	fmt.Fprintf(&b, "### updoc: %s %s\n\n", statusEmoji(r.Status), statusWord(r.Status))
	fmt.Fprintf(&b, "%s in %s.\n", mdText(CountsLine(r.Summary)), FormatMS(r.DurationMS))

	if groups := failFirst(r.RootCauseGroups()); len(groups) > 0 {
		b.WriteString("\n#### Root causes\n\n")
		b.WriteString("| | Code | Where | Upstreams | Impact |\n")
		b.WriteString("|---|---|---|---|---|\n")
		for _, g := range groups {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n",
				severityEmoji(g.Severity), mdCode(g.Code), mdCode(g.Where), mdText(g.Members()), mdText(orDash(g.ImpactPhrase(r))))
		}
	}
	if len(r.Upstreams) > 0 {
		b.WriteString("\n#### Upstreams\n\n")
		b.WriteString("| Upstream | Status | Layer | Code | Message |\n")
		b.WriteString("|---|---|---|---|---|\n")
		for _, u := range r.WorstFirst() {
			layer, code, msg := "-", "-", upstreamSummary(u)
			if k := u.PrimaryFinding(); k >= 0 {
				f := &u.Findings[k]
				layer, code, msg = orDash(string(f.Layer)), mdCode(f.Code), f.Message
				if n := len(u.Findings) - 1; n > 0 {
					code += fmt.Sprintf(" +%d more", n)
				}
			}
			fmt.Fprintf(&b, "| %s | %s %s | %s | %s | %s |\n",
				mdText(u.Name), statusEmoji(u.Status), statusWord(u.Status), mdText(layer), code, mdText(msg))
		}
	} else {
		b.WriteString("\nNo upstreams probed.\n")
	}

	if steps := r.nextSteps(); len(steps) > 0 {
		b.WriteString("\n#### Next steps\n")
		for _, s := range steps {
			fmt.Fprintf(&b, "\n%s **%s**\n\n", severityEmoji(s.severity), mdText(s.title))
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
					fmt.Fprintf(&b, "%d. %s\n", j+1, mdStep(step))
				}
			}
		}
	}

	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		if len(u.Findings) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary>%s %s: %d %s</summary>\n\n", statusEmoji(u.Status), htmlText(u.Name),
			len(u.Findings), textfmt.Noun(len(u.Findings), "finding", "findings"))
		for _, k := range u.SortedFindings() {
			f := &u.Findings[k]
			var where []string
			if f.Layer != "" {
				where = append(where, mdText(string(f.Layer)))
			}
			if f.Target != "" {
				where = append(where, mdCode(f.Target))
			}
			if f.RootCause {
				where = append(where, "**root cause**")
			}
			fmt.Fprintf(&b, "- %s %s", severityEmoji(f.Severity), mdCode(f.Code))
			if len(where) > 0 {
				fmt.Fprintf(&b, " (%s)", strings.Join(where, ", "))
			}
			fmt.Fprintf(&b, ": %s\n", mdText(f.Message))
			if ev := EvidencePairs(f.Evidence); len(ev) > 0 {
				fmt.Fprintf(&b, "  - evidence: %s\n", mdCode(strings.Join(ev, " ")))
			}
			for j, s := range f.Remediation {
				fmt.Fprintf(&b, "  %d. %s\n", j+1, mdStep(s))
			}
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func statusEmoji(s Status) string {
	switch s {
	case Healthy:
		return "✅"
	case Degraded:
		return "⚠️"
	case Unhealthy:
		return "❌"
	}
	return "❔" // unknown
}

func severityEmoji(s Severity) string {
	if s == Fail {
		return "❌"
	}
	return "⚠️"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// mdText makes s safe as inline text in a table cell: one line, Markdown
// and HTML specials escaped, "|" escaped.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;",
)

func mdText(s string) string { return mdEscaper.Replace(textfmt.OneLine(s)) }

// mdCode is s as a code span ("" → "-"); "|" is escaped, which GFM tables
// honour even inside code spans; backticks in s lengthen the fence.
func mdCode(s string) string {
	s = textfmt.OneLine(s)
	if s == "" {
		return "-"
	}
	return mdSpan(strings.ReplaceAll(s, "|", `\|`))
}

// mdStep is a remediation step as Markdown: its prose as text, its
// command (catalog.SplitStep) whole in a code span, copied as it is.
func mdStep(step string) string {
	prose, command := splitStep(step)
	if command == "" {
		return mdText(prose)
	}
	return mdText(prose) + " " + mdSpan(command)
}

// mdSpan is s as a code span outside a table: nothing in it is escaped;
// backticks in s lengthen the fence.
func mdSpan(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// htmlText escapes s for HTML (used inside <summary>).
var htmlEscaper = strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", `"`, "&quot;")

func htmlText(s string) string { return htmlEscaper.Replace(textfmt.OneLine(s)) }
