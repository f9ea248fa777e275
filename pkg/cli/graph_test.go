package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/cli -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./pkg/cli -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

var fullGraphEnv = map[string]string{"USERS_TOKEN": "t0ken", "PROBE_ID": "p1", "BASIC_PASS": "s3cret"}

func TestGraphFormatsGolden(t *testing.T) {
	for _, format := range graphFormats {
		t.Run(format, func(t *testing.T) {
			r := run(t, context.Background(), fullGraphEnv, "", "graph", "-f", "../../testdata/graphs/valid-full.yaml", "--format", format)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			golden(t, "graph-"+format+".txt", []byte(r.stdout))
		})
	}
}

// TestGraphCheck probes a small graph whose statuses do not depend on ports:
// an upstream on a closed port takes down the two that depend on it.
func TestGraphCheck(t *testing.T) {
	addr := testserver.Hung(t)
	file := writeFile(t, "g.yaml", fmt.Sprintf(`version: 1
defaults: {samples: 0, timeout: 2s}
upstreams:
  edge: {url: "tcp://%[1]s", depends_on: [api]}
  api: {url: "tcp://%[1]s", depends_on: [db]}
  db: {url: "tcp://127.0.0.1:1"}
  cache: {url: "tcp://%[1]s"}
`, addr))
	for _, format := range graphFormats {
		t.Run(format, func(t *testing.T) {
			r := run(t, context.Background(), nil, "", "graph", "-f", file, "--check", "--format", format)
			if r.code != ExitUnhealthy {
				t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
			}
			golden(t, "graph-check-"+format+".txt", []byte(r.stdout))
		})
	}
}

func TestGraphDOTRendersWithGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("graphviz (dot) is missing in CI: .ci/run should have installed it")
		}
		t.Skip("graphviz not installed (apt-get install graphviz); .ci/run installs it")
	}
	r := run(t, context.Background(), fullGraphEnv, "", "graph", "-f", "../../testdata/graphs/valid-full.yaml", "--format", "dot")
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = strings.NewReader(r.stdout)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -Tsvg rejected the output: %v\n%s", err, stderr.String())
	}
	if !bytes.Contains(out, []byte("<svg")) {
		t.Fatal("dot produced no SVG")
	}
}

func TestGraphMermaidParses(t *testing.T) {
	checker, err := filepath.Abs("../../scripts/mermaid-check")
	if err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	_, modErr := os.Stat(filepath.Join(checker, "node_modules", "mermaid"))
	if err != nil || modErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node or scripts/mermaid-check/node_modules is missing in CI: .ci/run should have run npm ci there")
		}
		t.Skip("needs node and `npm ci` in scripts/mermaid-check (.ci/run does it)")
	}
	for _, args := range [][]string{
		{"graph", "-f", "../../testdata/graphs/valid-full.yaml", "--format", "mermaid"},
	} {
		r := run(t, context.Background(), fullGraphEnv, "", args...)
		for _, text := range []string{r.stdout, goldenText(t, "graph-check-mermaid.txt")} {
			cmd := exec.Command(node, filepath.Join(checker, "check.mjs"))
			cmd.Dir = checker
			cmd.Stdin = strings.NewReader(text)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("mermaid could not parse:\n%s\n%s", text, out)
			}
		}
	}
}

func goldenText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGraphCheckTreeColour(t *testing.T) {
	file := writeFile(t, "c.yaml", "version: 1\ndefaults: {samples: 0}\nupstreams:\n  db: {url: \"tcp://127.0.0.1:1\"}\n")
	r := run(t, context.Background(), nil, "", "graph", "-f", file, "--check", "--color", "always")
	if want := "db [\x1b[31munhealthy\x1b[0m: tcp.refused]\n\nroot causes (1):\n  ✗ tcp.refused on 127.0.0.1:1 — db\n"; r.stdout != want {
		t.Fatalf("tree %q, want %q", r.stdout, want)
	}
	r = run(t, context.Background(), nil, "", "graph", "-f", file, "--check", "--color", "always", "--format", "dot")
	if strings.Contains(r.stdout, "\x1b") {
		t.Fatal("escape codes in DOT output")
	}
}

// TestGraphCheckGroupsOneFault: upstreams behind one dead address are one
// root-cause line under the tree, and none of them is "taken down" by
// another.
func TestGraphCheckGroupsOneFault(t *testing.T) {
	file := writeFile(t, "g.yaml", `version: 1
defaults: {samples: 0, timeout: 2s}
upstreams:
  edge: {url: "tcp://127.0.0.1:1", depends_on: [svc0, svc1, svc2, svc3]}
  svc0: {url: "tcp://127.0.0.1:1"}
  svc1: {url: "tcp://127.0.0.1:1"}
  svc2: {url: "tcp://127.0.0.1:1"}
  svc3: {url: "tcp://127.0.0.1:1"}
`)
	r := run(t, context.Background(), nil, "", "graph", "-f", file, "--check")
	if r.code != ExitUnhealthy {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	want := "\nroot causes (1):\n  ✗ tcp.refused on 127.0.0.1:1 — 5 upstreams (svc0, svc1, … +3)\n"
	if !strings.HasSuffix(r.stdout, want) {
		t.Errorf("graph --check does not end with the grouped root cause %q:\n%s", want, r.stdout)
	}
}
