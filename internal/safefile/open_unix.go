//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// openNonblocking opens path for reading without blocking: a FIFO with no
// writer opens at once (and is then refused by its type).
func openNonblocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
