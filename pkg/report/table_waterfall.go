package report

import (
	"fmt"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

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
	first := true
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		for k := range u.Targets {
			t := &u.Targets[k]
			wf := TargetWaterfall(u, t)
			if len(wf.Phases) == 0 {
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
			head += "  total " + FormatMS(wf.TotalMS)
			if e := targetError(t); e != "" {
				head += "  (" + e + ")"
			}
			p.line(textfmt.Truncate(head, p.width))
			for _, row := range wf.Rows(p.width, 2) {
				p.line("  " + row.Label + "  " + p.style(row.Bar, ansiCyan))
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
