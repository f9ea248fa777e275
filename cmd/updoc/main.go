// Command updoc, the upstream doctor: it tells why a service has no healthy
// upstream and what to do about it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/updoc/updoc/pkg/cli"
	"github.com/updoc/updoc/pkg/iostreams"
)

// stopProfile ends the CPU profile that a build with -tags updocprofile
// starts (profile.go); a no-op otherwise.
var stopProfile = func() {}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	hangups := cli.NewHangups()
	ctx = cli.WithHangups(ctx, hangups)
	stop := handleInterrupts(cancel, hangups)
	code := cli.Main(ctx, iostreams.System(), os.Args[1:])
	stop()
	stopProfile()
	os.Exit(code)
}

// handleInterrupts makes Ctrl-C, a stop or the terminal closing (SIGINT,
// SIGTERM, SIGHUP) end the run in two steps. The first calls cancel: the
// run's context ends, what it started is cleaned up and the report of what
// finished is printed (exit 130). A second one exits at once with 130,
// whatever phase is still running — a write to a pipe nobody reads, say.
// stop gives the signals back to their default. A SIGHUP that a command
// claimed (serve re-reads its graph on it) is handed to it instead.
func handleInterrupts(cancel context.CancelFunc, hangups *cli.Hangups) (stop func()) {
	interrupts := make(chan os.Signal, 2)
	signal.Notify(interrupts, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	next := func() bool {
		for sig := range interrupts {
			if sig == syscall.SIGHUP && hangups.Deliver() {
				continue
			}
			return true
		}
		return false
	}
	go func() {
		if !next() {
			return
		}
		cancel()
		if !next() {
			return
		}
		// Say why, unless stderr itself is what is stuck.
		said := make(chan struct{})
		go func() {
			fmt.Fprintln(os.Stderr, "updoc: interrupted a second time: exiting at once (130), without the report")
			close(said)
		}()
		select {
		case <-said:
		case <-time.After(100 * time.Millisecond):
		}
		os.Exit(130)
	}()
	return func() {
		signal.Stop(interrupts)
		close(interrupts)
	}
}
