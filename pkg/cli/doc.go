// Package cli holds the cobra commands, one file per command (SPEC §1).
//
// Each command parses its flags into an Options struct and hands it to a
// run function; its constructor takes that function as runF (nil: the real
// one), so that a test can check what the flags parsed into without running
// anything — the gh CLI's seam. Commands reach the terminal through
// Factory.IO only, and the pipeline through Factory's engine (engine.Run),
// which a test may replace to run a command without the network.
// Errors carry their exit code (ExitError); Main is the only place they are
// printed.
//
// It may import every package of updoc but probe and diagnose (the engine
// runs those); only cmd/updoc (and the man page generator) imports it.
package cli
