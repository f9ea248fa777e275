package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// The detail pane is the header (2 lines), a blank line, the viewport and
// the footer.
const detailChrome = 4

// layoutDetail sizes the viewport and refills it with the detail of
// m.detail; reset scrolls back to the top.
func (m *model) layoutDetail(reset bool) {
	m.vp.Width = m.width
	m.vp.Height = max(m.height-detailChrome, 1)
	m.detailLines = m.detailContent(m.width)
	m.detailWidest = 0
	for _, l := range m.detailLines {
		m.detailWidest = max(m.detailWidest, textfmt.Width(l))
	}
	m.vp.SetContent(strings.Join(m.detailLines, "\n"))
	if reset {
		m.vp.GotoTop()
		m.detailX = 0
	}
	m.scrollSideways(0)
}

// scrollSideways moves the detail pane d columns right (left when d < 0),
// within its widest line: at the far right the widest line ends on screen.
func (m *model) scrollSideways(d int) {
	maxX := 0
	if m.detailWidest > m.vp.Width {
		maxX = m.detailWidest - m.vp.Width + 1 // +1: the "←" marker takes a column
	}
	m.detailX = min(max(m.detailX+d, 0), maxX)
}

// sidewaysStep is how far ← and → scroll the detail pane.
func (m *model) sidewaysStep() int { return max(m.vp.Width/2, 4) }

// detailOnScreen is the part of the detail pane's lines the viewport shows:
// its rows, and the columns from detailX. A line that goes on past the right
// edge ends in "→", one with text hidden on the left starts with "←".
func (m *model) detailOnScreen() []string {
	top := min(max(m.vp.YOffset, 0), len(m.detailLines))
	bottom := min(top+m.vp.Height, len(m.detailLines))
	out := make([]string, 0, bottom-top)
	for _, l := range m.detailLines[top:bottom] {
		out = append(out, sideways(l, m.detailX, m.vp.Width, m.st.accent))
	}
	return out
}

func (m *model) detailView() []string {
	lines := make([]string, 0, m.height)
	lines = append(lines, m.header(m.detail)...)
	lines = append(lines, "")
	if m.showHelp {
		lines = append(lines, m.helpPane(m.height-detailChrome)...)
	} else {
		lines = append(lines, m.detailOnScreen()...)
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	pos := "all"
	switch {
	case m.vp.TotalLineCount() <= m.vp.Height:
	case m.vp.AtTop():
		pos = "top"
	case m.vp.AtBottom():
		pos = "end"
	default:
		pos = fmt.Sprintf("%d%%", int(math.Round(m.vp.ScrollPercent()*100)))
	}
	hints := detailHints
	if m.detailWidest > m.vp.Width {
		hints = wideDetailHints
	}
	return append(lines, spread(" "+m.help.ShortHelpView(hints), m.st.dim.Render(pos)+" ", m.width))
}

// detailContent renders everything known about the upstream m.detail,
// wrapped to w columns. A line is wider than w only when it holds a
// remediation command or a word (a URL, a code) that does not fit: those are
// never split, and the pane scrolls horizontally to show them.
func (m *model) detailContent(w int) []string {
	s := &m.st
	u := m.rep.Upstream(m.detail)
	if u == nil {
		return []string{" " + s.dim.Render(fmt.Sprintf("%s is not in the latest report", m.detail))}
	}
	var out []string
	add := func(l ...string) { out = append(out, l...) }
	section := func(title string) { add("", " "+s.header.Render(title)) }

	// Identity.
	add(" " + s.bold.Render(u.Name) + "  " + s.status(u.Status).Bold(true).Render(statusSym(u.Status)+" "+string(u.Status)) +
		"  " + s.dim.Render(u.URL))
	if u.Description != "" {
		for _, l := range wrap(u.Description, w, " ", " ") {
			add(s.dim.Render(l))
		}
	}
	var meta []string
	if len(u.DependsOn) > 0 {
		meta = append(meta, "depends on "+strings.Join(u.DependsOn, ", "))
	}
	if len(u.Tags) > 0 {
		meta = append(meta, "tags "+strings.Join(u.Tags, ", "))
	}
	if u.Proxy != nil {
		meta = append(meta, "via proxy "+u.Proxy.URL+" (from "+report.ProxySourcePhrase(u.Proxy.Source)+")")
	}
	if len(meta) > 0 {
		for _, l := range wrap(strings.Join(meta, " · "), w, " ", " ") {
			add(s.dim.Render(l))
		}
	}

	// Findings and their fix first: what to do is what one opens the
	// pane for; the layer details below are the evidence.
	if len(u.Findings) > 0 {
		section(fmt.Sprintf("FINDINGS (%d)", len(u.Findings)))
		for k, i := range u.SortedFindings() {
			if k > 0 {
				add("")
			}
			add(m.finding(&u.Findings[i], w)...)
		}
	}

	// Layers.
	section("LAYERS")
	layers := []struct {
		name string
		st   report.LayerStatus
	}{
		{"dns", u.Layers.DNS}, {"tcp", u.Layers.TCP}, {"tls", u.Layers.TLS},
		{"http", u.Layers.HTTP}, {"latency", u.Layers.Latency},
	}
	line := "  "
	for _, l := range layers {
		st := l.st
		if st == "" {
			st = report.Skip
		}
		item := l.name + " " + s.layer(st).Render(layerSym(st)+" "+string(st))
		switch {
		case line == "  ":
			line += item
		case textfmt.Width(line)+3+textfmt.Width(item) > w:
			add(line)
			line = "  " + item
		default:
			line += "   " + item
		}
	}
	add(line)

	// DNS.
	if d := u.DNS; d != nil {
		section("DNS")
		addrs := strings.Join(d.Addresses, ", ")
		if addrs == "" {
			addrs = "no address"
		}
		name := d.Name
		if len(d.CNAMEChain) > 0 {
			name += " → " + strings.Join(d.CNAMEChain, " → ")
		}
		add(wrap(name+" → "+addrs, w, "  ", "    ")...)
		add("  " + s.dim.Render(fmt.Sprintf("%s via %s in %s", d.Rcode, d.Resolver, fmtMS(d.DurationMS))))
	}

	// Targets.
	if len(u.Targets) > 0 {
		section("TARGETS")
		add(m.targetTable(u, w)...)
	}

	// Waterfall.
	if wf := m.waterfall(u, w); len(wf) > 0 {
		section("WATERFALL")
		add(wf...)
	}

	// Certificates and deprecation facts.
	if c := m.certs(u, w); len(c) > 0 {
		section("CERTIFICATE")
		add(c...)
	}
	if d := m.deprecations(u, w); len(d) > 0 {
		section("DEPRECATION")
		add(d...)
	}
	return out
}

// targetTable is one row per target: address, tcp, tls, http, p50, p90.
func (m *model) targetTable(u *report.Upstream, w int) []string {
	s := &m.st
	const tcpW, tlsW, httpW, latW = 8, 13, 6, 7
	addrW := min(max(w-2-(tcpW+tlsW+httpW+latW*2)-10, 12), 44)
	head := "  " + textfmt.Fit("  ADDRESS", addrW) + "  " + textfmt.Fit("TCP", tcpW) + "  " + textfmt.Fit("TLS", tlsW) + "  " +
		textfmt.Fit("HTTP", httpW) + "  " + textfmt.FitRight("P50", latW) + "  " + textfmt.FitRight("P90", latW)
	out := []string{s.header.Render(head)}
	for i := range u.Targets {
		t := &u.Targets[i]
		tcp, tcpSt := "—", s.skip
		if t.TCP != nil {
			tcpSt = s.layer(t.TCP.Status)
			tcp = fmtMS(t.TCP.DurationMS)
			if t.TCP.Status == report.LFail {
				tcp = "✗ fail"
			}
		}
		tlsTxt, tlsSt := "—", s.skip
		if t.TLS != nil {
			tlsSt = s.layer(t.TLS.Status)
			tlsTxt = t.TLS.Version
			if tlsTxt == "" {
				tlsTxt = "✗ fail"
			}
			if t.TLS.Cert != nil {
				tlsTxt += fmt.Sprintf(" · %dd", t.TLS.Cert.DaysLeft)
			}
		}
		httpTxt, httpSt := "—", s.skip
		if h := t.HTTP; h != nil {
			httpSt = s.layer(h.Status)
			switch {
			case h.StatusCode > 0:
				httpTxt = strconv.Itoa(h.StatusCode)
			case h.Error != "":
				httpTxt = "✗ err"
			}
		}
		p50, p90 := "—", "—"
		if l := t.LatencyMS; l != nil && l.Samples > 0 {
			p50, p90 = fmtMS(l.P50), fmtMS(l.P90)
		}
		row := "  " + s.status(t.Status).Render(statusSym(t.Status)) + " " + textfmt.Fit(t.Address, addrW-2) + "  " +
			tcpSt.Render(textfmt.Fit(tcp, tcpW)) + "  " + tlsSt.Render(textfmt.Fit(tlsTxt, tlsW)) + "  " +
			httpSt.Render(textfmt.Fit(httpTxt, httpW)) + "  " + textfmt.FitRight(p50, latW) + "  " + textfmt.FitRight(p90, latW)
		out = append(out, row)
	}
	return out
}

// waterfall draws, per target with a measured timeline, the phases of
// report.TargetWaterfall with their bars, as the table's --waterfall does:
// the same data gives the same bars.
func (m *model) waterfall(u *report.Upstream, w int) []string {
	s := &m.st
	var out []string
	for i := range u.Targets {
		t := &u.Targets[i]
		wf := report.TargetWaterfall(u, t)
		if len(wf.Phases) == 0 {
			continue
		}
		head := "  " + t.Address
		if h := t.HTTP; h != nil && h.StatusCode > 0 {
			head += fmt.Sprintf("  HTTP %d", h.StatusCode)
		}
		out = append(out, head+s.dim.Render("  total "+fmtMS(wf.TotalMS)))
		for _, row := range wf.Rows(w, 4) {
			out = append(out, "    "+row.Label+"  "+s.bar.Render(row.Bar))
		}
	}
	return out
}

// finding renders one finding: code and facts, message, evidence, the
// numbered remediation steps.
func (m *model) finding(f *report.Finding, w int) []string {
	s := &m.st
	facts := []string{string(f.Severity), string(f.Layer)}
	if f.Target != "" {
		facts = append(facts, f.Target)
	}
	if f.RootCause {
		facts = append(facts, "root cause")
	}
	out := []string{"  " + s.severity(f.Severity).Bold(true).Render(severitySym(f.Severity)+" "+f.Code) +
		"  " + s.dim.Render(strings.Join(facts, " · "))}
	out = append(out, wrap(f.Message, w, "    ", "    ")...)
	if len(f.Evidence) > 0 {
		for _, l := range wrap(strings.Join(report.EvidencePairs(f.Evidence), "  "), w, "    evidence  ", "              ") {
			out = append(out, s.dim.Render(l))
		}
	}
	for i, step := range f.Remediation {
		out = append(out, m.step(i+1, step, w)...)
	}
	return out
}

// step renders remediation step n: its prose wrapped under the number, then
// the command it tells the user to run (catalog.SplitStep) on lines of its
// own. A command wider than the pane is wrapped between shell words with
// " \" line continuations (wrapCommand): the block pastes as the same
// command, where a cut or a plain wrap would not.
func (m *model) step(n int, step string, w int) []string {
	num := fmt.Sprintf("    %d. ", n)
	indent := textfmt.Spaces(textfmt.Width(num))
	prose, command := catalog.SplitStep(step)
	out := wrap(prose, w, num, indent)
	if command != "" {
		first, rest := indent+"  ", indent+"      "
		for i, l := range wrapCommand(command, w-len(first), w-len(rest)) {
			if i == 0 {
				out = append(out, first+m.st.command.Render(l))
			} else {
				out = append(out, rest+m.st.command.Render(l))
			}
		}
	}
	return out
}

// certs lists the distinct leaf certificates of the targets.
func (m *model) certs(u *report.Upstream, w int) []string {
	s := &m.st
	var out []string
	seen := map[string]bool{}
	for i := range u.Targets {
		t := &u.Targets[i]
		if t.TLS == nil || t.TLS.Cert == nil {
			continue
		}
		c := t.TLS.Cert
		id := c.Subject + "|" + c.Issuer + "|" + c.NotAfter.String()
		if seen[id] {
			continue
		}
		seen[id] = true
		if len(out) > 0 {
			out = append(out, "")
		}
		// Coloured by the diagnosis: the upstream's own cert_min_days
		// decided whether the certificate expires soon.
		days := s.healthy
		switch {
		case c.DaysLeft < 0:
			days = s.unhealthy
		case hasFinding(u, t.Address, catalog.TLSCertExpiring):
			days = s.degraded
		}
		proto := t.TLS.Version
		if t.TLS.ALPN != "" {
			proto += " · " + t.TLS.ALPN
		}
		out = append(out, "  "+t.Address+s.dim.Render("  "+strings.TrimPrefix(proto, " · ")+"  "+report.SNIPhrase(t.TLS)))
		out = append(out, wrap(c.Subject, w, "    subject  ", "             ")...)
		out = append(out, wrap(c.Issuer, w, "    issuer   ", "             ")...)
		if len(c.SANs) > 0 {
			out = append(out, wrap(strings.Join(c.SANs, ", "), w, "    SANs     ", "             ")...)
		}
		out = append(out, "    valid    "+c.NotBefore.UTC().Format("2006-01-02")+" → "+c.NotAfter.UTC().Format("2006-01-02")+
			"  "+days.Render(daysLeft(c.DaysLeft)))
	}
	return out
}

// hasFinding reports whether u has a finding of code about target.
func hasFinding(u *report.Upstream, target, code string) bool {
	for _, f := range u.Findings {
		if f.Code == code && f.Target == target {
			return true
		}
	}
	return false
}

// deprecations lists the distinct Deprecation and Sunset signals.
func (m *model) deprecations(u *report.Upstream, w int) []string {
	s := &m.st
	var out []string
	seen := map[string]bool{}
	for i := range u.Targets {
		h := u.Targets[i].HTTP
		if h == nil {
			continue
		}
		if d := h.Deprecation; d != nil && !seen["d"+d.Raw] {
			seen["d"+d.Raw] = true
			txt := d.Raw
			if d.Date != nil {
				txt += " (" + d.Date.UTC().Format("2006-01-02") + ")"
			}
			out = append(out, wrap(txt, w, "  "+s.degraded.Render("deprecated")+"  ", "              ")...)
			if d.Link != "" {
				out = append(out, wrap(d.Link, w, "    link      ", "              ")...)
			}
		}
		if sn := h.Sunset; sn != nil && !seen["s"+sn.Raw] {
			seen["s"+sn.Raw] = true
			txt := sn.Raw
			if sn.Date != nil {
				txt += " (" + sn.Date.UTC().Format("2006-01-02")
				if sn.DaysLeft != nil {
					switch d := *sn.DaysLeft; {
					case d >= 0:
						txt += ", in " + textfmt.Plural(d, "day")
					default:
						txt += ", " + textfmt.Plural(-d, "day") + " ago"
					}
				}
				txt += ")"
			}
			st := s.degraded
			if sn.DaysLeft != nil && *sn.DaysLeft < 0 {
				st = s.unhealthy
			}
			out = append(out, wrap(txt, w, "  "+st.Render("sunset    ")+"  ", "              ")...)
			if sn.Link != "" {
				out = append(out, wrap(sn.Link, w, "    link      ", "              ")...)
			}
		}
	}
	return out
}
