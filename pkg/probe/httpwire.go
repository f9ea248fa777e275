package probe

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/http2"
)

// wire is the reading side of an HTTP/1 connection: during the http
// layer's exchange (tt set) it keeps the first MaxReceived bytes the server
// sent, from which a malformed answer is described, and marks when the
// first of them came; otherwise it only reads.
type wire struct {
	r   io.Reader
	tt  *trace
	got []byte
	// headLeft, while reading a response head (limiting), is how many
	// more bytes it may take.
	limiting bool
	headLeft int64
}

// watch makes w record the exchange of tt (nil: stop recording), from
// nothing received.
func (w *wire) watch(tt *trace) { w.tt, w.got = tt, nil }

func (w *wire) Read(b []byte) (int, error) {
	if w.limiting {
		if w.headLeft <= 0 {
			return 0, ErrHeadTooLarge
		}
		if int64(len(b)) > w.headLeft {
			b = b[:w.headLeft]
		}
	}
	n, err := w.r.Read(b)
	w.headLeft -= int64(n)
	if n > 0 && w.tt != nil {
		w.tt.markFirstByte()
		if keep := MaxReceived - len(w.got); keep > 0 {
			w.got = append(w.got, b[:min(n, keep)]...)
		}
	}
	return n, err
}

// MaxHead is the most the response heads of one HTTP/1 request may take
// together — status lines and header fields, 1xx interim answers
// included — in bytes (plus what was read ahead with them, at most one
// bufio buffer). A server that sends more is cut off there with
// ErrHeadTooLarge, on the http layer's request and on every latency
// sample and proxy CONNECT alike: updoc never reads an upstream's headers
// without end (issue 12). curl stops at 300 KiB; Go's HTTP server takes
// 1 MiB of request headers.
const MaxHead = 256 << 10

// ErrHeadTooLarge is the error of an answer whose head went past MaxHead.
var ErrHeadTooLarge = fmt.Errorf("the response head went past %d KiB without ending", MaxHead>>10)

// readResponse reads the answer to req from br, which reads w, passing over
// 1xx interim answers but 101 (RFC 9110 §15.2), with its heads bounded by
// MaxHead (ErrHeadTooLarge).
func readResponse(br *bufio.Reader, w *wire, req *http.Request) (*http.Response, error) {
	w.limiting, w.headLeft = true, MaxHead
	defer func() { w.limiting = false }()
	for {
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			return resp, nil
		}
	}
}

// received is what the server sent, a copy.
func (w *wire) received() []byte { return bytes.Clone(w.got) }

// otherProtocol asks addr, the port of an http:// request that got no
// valid HTTP/1.x answer (or a 400), what it speaks instead, on new
// connections within ctx: "tls" when it answers a TLS ClientHello with a
// TLS record (a handshake or an alert); "h2c" when it answers the HTTP/2
// connection preface with a SETTINGS frame (RFC 9113 §3.4: HTTP/2 with
// prior knowledge, the only cleartext HTTP/2 some servers speak); "" when
// neither, or ctx ended.
func (p *plan) otherProtocol(ctx context.Context, addr, host string) string {
	if p.speaksTLS(ctx, addr, host) {
		return "tls"
	}
	if p.speaksH2C(ctx, addr) {
		return "h2c"
	}
	return ""
}

// speaksTLS sends a ClientHello to addr and reports whether a TLS record
// came back (RFC 8446 §5.1: content type handshake or alert, legacy
// version 3.x) — whatever the handshake then makes of it.
func (p *plan) speaksTLS(ctx context.Context, addr, host string) bool {
	c, err := p.dialTCP(ctx, addr)
	if err != nil {
		return false
	}
	defer c.Close()
	rec := &recordingConn{Conn: c}
	cfg := &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"h2", "http/1.1"}} //nolint:gosec // only asks whether the port speaks TLS
	if net.ParseIP(host) == nil {
		cfg.ServerName = host
	}
	_ = tls.Client(rec, cfg).HandshakeContext(ctx)
	return IsTLSRecord(rec.got)
}

// IsTLSRecord reports whether b starts with the header of a TLS handshake
// (22) or alert (21) record of a TLS 1.x version (RFC 8446 §5.1).
func IsTLSRecord(b []byte) bool {
	return len(b) >= 3 && (b[0] == 22 || b[0] == 21) && b[1] == 3 && b[2] <= 4
}

// speaksH2C sends the HTTP/2 connection preface and an empty SETTINGS
// frame to addr and reports whether a SETTINGS frame came back.
func (p *plan) speaksH2C(ctx context.Context, addr string) bool {
	c, err := p.dialTCP(ctx, addr)
	if err != nil {
		return false
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	fr := http2.NewFramer(c, c)
	if _, err := io.WriteString(c, http2.ClientPreface); err != nil || fr.WriteSettings() != nil {
		return false
	}
	f, err := fr.ReadFrame()
	return err == nil && f.Header().Type == http2.FrameSettings && f.Header().StreamID == 0
}

// recordingConn keeps the first bytes read from a connection.
type recordingConn struct {
	net.Conn
	got []byte
}

func (c *recordingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if keep := 64 - len(c.got); n > 0 && keep > 0 {
		c.got = append(c.got, b[:min(n, keep)]...)
	}
	return n, err
}

// newH2Transport is the HTTP/2 client of every exchange: it asks for no
// compression (as over HTTP/1.1) and bounds the header list of an answer
// by MaxHead (SETTINGS_MAX_HEADER_LIST_SIZE, RFC 9113 §6.5.2).
func newH2Transport() *http2.Transport {
	return &http2.Transport{DisableCompression: true, MaxHeaderListSize: MaxHead}
}
