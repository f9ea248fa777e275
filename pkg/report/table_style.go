package report

// ANSI styling, only when colour is on.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
)

func (p *printer) style(s, code string) string {
	if !p.o.Color || s == "" || code == "" {
		return s
	}
	return code + s + ansiReset
}

func statusColor(s Status) string {
	switch s {
	case Healthy:
		return ansiGreen
	case Degraded:
		return ansiYellow
	case Unhealthy:
		return ansiRed
	case Unknown:
		return ansiMagenta
	}
	return ""
}

func layerColor(s LayerStatus) string {
	switch s {
	case Pass:
		return ansiGreen
	case LWarn:
		return ansiYellow
	case LFail:
		return ansiRed
	case Skip:
		return ansiDim
	}
	return ""
}

func severityColor(s Severity) string {
	switch s {
	case Fail:
		return ansiRed
	case Warn:
		return ansiYellow
	}
	return ""
}

func (p *printer) status(s Status) string { return p.style(statusWord(s), statusColor(s)) }

// badge is the one-rune mark of a severity: ✗ fail, ! warn.
func (p *printer) badge(s Severity) string {
	b := "!"
	if s == Fail {
		b = "✗"
	}
	return p.style(b, severityColor(s))
}
