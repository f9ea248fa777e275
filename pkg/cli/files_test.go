//go:build unix

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/iostreams"
)

// runBounded runs updoc like run, but gives up (and fails the test) if the
// command has not returned within a minute: reading a FIFO with no writer
// must not hang, and a test of that must not hang either.
func runBounded(t *testing.T, stdin *iostreams.IOStreams, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan result, 1)
	go func() {
		ios, _, out, errOut := iostreams.Test()
		if stdin != nil {
			ios.In = stdin.In
		}
		root := NewRootCmd(ios, func(string) (string, bool) { return "", false })
		root.SetArgs(args)
		err := root.ExecuteContext(ctx)
		code := exitCode(ios, err)
		done <- result{code: code, stdout: out.String(), stderr: errOut.String()}
	}()
	select {
	case r := <-done:
		return r
	case <-ctx.Done():
		t.Fatalf("updoc %s did not return within a minute (a blocking read?)", strings.Join(args, " "))
		return result{}
	}
}

func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return path
}

// sparseFile is a file of size bytes that takes no disk space.
func sparseFile(t *testing.T, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return path
}

func wantInvalid(t *testing.T, r result, wants ...string) {
	t.Helper()
	if r.code != ExitInvalid {
		t.Fatalf("exit %d, want 2; stderr:\n%s", r.code, r.stderr)
	}
	for _, w := range wants {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr does not hold %q:\n%s", w, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty: %q", r.stdout)
	}
}

// Every file a graph names, and the graph file itself, is read only when
// it is a regular file and only up to a cap: a device, a FIFO with no
// writer, a directory or an oversized file is an exit-2 message naming the
// file and what it is or the limit, from validate as from check.
func TestGraphFileMustBeRegularAndSmall(t *testing.T) {
	fifo, dir, big := mkfifo(t), t.TempDir(), sparseFile(t, 17<<20)
	cases := map[string][]string{
		"/dev/zero": {"cannot read graph file /dev/zero: it is a character device, not a regular file", "-f -"},
		fifo:        {"cannot read graph file " + fifo + ": it is a named pipe (FIFO), not a regular file"},
		dir:         {"cannot read graph file " + dir + ": it is a directory"},
		big:         {"cannot read graph file " + big + ": it is larger than the 16 MiB limit for a graph file"},
	}
	for file, wants := range cases {
		for _, cmd := range []string{"validate", "check", "graph"} {
			t.Run(cmd+"/"+filepath.Base(file), func(t *testing.T) {
				wantInvalid(t, runBounded(t, nil, cmd, "-f", file), wants...)
			})
		}
	}
}

// `-f -` reads standard input whatever it is, but only up to the cap:
// `-f - < /dev/zero` stops there.
func TestGraphFromStdinStopsAtTheCap(t *testing.T) {
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	for _, cmd := range []string{"validate", "check"} {
		r := runBounded(t, &iostreams.IOStreams{In: zero}, cmd, "-f", "-")
		wantInvalid(t, r, "cannot read the graph from standard input: it is larger than the 16 MiB limit for a graph file")
	}
}

func TestTLSFilesMustBeRegularAndSmall(t *testing.T) {
	fifo, dir, big := mkfifo(t), t.TempDir(), sparseFile(t, 2<<20)
	pem := writeFile(t, "ok.pem", "not checked at load time\n")
	cases := map[string]string{
		"/dev/zero": "it is a character device, not a regular file; name a PEM file",
		fifo:        "it is a named pipe (FIFO), not a regular file",
		dir:         "it is a directory, not a regular file",
		big:         "it is larger than the 1 MiB limit for a PEM file",
	}
	for file, want := range cases {
		for _, key := range []string{"ca_file", "cert_file", "key_file"} {
			tls := "{ca_file: " + pem + ", cert_file: " + pem + ", key_file: " + pem + "}"
			tls = strings.Replace(tls, key+": "+pem, key+": "+file, 1)
			graphFile := writeFile(t, "g.yaml", "version: 1\nupstreams:\n  api:\n    url: https://127.0.0.1:1/\n    tls: "+tls+"\n")
			for _, cmd := range []string{"validate", "check"} {
				t.Run(cmd+"/"+key+"/"+filepath.Base(file), func(t *testing.T) {
					wantInvalid(t, runBounded(t, nil, cmd, "-f", graphFile), "tls."+key+": cannot read "+file+": "+want)
				})
			}
		}
		t.Run("probe --cacert/"+filepath.Base(file), func(t *testing.T) {
			wantInvalid(t, runBounded(t, nil, "probe", "--cacert", file, "https://127.0.0.1:1/"), "cannot read "+file+": "+want)
		})
	}
}

func TestRequestBodyFileMustBeRegular(t *testing.T) {
	fifo := mkfifo(t)
	for file, want := range map[string]string{
		"/dev/zero": "it is a character device, not a regular file",
		fifo:        "it is a named pipe (FIFO), not a regular file",
	} {
		r := runBounded(t, nil, "probe", "-d", "@"+file, "http://127.0.0.1:1/")
		wantInvalid(t, r, "cannot read the body from "+file+": "+want)
	}
}
