// Package report holds the Report value — the JSON schema updoc.report/v1 of
// SPEC §7 as Go types — and renders it: the table for people (with the
// --waterfall timelines and the -v details), JSON, JUnit XML, Markdown and
// GitHub workflow commands, one file each. Its one job is to turn a
// diagnosed report into output; it decides nothing about health. Redaction
// and terminal safety are applied once (Sanitize) before any renderer sees
// a string.
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
// # The table and lipgloss/table
//
// github.com/charmbracelet/lipgloss/table draws the upstream table
// (table_grid.go): it sizes each column to its widest line, pads and left
// aligns the cells, and draws "│" between columns and the rule under the
// header. (Until issue 11 this was olekukonko/tablewriter, whose package
// initialisers alone — a 663 KB width table among them — cost about a
// tenth of updoc's start-up, for every command.) Two jobs stay here, in
// table_layout.go, because a table library cannot do them without making
// the table worse; measured on the golden reports at 80, 100 and 120
// columns with tablewriter's sizing (lipgloss's, which shrinks the widest
// columns first, was not measured against it):
//
//   - How wide each column gets (fitColumns). A library's own sizing
//     (tablewriter's WithMaxWidth, or lipgloss's Width) shares the width
//     out by its own rule: tablewriter gave every column the same share (at
//     100 columns the text column wrapped at 23 while the table stayed 78
//     wide and grew from 29 to 48 lines). The policy here: the text column
//     shrinks first, down to a preferred width; codes, names and statuses
//     keep theirs as long as they can; only on a very narrow terminal are
//     they cut.
//   - Shaping each cell to its width (fitCell). Libraries balance lines or
//     break words mid-word and have no line limit (a message shown whole
//     under NEXT STEPS keeps 2 lines in its row, then "…"); updoc never
//     splits a URL or a code (a word wider than its column stands whole,
//     the row running past the width). So the cells come to lipgloss
//     already wrapped and clipped, and it is given no width: it wraps
//     nothing.
//
// Remediation steps are not in the table: NEXT STEPS, under it, prints
// each root cause's steps with their commands whole on lines of their own
// (steps.go). On a terminal shorter than the table, a recap of the
// headline and the root causes ends it (table_recap.go), so that they are
// on screen when the run ends; a pipe never gets one.
//
// lipgloss measures text with charmbracelet/x/ansi, as internal/textfmt
// does (by grapheme cluster), so every row lines up, emoji included (a
// family joined by zero-width joiners is 2 columns to both).
package report
