package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// A shell snippet of docs/ci.md: a `run:` of a GitHub Actions step, a line of
// a GitLab job's script, or a ```sh block.
type ciSnippet struct {
	where string // "docs/ci.md block N (lang)"
	shell string
}

var fence = regexp.MustCompile("(?ms)^```(yaml|sh)\n(.*?)^```")

// ciSnippets extracts every shell snippet from docs/ci.md.
func ciSnippets(t *testing.T) []ciSnippet {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []ciSnippet
	for i, m := range fence.FindAllStringSubmatch(string(doc), -1) {
		where := fmt.Sprintf("docs/ci.md block %d (%s)", i+1, m[1])
		if m[1] == "sh" {
			out = append(out, ciSnippet{where, m[2]})
			continue
		}
		var v any
		if err := yaml.Unmarshal([]byte(m[2]), &v); err != nil {
			t.Fatalf("%s is not YAML: %v", where, err)
		}
		n := len(out)
		out = append(out, shellOf(where, v)...)
		if len(out) == n {
			t.Errorf("%s has no run: or script: to run", where)
		}
	}
	return out
}

// shellOf walks a decoded CI file and returns its shell commands: the value
// of every `run` key (GitHub Actions) and every line of `script`,
// `before_script` and `after_script` (GitLab CI).
func shellOf(where string, v any) []ciSnippet {
	var out []ciSnippet
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			switch val := v[k].(type) {
			case string:
				if k == "run" || strings.HasSuffix(k, "script") {
					out = append(out, ciSnippet{where, val})
				}
			case []any:
				if strings.HasSuffix(k, "script") {
					for _, line := range val {
						if s, ok := line.(string); ok {
							out = append(out, ciSnippet{where, s})
						}
					}
					continue
				}
				out = append(out, shellOf(where, val)...)
			default:
				out = append(out, shellOf(where, val)...)
			}
		}
	case []any:
		for _, e := range v {
			out = append(out, shellOf(where, e)...)
		}
	}
	return out
}

// An updoc command line of the docs, parsed.
type ciCommand struct {
	where  string
	source string       // the whole statement, as printed
	stmt   *syntax.Stmt // the statement to run
	call   *syntax.Stmt // the updoc call in it
	// tolerant: `updoc ... || [ $? -eq 1 ]`, a report step that keeps its
	// report when the status reaches --fail-on but fails on invalid input.
	tolerant bool
}

// ciCommands parses every snippet and returns its statements that run updoc.
func ciCommands(t *testing.T) []ciCommand {
	t.Helper()
	var out []ciCommand
	perWhere := map[string]int{}
	for _, sn := range ciSnippets(t) {
		perWhere[sn.where] += 0
		f, err := syntax.NewParser().Parse(strings.NewReader(sn.shell), "")
		if err != nil {
			t.Fatalf("%s: %q does not parse as shell: %v", sn.where, sn.shell, err)
		}
		for _, st := range f.Stmts {
			cmd := ciCommand{where: sn.where, stmt: st, source: printNode(st)}
			switch c := st.Cmd.(type) {
			case *syntax.CallExpr:
				if isUpdoc(c) {
					cmd.call = st
				}
			case *syntax.BinaryCmd:
				if x, ok := c.X.Cmd.(*syntax.CallExpr); ok && isUpdoc(x) && c.Op == syntax.OrStmt &&
					printNode(c.Y) == "[ $? -eq 1 ]" {
					cmd.call, cmd.tolerant = c.X, true
				}
			}
			if cmd.call == nil {
				syntax.Walk(st, func(n syntax.Node) bool {
					if c, ok := n.(*syntax.CallExpr); ok && isUpdoc(c) {
						t.Errorf("%s: %q runs updoc in a form this test does not know: a plain command, or `updoc ... || [ $? -eq 1 ]`", sn.where, cmd.source)
					}
					return true
				})
				continue
			}
			out = append(out, cmd)
			perWhere[sn.where]++
		}
	}
	for where, n := range perWhere {
		if n == 0 {
			t.Errorf("%s runs no updoc command", where)
		}
	}
	return out
}

func isUpdoc(c *syntax.CallExpr) bool {
	return len(c.Args) > 0 && c.Args[0].Lit() == "updoc"
}

func printNode(n syntax.Node) string {
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, n); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return strings.TrimSpace(b.String())
}

// A loopback world for docs/ci.md's commands.
type ciScenario struct {
	name   string
	graph  string
	status string // what check finds: healthy, degraded, unhealthy; "" for invalid input
}

func ciScenarios(t *testing.T) []ciScenario {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(healthy.Close)
	deprecatedAt := time.Now().Add(-30 * 24 * time.Hour).Unix()
	deprecated := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Deprecation", "@"+strconv.FormatInt(deprecatedAt, 10))
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(deprecated.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := ln.Addr().String()
	ln.Close()

	head := "version: 1\ndefaults: {samples: 2, timeout: 2s, resolvers: [\"127.0.0.1:1\"]}\nupstreams:\n"
	return []ciScenario{
		{"healthy", head + "  api: {url: \"" + healthy.URL + "/health\"}\n", "healthy"},
		{"degraded", head + "  api: {url: \"" + deprecated.URL + "/v1\"}\n", "degraded"},
		{"unhealthy", head + "  api: {url: \"" + healthy.URL + "/health\", depends_on: [db]}\n  db: {url: \"tcp://" + refused + "\"}\n", "unhealthy"},
		{"invalid", head + "  api: {url: \"" + healthy.URL + "/health\", no_such_key: 1}\n", ""},
	}
}

// wantExit is the exit code docs/ci.md promises for an updoc command line in
// a scenario (SPEC §6): 2 for invalid input; for check, 1 when the status
// reaches --fail-on (default unhealthy); 0 otherwise.
func wantExit(args []string, sc ciScenario) int {
	switch {
	case sc.status == "":
		return 2
	case len(args) > 1 && args[1] == "validate":
		return 0
	case sc.status == "unhealthy":
		return 1
	case sc.status == "degraded" && slices.Contains(args, "degraded"):
		return 1
	}
	return 0
}

// Every updoc command line of docs/ci.md, run as the CI would run it (the
// whole shell statement, its redirections and `|| [ $? -eq 1 ]` included)
// against a loopback graph that is healthy, degraded, unhealthy and invalid:
// it exits as the page says, and the reports it writes are there.
func TestCIDocCommandsRun(t *testing.T) {
	cmds := ciCommands(t)
	if len(cmds) < 4 {
		t.Fatalf("%d updoc command lines in docs/ci.md, want the GitHub Actions and GitLab CI jobs'", len(cmds))
	}
	for _, sc := range ciScenarios(t) {
		for i, c := range cmds {
			t.Run(fmt.Sprintf("%s/%d", sc.name, i), func(t *testing.T) { runCICommand(t, c, sc) })
		}
	}
}

// exitStatus is the exit status of a command run by the interpreter: 0 for
// no error, the status for an interp.ExitStatus, and not ok for any other
// error (one that stopped the run).
func exitStatus(err error) (uint8, bool) {
	if err == nil {
		return 0, true
	}
	var es interp.ExitStatus
	if errors.As(err, &es) {
		return uint8(es), true
	}
	return 0, false
}

func runCICommand(t *testing.T, c ciCommand, sc ciScenario) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "updoc.yaml"), []byte(sc.graph), 0o600); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(dir, "step-summary.md")
	env := expand.ListEnviron("PATH="+os.Getenv("PATH"), "HOME="+dir, "GITHUB_STEP_SUMMARY="+summary, "NO_COLOR=1")
	cfg := &expand.Config{Env: env}
	args, err := expand.Fields(cfg, c.call.Cmd.(*syntax.CallExpr).Args...)
	if err != nil {
		t.Fatal(err)
	}
	want := wantExit(args, sc)

	updocExit := -1
	var stdout, stderr bytes.Buffer
	runner, err := interp.New(interp.Env(env), interp.Dir(dir), interp.StdIO(nil, &stdout, &stderr),
		interp.ExecHandlers(func(next interp.ExecHandlerFunc) interp.ExecHandlerFunc {
			return func(ctx context.Context, args []string) error {
				if args[0] != "updoc" {
					return fmt.Errorf("docs/ci.md's command line runs %q, not updoc", args[0])
				}
				err := next(ctx, append([]string{binary}, args[1:]...))
				if code, ok := exitStatus(err); ok {
					updocExit = int(code)
				}
				return err
			}
		}))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	runErr := runner.Run(ctx, c.stmt)
	stmtExit, isStatus := exitStatus(runErr)
	if runErr != nil && !isStatus {
		t.Fatalf("%s: %s: %v", c.where, c.source, runErr)
	}
	if updocExit != want {
		t.Fatalf("%s, %s graph: %s: updoc exited %d, want %d\nstdout:\n%s\nstderr:\n%s", c.where, sc.name, c.source, updocExit, want, stdout.String(), stderr.String())
	}
	switch {
	case c.tolerant && want <= 1 && stmtExit != 0:
		t.Errorf("%s, %s graph: %s exited %d: a report step must pass when updoc exits %d", c.where, sc.name, c.source, stmtExit, want)
	case c.tolerant && want > 1 && stmtExit == 0:
		t.Errorf("%s, %s graph: %s passed: a report step must fail on invalid input (updoc exit %d)", c.where, sc.name, c.source, want)
	case !c.tolerant && int(stmtExit) != want:
		t.Errorf("%s, %s graph: %s exited %d, want updoc's %d", c.where, sc.name, c.source, stmtExit, want)
	}
	if want == 2 {
		return
	}

	// What the command wrote: a file it redirects to, or standard output.
	out := stdout.Bytes()
	for _, r := range c.call.Redirs {
		if r.Op == syntax.RdrOut || r.Op == syntax.AppOut {
			name, err := expand.Literal(cfg, r.Word)
			if err != nil {
				t.Fatal(err)
			}
			if !filepath.IsAbs(name) {
				name = filepath.Join(dir, name)
			}
			if out, err = os.ReadFile(name); err != nil {
				t.Fatalf("%s: %s wrote no %s: %v", c.where, c.source, name, err)
			}
		}
	}
	format := ""
	for i, a := range args {
		if (a == "-o" || a == "--output") && i+1 < len(args) {
			format = args[i+1]
		}
	}
	quiet := slices.Contains(args, "-q") || slices.Contains(args, "--quiet") || args[1] == "validate"
	if quiet {
		if args[1] != "validate" && len(out) != 0 {
			t.Errorf("%s: %s printed %d bytes with -q", c.where, c.source, len(out))
		}
		return
	}
	if len(out) == 0 {
		t.Fatalf("%s, %s graph: %s wrote nothing", c.where, sc.name, c.source)
	}
	if sc.status == "unhealthy" && !bytes.Contains(out, []byte("db")) {
		t.Errorf("%s, unhealthy graph: %s does not name the down upstream db:\n%s", c.where, c.source, out)
	}
	switch format {
	case "junit":
		var suites struct {
			XMLName xml.Name
		}
		if err := xml.Unmarshal(out, &suites); err != nil {
			t.Errorf("%s: %s wrote no XML: %v\n%s", c.where, c.source, err, out)
		}
		// A test case fails when its upstream's status reaches --fail-on.
		if fails := bytes.Contains(out, []byte("<failure")); fails != (want == 1) {
			t.Errorf("%s, %s graph: %s: JUnit has a <failure> %v, want %v", c.where, sc.name, c.source, fails, want == 1)
		}
	case "github":
		wantAnnotation := map[string]string{"unhealthy": "::error", "degraded": "::warning"}[sc.status]
		if wantAnnotation != "" && !bytes.Contains(out, []byte(wantAnnotation)) {
			t.Errorf("%s, %s graph: %s printed no %s annotation:\n%s", c.where, sc.name, c.source, wantAnnotation, out)
		}
	case "markdown":
		if !bytes.Contains(out, []byte("|")) && !bytes.Contains(out, []byte("#")) {
			t.Errorf("%s: %s wrote no Markdown:\n%s", c.where, c.source, out)
		}
	}
}
