package architecture

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/updoc/updoc/"

// allowed lists, for every package of the module, the packages of the
// module it may import (outside its tests). A package missing here fails
// the test: a new package states its place in the architecture. The rules
// (ARCHITECTURE.md, issue 8):
//   - leaves (internal/*, iostreams, version, lab/ca) import nothing of ours;
//   - catalog imports only leaves; graph only catalog and leaves;
//   - probe never imports diagnose, report, tui, cli or engine;
//   - diagnose never tui, cli or engine; report never probe, diagnose, tui,
//     cli, engine or graph;
//   - only engine imports probe and diagnose; tui never probe, diagnose or cli;
//   - serve (issue 14) adds scheduling and exposition over engine.Run: it
//     never imports probe, diagnose, tui or cli;
//   - only cmd/updoc (and the man page generator) import cli;
//   - bench/* (issue 11's benchmarks) is no part of the product: only
//     bench/synth, which makes probe results and diagnosis inputs for the
//     benchmarks without running a pipeline, imports probe and diagnose;
//     the harness runs the updoc binary, it imports nothing of pkg/.
var allowed = map[string][]string{
	"internal/architecture": {},
	"internal/release":      {},
	"internal/safefile":     {},
	"internal/suggest":      {},
	"internal/testserver":   {},
	"internal/textfmt":      {},
	"internal/textsafe":     {},
	"internal/hostile":      {"internal/testserver"},
	"pkg/iostreams":         {},
	"pkg/version":           {},
	"pkg/lab/ca":            {},
	// Test support only: starts the lab for the tests of other packages.
	"pkg/lab/labtest": {"pkg/lab"},

	"pkg/catalog": {"internal/textfmt"},
	"pkg/graph":   {"pkg/catalog", "internal/safefile", "internal/suggest", "internal/textfmt", "internal/textsafe"},
	"pkg/lab":     {"pkg/catalog", "pkg/lab/ca"},

	"pkg/probe":    {"pkg/graph", "pkg/catalog", "pkg/version", "internal/safefile", "internal/textfmt"},
	"pkg/diagnose": {"pkg/graph", "pkg/probe", "pkg/catalog", "pkg/report", "internal/suggest", "internal/textfmt"},
	"pkg/report":   {"pkg/catalog", "internal/textfmt", "internal/textsafe"},
	"pkg/engine":   {"pkg/graph", "pkg/probe", "pkg/diagnose", "pkg/report", "pkg/catalog", "pkg/version", "internal/textfmt", "internal/textsafe"},
	"pkg/tui":      {"pkg/engine", "pkg/report", "pkg/catalog", "internal/textfmt"},
	"pkg/serve":    {"pkg/engine", "pkg/graph", "pkg/report", "pkg/catalog", "pkg/version"},
	"pkg/cli": {"pkg/engine", "pkg/graph", "pkg/catalog", "pkg/report", "pkg/tui", "pkg/serve", "pkg/lab", "pkg/iostreams",
		"pkg/version", "internal/suggest", "internal/textfmt", "internal/textsafe"},

	"cmd/updoc":        {"pkg/cli", "pkg/iostreams"},
	"scripts/manpages": {"pkg/cli", "pkg/iostreams"},
	"scripts/soak":     {"pkg/lab"}, // runs the updoc binary against the lab

	// The JSON Schemas and their validator, for tests and editors: it
	// imports nothing of updoc's (its tests generate the schemas from
	// pkg/graph's and pkg/report's types) and no package imports it but
	// tests, so the validator is never linked into updoc.
	"schema": {},

	"bench/synth":           {"pkg/graph", "pkg/probe", "pkg/diagnose"},
	"bench/world":           {},
	"bench/floor":           {},
	"bench/harness":         {"bench/synth", "bench/world"},
	"bench/cmd/updoc-bench": {"bench/floor", "bench/harness"},
	// The memory benchmark serves internal/hostile's servers outside a test.
	"bench/cmd/updoc-memory": {"bench/harness", "internal/hostile", "internal/testserver"},
	// the start-up measurement of scripts/startup.sh: it writes its graph
	// with bench/synth and runs the updoc binary
	"bench/cmd/updoc-startup": {"bench/synth"},
}

type listedPackage struct {
	ImportPath string
	Imports    []string
}

// listPackages runs `go list -json` over the whole module.
func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"...")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; is the test run inside the module?", len(pkgs))
	}
	return pkgs
}

func TestImportsFollowTheArchitecture(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range listPackages(t) {
		name := strings.TrimPrefix(p.ImportPath, module)
		seen[name] = true
		allow, known := allowed[name]
		if !known {
			t.Errorf("package %s has no place in the architecture: add it to allowed in %s with what it may import", name, "internal/architecture/imports_test.go")
			continue
		}
		for _, imp := range p.Imports {
			dep, ours := strings.CutPrefix(imp, module)
			if !ours {
				continue
			}
			if !slices.Contains(allow, dep) {
				t.Errorf("%s imports %s, which ARCHITECTURE.md does not allow (it may import: %s)", name, dep, strings.Join(allow, ", "))
			}
		}
	}
	for name := range allowed {
		if !seen[name] {
			t.Errorf("allowed names %s, which is not a package of the module any more: remove it", name)
		}
	}
}

// TestRulesStateTheArchitecture checks the allow-lists against the rules
// as ARCHITECTURE.md words them, so that a list cannot drift from them.
func TestRulesStateTheArchitecture(t *testing.T) {
	never := map[string][]string{
		"pkg/graph":    {"pkg/probe", "pkg/diagnose", "pkg/report", "pkg/engine", "pkg/tui", "pkg/cli"},
		"pkg/catalog":  {"pkg/graph", "pkg/probe", "pkg/diagnose", "pkg/report", "pkg/engine", "pkg/tui", "pkg/cli"},
		"pkg/probe":    {"pkg/diagnose", "pkg/report", "pkg/tui", "pkg/cli", "pkg/engine"},
		"pkg/diagnose": {"pkg/tui", "pkg/cli", "pkg/engine"},
		"pkg/report":   {"pkg/probe", "pkg/diagnose", "pkg/tui", "pkg/cli", "pkg/engine"},
		"pkg/tui":      {"pkg/probe", "pkg/diagnose", "pkg/cli"},
		"pkg/engine":   {"pkg/tui", "pkg/cli"},
		"pkg/serve":    {"pkg/probe", "pkg/diagnose", "pkg/tui", "pkg/cli"},
	}
	for pkg, deps := range never {
		for _, d := range deps {
			if slices.Contains(allowed[pkg], d) {
				t.Errorf("allowed lets %s import %s, which the architecture forbids", pkg, d)
			}
		}
	}
	for pkg, deps := range allowed {
		for _, d := range deps {
			switch {
			case d == "pkg/cli" && pkg != "cmd/updoc" && pkg != "scripts/manpages":
				t.Errorf("allowed lets %s import cli; only cmd/updoc does", pkg)
			case (d == "pkg/probe" || d == "pkg/diagnose") && pkg != "pkg/engine" && pkg != "bench/synth" && !(pkg == "pkg/diagnose" && d == "pkg/probe"):
				t.Errorf("allowed lets %s import %s; only engine assembles the pipeline", pkg, d)
			case d == "schema":
				t.Errorf("allowed lets %s import schema; only tests do (the validator stays out of updoc)", pkg)
			case strings.HasPrefix(pkg, "internal/") && len(deps) > 0 && !(pkg == "internal/hostile" && d == "internal/testserver"):
				// internal/hostile serves tests only, on testserver's accept loop.
				t.Errorf("internal leaf %s may import nothing of ours", pkg)
			}
		}
	}
}
