package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// TableOptions tune the human-readable table output.
type TableOptions struct {
	// Verbose adds, per upstream, the layer statuses, every finding with its
	// evidence and all remediation steps, and per-target facts.
	Verbose bool
	// Color uses ANSI colours for statuses; false writes no escape code.
	Color bool
	// Waterfall adds an httpstat-style phase waterfall per target (probe).
	Waterfall bool
	// Width is the terminal width in columns; 0 means 100.
	Width int
}

// DefaultWidth is the table width when TableOptions.Width is 0.
const DefaultWidth = 100

// minWidth is the narrowest layout the table attempts.
const minWidth = 40

func (o TableOptions) width() int {
	switch {
	case o.Width <= 0:
		return DefaultWidth
	case o.Width < minWidth:
		return minWidth
	default:
		return o.Width
	}
}

// WriteTable writes the report for people: a status line, the root causes,
// one row per upstream, and with o.Waterfall / o.Verbose the phase
// waterfalls and the per-upstream details. Every line fits o.Width columns
// (long cells are wrapped or cut with "…"). r is not modified.
func WriteTable(w io.Writer, r *Report, o TableOptions) error {
	r = Normalize(r)
	p := &printer{o: o, width: o.width()}
	p.header(r)
	p.rootCauses(r)
	if err := p.upstreams(r); err != nil {
		return err
	}
	if o.Waterfall {
		p.waterfalls(r)
	}
	if o.Verbose {
		p.details(r)
	}
	_, err := w.Write(p.buf.Bytes())
	return err
}

// printer accumulates the table output.
type printer struct {
	o     TableOptions
	width int
	buf   bytes.Buffer
}

func (p *printer) line(s string) {
	p.buf.WriteString(strings.TrimRight(s, " "))
	p.buf.WriteByte('\n')
}

func (p *printer) blank() {
	if p.buf.Len() > 0 {
		p.buf.WriteByte('\n')
	}
}

// header is the first line: status, counts, duration.
func (p *printer) header(r *Report) {
	word := p.style(strings.ToUpper(statusWord(r.Status)), ansiBold+statusColor(r.Status))
	p.wrapped("updoc: "+word+" — ", countsLine(r.Summary)+" in "+FormatMS(r.DurationMS))
}

// rootCauses leads the output with each root cause and what it takes down.
func (p *printer) rootCauses(r *Report) {
	if len(r.RootCauses) == 0 {
		return
	}
	p.blank()
	p.line(p.style(fmt.Sprintf("ROOT %s (%d)", textfmt.Noun(len(r.RootCauses), "CAUSE", "CAUSES"), len(r.RootCauses)), ansiBold))
	for _, rc := range r.RootCauses {
		head := rc.Code + " on " + rc.Upstream
		if rc.Target != "" {
			head += " (" + rc.Target + ")"
		}
		for _, l := range textfmt.Hang(wrap(head, p.width-4, 0), "  "+p.badge(rc.Severity)+" ", "    ") {
			p.line(l)
		}
		for _, l := range textfmt.Hang(wrap(rc.Message, p.width-4, 0), "    ", "    ") {
			p.line(l)
		}
		if a := r.ImpactPhrase(rc); a != "" {
			for _, l := range wrap(a, p.width-4, 0) {
				p.line("    " + p.style(l, ansiBold))
			}
		}
	}
}
