package tui

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/report"
)

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
