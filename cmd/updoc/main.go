// Command updoc, the upstream doctor: it tells why a service has no healthy
// upstream and what to do about it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/updoc/updoc/pkg/cli"
	"github.com/updoc/updoc/pkg/iostreams"
)

// stopProfile ends the CPU profile that a build with -tags updocprofile
// starts (profile.go); a no-op otherwise.
var stopProfile = func() {}

func main() {
	// Ctrl-C, a stop, or the terminal closing: end the run's context, so
	// that what it started is cleaned up and the report of what finished
	// is printed (exit 130).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Main(ctx, iostreams.System(), os.Args[1:])
	stop()
	stopProfile()
	os.Exit(code)
}
