package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden/tui")

const goldenDir = "../../testdata/golden/tui"

// sizes are the terminal sizes every golden frame is rendered at.
var sizes = [][2]int{{80, 24}, {120, 40}}

// scenes build a model in a given state at w×h.
var scenes = []struct {
	name  string
	build func(t *testing.T, w, h int) *model
}{
	{"main", func(t *testing.T, w, h int) *model { return mixedModel(t, w, h) }},
	{"detail", func(t *testing.T, w, h int) *model {
		m := mixedModel(t, w, h)
		selectName(t, m, "edge")
		press(m, "enter")
		return m
	}},
	{"detail-scrolled", func(t *testing.T, w, h int) *model {
		m := mixedModel(t, w, h)
		selectName(t, m, "edge")
		press(m, "enter", "pgdown")
		return m
	}},
	{"detail-deprecated", func(t *testing.T, w, h int) *model {
		m := mixedModel(t, w, h)
		selectName(t, m, "legacy-api")
		press(m, "enter")
		return m
	}},
	{"filter", func(t *testing.T, w, h int) *model {
		m := mixedModel(t, w, h)
		press(m, "/")
		typeText(m, "tcp")
		return m
	}},
	{"filter-applied", func(t *testing.T, w, h int) *model {
		m := mixedModel(t, w, h)
		press(m, "/")
		typeText(m, "core")
		press(m, "enter", "down")
		return m
	}},
	{"progress", func(t *testing.T, w, h int) *model {
		m := mixedModel(t, w, h)
		m.startRound()
		sendEvents(m, 12, []string{"edge", "users", "orders", "db", "payments", "search"}, 4)
		m.Update(spinMsg{id: m.seq})
		m.Update(spinMsg{id: m.seq})
		return m
	}},
	{"first-round", func(t *testing.T, w, h int) *model {
		m := newTestModel(t, w, h)
		m.startRound()
		sendEvents(m, 11, []string{"edge", "users", "orders", "db", "payments"}, 2)
		return m
	}},
	{"help", func(t *testing.T, w, h int) *model {
		m := mixedModel(t, w, h)
		press(m, "?")
		return m
	}},
}

// sendEvents announces names, finishes the dns and tcp layers of each and
// then the first done of them, as probe.Run would.
func sendEvents(m *model, total int, names []string, done int) {
	for _, n := range names {
		m.Update(eventMsg{id: m.seq, ev: engine.Event{Kind: engine.UpstreamStarted, Upstream: n, Total: total}})
	}
	for _, n := range names {
		m.Update(eventMsg{id: m.seq, ev: engine.Event{Kind: engine.LayerDone, Upstream: n, Layer: "dns", Total: total}})
		m.Update(eventMsg{id: m.seq, ev: engine.Event{Kind: engine.LayerDone, Upstream: n, Target: "10.0.0.1:80", Layer: "tcp", Total: total}})
	}
	for i, n := range names[:done] {
		m.Update(eventMsg{id: m.seq, ev: engine.Event{Kind: engine.UpstreamDone, Upstream: n, Done: i + 1, Total: total}})
	}
}

// selectName moves the cursor to the top, then down to name.
func selectName(t *testing.T, m *model, name string) {
	t.Helper()
	press(m, "g")
	for range len(m.rows) {
		if m.sel == name {
			return
		}
		press(m, "down")
	}
	if m.sel != name {
		t.Fatalf("cannot select %s (at %s)", name, m.sel)
	}
}

func goldenPath(name string, w, h int) string {
	return filepath.Join(goldenDir, fmt.Sprintf("%s_%dx%d.txt", name, w, h))
}

func TestGoldenFrames(t *testing.T) {
	for _, sc := range scenes {
		for _, sz := range sizes {
			w, h := sz[0], sz[1]
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, w, h), func(t *testing.T) {
				frame := sc.build(t, w, h).View()
				checkFrame(t, frame, w, h)
				path := goldenPath(sc.name, w, h)
				if *update {
					if err := os.MkdirAll(goldenDir, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, []byte(frame+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./pkg/tui -update)", err)
				}
				if got := frame + "\n"; got != string(want) {
					t.Errorf("%s differs from the frame (run go test ./pkg/tui -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
				}
			})
		}
	}
}

// checkFrame asserts the invariants of every frame: exactly h lines, none
// wider than w, no escape sequence when colour is off.
func checkFrame(t *testing.T, frame string, w, h int) {
	t.Helper()
	for _, p := range frameProblems(frame, w, h) {
		t.Error(p)
	}
}

func frameProblems(frame string, w, h int) []string {
	var out []string
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		out = append(out, fmt.Sprintf("frame has %d lines, want %d", len(lines), h))
	}
	for i, l := range lines {
		if n := textfmt.Width(l); n > w {
			out = append(out, fmt.Sprintf("line %d is %d columns wide (> %d): %q", i+1, n, w, l))
		}
	}
	if strings.Contains(frame, "\x1b") {
		out = append(out, fmt.Sprintf("frame holds escape sequences with colour off: %q", frame))
	}
	return out
}
