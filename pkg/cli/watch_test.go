package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
)

func TestWatchInAPipe(t *testing.T) {
	addr := testserver.Hung(t)
	file := writeFile(t, "w.yaml", fmt.Sprintf("version: 1\ndefaults: {samples: 0}\nupstreams:\n  db: {url: \"tcp://%s\"}\n  gone: {url: \"tcp://127.0.0.1:1\", depends_on: [db]}\n", addr))

	lines := run(t, context.Background(), nil, "", "watch", "-f", file, "--interval", "50ms", "--count", "2")
	if lines.code != ExitUnhealthy {
		t.Fatalf("exit %d, want 1 (gone is refused): %s", lines.code, lines.stderr)
	}
	got := strings.Split(strings.TrimSuffix(lines.stdout, "\n"), "\n")
	if len(got) != 2 {
		t.Fatalf("want 2 summary lines, got %d:\n%s", len(got), lines.stdout)
	}
	for i, l := range got {
		for _, want := range []string{fmt.Sprintf("round %d unhealthy: 2 upstreams, 1 healthy, 0 degraded, 1 unhealthy", i+1), "root causes: tcp.refused on 127.0.0.1:1 — gone"} {
			if !strings.Contains(l, want) {
				t.Errorf("line %d lacks %q: %s", i+1, want, l)
			}
		}
	}

	js := run(t, context.Background(), nil, "", "watch", "-f", file, "--interval", "50ms", "--count", "2", "-o", "json")
	docs := strings.Split(strings.TrimSuffix(js.stdout, "\n"), "\n")
	if len(docs) != 2 {
		t.Fatalf("want 2 JSON lines, got %d:\n%s", len(docs), js.stdout)
	}
	for _, d := range docs {
		if r := decodeReport(t, d); r.Summary.Total != 2 {
			t.Errorf("report summary %+v", r.Summary)
		}
	}
}

// A watch line names each root-cause group once: 500 upstreams behind one
// dead address are "tcp.refused on 127.0.0.1:1 — 500 upstreams", not
// three of them and "+497 more".
func TestWatchLineGroupsRootCauses(t *testing.T) {
	file := writeFile(t, "dead.yaml", deadTargetGraph(500))
	r := run(t, context.Background(), nil, "", "watch", "-f", file, "--interval", "50ms", "--count", "1")
	if r.code != ExitUnhealthy {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	line := strings.TrimSuffix(r.stdout, "\n")
	if !strings.HasSuffix(line, "; root causes: tcp.refused on 127.0.0.1:1 — 500 upstreams") || strings.Contains(line, "svc") {
		t.Errorf("want the one group and no upstream names, got:\n%s", line)
	}
}

func TestWatchInterruptedEndsWith130(t *testing.T) {
	addr := testserver.Hung(t)
	file := writeFile(t, "w.yaml", fmt.Sprintf("version: 1\ndefaults: {samples: 0}\nupstreams:\n  db: {url: \"tcp://%s\"}\n", addr))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	ctx, stop := context.WithCancel(ctx)
	go func() { time.Sleep(200 * time.Millisecond); stop() }()
	r := run(t, ctx, nil, "", "watch", "-f", file, "--interval", "50ms")
	if r.code != ExitInterrupted {
		t.Fatalf("exit %d, want 130: %s", r.code, r.stderr)
	}
	if n := strings.Count(r.stdout, "\n"); n < 2 {
		t.Fatalf("want a line per round before the interrupt, got %d:\n%s", n, r.stdout)
	}
}
