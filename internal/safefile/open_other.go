//go:build !unix

package safefile

import "os"

// openNonblocking opens path for reading (no FIFOs block an open here).
func openNonblocking(path string) (*os.File, error) {
	return os.Open(path)
}
