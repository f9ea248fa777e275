package report

import (
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// Markdown and HTML escaping for WriteMarkdown: text, code spans and the
// remediation steps (prose as text, the command whole in a code span).

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

// mdCode is s as a code span in a table cell ("" → "-"); "|" is escaped,
// which GFM tables honour even inside code spans; backticks in s lengthen
// the fence.
func mdCode(s string) string {
	return mdInlineCode(strings.ReplaceAll(s, "|", `\|`))
}

// mdInlineCode is s as a code span on one line outside a table ("" →
// "-"): nothing in it is escaped, as a backslash there is shown as it is.
func mdInlineCode(s string) string {
	s = textfmt.OneLine(s)
	if s == "" {
		return "-"
	}
	return mdSpan(s)
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
