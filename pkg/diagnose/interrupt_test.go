package diagnose_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/bench/synth"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/diagnose"
	"github.com/updoc/updoc/pkg/report"
)

// Diagnosis honours its context (issue 12, failure 5): cut short — before
// it starts or while it judges a chain whose every upstream is down, its
// slowest shape — it returns the context's error and a report where every
// upstream is unknown with run.interrupted (run.deadline_exceeded), never
// a root cause, instead of running on to the end.
func TestDiagnosisStopsWhenItsContextEnds(t *testing.T) {
	const n = 3000
	samples := 0
	g, err := synth.Load(synth.Defaults{Resolvers: []string{"127.0.0.1:5353"}, Samples: &samples},
		synth.Chain(n, synth.SharedHost("svc.bench.test", synth.Ports(20))))
	if err != nil {
		t.Fatal(err)
	}
	down := map[string]bool{}
	for i := range n {
		down[fmt.Sprintf("u%05d", i)] = true
	}
	in := synth.Input(g, down)
	if len(in.Results) != n {
		t.Fatalf("%d results", len(in.Results))
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Unix(1, 0))
	defer cancel2()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		code string
	}{
		{"interrupted", canceled, context.Canceled, catalog.RunInterrupted},
		{"deadline", expired, context.DeadlineExceeded, catalog.RunDeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := diagnose.Diagnose(tc.ctx, in)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if rep.Status != report.Unknown || len(rep.Upstreams) != n || len(rep.RootCauses) != 0 || rep.Summary.Unknown != n {
				t.Fatalf("status %s, %d upstreams, %d root causes, summary %+v", rep.Status, len(rep.Upstreams), len(rep.RootCauses), rep.Summary)
			}
			f := rep.Upstreams[0].Findings
			if len(f) != 1 || f[0].Code != tc.code || f[0].RootCause {
				t.Fatalf("findings %+v", f)
			}
			if want := "while the results were diagnosed: u00000 was probed but not judged"; !strings.Contains(f[0].Message, want) {
				t.Errorf("message %q, want it to say %q", f[0].Message, want)
			}
		})
	}

	// Cut while it runs: it stops, whichever phase it is in.
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := diagnose.Diagnose(ctx, in)
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	stop()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("diagnosis still running 30s after its context ended")
	}
}
