package report

import (
	"fmt"
	"math"
	"strings"
)

// Phase is one step of a request's timeline.
type Phase struct {
	// Name is "dns", "connect", "tls", "ttfb" or "transfer".
	Name string
	// StartMS is when the phase starts, in milliseconds from the start of
	// the request: the sum of the phases before it. MS is how long it
	// lasts, in milliseconds, never negative.
	StartMS, MS float64
}

// Waterfall is the timeline of one target, drawn by the table
// (--waterfall) and by the TUI's detail pane alike: its phases, one after
// the other, and the total the bars are scaled to.
type Waterfall struct {
	Phases []Phase
	// TotalMS is the measured total, or the sum of the phases when that
	// is larger, in milliseconds.
	TotalMS float64
}

// TargetWaterfall is the timeline of t, a target of u: the HTTP timings
// (dns, connect, tls, ttfb, transfer) when there was an exchange, else what
// the dns, tcp and tls layers measured, so that a refused connection still
// shows how long DNS and connect took. There is no dns phase when u was not
// resolved (an IP literal) and no tls phase without TLS. The waterfall has
// no phase when nothing was measured.
func TargetWaterfall(u *Upstream, t *Target) Waterfall {
	var w Waterfall
	add := func(name string, ms float64) {
		ms = math.Max(ms, 0)
		start := 0.0
		if n := len(w.Phases); n > 0 {
			start = w.Phases[n-1].StartMS + w.Phases[n-1].MS
		}
		w.Phases = append(w.Phases, Phase{Name: name, StartMS: start, MS: ms})
	}
	measured := 0.0
	if h := t.HTTP; h != nil && (h.TimingsMS.Total > 0 || h.TimingsMS.TTFB > 0) {
		tm := h.TimingsMS
		if u.DNS != nil || tm.DNS > 0 {
			add("dns", tm.DNS)
		}
		add("connect", tm.Connect)
		if t.TLS != nil || tm.TLS > 0 {
			add("tls", tm.TLS)
		}
		add("ttfb", tm.TTFB)
		add("transfer", tm.Transfer)
		measured = tm.Total
	} else {
		if u.DNS != nil {
			add("dns", u.DNS.DurationMS)
		}
		if t.TCP != nil {
			add("connect", t.TCP.DurationMS)
		}
		if t.TLS != nil {
			add("tls", t.TLS.DurationMS)
		}
	}
	w.TotalMS = measured
	if n := len(w.Phases); n > 0 {
		w.TotalMS = math.Max(measured, w.Phases[n-1].StartMS+w.Phases[n-1].MS)
	}
	return w
}

// WaterfallRow is one phase as drawn: its label, the name and the duration
// in 17 columns ("connect    0.30ms"), and its bar.
type WaterfallRow struct {
	Label, Bar string
}

// Bar widths: a bar ends one column before the line does and takes at most
// maxBarWidth columns, at least minBarWidth.
const (
	minBarWidth = 10
	maxBarWidth = 58
	labelWidth  = 17 // "%-8s %8s"
	barGap      = 2  // between the label and the bar
)

// Rows draws w for a line of lineWidth columns whose rows start indent
// columns in: one row per phase, label then bar. A row is meant to be
// written as indent, the label, two spaces and the bar; the bars are
// 10 to 58 columns wide and leave the line's last column free.
func (w Waterfall) Rows(lineWidth, indent int) []WaterfallRow {
	barW := min(max(lineWidth-indent-labelWidth-barGap-1, minBarWidth), maxBarWidth)
	rows := make([]WaterfallRow, len(w.Phases))
	for i, p := range w.Phases {
		rows[i] = WaterfallRow{
			Label: fmt.Sprintf("%-8s %8s", p.Name, FormatMS(p.MS)),
			Bar:   w.Bar(p, barW),
		}
	}
	return rows
}

// Bar draws p on a line of width cells: spaces up to where it starts, then
// full blocks for as long as it lasts, scaled to w.TotalMS. Both ends are
// rounded to the nearest cell, so the bars of consecutive phases meet
// without a gap or an overlap. A phase too short for one cell gets a thin
// "▏"; a phase of 0ms gets no bar.
func (w Waterfall) Bar(p Phase, width int) string {
	if w.TotalMS <= 0 || width <= 0 {
		return ""
	}
	from := int(math.Round(p.StartMS / w.TotalMS * float64(width)))
	to := int(math.Round((p.StartMS + p.MS) / w.TotalMS * float64(width)))
	from = min(max(from, 0), width)
	to = min(max(to, from), width)
	if to == from {
		if p.MS <= 0 {
			return ""
		}
		return strings.Repeat(" ", min(from, width-1)) + "▏"
	}
	return strings.Repeat(" ", from) + strings.Repeat("█", to-from)
}
