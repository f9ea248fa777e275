package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

// TestFramesNeverOverflow renders every pane at many sizes: exactly h
// lines, none wider than w.
func TestFramesNeverOverflow(t *testing.T) {
	for _, w := range []int{1, 10, 20, 33, 40, 59, 60, 79, 80, 99, 100, 101, 150, 240} {
		for _, h := range []int{1, 3, 8, 9, 24, 60} {
			m := mixedModel(t, w, h)
			checkFrame(t, m.View(), w, h)
			press(m, "/")
			typeText(m, "e")
			checkFrame(t, m.View(), w, h)
			press(m, "enter", "?")
			checkFrame(t, m.View(), w, h)
			press(m, "?", "enter")
			checkFrame(t, m.View(), w, h)
			press(m, "pgdown")
			checkFrame(t, m.View(), w, h)
			m.startRound()
			sendEvents(m, 12, []string{"edge"}, 1)
			checkFrame(t, m.View(), w, h)
			if t.Failed() {
				t.Fatalf("at %dx%d", w, h)
			}
		}
	}
}

func TestColorRendersANSI(t *testing.T) {
	m := newModel(context.Background(), noRound, Options{Color: true, Title: "x"}, &strings.Builder{}, fixedClock)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	feed(t, m, mixedReport(1))
	v := m.View()
	if !strings.Contains(v, "\x1b[") {
		t.Fatal("no ANSI sequence with colour on")
	}
	for i, l := range strings.Split(v, "\n") {
		if n := textfmt.Width(l); n > 100 {
			t.Errorf("line %d is %d wide", i, n)
		}
	}
}

func TestBannerStates(t *testing.T) {
	m := newTestModel(t, 100, 24)
	if v := m.View(); !strings.Contains(v, "waiting for the first round") {
		t.Errorf("no waiting banner:\n%s", v)
	}
	healthy := bigReport(3)
	healthy.RootCauses = nil
	for i := range healthy.Upstreams {
		healthy.Upstreams[i].Status = report.Healthy
	}
	healthy.Status = report.Healthy
	feed(t, m, healthy)
	if v := m.View(); !strings.Contains(v, "ALL HEALTHY") || !strings.Contains(v, "3 upstreams, no root cause") {
		t.Errorf("no healthy banner:\n%s", v)
	}
	one := mixedReport(6)
	one.RootCauses = one.RootCauses[:2]
	feed(t, m, one)
	if v := m.View(); !strings.Contains(v, "+1 more root cause") || strings.Contains(v, "+1 more root causes") {
		t.Errorf("banner count:\n%s", v)
	}
	alone := mixedReport(6)
	alone.RootCauses = alone.RootCauses[2:]
	feed(t, m, alone)
	if v := m.View(); !strings.Contains(v, "dns.nxdomain on inventory · no upstream depends on it") {
		t.Errorf("banner without dependents:\n%s", v)
	}
}

// TestBannerSaysWhatTheRootCauseDoes: dependents are taken down, degraded
// or still healthy by their own status, not all "taken down".
func TestBannerSaysWhatTheRootCauseDoes(t *testing.T) {
	m := newTestModel(t, 240, 24)
	feed(t, m, mixedReport(1))
	v := m.View()
	want := "tcp.refused on users (10.0.0.7:8080) · takes down 1 upstream: edge; degrades 1: legacy-api; auth depends on it but is still healthy"
	if !strings.Contains(v, want) {
		t.Errorf("banner lacks %q:\n%s", want, v)
	}
	if strings.Contains(v, "takes down 3") {
		t.Errorf("banner takes down every dependent:\n%s", v)
	}
	r := mixedReport(1)
	r.RootCauses[0].Affects = []string{"auth"}
	feed(t, m, r)
	if v := m.View(); !strings.Contains(v, "· auth depends on it but is still healthy") || strings.Contains(v, "takes down") {
		t.Errorf("banner with a healthy dependent only:\n%s", v)
	}
	// Too long for the width: cut with "…".
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	feed(t, m, mixedReport(1))
	line := strings.Split(m.View(), "\n")[3]
	if textfmt.Width(line) > 100 || !strings.HasSuffix(line, "…") || !strings.Contains(line, "takes down 1 upstream: edge") {
		t.Errorf("banner at 100 columns: %q", line)
	}
}
