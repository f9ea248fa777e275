package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/report"
)

// Round probes once, sending progress events to observe, and returns the
// diagnosed report. It must return soon after ctx ends.
type Round func(ctx context.Context, observe engine.Observer) report.Report

// Options configure Run.
type Options struct {
	// Interval re-probes every Interval (measured from the end of the
	// previous round); 0 probes once and then only on `r` (check --tui).
	Interval time.Duration
	// Title is shown in the header, e.g. the graph file name.
	Title string
	// Color enables colour and text attributes; false renders plain text
	// (NO_COLOR, --color never).
	Color bool
}

// Result is how a Run ended.
type Result struct {
	// Report is the last complete report, nil when no round finished.
	Report *report.Report
	// RoundCut: a round was still running when the program ended (the user
	// quit, or ctx ended, mid-round); Report, if any, is an older round's.
	RoundCut bool
}

// roundWait bounds how long Run waits, after the program ended, for a
// cancelled round to return.
const roundWait = 2 * time.Second

// Run runs the program on in/out until the user quits (q, Ctrl-C) or ctx
// ends. The first round starts at once. It returns how it ended (the last
// complete report, whether a round was cut short) and, when ctx ended the
// program, ctx.Err(). A running round's context is cancelled on every exit
// path and the terminal (alt screen, raw mode, cursor) is restored; then one
// summary line (SummaryLine) is written to out, so that the status stays in
// the scrollback once the full-screen view is gone.
//
// Keys are read from in; a nil in opens the controlling terminal for input
// (/dev/tty, CONIN$ on Windows), for when stdin carries data such as a graph
// file (`cat graph.yaml | updoc check -f - --tui`). Run fails at once when
// there is no terminal to open.
//
// Run installs no signal handler: ctx is the one source of truth. The caller
// turns SIGINT and SIGTERM into the end of ctx (signal.NotifyContext); a
// Ctrl-C typed in the UI arrives as a key (the terminal is in raw mode) and
// quits like q.
func Run(ctx context.Context, in io.Reader, out io.Writer, round Round, opts Options) (Result, error) {
	if round == nil {
		return Result{}, errors.New("tui: nil Round")
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	m := newModel(runCtx, round, opts, out, time.Now)
	p := tea.NewProgram(m, programOptions(ctx, in, out)...)
	final, err := p.Run()

	// Stop whatever is still running (a round, tickers) and wait for the
	// round to return so that nothing outlives Run.
	cancel()
	m.rounds.closeAndWait(roundWait)

	fm, ok := final.(*model)
	if !ok || fm == nil {
		fm = m
	}
	res := Result{Report: fm.lastReport(), RoundCut: fm.roundCut()}
	if out != nil && (err == nil || errors.Is(err, tea.ErrInterrupted) || ctx.Err() != nil) {
		if _, werr := io.WriteString(out, fm.summaryLine(ctx.Err() != nil)+"\n"); werr != nil && err == nil {
			err = fmt.Errorf("write the summary line: %w", werr)
		}
	}

	switch {
	case err == nil, errors.Is(err, tea.ErrInterrupted):
		return res, nil
	case ctx.Err() != nil:
		return res, ctx.Err()
	default:
		return res, err
	}
}

// programOptions are the bubbletea options of Run. bubbletea's own SIGINT
// handler is off: with it, an outside SIGINT reached both it and the caller's
// ctx, and when ctx ended the event loop first, its goroutine blocked for
// good sending InterruptMsg to the stopped loop, and Program shutdown waited
// on it forever. Window resizes do not depend on it (bubbletea listens for
// SIGWINCH in a separate handler whenever the output is a terminal).
func programOptions(ctx context.Context, in io.Reader, out io.Writer) []tea.ProgramOption {
	input := tea.WithInputTTY()
	if f, isFile := in.(*os.File); in != nil && (!isFile || f != nil) {
		input = tea.WithInput(in)
	}
	return []tea.ProgramOption{
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(),
		input,
		tea.WithOutput(out),
		tea.WithAltScreen(),
	}
}

// roundTracker counts running rounds so Run can wait for them; once closed
// it refuses to start new ones.
type roundTracker struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// begin registers a round; false when the tracker is closed.
func (t *roundTracker) begin() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.wg.Add(1)
	return true
}

func (t *roundTracker) end() { t.wg.Done() }

// closeAndWait refuses new rounds and waits up to d for running ones.
func (t *roundTracker) closeAndWait(d time.Duration) bool {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	done := make(chan struct{})
	go func() { t.wg.Wait(); close(done) }()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
		return false
	}
}
