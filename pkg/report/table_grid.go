package report

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/updoc/updoc/internal/textfmt"
)

// grid lays the fitted cells out with tablewriter: each column as wide as
// its widest line, cells padded and left aligned, "│" between columns, a
// rule under the header, no outer border. It wraps and cuts nothing itself
// (the cells already fit; see the package doc). A row is wider than the
// table where the last column holds a word wider than itself (a URL),
// which stays whole; other lines wider than the table — the rule, or a row
// where tablewriter's measure of some emoji exceeds ours — are cut.
func (p *printer) grid(headers []string, rows [][]string) error {
	var b bytes.Buffer
	rend := renderer.NewBlueprint(tw.Rendition{
		Borders: tw.BorderNone,
		Symbols: tw.NewSymbols(tw.StyleLight),
		Settings: tw.Settings{
			Separators: tw.Separators{BetweenRows: tw.Off, BetweenColumns: tw.On, ShowHeader: tw.On},
			Lines:      tw.Lines{ShowHeaderLine: tw.On},
		},
	})
	t := tablewriter.NewTable(&b,
		tablewriter.WithRenderer(rend),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	t.Header(toAny(headers)...)
	for _, row := range rows {
		if err := t.Append(toAny(row)...); err != nil {
			return fmt.Errorf("upstream table: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("upstream table: %w", err)
	}
	sc := bufio.NewScanner(&b)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), " ")
		if textfmt.Width(l) > p.width && !endsInLongWord(l) {
			l = textfmt.Cut(l, p.width) // the rule, or a row tablewriter measured wider than we do: no "…"
		}
		p.line(l)
	}
	return sc.Err()
}

// endsInLongWord: the line's last cell is one word (a URL the column could
// not hold), which must stay whole.
func endsInLongWord(l string) bool {
	last := l
	if i := strings.LastIndex(l, "│"); i >= 0 {
		last = l[i+len("│"):]
	}
	last = strings.TrimSpace(last)
	return last != "" && !strings.Contains(last, " ") && strings.Trim(last, "─┼") != ""
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
