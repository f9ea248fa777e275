package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// renderings are the Vars every step is rendered with: none (`updoc
// explain`), every fact, every proxy product's runbook, and a forward proxy.
func renderings() map[string]Vars {
	out := map[string]Vars{"Vars{}": {}, "full": fullVars()}
	products := ProxyProducts()
	slices.Sort(products)
	for _, p := range append(products, "unknown product") {
		v := fullVars()
		v.Product = p
		out["product "+p] = v
	}
	proxied := fullVars()
	proxied.Proxy, proxied.ProxyUser = "http://proxy.internal:3128", "alice"
	out["proxy"] = proxied
	env := fullVars()
	env.ProxyEnv = "https_proxy"
	out["proxy from env"] = env
	return out
}

// Every step is prose, then optionally ": " and one command that can be
// pasted whole: SplitStep's command parses as exactly one shell statement
// (a pipeline or an && list is one; "a; b" or "a & b" are two), and the
// prose names no command after a colon.
func TestEveryStepEndsWithOnePastableCommand(t *testing.T) {
	parser := syntax.NewParser()
	for name, vars := range renderings() {
		for _, e := range All() {
			for _, step := range allSteps(e, vars) {
				prose, command := SplitStep(step)
				if command == "" {
					continue
				}
				if err := oneStatement(parser, command); err != nil {
					t.Errorf("%s (%s): %v\n  step: %s\n  command: %s", e.Code, name, err, step, command)
				}
				if endsLikeASentence(command) {
					t.Errorf("%s (%s): the command ends like a sentence (prose taken for a command?): %q", e.Code, name, command)
				}
				for _, part := range strings.Split(prose, ": ")[1:] {
					if startsWithCommand(part) {
						t.Errorf("%s (%s): a command in the prose: %q", e.Code, name, prose)
					}
				}
			}
		}
	}
}

// oneStatement: command parses as one shell statement, run in the
// foreground.
func oneStatement(parser *syntax.Parser, command string) error {
	f, err := parser.Parse(strings.NewReader(command), "")
	if err != nil {
		return err
	}
	if len(f.Stmts) != 1 {
		return fmt.Errorf("parses as %d statements", len(f.Stmts))
	}
	if f.Stmts[0].Background {
		return errors.New("runs in the background (&)")
	}
	return nil
}

// endsLikeASentence: the command's last word ends with a full stop, as
// prose does ("updoc does not use them."); a lone "." (the DNS root) and
// paths ("./x", "..") are arguments.
func endsLikeASentence(command string) bool {
	words := strings.Fields(command)
	if len(words) == 0 {
		return false
	}
	last := words[len(words)-1]
	return strings.HasSuffix(last, ".") && strings.Trim(last, ".") != "" && !strings.Contains(last, "/")
}
