package engine

import (
	"context"
	"testing"
	"time"
)

// The diagnosis runs under the interrupt and the deadline, except one that
// already ended the probing: that one meant "judge what finished", so the
// diagnosis gets diagnosisGrace for it (issue 12, failure 5).
func TestDiagnosisContext(t *testing.T) {
	// An interrupt before the diagnosis: not cut by it, bounded by the grace.
	interrupted, cancel := context.WithCancel(context.Background())
	cancel()
	ctx, done := diagnosisContext(interrupted, time.Now().Add(time.Hour))
	if ctx.Err() != nil {
		t.Fatal("an interrupt that ended the probing cut the diagnosis too")
	}
	if dl, _ := ctx.Deadline(); time.Until(dl) > diagnosisGrace {
		t.Errorf("deadline in %s, want at most %s", time.Until(dl), diagnosisGrace)
	}
	done()

	// An interrupt during the diagnosis cuts it.
	live, cancel := context.WithCancel(context.Background())
	ctx, done = diagnosisContext(live, time.Now().Add(time.Hour))
	defer done()
	cancel()
	if ctx.Err() == nil {
		t.Error("an interrupt during the diagnosis did not cut it")
	}

	// A deadline already past still leaves the grace.
	ctx, done = diagnosisContext(context.Background(), time.Now().Add(-time.Minute))
	defer done()
	if ctx.Err() != nil {
		t.Error("a run deadline past at the end of probing left no time to diagnose")
	}
}
