// Package report holds the Report value — the JSON schema updoc.report/v1 of
// SPEC §7 as Go types — and renders it: the table for people (with the
// --waterfall timelines and the -v details), JSON, JUnit XML, Markdown and
// GitHub workflow commands, one file each. Its one job is to turn a
// diagnosed report into output; it decides nothing about health. Redaction
// is applied once (Redact) before any renderer sees a string.
//
// The TUI shows the same things the same way through this package: the
// order of findings (Upstream.SortedFindings, whose first is
// PrimaryFinding), a target's timeline (TargetWaterfall, Waterfall.Rows and
// Bar), evidence as key=value pairs (EvidencePairs), durations (FormatMS)
// and what a root cause does to its dependents (ImpactPhrase). Text is
// measured, cut and wrapped by display width with internal/textfmt.
//
// Imports: catalog and the leaf packages under internal/ only — never probe,
// diagnose, tui, cli or engine.
//
// # The table and tablewriter
//
// github.com/olekukonko/tablewriter (v1.1.5) draws the upstream table
// (table_grid.go): it sizes each column to its widest line, pads and left
// aligns the cells, and draws "│" between columns and the rule under the
// header. Two jobs stay here, in table_layout.go, because tablewriter cannot
// do them without making the table worse; measured on the golden reports at
// 80, 100 and 120 columns:
//
//   - How wide each column gets (fitColumns). tablewriter's own sizing
//     (WithMaxWidth, or Widths.Global) gives every column the same share of
//     the width: at 100 columns the text column wraps at 23 while the table stays 78
//     wide and grows from 29 to 48 lines; at 120 it stays 83 wide. Per-column
//     maxima (ColMaxWidths.PerColumn) are the way to size it, but they need
//     the numbers, and those are this policy: the text column shrinks first,
//     down to a preferred width; codes, names and statuses keep theirs as
//     long as they can; only on a very narrow terminal are they cut.
//   - Shaping each cell to its width (fitCell). tablewriter's WrapNormal
//     balances lines (minimum raggedness) rather than filling them, and has
//     no line limit (a message shown whole under NEXT STEPS keeps 2 lines in
//     its row, then "…"); WrapBreak splits a URL or a code mid-word, which
//     updoc never does (a word wider than its column stands whole, the row
//     running past the width). So the cells come to tablewriter already
//     wrapped and clipped, and it wraps nothing (WrapNone).
//
// Remediation steps are not in the table: NEXT STEPS, under it, prints
// each root cause's steps with their commands whole on lines of their own
// (steps.go). On a terminal shorter than the table, a recap of the
// headline and the root causes ends it (table_recap.go), so that they are
// on screen when the run ends; a pipe never gets one.
//
// tablewriter measures text rune by rune (go-runewidth), internal/textfmt
// by grapheme cluster, as the terminal libraries do. They agree on CJK and on
// the symbols the table uses; they differ on some emoji (a family joined by
// zero-width joiners: 6 columns against 2; "⚠️": 1 against 2). A row holding
// one may come out misaligned, and a line tablewriter makes too wide is cut
// to the width, so that every line still fits.
package report
