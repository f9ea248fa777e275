package probe

import (
	"bufio"
	"io"
	"net/http"
	"sync"
)

// buffers lends the buffered readers and writers of HTTP/1 exchanges for
// one Run, so that a run allocates about as many of them as it has probes
// in flight rather than one per target or per request (issue 11: each is
// 4 KiB of fresh memory, 1,000 targets × 11 requests of them with
// latency samples).
//
//   - A writer is lent for one request (writeRequest): the request is
//     written and flushed in that call, so nothing holds the writer after.
//   - A reader is lent to a target's connection (carried.reader) and given
//     back when the target's layers are done (carried.finish): every answer
//     read through it, bodies included, has been read by then, and what the
//     results keep of them is copied out.
type buffers struct{ readers, writers sync.Pool }

// writeRequest writes req to w as HTTP/1.1 (Request.Write) through a
// buffer, so that a request head goes out in one write.
func (b *buffers) writeRequest(w io.Writer, req *http.Request) error {
	bw, _ := b.writers.Get().(*bufio.Writer)
	if bw == nil {
		bw = bufio.NewWriter(w)
	} else {
		bw.Reset(w)
	}
	err := req.Write(bw)
	if err == nil {
		err = bw.Flush()
	}
	bw.Reset(nil) // the pool keeps no connection alive
	b.writers.Put(bw)
	return err
}

// reader lends a buffered reader of r; give it back with release.
func (b *buffers) reader(r io.Reader) *bufio.Reader {
	br, _ := b.readers.Get().(*bufio.Reader)
	if br == nil {
		return bufio.NewReader(r)
	}
	br.Reset(r)
	return br
}

// release takes back a reader lent by reader; nil is ignored.
func (b *buffers) release(br *bufio.Reader) {
	if br != nil {
		br.Reset(nil)
		b.readers.Put(br)
	}
}
