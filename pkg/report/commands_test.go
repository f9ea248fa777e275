package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestCommandsStandWhole: in every output for people, at every width,
// every remediation command appears whole on one line — never cut with
// "…", never wrapped (issue 10). GitHub annotations are unescaped first;
// JUnit's steps are CDATA, not escaped.
func TestCommandsStandWhole(t *testing.T) {
	for name, mk := range fixtures() {
		commands := stepCommands(mk())
		if name == "mixed" && len(commands) < 2 {
			t.Fatalf("the mixed fixture has %d commands; the test needs some", len(commands))
		}
		for _, width := range []int{40, 80, 100, 200} {
			outputs := map[string]string{}
			for label, o := range map[string]TableOptions{"table": {Width: width}, "table -v": {Width: width, Verbose: true}} {
				var b bytes.Buffer
				if err := WriteTable(&b, mk(), o); err != nil {
					t.Fatal(err)
				}
				outputs[label] = b.String()
			}
			var md, gh, ju bytes.Buffer
			if err := WriteMarkdown(&md, mk()); err != nil {
				t.Fatal(err)
			}
			outputs["markdown"] = md.String()
			if err := WriteGitHub(&gh, mk(), TableOptions{Width: width}); err != nil {
				t.Fatal(err)
			}
			outputs["github"] = ghUnescape(gh.String())
			if err := WriteJUnit(&ju, mk()); err != nil {
				t.Fatal(err)
			}
			outputs["junit"] = ju.String()       // steps are CDATA: not escaped
			shown := map[string]map[string]bool{ // the commands each output must show
				"table -v": commands, "junit": commands,
				"table": nextStepCommands(mk()), "markdown": nextStepCommands(mk()), "github": nextStepCommands(mk()),
			}
			for label, out := range outputs {
				for c := range shown[label] {
					if !hasWholeLine(out, c) {
						t.Errorf("%s, %s at %d columns: command %q is not whole on one line:\n%s", name, label, width, c, out)
					}
				}
				if l, c := brokenCommand(out, commands); l != "" {
					t.Errorf("%s, %s at %d columns: line %q holds the start of %q, not all of it", name, label, width, l, c)
				}
			}
		}
	}
}

// nextStepCommands are the commands of the steps under NEXT STEPS.
func nextStepCommands(r *Report) map[string]bool {
	out := map[string]bool{}
	for _, s := range Normalize(r).nextSteps() {
		if s.finding == nil {
			continue
		}
		for _, step := range s.finding.Remediation {
			if _, c := splitStep(step); c != "" {
				out[c] = true
			}
		}
	}
	return out
}

// brokenCommand finds a line holding the start of a command (its first 15
// bytes) but not the whole of it, nor of another command with that start:
// a command cut with "…" or wrapped.
func brokenCommand(out string, commands map[string]bool) (line, command string) {
	for _, l := range strings.Split(out, "\n") {
		for c := range commands {
			start := c[:min(len(c), 15)]
			if !strings.Contains(l, start) || strings.Contains(l, c) {
				continue
			}
			whole := false
			for c2 := range commands {
				if strings.HasPrefix(c2, start) && strings.Contains(l, c2) {
					whole = true
				}
			}
			if !whole {
				return l, c
			}
		}
	}
	return "", ""
}

// hasWholeLine: some line of out holds command whole, with nothing but
// spaces, a Markdown code fence or list prose around it.
func hasWholeLine(out, command string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, command) {
			return true
		}
	}
	return false
}

func ghUnescape(s string) string {
	return strings.NewReplacer("%0A", "\n", "%0D", "\r", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}
