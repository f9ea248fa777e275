// Package safefile reads the files updoc is pointed at (the graph file, TLS
// files, a request body) with two guards: only regular files are read, so a
// FIFO with no writer cannot hang the run and a device such as /dev/zero
// cannot fill memory; and every read stops at a size cap. It imports nothing
// of ours.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Size caps of the files updoc reads.
const (
	GraphLimit = 16 << 20 // a graph file, from a path or standard input
	PEMLimit   = 1 << 20  // a ca_file, cert_file or key_file
	BodyLimit  = 16 << 20 // a request body read from a file (-d @FILE)
)

// NotRegularError is returned for a path that names something other than a
// regular file (after symbolic links): a FIFO, a device, a directory, a
// socket.
type NotRegularError struct {
	Path string
	Kind string // "a named pipe (FIFO)", "a character device", …
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, e.Kind)
}

// TooLargeError is returned for a file (or input) larger than its cap.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than the %s limit", e.Path, Size(e.Limit))
}

// Size renders a byte count as updoc's messages write caps: "16 MiB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Read returns the contents of the regular file path, at most limit bytes.
// The type is checked before the file is opened and again on the opened
// file (it is opened non-blocking, so a FIFO swapped in between cannot
// block the open); a file over limit, or one that grows past it while read,
// gives a *TooLargeError. Errors from the file system keep their
// *fs.PathError.
func Read(path string, limit int64) ([]byte, error) {
	f, size, err := open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readCapped(f, size, limit)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			tl.Path = path
		}
		return nil, err
	}
	return data, nil
}

// Check makes sure path could be read by Read with limit: it exists, is a
// regular file and is not over limit. It reads nothing.
func Check(path string, limit int64) error {
	f, _, err := open(path, limit)
	if err != nil {
		return err
	}
	return f.Close()
}

// ReadAll reads r (standard input: any kind of file) up to limit bytes; name
// is what a *TooLargeError calls it.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := readCapped(r, 0, limit)
	var tl *TooLargeError
	if errors.As(err, &tl) {
		tl.Path = name
	}
	return data, err
}

func open(path string, limit int64) (*os.File, int64, error) {
	before, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !before.Mode().IsRegular() {
		return nil, 0, &NotRegularError{Path: path, Kind: kind(before.Mode())}
	}
	f, err := openNonblocking(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, &NotRegularError{Path: path, Kind: kind(fi.Mode())}
	}
	if fi.Size() > limit {
		f.Close()
		return nil, 0, &TooLargeError{Path: path, Limit: limit}
	}
	return f, fi.Size(), nil
}

// readCapped reads r to its end, failing once more than limit bytes came;
// size, when known, sizes the buffer.
func readCapped(r io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(size, limit)+1)
	lr := &io.LimitedReader{R: r, N: limit + 1}
	for {
		if len(buf) == cap(buf) {
			// Double, but never past the cap (and one byte to see it
			// is passed): an endless input costs the cap, not twice it.
			grown := make([]byte, len(buf), int(min(max(2*int64(cap(buf)), 4096), limit+1)))
			copy(grown, buf)
			buf = grown
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, &TooLargeError{Limit: limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// kind names a file mode that is not a regular file.
func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file (" + m.Type().String() + ")"
}
