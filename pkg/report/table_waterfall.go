package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// phase is one step of a request's waterfall.
type phase struct {
	name string
	ms   float64
}

// targetPhases are the phases of t: the HTTP timings when there was an
// exchange, else what the tcp/tls layers measured.
func targetPhases(u *Upstream, t *Target) (phases []phase, total float64) {
	if h := t.HTTP; h != nil && (h.TimingsMS.Total > 0 || h.TimingsMS.TTFB > 0) {
		tm := h.TimingsMS
		if u.DNS != nil || tm.DNS > 0 {
			phases = append(phases, phase{"dns", tm.DNS})
		}
		phases = append(phases, phase{"connect", tm.Connect})
		if t.TLS != nil || tm.TLS > 0 {
			phases = append(phases, phase{"tls", tm.TLS})
		}
		phases = append(phases, phase{"ttfb", tm.TTFB}, phase{"transfer", tm.Transfer})
		total = tm.Total
	} else {
		if u.DNS != nil {
			phases = append(phases, phase{"dns", u.DNS.DurationMS})
		}
		if t.TCP != nil {
			phases = append(phases, phase{"connect", t.TCP.DurationMS})
		}
		if t.TLS != nil {
			phases = append(phases, phase{"tls", t.TLS.DurationMS})
		}
	}
	sum := 0.0
	for _, ph := range phases {
		sum += math.Max(ph.ms, 0)
	}
	return phases, math.Max(total, sum)
}

// waterfalls writes, per target, an httpstat-style timeline: one row per
// phase with its duration and a bar placed where the phase starts and as
// long as it lasts, scaled to the target's total.
//
//	api  10.0.0.5:443  HTTP 200  total 44.0ms
//	  dns         1.2ms  ██
//	  connect     0.3ms    ▏
//	  tls        12.0ms    ████████████████
//	  ttfb       30.1ms                    ███████████████████████████████████████
//	  transfer    0.4ms                                                           █
func (p *printer) waterfalls(r *Report) {
	barW := min(max(p.width-22, 10), 58)
	first := true
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		for k := range u.Targets {
			t := &u.Targets[k]
			phases, total := targetPhases(u, t)
			if len(phases) == 0 {
				continue
			}
			p.blank()
			if first {
				p.line(p.style("WATERFALL", ansiBold))
				first = false
			}
			head := u.Name + "  " + t.Address
			if t.HTTP != nil && t.HTTP.StatusCode != 0 {
				head += fmt.Sprintf("  HTTP %d", t.HTTP.StatusCode)
			}
			head += "  total " + FormatMS(total)
			if e := targetError(t); e != "" {
				head += "  (" + e + ")"
			}
			p.line(textfmt.Truncate(head, p.width))
			start := 0.0
			for _, ph := range phases {
				ms := math.Max(ph.ms, 0)
				p.line(fmt.Sprintf("  %-8s %8s  %s", ph.name, FormatMS(ms), p.style(bar(start, ms, total, barW), ansiCyan)))
				start += ms
			}
		}
	}
}

// targetError is the first layer error of t, "layer: error", or "".
func targetError(t *Target) string {
	switch {
	case t.TCP != nil && t.TCP.Error != "":
		return layerError("tcp", t.TCP.Error)
	case t.TLS != nil && t.TLS.Error != "":
		return layerError("tls", t.TLS.Error)
	case t.HTTP != nil && t.HTTP.Error != "":
		return layerError("http", t.HTTP.Error)
	}
	return ""
}

// layerError is "layer: error", without doubling a prefix the error already
// carries ("tls: first record does not look like a TLS handshake",
// "net/http: timeout awaiting response headers").
func layerError(layer, err string) string {
	err = textfmt.OneLine(err)
	if strings.HasPrefix(err, layer+": ") || strings.HasPrefix(err, "net/"+layer+": ") {
		return err
	}
	return layer + ": " + err
}

// bar draws [start, start+ms) of total on a line of width cells: spaces up
// to the start, then full blocks; a phase too short for one cell gets "▏".
func bar(start, ms, total float64, width int) string {
	if total <= 0 {
		return ""
	}
	from := int(math.Round(start / total * float64(width)))
	to := int(math.Round((start + ms) / total * float64(width)))
	from = min(max(from, 0), width)
	to = min(max(to, from), width)
	if to == from {
		if ms <= 0 {
			return ""
		}
		if from == width {
			from--
		}
		return strings.Repeat(" ", from) + "▏"
	}
	return strings.Repeat(" ", from) + strings.Repeat("█", to-from)
}
