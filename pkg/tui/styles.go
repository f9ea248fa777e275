package tui

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/updoc/updoc/pkg/report"
)

// styles are built on a renderer of the program's output, never on
// lipgloss's default (stdout) renderer. With colour off the renderer uses
// the Ascii profile and every style renders plain text. Only the 16 basic
// ANSI colours are used so the terminal's theme decides the shades, and no
// adaptive colour is used (it would query the terminal's background).
type styles struct {
	plain, bold, dim, accent, title, header, sel, cursor lipgloss.Style
	healthy, degraded, unhealthy, skip                   lipgloss.Style
	unknown                                              lipgloss.Style
	label, labelWarn, labelOK                            lipgloss.Style
	key, bar, command                                    lipgloss.Style
}

func newStyles(out io.Writer, color bool) styles {
	r := lipgloss.NewRenderer(out)
	if !color {
		r.SetColorProfile(termenv.Ascii)
	} else if r.ColorProfile() == termenv.Ascii {
		// --color always on a non-terminal.
		r.SetColorProfile(termenv.ANSI)
	}
	r.SetHasDarkBackground(true)
	c := func(s string) lipgloss.Color { return lipgloss.Color(s) }
	n := r.NewStyle
	return styles{
		plain:     n(),
		bold:      n().Bold(true),
		dim:       n().Faint(true),
		accent:    n().Foreground(c("6")),
		title:     n().Bold(true).Foreground(c("6")),
		header:    n().Bold(true).Faint(true),
		sel:       n().Bold(true),
		cursor:    n().Reverse(true),
		healthy:   n().Foreground(c("2")),
		degraded:  n().Foreground(c("3")),
		unhealthy: n().Foreground(c("1")),
		unknown:   n().Foreground(c("5")),
		skip:      n().Faint(true),
		label:     n().Bold(true).Foreground(c("15")).Background(c("1")),
		labelWarn: n().Bold(true).Foreground(c("0")).Background(c("3")),
		labelOK:   n().Bold(true).Foreground(c("0")).Background(c("2")),
		key:       n().Bold(true).Foreground(c("6")),
		bar:       n().Foreground(c("6")),
		command:   n().Bold(true),
	}
}

func (s *styles) status(st report.Status) lipgloss.Style {
	switch st {
	case report.Unhealthy:
		return s.unhealthy
	case report.Unknown:
		return s.unknown
	case report.Degraded:
		return s.degraded
	case report.Healthy:
		return s.healthy
	}
	return s.skip
}

func (s *styles) layer(ls report.LayerStatus) lipgloss.Style {
	switch ls {
	case report.LFail:
		return s.unhealthy
	case report.LWarn:
		return s.degraded
	case report.Pass:
		return s.healthy
	}
	return s.skip
}

func (s *styles) severity(sv report.Severity) lipgloss.Style {
	switch sv {
	case report.Fail:
		return s.unhealthy
	case report.Warn:
		return s.degraded
	}
	return s.plain
}

// Symbols. Each is one terminal column wide.
func statusSym(st report.Status) string {
	switch st {
	case report.Unhealthy:
		return "✗"
	case report.Unknown:
		return "?"
	case report.Degraded:
		return "▲"
	case report.Healthy:
		return "✓"
	}
	return "·"
}

func layerSym(ls report.LayerStatus) string {
	switch ls {
	case report.LFail:
		return "✗"
	case report.LWarn:
		return "▲"
	case report.Pass:
		return "✓"
	}
	return "–"
}

func severitySym(sv report.Severity) string {
	if sv == report.Fail {
		return "✗"
	}
	return "▲"
}
