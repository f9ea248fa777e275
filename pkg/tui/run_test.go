package tui

import (
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/report"
)

// goroutines counts the live goroutines but os/signal's loop, which the
// first signal.Notify (bubbletea's signal handler) starts for good.
func goroutines() (int, string) {
	buf := make([]byte, 1<<20)
	all := string(buf[:runtime.Stack(buf, true)])
	n := 0
	for _, g := range strings.Split(all, "\n\n") {
		if !strings.Contains(g, "os/signal.loop") {
			n++
		}
	}
	return n, all
}

// settleGoroutines waits for the goroutine count to come back to base.
func settleGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		n, all := goroutines()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutine leak: %d > %d\n%s", n, base, all)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRunQuitsOnQAndRestores(t *testing.T) {
	base, _ := goroutines()
	rounds := make(chan struct{}, 8)
	round := func(ctx context.Context, observe engine.Observer) report.Report {
		observe(engine.Event{Kind: engine.UpstreamStarted, Upstream: "edge", Total: 1})
		observe(engine.Event{Kind: engine.UpstreamDone, Upstream: "edge", Done: 1, Total: 1})
		rounds <- struct{}{}
		return mixedReport(1)
	}
	pr, pw := io.Pipe()
	out := &testserver.SyncBuffer{}
	type result struct {
		rep *report.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := Run(context.Background(), pr, out, round, Options{Title: "t.yaml"})
		done <- result{res.Report, err}
	}()
	<-rounds
	time.Sleep(150 * time.Millisecond) // let the program take the report in
	if _, err := pw.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	var res result
	select {
	case res = <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("Run did not return after q")
	}
	if res.err != nil {
		t.Fatalf("Run: %v", res.err)
	}
	if res.rep == nil || len(res.rep.Upstreams) != 11 {
		t.Fatalf("Run returned report %v", res.rep)
	}
	o := out.String()
	for _, seq := range []string{"\x1b[?1049h", "\x1b[?1049l", "\x1b[?25h"} {
		if !strings.Contains(o, seq) {
			t.Errorf("output lacks %q (alt screen / cursor restore)", seq)
		}
	}
	if i, j := strings.LastIndex(o, "\x1b[?1049h"), strings.LastIndex(o, "\x1b[?1049l"); j < i {
		t.Error("alt screen entered again after it was left")
	}
	if !strings.Contains(o, "edge") {
		t.Error("the program never drew the report")
	}
	// After the alt screen is left, one summary line stays in the
	// scrollback.
	const summary = "updoc: UNHEALTHY — 11 upstreams; 3 root causes\n" // fitted to 80 columns
	if i := strings.LastIndex(o, "\x1b[?1049l"); i < 0 || !strings.HasSuffix(o, summary) || !strings.Contains(o[i:], summary) {
		t.Errorf("output does not end with the summary line %q after leaving the alt screen:\n%q", summary, o[max(len(o)-300, 0):])
	}
	// bubbletea's reader of a non-file input blocks in Read until the pipe
	// closes; that one is the caller's to end.
	pw.Close()
	settleGoroutines(t, base)
}

func TestRunQuitCancelsHungRound(t *testing.T) {
	base, _ := goroutines()
	started := make(chan struct{})
	var roundErr error
	round := func(ctx context.Context, observe engine.Observer) report.Report {
		close(started)
		<-ctx.Done()
		roundErr = ctx.Err()
		return report.Report{}
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	var rep *report.Report
	var cut bool
	go func() {
		res, err := Run(context.Background(), pr, io.Discard, round, Options{Interval: time.Second})
		rep, cut = res.Report, res.RoundCut
		done <- err
	}()
	<-started
	begin := time.Now()
	pw.Write([]byte{3}) // ctrl+c
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Run did not return after ctrl+c")
	}
	if d := time.Since(begin); d > time.Second {
		t.Errorf("quit took %v", d)
	}
	if !errors.Is(roundErr, context.Canceled) {
		t.Errorf("round context: %v, want canceled", roundErr)
	}
	if rep != nil || !cut {
		t.Errorf("report %v, round cut %v: want nil and true (no round finished)", rep, cut)
	}
	pw.Close()
	settleGoroutines(t, base)
}

func TestRunEndsWithContext(t *testing.T) {
	base, _ := goroutines()
	ctx, cancel := context.WithCancel(context.Background())
	calls := make(chan struct{}, 16)
	round := func(ctx context.Context, observe engine.Observer) report.Report {
		calls <- struct{}{}
		return mixedReport(1)
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	var rep *report.Report
	go func() {
		res, err := Run(ctx, pr, io.Discard, round, Options{Interval: 20 * time.Millisecond})
		rep = res.Report
		done <- err
	}()
	// The interval re-probes: wait for three rounds.
	for range 3 {
		select {
		case <-calls:
		case <-time.After(3 * time.Second):
			t.Fatal("interval rounds did not run")
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v, want context.Canceled", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Run did not return when ctx ended")
	}
	if rep == nil {
		t.Error("no last report")
	}
	pw.Close()
	settleGoroutines(t, base)
}

// runAsync starts Run on a fresh pipe and returns the writer end, the
// output and a channel with Run's error.
func runAsync(ctx context.Context, round Round, opts Options) (*io.PipeWriter, *testserver.SyncBuffer, <-chan error) {
	pr, pw := io.Pipe()
	out := &testserver.SyncBuffer{}
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, pr, out, round, opts)
		done <- err
	}()
	return pw, out, done
}

// checkRestored asserts that out ends with the alt screen left and the
// cursor shown.
func checkRestored(t *testing.T, out string) {
	t.Helper()
	enter, leave := strings.LastIndex(out, "\x1b[?1049h"), strings.LastIndex(out, "\x1b[?1049l")
	if enter < 0 || leave < enter {
		t.Errorf("alt screen not left (enter at %d, leave at %d)", enter, leave)
	}
	if !strings.Contains(out[max(enter, 0):], "\x1b[?25h") {
		t.Error("cursor not shown again")
	}
}

// TestRunEndsPromptlyWhenContextEnds cancels ctx at each point of the
// program's life: before it starts, during the first round, between
// rounds and while a later round runs.
func TestRunEndsPromptlyWhenContextEnds(t *testing.T) {
	base, _ := goroutines()
	for _, point := range []string{"before start", "first round", "between rounds", "later round"} {
		t.Run(point, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			started := make(chan int, 8)
			var mu sync.Mutex
			n := 0
			round := func(ctx context.Context, observe engine.Observer) report.Report {
				mu.Lock()
				n++
				k := n
				mu.Unlock()
				observe(engine.Event{Kind: engine.UpstreamStarted, Upstream: "edge", Total: 1})
				started <- k
				if point == "first round" || (point == "later round" && k > 1) {
					<-ctx.Done() // hangs until cancelled
				}
				return mixedReport(1)
			}
			opts := Options{Interval: time.Hour}
			if point == "later round" {
				opts.Interval = 5 * time.Millisecond
			}
			if point == "before start" {
				cancel()
			}
			pw, out, done := runAsync(ctx, round, opts)
			defer pw.Close()
			switch point {
			case "first round":
				<-started
			case "between rounds":
				<-started
				time.Sleep(50 * time.Millisecond) // the report is in, the next round an hour away
			case "later round":
				for k := range started {
					if k > 1 {
						break
					}
				}
			}
			begin := time.Now()
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Run: %v, want context.Canceled", err)
				}
			case <-time.After(time.Second):
				t.Fatal("Run did not return within 1s of ctx ending")
			}
			t.Logf("returned %v after cancel", time.Since(begin))
			if point != "before start" {
				checkRestored(t, out.String())
			}
		})
	}
	settleGoroutines(t, base)
}
