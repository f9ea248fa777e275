//go:build updocprofile

package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
)

// With `go build -tags updocprofile ./cmd/updoc` (and only then: the
// released binary neither imports runtime/pprof nor reads the variable),
// UPDOC_CPUPROFILE=FILE writes a CPU profile of the whole run to FILE,
// for `go tool pprof`; a "%p" in FILE becomes the process id, so that
// the runs of a benchmark each write their own profile. It measures where the time of the real binary goes
// (issue 11); the benchmarks of the pure parts live next to them.
func init() {
	path := os.Getenv("UPDOC_CPUPROFILE")
	if path == "" {
		return
	}
	f, err := os.Create(strings.ReplaceAll(path, "%p", strconv.Itoa(os.Getpid())))
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "updoc: UPDOC_CPUPROFILE:", err)
		return
	}
	stopProfile = func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
