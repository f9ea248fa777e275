package tui

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/report"
)

func TestCursorMovesAndClamps(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "g")
	if m.cursor != 0 || m.sel != "edge" {
		t.Fatalf("g: cursor %d sel %q, want 0 edge", m.cursor, m.sel)
	}
	press(m, "down", "j")
	if m.cursor != 2 || m.sel != "payments" {
		t.Errorf("after down j: cursor %d sel %q, want 2 payments", m.cursor, m.sel)
	}
	press(m, "k")
	if m.sel != "users" {
		t.Errorf("after k: sel %q, want users", m.sel)
	}
	press(m, "up", "up", "up")
	if m.cursor != 0 {
		t.Errorf("up past the top: cursor %d", m.cursor)
	}
	press(m, "G")
	if m.cursor != len(m.rows)-1 || m.sel != "billing" {
		t.Errorf("G: cursor %d sel %q", m.cursor, m.sel)
	}
	press(m, "down")
	if m.cursor != len(m.rows)-1 {
		t.Errorf("down past the end: cursor %d", m.cursor)
	}
	press(m, "g")
	if m.cursor != 0 {
		t.Errorf("g: cursor %d", m.cursor)
	}
}

func TestRowsSortedWorstFirst(t *testing.T) {
	m := mixedModel(t, 80, 24)
	last := 3
	for _, ix := range m.rows {
		r := report.StatusRank(m.rep.Upstreams[ix].Status)
		if r > last {
			t.Fatalf("rows not sorted worst first: %v", m.rows)
		}
		last = r
	}
}

func TestLongListKeepsCursorVisible(t *testing.T) {
	m := newTestModel(t, 100, 24)
	feed(t, m, bigReport(300))
	n := m.listRows()
	for i := range 150 {
		press(m, "down")
		if m.cursor < m.offset || m.cursor >= m.offset+n {
			t.Fatalf("step %d: cursor %d outside [%d,%d)", i, m.cursor, m.offset, m.offset+n)
		}
	}
	if !strings.Contains(m.View(), "▸") || !strings.Contains(m.View(), m.sel) {
		t.Errorf("selected row %s not on screen:\n%s", m.sel, m.View())
	}
	press(m, "pgdown")
	if m.cursor != 150+n {
		t.Errorf("pgdown: cursor %d, want %d", m.cursor, 150+n)
	}
	press(m, "pgup", "pgup")
	if m.cursor != 150-n {
		t.Errorf("pgup twice: cursor %d, want %d", m.cursor, 150-n)
	}
	// Shrinking the window keeps the cursor visible.
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 12})
	if n := m.listRows(); m.cursor < m.offset || m.cursor >= m.offset+n {
		t.Errorf("after resize: cursor %d outside [%d,%d)", m.cursor, m.offset, m.offset+n)
	}
}

func TestEnterOpensDetailAndEscGoesBack(t *testing.T) {
	m := mixedModel(t, 120, 40)
	selectName(t, m, "users")
	press(m, "enter")
	if m.view != detailView || m.detail != "users" {
		t.Fatalf("enter: view %v detail %q", m.view, m.detail)
	}
	v := m.View()
	for _, want := range []string{"tcp.refused", "10.0.0.7:8080 refused the connection", "1. Check that users is running", "LAYERS", "TARGETS"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	// j/k scroll the viewport, not the list.
	press(m, "j")
	if m.sel != "users" {
		t.Errorf("j in detail moved the list to %s", m.sel)
	}
	press(m, "esc")
	if m.view != mainView || m.sel != "users" {
		t.Errorf("esc: view %v sel %q", m.view, m.sel)
	}
}

func TestDetailScrolls(t *testing.T) {
	m := mixedModel(t, 80, 24)
	selectName(t, m, "edge")
	press(m, "enter")
	if !m.vp.AtTop() {
		t.Fatal("detail does not open at the top")
	}
	press(m, "down", "down", "down")
	if m.vp.YOffset != 3 {
		t.Errorf("YOffset %d after three downs, want 3", m.vp.YOffset)
	}
	press(m, "G", "pgdown", "pgdown", "pgdown", "pgdown")
	if !m.vp.AtBottom() {
		t.Errorf("not at the bottom after paging down")
	}
	if !strings.Contains(m.View(), "days left") {
		t.Errorf("bottom of the detail lacks the certificate:\n%s", m.View())
	}
}

func TestDetailFollowsNewReports(t *testing.T) {
	m := mixedModel(t, 120, 40)
	selectName(t, m, "search")
	press(m, "enter")
	if !strings.Contains(m.View(), "latency.slow") {
		t.Fatalf("detail of search lacks latency.slow:\n%s", m.View())
	}
	r := mixedReport(7)
	r.Upstream("search").Findings[0].Message = "p90 999ms is above max_latency 300ms"
	feed(t, m, r)
	if m.view != detailView || !strings.Contains(m.View(), "p90 999ms") {
		t.Errorf("detail not refreshed by the new report:\n%s", m.View())
	}
	// The upstream leaves the graph.
	r = mixedReport(7)
	r.Upstreams = r.Upstreams[:3]
	feed(t, m, r)
	if !strings.Contains(m.View(), "search is not in the latest report") {
		t.Errorf("missing upstream not explained:\n%s", m.View())
	}
}

func TestFilter(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "/")
	if !m.filtering {
		t.Fatal("/ does not open the filter")
	}
	typeText(m, "q") // q types, it does not quit
	if m.input.Value() != "q" {
		t.Fatalf("input %q, want q", m.input.Value())
	}
	press(m, "backspace")
	typeText(m, "TCP")
	if got := names(m); strings.Join(got, ",") != "users,orders" {
		t.Errorf("filter tcp (a code) while typing: %v", got)
	}
	press(m, "enter")
	if m.filtering || m.filter != "tcp" {
		t.Errorf("enter: filtering %v filter %q", m.filtering, m.filter)
	}
	if got := names(m); len(got) != 2 {
		t.Errorf("applied filter: %v", got)
	}
	press(m, "esc")
	if m.filter != "" || len(m.rows) != len(m.rep.Upstreams) {
		t.Errorf("esc does not clear: filter %q, %d rows", m.filter, len(m.rows))
	}

	// By tag, then esc while typing clears.
	press(m, "/")
	typeText(m, "storage")
	if got := names(m); strings.Join(got, ",") != "db" {
		t.Errorf("filter by tag: %v", got)
	}
	press(m, "esc")
	if m.filtering || m.filter != "" || len(m.rows) != len(m.rep.Upstreams) {
		t.Errorf("esc while typing: filtering %v filter %q rows %d", m.filtering, m.filter, len(m.rows))
	}

	// By name, no match.
	press(m, "/")
	typeText(m, "nope")
	press(m, "enter")
	if len(m.rows) != 0 || !strings.Contains(m.View(), `no upstream matches "nope"`) {
		t.Errorf("no match not shown:\n%s", m.View())
	}
	press(m, "enter", "down", "up") // nothing to open or move: no panic
	if m.view != mainView {
		t.Error("enter on an empty list opened a detail pane")
	}
}

func TestFilterSurvivesRounds(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "/")
	typeText(m, "core")
	press(m, "enter", "down")
	feed(t, m, mixedReport(7))
	if m.filter != "core" || strings.Join(names(m), ",") != "users,payments" || m.sel != "payments" {
		t.Errorf("after a round: filter %q rows %v sel %q", m.filter, names(m), m.sel)
	}
}

func names(m *model) []string {
	var out []string
	for _, ix := range m.rows {
		out = append(out, m.rep.Upstreams[ix].Name)
	}
	return out
}

func TestHelpToggles(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "?")
	if !m.showHelp || !strings.Contains(m.View(), "KEYS") {
		t.Fatal("? does not show the help")
	}
	press(m, "?")
	if m.showHelp {
		t.Fatal("? does not hide the help")
	}
	press(m, "?", "esc")
	if m.showHelp {
		t.Fatal("esc does not hide the help")
	}
}

func TestReprobeIgnoredWhileRunning(t *testing.T) {
	m := mixedModel(t, 80, 24)
	seq := m.seq
	if cmd := press(m, "r"); cmd == nil || !m.running || m.seq != seq+1 {
		t.Fatalf("r when idle: cmd %v running %v seq %d", cmd != nil, m.running, m.seq)
	}
	if cmd := press(m, "r"); cmd != nil || m.seq != seq+1 {
		t.Errorf("r while running started another round (seq %d)", m.seq)
	}
	// An interval tick while running does nothing either.
	if _, cmd := m.Update(tickMsg{gen: m.tickGen}); cmd != nil || m.seq != seq+1 {
		t.Errorf("tick while running started a round")
	}
}

func TestIntervalTicks(t *testing.T) {
	m := mixedModel(t, 80, 24)
	gen := m.tickGen
	if _, cmd := m.Update(tickMsg{gen: gen - 1}); cmd != nil || m.running {
		t.Error("a stale tick started a round")
	}
	if _, cmd := m.Update(tickMsg{gen: gen}); cmd == nil || !m.running {
		t.Error("the current tick did not start a round")
	}
	// Without an interval, finishing a round schedules nothing.
	m2 := newModel(context.Background(), noRound, Options{}, nil, fixedClock)
	m2.startRound()
	if _, cmd := m2.Update(roundDoneMsg{id: m2.seq, rep: mixedReport(1)}); cmd != nil {
		t.Error("a round without interval scheduled a tick")
	}
	if !strings.Contains(m2.View(), "r re-probes") {
		t.Errorf("no re-probe hint without interval:\n%s", m2.View())
	}
}

func TestEventsFeedProgress(t *testing.T) {
	m := mixedModel(t, 120, 40)
	m.startRound()
	if m.prog.total != 12 {
		t.Errorf("total before events %d, want the last report's 12", m.prog.total)
	}
	sendEvents(m, 40, []string{"a", "b", "c"}, 2)
	if m.prog.total != 40 || m.prog.done != 2 || m.prog.started != 3 || m.prog.layers != 6 {
		t.Errorf("progress %+v", m.prog)
	}
	if v := m.View(); !strings.Contains(v, "probing 2/40…") {
		t.Errorf("progress not shown:\n%s", v)
	}
	// Events of another round are ignored.
	m.Update(eventMsg{id: m.seq - 1, ev: engine.Event{Kind: engine.UpstreamDone, Upstream: "x", Done: 39, Total: 40}})
	if m.prog.done != 2 {
		t.Errorf("stale event counted: %+v", m.prog)
	}
	// The spinner turns only while the round runs.
	f := m.spin
	if _, cmd := m.Update(spinMsg{id: m.seq}); cmd == nil || m.spin != f+1 {
		t.Error("spinner does not advance")
	}
	m.Update(roundDoneMsg{id: m.seq, rep: mixedReport(7)})
	if _, cmd := m.Update(spinMsg{id: m.seq}); cmd != nil {
		t.Error("spinner still ticking after the round")
	}
	if strings.Contains(m.View(), "probing") {
		t.Error("progress still shown after the round")
	}
}

func TestEventMsgRearmsWait(t *testing.T) {
	m := mixedModel(t, 80, 24)
	m.startRound()
	ch := make(chan tea.Msg, 1)
	ch <- eventMsg{id: m.seq, ev: engine.Event{Kind: engine.UpstreamStarted, Upstream: "z"}, ch: ch}
	_, cmd := m.Update(eventMsg{id: m.seq, ev: engine.Event{Kind: engine.UpstreamStarted, Upstream: "y"}, ch: ch})
	if cmd == nil {
		t.Fatal("no waitForEvent after an event")
	}
	if msg, ok := cmd().(eventMsg); !ok || msg.ev.Upstream != "z" {
		t.Errorf("waitForEvent returned %#v", msg)
	}
	close(ch)
	if msg := waitForEvent(ch)(); msg != nil {
		t.Errorf("closed channel gave %#v", msg)
	}
}

func TestStaleOrCancelledRoundIgnored(t *testing.T) {
	m := mixedModel(t, 80, 24)
	completed := m.completed
	m.startRound()
	m.Update(roundDoneMsg{id: m.seq - 1, rep: bigReport(3)})
	if !m.running || m.completed != completed {
		t.Error("a stale round's report was taken")
	}
	m.Update(roundDoneMsg{id: m.seq, rep: bigReport(3), cancelled: true})
	if m.running || m.completed != completed || len(m.rep.Upstreams) != 12 {
		t.Error("a cancelled round's report was taken")
	}
}

func TestChangeMarkersAndHistory(t *testing.T) {
	m := mixedModel(t, 80, 24)
	want := map[string]change{"search": worse, "cache": better, "billing": added}
	for name, c := range want {
		if m.changes[name] != c {
			t.Errorf("%s: change %v, want %v", name, m.changes[name], c)
		}
	}
	if m.changes["edge"] != unchanged {
		t.Errorf("edge marked %v", m.changes["edge"])
	}
	for range 30 {
		feed(t, m, mixedReport(7))
	}
	if len(m.changes) != 0 {
		t.Errorf("markers left after identical rounds: %v", m.changes)
	}
	if n := len(m.history["edge"]); n != historyLen {
		t.Errorf("history of edge has %d values, want %d", n, historyLen)
	}
	if !math.IsNaN(m.history["users"][0]) {
		t.Errorf("users has no latency, history %v", m.history["users"])
	}
	// An upstream that left the report loses its history.
	r := mixedReport(7)
	r.Upstreams = r.Upstreams[:1]
	feed(t, m, r)
	if _, ok := m.history["users"]; ok {
		t.Error("history of a removed upstream kept")
	}
}

func TestSelectionFollowsNameAcrossRounds(t *testing.T) {
	m := mixedModel(t, 80, 24)
	selectName(t, m, "cache")
	// cache turns unhealthy again: it moves up, the cursor follows it.
	feed(t, m, mixedReport(1))
	if m.sel != "cache" || m.rep.Upstreams[m.rows[m.cursor]].Name != "cache" {
		t.Errorf("cursor on %q, sel %q", m.rep.Upstreams[m.rows[m.cursor]].Name, m.sel)
	}
}

func TestQuitCancelsRunningRound(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			started := make(chan struct{})
			round := func(ctx context.Context, observe engine.Observer) report.Report {
				observe(engine.Event{Kind: engine.UpstreamStarted, Upstream: "hung", Total: 1})
				close(started)
				<-ctx.Done()
				return report.Report{}
			}
			m := newModel(context.Background(), round, Options{}, nil, fixedClock)
			cmd := m.Init()
			msgs := make(chan tea.Msg, 16)
			go runCmd(cmd, msgs)
			<-started
			if k == "ctrl+c" {
				press(m, "/") // ctrl+c quits even while typing a filter
			}
			quit := press(m, k)
			if quit == nil {
				t.Fatal("no command")
			}
			if _, ok := quit().(tea.QuitMsg); !ok {
				t.Fatal("not tea.Quit")
			}
			timeout := time.After(2 * time.Second)
			for {
				select {
				case msg := <-msgs:
					if done, ok := msg.(roundDoneMsg); ok {
						if !done.cancelled {
							t.Error("round not reported as cancelled")
						}
						return
					}
				case <-timeout:
					t.Fatal("the round was not cancelled")
				}
			}
		})
	}
}

// runCmd runs cmd like bubbletea does, batches concurrently, sending every
// message to out.
func runCmd(cmd tea.Cmd, out chan<- tea.Msg) {
	if cmd == nil {
		return
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			go runCmd(c, out)
		}
		return
	}
	if msg != nil {
		out <- msg
	}
}

func TestRunRoundForwardsEventsInOrder(t *testing.T) {
	round := func(ctx context.Context, observe engine.Observer) report.Report {
		for i := range 500 {
			observe(engine.Event{Kind: engine.UpstreamDone, Upstream: fmt.Sprint(i), Done: i + 1, Total: 500})
		}
		return mixedReport(1)
	}
	m := newModel(context.Background(), round, Options{}, nil, fixedClock)
	cmd := m.Init()
	msgs := make(chan tea.Msg, 1024)
	go runCmd(cmd, msgs)
	// Drive the model as the program would: events re-arm waitForEvent.
	timeout := time.After(5 * time.Second)
	for m.completed == 0 {
		select {
		case msg := <-msgs:
			_, next := m.Update(msg)
			if _, isSpin := msg.(spinMsg); !isSpin {
				go runCmd(next, msgs)
			}
		case <-timeout:
			t.Fatal("round did not complete")
		}
	}
	if m.completed != 1 || len(m.rep.Upstreams) != 11 {
		t.Errorf("completed %d, %d upstreams", m.completed, len(m.rep.Upstreams))
	}
}

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

// TestFilterInputEditing: the filter field edits like a shell line, drops
// control characters and stops at its limit.
func TestFilterInputEditing(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "/")
	for _, k := range []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune("hello world")},
		{Type: tea.KeyCtrlW},
		{Type: tea.KeyRunes, Runes: []rune("there")},
		{Type: tea.KeyHome},
		{Type: tea.KeyDelete},
		{Type: tea.KeyRunes, Runes: []rune("H")},
		{Type: tea.KeyEnd},
		{Type: tea.KeyLeft},
		{Type: tea.KeyBackspace},
		{Type: tea.KeySpace, Runes: []rune(" ")}, // as bubbletea sends it
	} {
		m.Update(k)
	}
	if got := m.input.Value(); got != "Hello the e" {
		t.Errorf("value %q", got)
	}
	if m.filter != "hello the e" {
		t.Errorf("filter %q follows the field lower-cased", m.filter)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	if m.input.Value() != "e" {
		t.Errorf("ctrl+u left %q", m.input.Value())
	}
	m.input.CharLimit = 3
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("abcdef\x1b")})
	if m.input.Value() != "abe" {
		t.Errorf("limit: %q", m.input.Value())
	}
	m.input.CharLimit = filterLimit
	m.Update(tea.KeyMsg{Type: tea.KeyEnd})
	m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a\x1b[31mb\tc")})
	if m.input.Value() != "a[31mb c" {
		t.Errorf("control characters kept or tab not a space: %q", m.input.Value())
	}
	// ctrl+v does not read the system clipboard: it does nothing.
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlV}); cmd != nil || m.input.Value() != "a[31mb c" {
		t.Errorf("ctrl+v: cmd %v value %q", cmd != nil, m.input.Value())
	}
}

// TestFilterFieldView: "/" and the text with a block cursor, or the
// placeholder when the field is empty.
func TestFilterFieldView(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "/")
	if got := m.input.View(); got != "/name, tag or code" {
		t.Errorf("empty field = %q", got)
	}
	typeText(m, "tcp")
	if got := m.input.View(); got != "/tcp " {
		t.Errorf("field = %q", got)
	}
	if bar := m.filterBar(); !strings.HasPrefix(bar, " /tcp ") || !strings.Contains(bar, "2 of 12") {
		t.Errorf("filter bar = %q", bar)
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

// TestKeysThatArriveTogether: one read of "jjj" (tmux send-keys j j j, a
// fast typist, key repeat) is one KeyMsg with three runes; outside the
// filter it is three keys.
func TestKeysThatArriveTogether(t *testing.T) {
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	m := mixedModel(t, 80, 24)
	press(m, "g")
	m.Update(runes("jjj"))
	if m.cursor != 3 || m.sel != "inventory" {
		t.Errorf(`"jjj": cursor %d sel %q, want 3 inventory`, m.cursor, m.sel)
	}
	m.Update(runes("kk"))
	if m.cursor != 1 {
		t.Errorf(`"kk": cursor %d, want 1`, m.cursor)
	}
	_, cmd := m.Update(runes("jq"))
	if m.cursor != 2 {
		t.Errorf(`"jq": cursor %d, want 2`, m.cursor)
	}
	if cmd == nil {
		t.Fatal(`"jq": no command`)
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error(`"jq" did not quit`)
	}

	// Keys after q are dropped; a key that opens the filter makes the rest
	// its text; inside the filter, runes are text.
	m = mixedModel(t, 80, 24)
	press(m, "g")
	m.Update(runes("qj"))
	if m.cursor != 0 {
		t.Errorf(`"qj" moved after quitting: cursor %d`, m.cursor)
	}
	m = mixedModel(t, 80, 24)
	press(m, "g")
	m.Update(runes("j/co"))
	if m.cursor != 0 || !m.filtering || m.input.Value() != "co" {
		t.Errorf(`"j/co": cursor %d filtering %v input %q`, m.cursor, m.filtering, m.input.Value())
	}
	m.Update(runes("jjk"))
	if m.input.Value() != "cojjk" {
		t.Errorf("runes in the filter: input %q, want cojjk", m.input.Value())
	}

	// A bracketed paste is text, not keys.
	m = mixedModel(t, 80, 24)
	press(m, "g")
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjq"), Paste: true})
	if m.cursor != 0 || m.quitting {
		t.Errorf("a paste acted as keys: cursor %d quitting %v", m.cursor, m.quitting)
	}

	// In the detail pane they scroll.
	m = mixedModel(t, 80, 24)
	selectName(t, m, "edge")
	press(m, "enter")
	m.Update(runes("jjj"))
	if m.vp.YOffset != 3 {
		t.Errorf(`"jjj" in the detail pane: YOffset %d, want 3`, m.vp.YOffset)
	}
}

func TestFirstReportSelectsRootCause(t *testing.T) {
	m := newTestModel(t, 80, 24)
	feed(t, m, mixedReport(1))
	if m.sel != "users" || names(m)[m.cursor] != "users" {
		t.Fatalf("after the first round: cursor on %q (sel %q), want users (the first root cause)", names(m)[m.cursor], m.sel)
	}
	// Later rounds follow the selection, not the root cause.
	press(m, "G")
	want := m.sel
	r := mixedReport(2)
	r.RootCauses = r.RootCauses[1:]
	feed(t, m, r)
	if m.sel != want {
		t.Errorf("second round moved the cursor to %q, want %q", m.sel, want)
	}

	// A root cause that is not in the list, or none: the first row.
	for _, rcs := range [][]report.RootCause{nil, {{Upstream: "not-in-the-list", Code: "tcp.refused"}}} {
		m := newTestModel(t, 80, 24)
		r := mixedReport(1)
		r.RootCauses = rcs
		feed(t, m, r)
		if m.cursor != 0 || m.sel != "edge" {
			t.Errorf("root causes %v: cursor %d sel %q, want 0 edge", rcs, m.cursor, m.sel)
		}
	}
	// The filter typed before the first report hides the root cause.
	m = newTestModel(t, 80, 24)
	press(m, "/")
	typeText(m, "storage")
	press(m, "enter")
	feed(t, m, mixedReport(1))
	if m.sel != "db" || m.cursor != 0 {
		t.Errorf("filtered: cursor %d sel %q, want 0 db", m.cursor, m.sel)
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

// TestPendingRowsSayProbing: a row waiting on a layer says "probing", not
// the name of the last layer that finished ("tcp…" while http runs).
func TestPendingRowsSayProbing(t *testing.T) {
	for _, w := range []int{80, 120} {
		m := newTestModel(t, w, 24)
		m.startRound()
		sendEvents(m, 3, []string{"edge", "users"}, 1)
		m.Update(eventMsg{id: m.seq, ev: engine.Event{Kind: engine.LayerDone, Upstream: "users", Target: "10.0.0.7:443", Layer: "tls", Total: 3}})
		v := m.View()
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "users") {
				if strings.Contains(l, "tls…") || strings.Contains(l, "tcp…") || !strings.Contains(l, "probing") {
					t.Errorf("at %d columns, pending row %q", w, l)
				}
			}
			if strings.Contains(l, "edge") && strings.Contains(l, "probing") {
				t.Errorf("at %d columns, finished row %q still probing", w, l)
			}
		}
	}
}
