package report

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestWaterfallBar(t *testing.T) {
	w := Waterfall{TotalMS: 100}
	for _, tt := range []struct {
		p     Phase
		width int
		want  string
	}{
		{Phase{StartMS: 0, MS: 0.01}, 10, "▏"},            // too short for a cell: a thin bar
		{Phase{StartMS: 50, MS: 50}, 10, "     █████"},    // placed where it starts
		{Phase{StartMS: 100, MS: 0.01}, 10, "         ▏"}, // a thin bar at the end stays on the line
		{Phase{StartMS: 30, MS: 0}, 10, ""},               // 0ms: no bar
		{Phase{StartMS: 0, MS: 100}, 0, ""},               // no room
		{Phase{StartMS: 0, MS: 250}, 4, "████"},           // never past the line
	} {
		if got := w.Bar(tt.p, tt.width); got != tt.want {
			t.Errorf("Bar(%+v, %d) = %q, want %q", tt.p, tt.width, got, tt.want)
		}
	}
	if got := (Waterfall{}).Bar(Phase{MS: 1}, 10); got != "" {
		t.Errorf("Bar of a waterfall without total = %q", got)
	}
}

// TestWaterfallBarsMeet: each bar starts where the one before ended, so the
// bars of a target fill the line once, without a gap or an overlap (the
// TUI's own bars used to round each length apart and could do both).
func TestWaterfallBarsMeet(t *testing.T) {
	u := &Upstream{DNS: &DNS{}}
	tg := &Target{TLS: &TLS{}, HTTP: &HTTP{TimingsMS: Timings{DNS: 2.1, Connect: 1.1, TLS: 9.8, TTFB: 24.4, Transfer: 0.3, Total: 38}}}
	wf := TargetWaterfall(u, tg)
	for width := 10; width <= 60; width++ {
		filled := 0
		for _, p := range wf.Phases {
			bar := wf.Bar(p, width)
			lead := len(bar) - len(strings.TrimLeft(bar, " "))
			blocks := strings.Count(bar, "█")
			if blocks > 0 && lead != filled {
				t.Fatalf("width %d: %s starts at %d, the bars before end at %d", width, p.Name, lead, filled)
			}
			filled += blocks
		}
		if filled != width {
			t.Errorf("width %d: the bars fill %d cells", width, filled)
		}
	}
}

func TestTargetWaterfallPhases(t *testing.T) {
	named := &Upstream{DNS: &DNS{DurationMS: 0.9}}
	literal := &Upstream{}
	for _, tt := range []struct {
		name  string
		u     *Upstream
		t     *Target
		want  string
		total float64
	}{
		{"http exchange", named, &Target{TLS: &TLS{}, HTTP: &HTTP{TimingsMS: Timings{DNS: 1, Connect: 2, TLS: 3, TTFB: 4, Transfer: 5, Total: 20}}},
			"dns@0+1 connect@1+2 tls@3+3 ttfb@6+4 transfer@10+5", 20},
		{"no dns for an IP literal, no tls without TLS", literal, &Target{HTTP: &HTTP{TimingsMS: Timings{Connect: 2, TTFB: 4, Transfer: 1, Total: 7}}},
			"connect@0+2 ttfb@2+4 transfer@6+1", 7},
		{"refused: what the layers measured", named, &Target{TCP: &TCP{DurationMS: 0.2, Status: LFail}},
			"dns@0+0.9 connect@0.9+0.2", 1.1},
		{"the total is at least the sum", literal, &Target{HTTP: &HTTP{TimingsMS: Timings{Connect: 2, TTFB: 4, Total: 3}}},
			"connect@0+2 ttfb@2+4 transfer@6+0", 6},
		{"negative durations count 0", literal, &Target{HTTP: &HTTP{TimingsMS: Timings{Connect: -1, TTFB: 4, Total: 4}}},
			"connect@0+0 ttfb@0+4 transfer@4+0", 4},
		{"nothing measured", literal, &Target{}, "", 0},
	} {
		wf := TargetWaterfall(tt.u, tt.t)
		var got []string
		for _, p := range wf.Phases {
			got = append(got, p.Name+"@"+trimMS(p.StartMS)+"+"+trimMS(p.MS))
		}
		if strings.Join(got, " ") != tt.want || trimMS(wf.TotalMS) != trimMS(tt.total) {
			t.Errorf("%s: %q total %v, want %q total %v", tt.name, got, wf.TotalMS, tt.want, tt.total)
		}
	}
}

func TestWaterfallRows(t *testing.T) {
	wf := Waterfall{TotalMS: 4, Phases: []Phase{{Name: "connect", MS: 0.3}, {Name: "ttfb", StartMS: 0.3, MS: 3.7}}}
	for _, tt := range []struct{ lineWidth, indent, barWidth int }{
		{80, 2, 58}, {80, 4, 56}, {120, 4, 58}, {20, 2, 10},
	} {
		rows := wf.Rows(tt.lineWidth, tt.indent)
		if rows[0].Label != "connect    0.30ms" || rows[1].Label != "ttfb        3.7ms" {
			t.Errorf("labels %q %q", rows[0].Label, rows[1].Label)
		}
		if got := len([]rune(rows[1].Bar)); got != tt.barWidth {
			t.Errorf("line %d indent %d: the last bar ends at %d, want %d", tt.lineWidth, tt.indent, got, tt.barWidth)
		}
	}
}

// trimMS is ms rounded to the microsecond, without trailing zeros: "0.9".
func trimMS(ms float64) string {
	return strconv.FormatFloat(math.Round(ms*1000)/1000, 'f', -1, 64)
}
