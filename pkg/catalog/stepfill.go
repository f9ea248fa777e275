package catalog

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// A remediation template is filled in three passes, each a
// strings.Replacer's: the timing commands of the scheme ({{TimeOnce}},
// {{TimeEach}}), then the product's runbook ({{ProxyBackends}}, ...), then
// the values of Vars (fills), whose output is not scanned again. The first
// two depend only on the template, the scheme's timing form and the
// runbook, so they are done once and the result parsed into literal text
// and fills: rendering a finding's steps only joins parts.

// stepPart is literal text (fill < 0) or the index of a fill, and where
// the fill stands in the step (at), which says how its value is written.
type stepPart struct {
	text string
	fill int
	at   quoting
}

// parsed is one template, ready to render.
type parsed struct {
	cond  string // the flag of its "{{unless Flag}}" condition, "" for none
	parts []stepPart
	// curlRequest: the step runs {{CurlRequest}} or {{CurlProxyRequest}}
	// (after the timing commands are in), which the lab's CA file notes.
	curlRequest bool
}

type parseKey struct{ template, timing, runbook string }

var parsedSteps sync.Map // parseKey → *parsed

// timingKind is the scheme as the timing commands tell schemes apart.
func timingKind(scheme string) string {
	switch scheme {
	case "tcp", "tls":
		return scheme
	}
	return ""
}

// runbookKey is product when it has a runbook, "" (the generic one) when not.
func runbookKey(product string) string {
	if _, ok := proxyRunbooks[product]; ok {
		return product
	}
	return ""
}

// parsedStep is template t parsed for the timing form and runbook.
func parsedStep(t, timing, runbook string) *parsed {
	k := parseKey{t, timing, runbook}
	if p, ok := parsedSteps.Load(k); ok {
		return p.(*parsed)
	}
	cond, body := splitCondition(t)
	body = timingReplacer(timing).Replace(body)
	p := &parsed{
		cond:        cond,
		curlRequest: strings.Contains(body, "{{CurlRequest}}") || strings.Contains(body, "{{CurlProxyRequest}}"),
		parts:       parseFills(RunbookFor(runbook).replacer().Replace(body)),
	}
	parsedSteps.Store(k, p)
	return p
}

// parseFills splits s into literal text and fills, matching as a
// strings.Replacer of fills does: left to right, at each position the
// first fill in their order that starts there, without overlaps. Each
// fill is placed: in the prose, or in the command (see commandStart)
// outside quotes, inside '...' or inside "..." (see placed).
func parseFills(s string) []stepPart {
	var parts []stepPart
	cmd := commandStart(s)
	var lex shellLexer
	lit, lexed := 0, cmd
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			break
		}
		i += j
		matched := false
		for n, fl := range fills {
			if strings.HasPrefix(s[i:], fl.key) {
				if lit < i {
					parts = append(parts, stepPart{text: s[lit:i], fill: -1})
				}
				at := inProse
				if i >= cmd {
					lex.feed(s[lexed:i])
					at, lexed = lex.state, i+len(fl.key)
				}
				parts = append(parts, stepPart{fill: n, at: at})
				i += len(fl.key)
				lit, matched = i, true
				break
			}
		}
		if !matched {
			i++
		}
	}
	if lit < len(s) || len(parts) == 0 {
		parts = append(parts, stepPart{text: s[lit:], fill: -1})
	}
	return parts
}

// commandStart is where the command of template s starts (len(s) when it
// has none): as SplitStep finds it in the rendered step, after the first
// ": " followed by a program's name, or by a fill that is an updoc
// command ({{Check}}, ...).
func commandStart(s string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], ": ")
		if j < 0 {
			return len(s)
		}
		at := i + j + 2
		if startsWithCommand(s[at:]) {
			return at
		}
		for _, fl := range fills {
			if fl.kind == commandFill && strings.HasPrefix(s[at:], fl.key) {
				return at
			}
		}
		i = at
	}
}

// quoting is where a fill stands in its step.
type quoting uint8

const (
	inProse  quoting = iota // before the step's command
	unquoted                // in the command, outside quotes
	inSingle                // in the command, inside '...'
	inDouble                // in the command, inside "..."
)

// shellLexer follows the quotes of a command's text as a POSIX shell
// reads them, enough to know whether a position is inside '...', "..."
// or neither.
type shellLexer struct {
	state   quoting
	escaped bool
}

func (l *shellLexer) feed(s string) {
	if l.state == inProse {
		l.state = unquoted
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if l.escaped {
			l.escaped = false
			continue
		}
		switch l.state {
		case unquoted:
			switch c {
			case '\\':
				l.escaped = true
			case '\'':
				l.state = inSingle
			case '"':
				l.state = inDouble
			}
		case inSingle:
			if c == '\'' {
				l.state = unquoted
			}
		case inDouble:
			switch c {
			case '\\':
				l.escaped = true
			case '"':
				l.state = unquoted
			}
		}
	}
}

// fillKind says what a fill's value is, and so how the template machinery
// writes it into a step (placed).
type fillKind uint8

const (
	// factFill: one fact as it is (a host, a port, a path, a name...).
	// The machinery quotes it for where it stands, so that no template
	// can paste a fact into a command unquoted.
	factFill fillKind = iota
	// wordsFill: shell words the fill builds itself, each fact in them
	// quoted with ShellQuote ({{CurlRequest}}, {{SNIFlag}}, {{URL}}...);
	// they stand outside quotes.
	wordsFill
	// commandFill: a whole updoc command ({{Check}}...), written as is.
	commandFill
	// proseFill: prose the fill writes itself, each fact in it written
	// with proseValue ({{RetryAfterNote}}); written as is.
	proseFill
)

// placed is the value v of a fill of kind written at where it stands: a
// fact in a command as one shell word (ShellQuote, also inside quotes the
// template opened), anything in the prose so that it cannot pass for the
// start of the step's command (proseValue).
func placed(kind fillKind, at quoting, v string) string {
	switch {
	case kind == commandFill || kind == proseFill:
		return v
	case at == inProse:
		return proseValue(v)
	case kind == wordsFill:
		return v
	}
	return quoteIn(at, v)
}

// quoteIn writes v as literal text at a place of a command: ShellQuote
// outside quotes; inside '...' or "...", as it is when the quotes keep it
// literal, else closing the template's quotes, ShellQuote and opening
// them again ('a'\”b'-style), so that v is always read as it is.
func quoteIn(at quoting, v string) string {
	var special func(rune) bool
	switch at {
	case inSingle:
		special = func(r rune) bool { return r == '\'' || isControl(r) }
	case inDouble:
		special = func(r rune) bool { return strings.ContainsRune("$`\"\\!", r) || isControl(r) }
	default:
		return ShellQuote(v)
	}
	if utf8.ValidString(v) && !strings.ContainsFunc(v, special) {
		return v
	}
	q := "'"
	if at == inDouble {
		q = `"`
	}
	return q + ShellQuote(v) + q
}

// proseValue is v as the prose of a step shows it: a ": " in it (as in
// a Retry-After an upstream sent) is written with a no-break space, so
// that SplitStep never takes what follows for the step's command.
func proseValue(v string) string {
	if !strings.Contains(v, ": ") {
		return v
	}
	return strings.ReplaceAll(v, ": ", ":\u00a0")
}
