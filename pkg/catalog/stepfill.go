package catalog

import (
	"strings"
	"sync"
)

// A remediation template is filled in three passes, each a
// strings.Replacer's: the timing commands of the scheme ({{TimeOnce}},
// {{TimeEach}}), then the product's runbook ({{ProxyBackends}}, ...), then
// the values of Vars (fills), whose output is not scanned again. The first
// two depend only on the template, the scheme's timing form and the
// runbook, so they are done once and the result parsed into literal text
// and fills: rendering a finding's steps only joins parts.

// stepPart is literal text (fill < 0) or the index of a fill.
type stepPart struct {
	text string
	fill int
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
// first fill in their order that starts there, without overlaps.
func parseFills(s string) []stepPart {
	var parts []stepPart
	lit := 0
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
				parts = append(parts, stepPart{fill: n})
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
