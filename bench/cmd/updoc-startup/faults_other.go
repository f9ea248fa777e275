//go:build !unix

package main

import "os"

// pageFaults is not reported on this platform.
func pageFaults(*os.ProcessState) int64 { return 0 }
