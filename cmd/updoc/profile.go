//go:build updocprofile

package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
)

// With `go build -tags updocprofile ./cmd/updoc` (and only then: the
// released binary neither imports runtime/pprof nor reads the variables),
// UPDOC_CPUPROFILE=FILE writes a CPU profile of the whole run to FILE and
// UPDOC_MEMPROFILE=FILE a heap profile (allocations of the whole run, every
// 64 KiB sampled, in its alloc_space and alloc_objects views) at its end,
// for `go tool pprof`; a "%p" in FILE becomes the process id, so that the
// runs of a benchmark each write their own profile. They measure where the
// time and memory of the real binary go (issue 11); the benchmarks of the
// pure parts live next to them.
func init() {
	var stops []func()
	if path := os.Getenv("UPDOC_CPUPROFILE"); path != "" {
		f, err := create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "updoc: UPDOC_CPUPROFILE:", err)
		} else {
			stops = append(stops, func() {
				pprof.StopCPUProfile()
				_ = f.Close()
			})
		}
	}
	if path := os.Getenv("UPDOC_MEMPROFILE"); path != "" {
		runtime.MemProfileRate = 64 << 10
		stops = append(stops, func() {
			f, err := create(path)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				_ = f.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, "updoc: UPDOC_MEMPROFILE:", err)
			}
		})
	}
	stopProfile = func() {
		for _, stop := range stops {
			stop()
		}
	}
}

func create(path string) (*os.File, error) {
	return os.Create(strings.ReplaceAll(path, "%p", strconv.Itoa(os.Getpid())))
}
