package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/http2"
)

// carried is the one connection of a target, handed from layer to layer:
// the tcp layer makes it (through the upstream's proxy tunnel, if any), the
// tls layer does its handshake on it, the http layer sends its request on
// it (kept alive), and the latency samples follow on it — HTTP/1.1
// keep-alive, or further streams of the same HTTP/2 connection. A
// connection the server closed is dialled again by the sample that needs
// it (LatencySample.Reconnect says why). The runner closes it when the
// target's layers are done.
type carried struct {
	conn   net.Conn // nil when there is none (not made yet, failed, or dropped)
	remote string   // the address the TCP connection reached (the proxy's through one)
	// connect and handshake are the tcp layer's dial and the tls layer's
	// handshake that made conn: the connect and tls phases of the first
	// request sent on it.
	connect, handshake time.Duration
	h2                 bool // TLS negotiated HTTP/2 (ALPN "h2")

	// HTTP/1.1: the reader of the answers, made at the first request,
	// through wire (which records what the http layer's exchange read) and
	// rd (which counts every byte read). spare is the buffered reader lent
	// by bufs for the target (the run's buffers), kept across its
	// connections and given back by finish.
	br    *bufio.Reader
	wire  *wire
	rd    *countingReader
	spare *bufio.Reader
	bufs  *buffers
	// HTTP/2: the client connection on conn, made at the first request.
	cc *http2.ClientConn

	// exchanged is set once an HTTP exchange ran on a connection of this
	// target; after is what the last one left behind when it made the
	// connection unusable (the reason the next request must dial).
	exchanged bool
	after     sampleAfter
}

// set hands c the connection the tcp layer made in took.
func (c *carried) set(conn net.Conn, took time.Duration) {
	c.close()
	c.conn, c.connect, c.handshake, c.h2 = conn, took, 0, false
	c.remote = remoteOf(conn)
}

// fresh reports whether no request has been sent on c's connection yet.
func (c *carried) fresh() bool { return c.br == nil && c.cc == nil }

// drop closes the connection for the reason why (what the exchange on it
// left behind).
func (c *carried) drop(why sampleAfter) {
	c.after = why
	c.close()
}

// close closes the connection, if any.
func (c *carried) close() {
	if c.cc != nil {
		c.cc.Close()
		c.cc = nil
	}
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	c.br, c.wire, c.rd = nil, nil, nil
}

// arm bounds the connection by ctx: its deadline, and cut when ctx ends.
// disarm lifts both and reports whether the connection is still whole
// (ctx did not cut it).
func (c *carried) arm(ctx context.Context) (disarm func() bool) {
	conn := c.conn
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	return func() bool {
		if !stop() {
			return false
		}
		return conn.SetDeadline(time.Time{}) == nil
	}
}

// redial makes a new connection to target for the latency samples: the
// tcp layer's dial (through the proxy tunnel, if any) and, for https, a
// handshake offering h2 and http/1.1 as the tls layer does (the tls layer
// has judged the certificate).
func (c *carried) redial(ctx context.Context, p *plan, target string) error {
	c.close()
	conn, err := p.dial(ctx, target)
	if err != nil {
		return err
	}
	h2 := false
	if p.scheme.HasTLS() {
		tc := tls.Client(conn, p.httpTLSConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return ctxErr(ctx, err)
		}
		h2 = tc.ConnectionState().NegotiatedProtocol == "h2"
		conn = tc
	}
	c.conn, c.h2, c.remote = conn, h2, remoteOf(conn)
	c.connect, c.handshake = 0, 0
	return nil
}

// h2Conn is the HTTP/2 client connection on c's connection, made at the
// first request (asking for no compression, as over HTTP/1.1).
func (c *carried) h2Conn() (*http2.ClientConn, error) {
	if c.cc == nil {
		cc, err := newH2Transport().NewClientConn(c.conn)
		if err != nil {
			return nil, err
		}
		c.cc = cc
	}
	return c.cc, nil
}

// reader is the reader of HTTP/1 answers on c's connection, made at the
// first request.
func (c *carried) reader() *bufio.Reader {
	if c.br == nil {
		c.rd = &countingReader{r: c.conn}
		c.wire = &wire{r: c.rd}
		if c.spare == nil {
			c.spare = c.bufs.reader(c.wire)
		} else {
			c.spare.Reset(c.wire)
		}
		c.br = c.spare
	}
	return c.br
}

// finish closes the connection and gives its buffered reader back: the
// target's layers are done.
func (c *carried) finish() {
	c.close()
	c.bufs.release(c.spare)
	c.spare = nil
}

// keepHTTP1 reports whether c's HTTP/1 connection can carry another
// request after resp, whose body was read to its end (readToEnd): not
// asked to close, nothing unexpected read ahead.
func (c *carried) keepHTTP1(resp *http.Response, readToEnd bool) (bool, sampleAfter) {
	switch {
	case !readToEnd:
		return false, sampleAfter{bodyCut: true}
	case resp.Close:
		return false, sampleAfter{closeAsked: true}
	case c.br != nil && c.br.Buffered() > 0, resp.StatusCode == http.StatusSwitchingProtocols:
		return false, sampleAfter{failed: true}
	}
	return true, sampleAfter{}
}

func remoteOf(conn net.Conn) string {
	if a := conn.RemoteAddr(); a != nil {
		return a.String()
	}
	return ""
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (r *countingReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.n += int64(n)
	return n, err
}

// prefixConn is a connection whose first bytes were already read (pre).
type prefixConn struct {
	net.Conn
	pre []byte
}

func (c *prefixConn) Read(b []byte) (int, error) {
	if len(c.pre) > 0 {
		n := copy(b, c.pre)
		c.pre = c.pre[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// ConnectionState is the TLS state of the connection under the prefix.
func (c *prefixConn) ConnectionState() tls.ConnectionState {
	if tc, ok := c.Conn.(*tls.Conn); ok {
		return tc.ConnectionState()
	}
	return tls.ConnectionState{}
}
