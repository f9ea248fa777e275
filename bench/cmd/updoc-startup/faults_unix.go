//go:build unix

package main

import (
	"os"
	"syscall"
)

// pageFaults is the child's minor page faults (getrusage's ru_minflt): a
// count, so it does not move with the load on the machine.
func pageFaults(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	return int64(ru.Minflt)
}
