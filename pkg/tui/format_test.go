package tui

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

func TestSparkline(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		in   []float64
		w    int
		want string
	}{
		{nil, 4, "    "},
		{[]float64{1, 2, 4, 8}, 4, "▁▂▄█"},
		{[]float64{0, 0}, 3, " ▁▁"},
		{[]float64{5, nan, 10}, 3, "▄ █"},
		{[]float64{1, 2, 3, 4, 5, 6}, 3, "▆▇█"},
		{[]float64{1}, 0, ""},
	}
	for _, c := range cases {
		if got := sparkline(c.in, c.w); got != c.want {
			t.Errorf("sparkline(%v, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

func TestFormatHelpers(t *testing.T) {
	for ms, want := range map[float64]string{0: "0ms", 0.42: "0.42ms", 3.14: "3.1ms", 42.4: "42ms", 1250: "1.25s", 12500: "12.5s", -1: "—"} {
		if got := fmtMS(ms); got != want {
			t.Errorf("fmtMS(%v) = %q, want %q", ms, got, want)
		}
	}
	if got := spread("left", "right", 12); got != "left   right" {
		t.Errorf("spread = %q", got)
	}
	if got := spread("a long left part", "right", 12); textfmt.Width(got) != 12 || !strings.HasSuffix(got, " right") {
		t.Errorf("spread truncating = %q", got)
	}
	// Evidence shows as report.EvidencePairs has it, as in the table.
	if got := report.EvidencePairs(map[string]any{"list": []any{"a", 1.5}, "text": "two words"}); !slices.Equal(got, []string{"list=a,1.5", `text="two words"`}) {
		t.Errorf("evidence = %q", got)
	}
}
