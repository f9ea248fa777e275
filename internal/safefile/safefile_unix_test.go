//go:build unix

package safefile

import (
	"context"
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestReadRefusesDevice(t *testing.T) {
	for _, read := range []func() error{
		func() error { _, err := Read("/dev/zero", GraphLimit); return err },
		func() error { return Check("/dev/zero", PEMLimit) },
	} {
		var nr *NotRegularError
		if err := read(); !errors.As(err, &nr) || nr.Kind != "a character device" {
			t.Fatalf("err = %v; want a NotRegularError naming a character device", err)
		}
	}
}

// A FIFO with no writer is refused at once: opening it for reading would
// block until a writer comes.
func TestReadRefusesFIFOWithoutBlocking(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, read := range []func() error{
		func() error { _, err := Read(path, GraphLimit); return err },
		func() error { return Check(path, PEMLimit) },
		// The check on the opened file, with the check before opening
		// skipped: the open must not block either.
		func() error {
			f, err := openNonblocking(path)
			if err == nil {
				f.Close()
			}
			return err
		},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		done := make(chan error, 1)
		go func() { done <- read() }()
		select {
		case err := <-done:
			var nr *NotRegularError
			if err != nil && !errors.As(err, &nr) {
				t.Fatalf("err = %v; want a NotRegularError (or nil for the bare open)", err)
			}
		case <-ctx.Done():
			t.Fatal("reading a FIFO with no writer blocked")
		}
		cancel()
	}
}
