package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// details is the -v section: per upstream, the layer statuses, DNS answer,
// per-target facts, and every finding with evidence and all remediation.
func (p *printer) details(r *Report) {
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		p.blank()
		for _, l := range textfmt.Wrap(p.style(u.Name, ansiBold)+"  "+p.status(u.Status)+"  "+u.URL, p.width, textfmt.KeepCodeWords) {
			p.line(l)
		}
		if u.Description != "" {
			p.wrapped("  ", u.Description)
		}
		p.wrapped("  layers      ", p.layers(u.Layers))
		if len(u.DependsOn) > 0 {
			p.wrapped("  depends on  ", strings.Join(u.DependsOn, ", "))
		}
		if len(u.Tags) > 0 {
			p.wrapped("  tags        ", strings.Join(u.Tags, ", "))
		}
		if u.Proxy != nil {
			p.wrapped("  proxy       ", u.Proxy.URL+" (from "+ProxySourcePhrase(u.Proxy.Source)+"); the target is the proxy")
		}
		if u.DNS != nil {
			p.wrapped("  dns         ", dnsFacts(u.DNS))
		}
		if len(u.Targets) > 0 {
			p.line("  targets")
		}
		for k := range u.Targets {
			p.target(&u.Targets[k])
		}
		if len(u.Findings) == 0 {
			p.line("  findings    none")
			continue
		}
		p.line("  findings")
		for _, k := range u.SortedFindings() {
			p.finding(&u.Findings[k])
		}
	}
}

// wrapped writes text after first, wrapped with a hanging indent; a word
// wider than the width (a URL) stands whole on its own line.
func (p *printer) wrapped(first, text string) {
	for _, l := range textfmt.WrapHanging(textfmt.OneLine(text), p.width, first, textfmt.Spaces(textfmt.Width(first)), textfmt.KeepCodeWords) {
		p.line(l)
	}
}

func (p *printer) layers(l Layers) string {
	parts := []string{}
	for _, x := range []struct {
		n string
		s LayerStatus
	}{{"dns", l.DNS}, {"tcp", l.TCP}, {"tls", l.TLS}, {"http", l.HTTP}, {"latency", l.Latency}} {
		s := x.s
		if s == "" {
			s = Skip
		}
		parts = append(parts, x.n+"="+p.style(string(s), layerColor(s)))
	}
	return strings.Join(parts, " ")
}

func dnsFacts(d *DNS) string {
	var b strings.Builder
	if d.Name != "" {
		b.WriteString(d.Name)
		if d.FQDN != "" && !strings.EqualFold(d.FQDN, d.Name+".") {
			b.WriteString(" (as " + d.FQDN + ")")
		}
		b.WriteString(" → ")
	}
	if len(d.Addresses) > 0 {
		b.WriteString(strings.Join(d.Addresses, ", "))
	} else {
		b.WriteString("no address")
	}
	var info []string
	if d.Rcode != "" {
		info = append(info, d.Rcode)
	}
	if d.Resolver != "" {
		info = append(info, "via "+d.Resolver)
	}
	info = append(info, FormatMS(d.DurationMS))
	b.WriteString(" (" + strings.Join(info, ", ") + ")")
	if len(d.CNAMEChain) > 0 {
		b.WriteString("; CNAME " + strings.Join(d.CNAMEChain, " → "))
	}
	for _, q := range d.Queries {
		if q.Error != "" {
			fmt.Fprintf(&b, "; %s %s: %s", q.Resolver, q.Type, q.Error)
		}
	}
	return b.String()
}

// target writes one target's facts, one layer a line: tcp connect time,
// TLS version and certificate, HTTP status and timings, latency spread.
func (p *printer) target(t *Target) {
	p.line("    " + t.Address + "  " + p.status(t.Status))
	row := func(name string, s LayerStatus, facts []string, errText string) {
		if errText != "" {
			facts = append(facts, "error: "+textfmt.OneLine(errText))
		}
		label := fmt.Sprintf("      %-8s", name)
		if s != "" {
			label += p.style(string(s), layerColor(s)) + textfmt.Spaces(max(6-textfmt.Width(string(s)), 2))
		} else {
			label += "      "
		}
		p.wrapped(label, strings.Join(facts, ", "))
	}
	if t.TCP != nil {
		row("tcp", t.TCP.Status, []string{"connect " + FormatMS(t.TCP.DurationMS)}, t.TCP.Error)
	}
	if x := t.TLS; x != nil {
		var f []string
		if x.Version != "" {
			v := x.Version
			if x.ALPN != "" {
				v += " (" + x.ALPN + ")"
			}
			f = append(f, v)
		}
		f = append(f, "handshake "+FormatMS(x.DurationMS))
		if sni := SNIPhrase(x); sni != "" {
			f = append(f, sni)
		}
		if c := x.Cert; c != nil {
			f = append(f, fmt.Sprintf("cert %s, %d days left (not after %s), issuer %s",
				c.Subject, c.DaysLeft, c.NotAfter.UTC().Format("2006-01-02"), c.Issuer))
		}
		row("tls", x.Status, f, x.Error)
	}
	if h := t.HTTP; h != nil {
		var f []string
		if h.StatusCode != 0 {
			f = append(f, "status "+strconv.Itoa(h.StatusCode))
		}
		if h.Server != "" {
			f = append(f, "server "+h.Server)
		}
		if tm := h.TimingsMS; tm.Total > 0 {
			f = append(f, "total "+FormatMS(tm.Total)+" (ttfb "+FormatMS(tm.TTFB)+")")
		}
		if len(h.Redirects) > 0 {
			f = append(f, "redirects "+strings.Join(h.Redirects, " → "))
		}
		if h.Deprecation != nil {
			f = append(f, "deprecation "+h.Deprecation.Raw)
		}
		if h.Sunset != nil {
			f = append(f, "sunset "+h.Sunset.Raw)
		}
		if h.BodyPrefix != "" && h.Status != Pass {
			f = append(f, "body "+strconv.Quote(textfmt.Truncate(textfmt.OneLine(h.BodyPrefix), 100)))
		}
		row("http", h.Status, f, h.Error)
	}
	if l := t.LatencyMS; l != nil && l.Samples > 0 {
		row("latency", "", []string{fmt.Sprintf("p50 %s, p90 %s, p99 %s, max %s (%d %s)",
			FormatMS(l.P50), FormatMS(l.P90), FormatMS(l.P99), FormatMS(l.Max), l.Samples, textfmt.Noun(l.Samples, "sample", "samples"))}, "")
	}
}

// finding writes one finding: badge, code, layer, target, root cause; the
// message; the evidence; every remediation step, numbered, its command
// whole on a line of its own.
func (p *printer) finding(f *Finding) {
	head := f.Code
	if f.Layer != "" {
		head += " · " + string(f.Layer)
	}
	if f.Target != "" {
		head += " · " + f.Target
	}
	if f.RootCause {
		head += " · root cause"
	}
	for _, l := range textfmt.WrapHanging(head, p.width, "    "+p.badge(f.Severity)+" ", "      ", textfmt.KeepCodeWords) {
		p.line(l)
	}
	p.wrapped("      ", f.Message)
	if ev := EvidencePairs(f.Evidence); len(ev) > 0 {
		// Evidence is read, not pasted: a value wider than the line
		// (cname_chain=a.example,b.example) is broken to fit.
		const first = "      evidence: "
		for _, l := range textfmt.WrapHanging(strings.Join(ev, " "), p.width, first, textfmt.Spaces(textfmt.Width(first)), textfmt.BreakLongWords) {
			p.line(l)
		}
	}
	if len(f.Remediation) > 0 {
		p.line("      fix:")
	}
	for i, step := range f.Remediation {
		for _, l := range stepLines(i+1, step, p.width, "        ") {
			p.line(l)
		}
	}
}
