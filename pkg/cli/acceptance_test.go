package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// TestCommandsWholeInEveryOutput is issue 10's acceptance test: the demo's
// report and 500 upstreams behind one dead address, each probed once
// through the engine, rendered in every format at 80, 100 and 200
// columns; every remediation command (catalog.SplitStep) the output shows
// appears whole on one line — after XML or JSON unescaping — and no line
// holds the start of a command without the rest.
func TestCommandsWholeInEveryOutput(t *testing.T) {
	reports := map[string]report.Report{}
	r := run(t, context.Background(), nil, "", "demo", "-o", "json")
	reports["demo"] = decodeReport(t, r.stdout)
	file := writeFile(t, "dead.yaml", deadTargetGraph(500))
	r = run(t, context.Background(), nil, "", "check", "-f", file, "-o", "json")
	reports["500 behind one dead address"] = decodeReport(t, r.stdout)

	for name, rep := range reports {
		all, roots := commandsOf(&rep)
		if len(roots) == 0 {
			t.Fatalf("%s: no root-cause step holds a command; the test would prove nothing", name)
		}
		for _, width := range []int{80, 100, 200} {
			outputs := renderAll(t, &rep, width)
			shown := map[string]map[string]bool{
				"table": roots, "table -v": all, "markdown": roots, "junit": all, "json": all, "github": roots,
			}
			for format, out := range outputs {
				for c := range shown[format] {
					if !containsLine(out, c) {
						t.Errorf("%s, %s at %d columns: command %q is not whole on one line", name, format, width, c)
					}
				}
				if l, c := startWithoutRest(out, all); l != "" {
					t.Errorf("%s, %s at %d columns: line %q holds the start of %q, not all of it", name, format, width, l, c)
				}
			}
		}
	}
}

// commandsOf are the commands of every step of rep (all) and of the steps
// of each root-cause group's finding (roots: NEXT STEPS shows them).
func commandsOf(rep *report.Report) (all, roots map[string]bool) {
	all, roots = map[string]bool{}, map[string]bool{}
	for _, u := range rep.Upstreams {
		for _, f := range u.Findings {
			for _, s := range f.Remediation {
				if _, c := catalog.SplitStep(s); c != "" {
					all[c] = true
				}
			}
		}
	}
	for _, g := range rep.RootCauseGroups() {
		u := rep.Upstream(g.First.Upstream)
		for _, f := range u.Findings {
			if f.Code == g.Code && f.RootCause && f.Target == g.First.Target {
				for _, s := range f.Remediation {
					if _, c := catalog.SplitStep(s); c != "" {
						roots[c] = true
					}
				}
			}
		}
	}
	return all, roots
}

// renderAll renders rep in every format at width, unescaped: JUnit's
// attributes and text through an XML decoder, JSON's strings decoded,
// GitHub's workflow-command escapes undone.
func renderAll(t *testing.T, rep *report.Report, width int) map[string]string {
	t.Helper()
	out := map[string]string{}
	var b bytes.Buffer
	must := func(err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		s := b.String()
		b.Reset()
		return s
	}
	out["table"] = must(report.WriteTable(&b, rep, report.TableOptions{Width: width}))
	out["table -v"] = must(report.WriteTable(&b, rep, report.TableOptions{Width: width, Verbose: true}))
	out["markdown"] = must(report.WriteMarkdown(&b, rep))
	out["github"] = strings.NewReplacer("%0A", "\n", "%0D", "\r", "%3A", ":", "%2C", ",", "%25", "%").
		Replace(must(report.WriteGitHub(&b, rep, report.TableOptions{Width: width})))
	out["junit"] = xmlText(t, []byte(must(report.WriteJUnit(&b, rep))))
	out["json"] = jsonStrings(t, []byte(must(report.WriteJSON(&b, rep))))
	return out
}

// xmlText is every attribute value and every text of doc, unescaped, each
// on lines of its own.
func xmlText(t *testing.T, doc []byte) string {
	t.Helper()
	var b strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case xml.CharData:
			b.Write(x)
		case xml.StartElement:
			for _, a := range x.Attr {
				fmt.Fprintf(&b, "\n%s\n", a.Value)
			}
		}
	}
	return b.String()
}

// jsonStrings is every string of doc, decoded, one a line.
func jsonStrings(t *testing.T, doc []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + "\n")
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

func containsLine(out, command string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, command) {
			return true
		}
	}
	return false
}

// startWithoutRest finds a line where a command starts (its first 15
// bytes, at the start of the line's text or of a code span) and the line
// ends — or is cut with "…" — before the command does: a command cut short
// or wrapped. (A command a step names inside its prose is not one the
// output puts on a line of its own; issue 10's catalogue rewrite leaves
// one command a step, at its end.)
func startWithoutRest(out string, commands map[string]bool) (line, command string) {
	for _, l := range strings.Split(out, "\n") {
		for c := range commands {
			start := c[:min(len(c), 15)]
			for from := 0; ; {
				p := strings.Index(l[from:], start)
				if p < 0 {
					break
				}
				at := from + p
				startsLine := strings.TrimSpace(l[:at]) == "" || strings.HasSuffix(l[:at], "`")
				rest := strings.TrimSuffix(strings.TrimRight(l[at:], " `"), "…")
				if startsLine && rest != c && strings.HasPrefix(c, rest) && !commands[rest] {
					return l, c
				}
				from += p + 1
			}
		}
	}
	return "", ""
}

// TestBodyQuotesShown: every http.* and gateway.* finding of the demo
// keeps its message — with its quote of the body — whole: the table under
// NEXT STEPS for each root cause, -v for every finding, at 80 columns.
func TestBodyQuotesShown(t *testing.T) {
	r := run(t, context.Background(), nil, "", "demo", "-o", "json")
	rep := decodeReport(t, r.stdout)
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	outputs := renderAll(t, &rep, 80)
	table, verbose := fold(outputs["table"]), fold(outputs["table -v"])
	quotes := 0
	for _, u := range rep.Upstreams {
		for _, f := range u.Findings {
			if !strings.HasPrefix(f.Code, "http.") && !strings.HasPrefix(f.Code, "gateway.") {
				continue
			}
			if strings.Contains(f.Message, `"`) {
				quotes++
			}
			msg := fold(f.Message)
			if !strings.Contains(verbose, msg) {
				t.Errorf("-v drops or cuts the message of %s on %s: %q", f.Code, u.Name, msg)
			}
			if f.RootCause && !strings.Contains(table, msg) {
				t.Errorf("the table drops or cuts the message of root cause %s on %s: %q", f.Code, u.Name, msg)
			}
		}
	}
	if quotes == 0 {
		t.Fatal("no http.* or gateway.* message of the demo quotes a body; the test would prove nothing")
	}
}
