package testserver

import (
	"bytes"
	"crypto/tls"
	"encoding/binary"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// ok answers every request 200 "ok".
var ok = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })

// startTLS starts an HTTPS server on 127.0.0.1 with cfg (its certificates
// and version bounds), answering 200 "ok", until the test ends.
func startTLS(t testing.TB, cfg *tls.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(ok)
	srv.TLS = cfg
	// Handshakes the client abandons on purpose would be logged.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// HTTPS starts an HTTPS server on 127.0.0.1 presenting cert (the chain as
// given: leaf first, then what the server sends with it), answering 200
// "ok", and returns its address.
func HTTPS(t testing.TB, cert tls.Certificate) string {
	t.Helper()
	return startTLS(t, &tls.Config{Certificates: []tls.Certificate{cert}}).Listener.Addr().String()
}

// TLSVersionOnly starts an HTTPS server on 127.0.0.1 that speaks TLS
// version vers only (tls.VersionTLS10, ...), presenting cert, and returns
// its address. Like a current TLS stack limited to that version, it
// answers a ClientHello that does not offer vers with the alert
// protocol_version. (crypto/tls serves TLS 1.0 and 1.1 when MinVersion
// asks for them: no GODEBUG setting is needed for that.)
func TLSVersionOnly(t testing.TB, cert tls.Certificate, vers uint16) string {
	t.Helper()
	return startTLS(t, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: vers, MaxVersion: vers}).Listener.Addr().String()
}

// OldTLSStack starts an HTTPS server on 127.0.0.1 that behaves like a TLS
// stack older than TLS 1.3 (OpenSSL 1.0, an old appliance) that speaks
// only version vers: it ignores the supported_versions extension
// (RFC 8446 §4.2.1) and answers the ClientHello's legacy version 1.2 with
// a ServerHello of vers, which a client that offered only newer versions
// rejects ("server selected unsupported protocol version 301"). A client
// that offers vers completes the handshake. It returns the address.
//
// It is a proxy in front of a TLSVersionOnly server that removes the
// supported_versions extension from ClientHellos that do not list vers.
func OldTLSStack(t testing.TB, cert tls.Certificate, vers uint16) string {
	t.Helper()
	backend := TLSVersionOnly(t, cert, vers)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { proxyIgnoringSupportedVersions(c, backend, vers) })
		}
	})
	return ln.Addr().String()
}

// proxyIgnoringSupportedVersions relays c to backend, with the first TLS
// record (the ClientHello) rewritten by ignoreSupportedVersions.
func proxyIgnoringSupportedVersions(c net.Conn, backend string, vers uint16) {
	defer c.Close()
	var hdr [5]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return
	}
	body := make([]byte, binary.BigEndian.Uint16(hdr[3:]))
	if _, err := io.ReadFull(c, body); err != nil {
		return
	}
	body = ignoreSupportedVersions(body, vers)
	b, err := net.Dial("tcp", backend)
	if err != nil {
		return
	}
	defer b.Close()
	binary.BigEndian.PutUint16(hdr[3:], uint16(len(body)))
	if _, err := b.Write(append(hdr[:], body...)); err != nil {
		return
	}
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(c, b)
		c.Close()
		close(done)
	}()
	_, _ = io.Copy(b, c)
	b.Close()
	<-done
}

// ignoreSupportedVersions returns the handshake message msg (a ClientHello
// in one record, as crypto/tls sends it) without its supported_versions
// extension when that does not list vers; msg unchanged otherwise or when
// it cannot be parsed.
func ignoreSupportedVersions(msg []byte, vers uint16) []byte {
	const supportedVersions = 43
	// type(1) length(3) version(2) random(32) session_id<1> cipher_suites<2> compression<1> extensions<2>
	if len(msg) < 4+2+32+1 || msg[0] != 1 {
		return msg
	}
	p := 4 + 2 + 32
	p += 1 + int(msg[p])
	if p+2 > len(msg) {
		return msg
	}
	p += 2 + int(binary.BigEndian.Uint16(msg[p:]))
	if p+1 > len(msg) {
		return msg
	}
	p += 1 + int(msg[p])
	if p+2 > len(msg) {
		return msg
	}
	extStart := p + 2
	for q := extStart; q+4 <= len(msg); {
		typ, n := binary.BigEndian.Uint16(msg[q:]), int(binary.BigEndian.Uint16(msg[q+2:]))
		end := q + 4 + n
		if end > len(msg) {
			return msg
		}
		if typ == supportedVersions {
			want := binary.BigEndian.AppendUint16(nil, vers)
			for v := q + 5; v+2 <= end; v += 2 {
				if bytes.Equal(msg[v:v+2], want) {
					return msg
				}
			}
			out := append(append([]byte{}, msg[:q]...), msg[end:]...)
			binary.BigEndian.PutUint16(out[p:], uint16(len(out)-extStart))
			hl := len(out) - 4
			out[1], out[2], out[3] = byte(hl>>16), byte(hl>>8), byte(hl)
			return out
		}
		q = end
	}
	return msg
}

// SNIRequired starts an HTTPS server on 127.0.0.1 presenting cert to
// clients that send a server name (SNI), and returns its address. A
// ClientHello without one is refused with the alert unrecognized_name, as
// nginx does with ssl_reject_handshake on (and as many CDNs and ingress
// controllers do): crypto/tls sends that alert when it has no certificate
// to offer.
func SNIRequired(t testing.TB, cert tls.Certificate) string {
	t.Helper()
	return startTLS(t, &tls.Config{
		GetConfigForClient: func(hi *tls.ClientHelloInfo) (*tls.Config, error) {
			if hi.ServerName == "" {
				return &tls.Config{}, nil // no certificate: alert unrecognized_name
			}
			return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}}, nil
		},
	}).Listener.Addr().String()
}
