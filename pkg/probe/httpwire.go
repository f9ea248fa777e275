package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
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
}

// watch makes w record the exchange of tt (nil: stop recording), from
// nothing received.
func (w *wire) watch(tt *trace) { w.tt, w.got = tt, nil }

func (w *wire) Read(b []byte) (int, error) {
	n, err := w.r.Read(b)
	if n > 0 && w.tt != nil {
		w.tt.markFirstByte()
		if keep := MaxReceived - len(w.got); keep > 0 {
			w.got = append(w.got, b[:min(n, keep)]...)
		}
	}
	return n, err
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
