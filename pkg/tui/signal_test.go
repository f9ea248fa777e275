//go:build unix

package tui

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/report"
)

// TestRunEndsPromptlyOnOutsideSIGINT sends the process a real SIGINT while
// Run runs under a signal.NotifyContext, as cmd/updoc does, at random
// moments (first round, between rounds, during a round). Run must return
// within 1s each time and leave no goroutine behind. With bubbletea's own
// SIGINT handler installed, its goroutine raced the ctx and, when the event
// loop had already stopped, blocked sending InterruptMsg: Run never returned.
func TestRunEndsPromptlyOnOutsideSIGINT(t *testing.T) {
	base, _ := goroutines()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		work := time.Duration(rng.IntN(20)) * time.Millisecond
		round := func(ctx context.Context, observe engine.Observer) report.Report {
			observe(engine.Event{Kind: engine.UpstreamStarted, Upstream: "edge", Total: 1})
			select {
			case <-time.After(work):
			case <-ctx.Done():
			}
			observe(engine.Event{Kind: engine.UpstreamDone, Upstream: "edge", Done: 1, Total: 1})
			return mixedReport(1)
		}
		pw, out, done := runAsync(ctx, round, Options{Interval: time.Duration(1+rng.IntN(15)) * time.Millisecond})
		time.Sleep(time.Duration(rng.IntN(60)) * time.Millisecond)
		if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		begin := time.Now()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("iteration %d: Run: %v, want context.Canceled", i, err)
			}
		case <-time.After(time.Second):
			t.Fatalf("iteration %d: Run did not return within 1s of SIGINT (work %v)", i, work)
		}
		if d := time.Since(begin); d > 500*time.Millisecond {
			t.Logf("iteration %d: Run took %v", i, d)
		}
		<-ctx.Done() // the signal was taken before the handler goes
		stop()
		checkRestored(t, out.String())
		pw.Close()
	}
	settleGoroutines(t, base)
}
