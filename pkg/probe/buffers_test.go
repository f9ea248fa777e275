package probe

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// A reader given back with bytes still buffered (a server that sent more
// than its answer) must not hand them to the next connection it is lent to.
func TestLentReaderCarriesNothingOver(t *testing.T) {
	var b buffers
	first := b.reader(strings.NewReader("HTTP/1.1 200 OK\r\n\r\nLEFTOVER FROM THE FIRST SERVER"))
	if _, err := first.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if first.Buffered() == 0 {
		t.Fatal("the test needs bytes left in the buffer")
	}
	b.release(first)
	b.release(nil) // ignored
	for range 3 {  // whichever reader the pool hands out
		br := b.reader(strings.NewReader("second"))
		got, err := io.ReadAll(br)
		if err != nil || string(got) != "second" {
			t.Fatalf("lent reader read %q, %v; want only the new source's bytes", got, err)
		}
		b.release(br)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// writeRequest writes the whole request in one write, reports the
// writer's error, and a writer back in the pool holds no connection.
func TestWriteRequestThroughLentWriters(t *testing.T) {
	var b buffers
	req, err := http.NewRequest(http.MethodGet, "http://example.test/health", nil)
	if err != nil {
		t.Fatal(err)
	}
	broken := errors.New("connection reset")
	if err := b.writeRequest(failingWriter{broken}, req); !errors.Is(err, broken) {
		t.Fatalf("writeRequest to a failing connection = %v, want %v", err, broken)
	}
	for range 3 {
		var out countingWrites
		if err := b.writeRequest(&out, req); err != nil {
			t.Fatal(err)
		}
		if out.writes != 1 || !strings.HasPrefix(out.String(), "GET /health HTTP/1.1\r\nHost: example.test\r\n") {
			t.Fatalf("request written in %d writes as %q; want one write of the request", out.writes, out.String())
		}
	}
}

type countingWrites struct {
	bytes.Buffer
	writes int
}

func (w *countingWrites) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}
