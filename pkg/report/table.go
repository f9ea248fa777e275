package report

import (
	"bytes"
	"io"
	"strings"
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
	// Height is the terminal height in rows when the table goes to a
	// terminal; 0 (a pipe, a file) means none. A table taller than Height
	// ends with a recap (the headline and the root causes again), so that
	// they are on screen when the run ends.
	Height int
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

// WriteTable writes the report for people: the headline, the root causes
// (one line per fault), one row per upstream (worst first), the phase
// waterfalls with o.Waterfall, the NEXT STEPS (each root cause's message,
// impact and remediation) and with o.Verbose the per-upstream details.
// Lines fit o.Width columns, except that a command, or a word wider than
// the width (a URL), is never cut or broken: it stands whole on a line of
// its own. Taller than o.Height, it ends with a recap (table_recap.go).
// r is not modified.
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
	p.nextSteps(r)
	if o.Verbose {
		p.details(r)
	}
	p.recap(r)
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
	p.wrapped("updoc: "+word+" — ", CountsLine(r.Summary)+" in "+FormatMS(r.DurationMS))
}
