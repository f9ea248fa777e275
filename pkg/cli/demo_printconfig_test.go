package cli

import (
	"context"
	"strings"
	"testing"
)

// `updoc demo --print-config > lab.yaml && updoc validate -f lab.yaml`
// works: the printed graph names no file of the lab, which is gone once the
// demo has exited.
func TestDemoPrintConfigValidatesOnItsOwn(t *testing.T) {
	pc := run(t, context.Background(), nil, "", "demo", "--print-config")
	if pc.code != 0 || pc.stderr != "" {
		t.Fatalf("demo --print-config: exit %d, stderr %q", pc.code, pc.stderr)
	}
	file := writeFile(t, "lab.yaml", pc.stdout)
	v := run(t, context.Background(), nil, "", "validate", "-f", file)
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
