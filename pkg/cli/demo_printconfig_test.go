package cli

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab"
)

// `updoc demo --print-config > lab.yaml && updoc validate -f lab.yaml`
// works: the printed graph names no file of the lab, which is gone once the
// demo has exited.
// The environment is a login shell's: HOME is set (the orders upstream's
// header is ${HOME}).
func TestDemoPrintConfigValidatesOnItsOwn(t *testing.T) {
	pc := run(t, context.Background(), nil, "", "demo", "--print-config")
	if pc.code != 0 || pc.stderr != "" {
		t.Fatalf("demo --print-config: exit %d, stderr %q", pc.code, pc.stderr)
	}
	file := writeFile(t, "lab.yaml", pc.stdout)
	v := run(t, context.Background(), map[string]string{lab.HomeVar: "/home/sre"}, "", "validate", "-f", file)
	if v.code != 0 {
		t.Fatalf("validate of the printed lab graph: exit %d, stderr:\n%s\ngraph:\n%s", v.code, v.stderr, pc.stdout)
	}
	if !strings.Contains(v.stdout, "lab.yaml: valid") {
		t.Errorf("validate printed %q", v.stdout)
	}
	if !strings.Contains(pc.stdout, "run `updoc demo`") {
		t.Errorf("the printed graph does not say how to run it:\n%s", pc.stdout)
	}
}

// The printed graph shows the request keys in use (method, headers, body,
// expect), a policy and a ${VAR}, and the graph loader reads them back as
// written.
func TestDemoPrintConfigShowsTheRequestKeys(t *testing.T) {
	pc := run(t, context.Background(), nil, "", "demo", "--print-config")
	if pc.code != 0 {
		t.Fatalf("demo --print-config: exit %d, stderr %q", pc.code, pc.stderr)
	}
	for _, key := range []string{"\npolicy:\n  severity:\n", "\n    method: POST\n", "\n    headers:\n", "\n    body: ",
		"\n    expect:\n      status: [201]\n", "${" + lab.HomeVar + "}"} {
		if !strings.Contains(pc.stdout, key) {
			t.Errorf("the printed graph lacks %q", key)
		}
	}
	env := func(k string) (string, bool) { return "/home/sre", k == lab.HomeVar }
	g, err := graph.Load("lab.yaml", []byte(pc.stdout), env)
	if err != nil {
		t.Fatalf("the printed graph does not load: %v", err)
	}
	if g.Policy.Severity[catalog.APISunsetScheduled] != graph.PolicyIgnore {
		t.Errorf("policy: %+v", g.Policy)
	}
	var orders *graph.Upstream
	for _, u := range g.Upstreams {
		if u.Name == "orders" {
			orders = u
		}
	}
	if orders == nil {
		t.Fatal("no orders upstream")
	}
	home := slices.IndexFunc(orders.Headers, func(h graph.Header) bool {
		return h.Name == lab.HomeHeader && h.Value == "/home/sre" && h.Secret
	})
	if orders.Method != "POST" || home < 0 || orders.Body != `{"dry_run":true}` ||
		!slices.Equal(orders.Expect.Status, []graph.StatusRange{{Lo: 201, Hi: 201}}) || orders.Expect.BodyContains != `"accepted":true` {
		t.Errorf("orders as loaded: method %s, headers %+v, body %q, expect %+v", orders.Method, orders.Headers, orders.Body, orders.Expect)
	}
}

// --print-config prints YAML whatever -o says: another -o (or --tui) is
// exit 2 before the lab starts, not the YAML printed as if -o json were
// honoured (QA A19).
func TestDemoPrintConfigRefusesAnotherOutput(t *testing.T) {
	for _, args := range [][]string{{"-o", "json"}, {"--output", "junit"}, {"--tui"}} {
		r := run(t, context.Background(), nil, "", append([]string{"demo", "--print-config"}, args...)...)
		if r.code != ExitInvalid || r.stdout != "" || !strings.Contains(r.stderr, "--print-config prints the lab's graph file (YAML)") {
			t.Errorf("demo --print-config %v: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := run(t, context.Background(), nil, "", "demo", "--print-config", "-o", "table"); r.code != 0 {
		t.Errorf("demo --print-config -o table: exit %d, stderr %q", r.code, r.stderr)
	}
}
