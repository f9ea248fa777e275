package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// stopAfter is a context whose Err turns to context.Canceled after its
// first n calls, and which counts the calls made after that: the loader's
// loops must notice within a few of them.
type stopAfter struct {
	context.Context
	n     int64
	calls atomic.Int64
}

func (c *stopAfter) Err() error {
	if c.calls.Add(1) > c.n {
		return context.Canceled
	}
	return nil
}

func (c *stopAfter) late() int64 { return c.calls.Load() - c.n }

// bigGraph is n upstreams, each depending on the next (the last on the
// first when cycle is set: then the cycle is the file's one error).
func bigGraph(n int, cycle bool) string {
	var b strings.Builder
	b.WriteString("version: 1\nupstreams:\n")
	for i := range n {
		dep := fmt.Sprintf("[u%d]", (i+1)%n)
		if i == n-1 && !cycle {
			dep = "[]"
		}
		fmt.Fprintf(&b, "  u%d: {url: \"http://u%d.example.com/\", depends_on: %s}\n", i, i, dep)
	}
	return b.String()
}

// Ctrl-C or a deadline while a graph loads stops the loading at the next
// upstream: every long loop of the loader (upstreams, dependencies, cycle
// search, building) looks at the context, and returns at once once it
// ended.
func TestLoadStopsWhenContextEnds(t *testing.T) {
	for _, cycle := range []bool{false, true} {
		src := []byte(bigGraph(200, cycle))
		// How many times a whole load looks at the context: about once
		// per upstream per loop.
		whole := &stopAfter{Context: context.Background(), n: 1 << 62}
		_, err := load(whole, "big.yaml", src, nil)
		var errs Errors
		if cycle && (!errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Msg, "dependency cycle")) {
			t.Fatalf("Load = %.200v; want the one cycle error", err)
		}
		if !cycle && err != nil {
			t.Fatalf("Load: %.200v", err)
		}
		total := whole.calls.Load()
		if total < 3*200 {
			t.Fatalf("a load looked at its context %d times; want at least once per upstream in each of 3 loops", total)
		}
		for n := int64(0); n < total; n += max(total/20, 1) {
			ctx := &stopAfter{Context: context.Background(), n: n}
			g, err := load(ctx, "big.yaml", src, nil)
			var stopped *StoppedError
			if !errors.As(err, &stopped) || !errors.Is(err, context.Canceled) || g != nil {
				t.Fatalf("cycle %v, stopped after %d of %d checks: Load = %v, %.200v; want a StoppedError", cycle, n, total, g, err)
			}
			// A constant few: the loop that saw it, the ones it returns
			// through, Load's own look.
			if late := ctx.late(); late > 5 {
				t.Errorf("cycle %v, stopped after %d of %d checks: the loader looked %d more times before returning; want it to stop at once", cycle, n, total, late)
			}
		}
	}
}

// The alias walk looks at the context too.
func TestAliasWalkStopsWhenContextEnds(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nx: &x [")
	for range 1000 {
		b.WriteString("a, ")
	}
	b.WriteString("]\ny: [")
	for range 900 {
		b.WriteString("*x, ")
	}
	b.WriteString("]\nupstreams: {a: {url: http://a.example.com/}}\n")
	ctx := &stopAfter{Context: context.Background(), n: 2}
	_, err := load(ctx, "a.yaml", []byte(b.String()), nil)
	if !errors.Is(err, context.Canceled) || ctx.late() > 3 {
		t.Fatalf("Load = %v after %d more checks; want it stopped at once", err, ctx.late())
	}
}

// Waiting for standard input ends with the context: a terminal or a pipe
// nobody writes to does not hold up Ctrl-C.
func TestLoadFileStdinStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() })
	stdin := readerFunc(func(p []byte) (int, error) {
		cancel() // Ctrl-C while the read waits
		return pr.Read(p)
	})
	done := make(chan error, 1)
	go func() {
		_, err := LoadFile(ctx, "-", stdin, nil)
		done <- err
	}()
	bound, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	select {
	case err := <-done:
		var stopped *StoppedError
		if !errors.As(err, &stopped) || stopped.File != StdinName || !errors.Is(err, context.Canceled) {
			t.Fatalf("LoadFile = %v; want a StoppedError for <stdin>", err)
		}
	case <-bound.Done():
		t.Fatal("LoadFile kept waiting for standard input after its context ended")
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// yaml.v3 takes no context: the loader gives a parse up when its context
// ends (Ctrl-C, --deadline) instead of waiting for it, and takes what a
// parse that finishes first found.
func TestParseGivenUpWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d := &decoder{ctx: ctx, file: "big.yaml"}
	release := make(chan struct{})
	var finished atomic.Bool
	slow := func(pd *decoder, _ []byte) *yaml.Node {
		select {
		case <-release:
		case <-time.After(5 * time.Second): // only when the loader waited: the test fails below
		}
		pd.errorf(nil, "found late")
		finished.Store(true)
		return &yaml.Node{Kind: yaml.MappingNode}
	}
	go cancel()
	if root := d.parseUntilDone([]byte("version: 1"), slow); root != nil || finished.Load() || len(d.errs) != 0 {
		t.Fatalf("parseUntilDone = %v (parse finished %v, errors %v); want nil, given up before the parse ended", root, finished.Load(), d.errs)
	}
	close(release)

	d = &decoder{ctx: context.Background(), file: "g.yaml"}
	fast := func(pd *decoder, _ []byte) *yaml.Node {
		pd.errorf(nil, "found")
		return &yaml.Node{Kind: yaml.MappingNode}
	}
	if root := d.parseUntilDone([]byte("version: 1"), fast); root == nil || len(d.errs) != 1 {
		t.Fatalf("a parse that ends first: root %v, errors %v; want its root and its one error", root, d.errs)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	d = &decoder{ctx: ctx, file: "g.yaml"}
	if root := d.parseUntilDone([]byte("version: 1"), fast); root == nil || len(d.errs) != 1 {
		t.Fatalf("with a live context: root %v, errors %v; want the parse's root and its one error", root, d.errs)
	}
}
