package safefile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadRegularFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.yaml")
	want := []byte("version: 1\n")
	if err := os.WriteFile(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path, int64(len(want)))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Read = %q, %v; want %q (a file exactly at the cap is read)", got, err, want)
	}
	if err := Check(path, int64(len(want))); err != nil {
		t.Fatalf("Check = %v", err)
	}
}

func TestReadRefusesDirectory(t *testing.T) {
	dir := t.TempDir()
	_, err := Read(dir, GraphLimit)
	var nr *NotRegularError
	if !errors.As(err, &nr) || nr.Kind != "a directory" {
		t.Fatalf("Read(dir) = %v; want a NotRegularError naming a directory", err)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("%q does not name the path", err)
	}
}

func TestReadRefusesOversizedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.pem")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: no disk space, but a size over the cap.
	if err := f.Truncate(4 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, read := range []func() error{
		func() error { _, err := Read(path, PEMLimit); return err },
		func() error { return Check(path, PEMLimit) },
	} {
		err := read()
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.Path != path || tl.Limit != PEMLimit {
			t.Fatalf("err = %v; want a TooLargeError for %s at %d", err, path, PEMLimit)
		}
		if want := "larger than the 1 MiB limit"; !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not hold %q", err, want)
		}
	}
}

func TestReadMissingFileKeepsPathError(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "nope"), GraphLimit)
	var pe *fs.PathError
	if !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v; want a *fs.PathError for a missing file", err)
	}
}

func TestReadAllStopsAtCap(t *testing.T) {
	// An endless reader (as `-f - < /dev/zero`) stops once past the cap.
	r := &countingZero{}
	_, err := ReadAll(r, "<stdin>", 1<<20)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Path != "<stdin>" {
		t.Fatalf("err = %v; want a TooLargeError naming <stdin>", err)
	}
	if r.n > 2<<20 {
		t.Errorf("read %d bytes of an endless input with a 1 MiB cap; want it to stop just past the cap", r.n)
	}
	got, err := ReadAll(strings.NewReader("abc"), "<stdin>", 3)
	if err != nil || string(got) != "abc" {
		t.Fatalf("ReadAll = %q, %v", got, err)
	}
}

type countingZero struct{ n int }

func (z *countingZero) Read(p []byte) (int, error) {
	clear(p)
	z.n += len(p)
	return len(p), nil
}

var _ io.Reader = (*countingZero)(nil)

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{16 << 20: "16 MiB", 1 << 20: "1 MiB", 2048: "2 KiB", 100: "100 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
