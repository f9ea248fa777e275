package engine_test

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// Issue 9 cases 17 and 18: answers that are not HTTP, and no answer at all
// — before: http.server_error "closed without a response" ("find the stack
// trace, roll back") for every one of them.
func TestAnswersThatAreNotHTTPEndToEnd(t *testing.T) {
	cert := newTestCA(t).cert(t, ca.Leaf{Names: []string{"svc.test"}})
	afterRequest := func(then func(net.Conn)) string {
		return testserver.Raw(t, func(conn net.Conn) {
			if _, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
				then(conn)
			}
		})
	}
	write := func(raw string) func(net.Conn) {
		return func(conn net.Conn) { _, _ = io.WriteString(conn, raw) }
	}
	// A TLS server as OpenSSL-based ones behave: an alert record to what is
	// not a ClientHello, a handshake to a ClientHello.
	alerting := testserver.Raw(t, func(conn net.Conn) {
		br := bufio.NewReader(conn)
		if b, err := br.Peek(1); err != nil || b[0] != 22 {
			_, _ = io.WriteString(conn, "\x15\x03\x01\x00\x02\x02\x46")
			return
		}
		_ = tls.Server(&peeked{conn, br}, &tls.Config{Certificates: []tls.Certificate{cert}}).Handshake()
	})
	// A TLS server that resets what is not a ClientHello.
	resetting := testserver.Raw(t, func(conn net.Conn) {
		br := bufio.NewReader(conn)
		if b, err := br.Peek(1); err != nil || b[0] != 22 {
			testserver.Reset(conn)
			return
		}
		_ = tls.Server(&peeked{conn, br}, &tls.Config{Certificates: []tls.Certificate{cert}}).Handshake()
	})
	// Go's TLS server sends a 400 page to plain HTTP.
	goTLS := tlsServer(t, cert, http.NotFoundHandler())

	cases := []struct {
		name, addr, code string
		words            []string
	}{
		{"headerwithoutcolon", afterRequest(write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Broken header\r\n\r\nok")),
			"http.protocol_error", []string{`after status 200, header line 2 has no colon: "X-Broken header"`}},
		{"headernoend", afterRequest(write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Request-Id: 7\r\n")),
			"http.protocol_error", []string{"status 200 and 2 headers arrived, the header block never ended"}},
		{"closes", afterRequest(func(net.Conn) {}),
			"http.no_response", []string{"closed the connection before sending a status line"}},
		{"resets", afterRequest(testserver.Reset),
			"http.no_response", []string{"reset the connection (connection reset by peer) before sending a status line"}},
		{"tlsalert", alerting, "http.protocol_error", []string{"with a TLS alert record: this port speaks TLS: use https://"}},
		{"tlsreset", resetting, "http.protocol_error", []string{"with a reset", "this port speaks TLS: use https://"}},
		{"tls400", goTLS, "http.protocol_error",
			[]string{`answered plain HTTP with a 400 page ("Client sent an HTTP request to an HTTPS server."): this port speaks TLS: use https://`}},
	}
	addrs := map[string]string{}
	for _, tc := range cases {
		addrs[tc.name] = tc.addr
	}
	rep := runHealthChecks(t, addrs)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := onlyFindingOf(t, rep, tc.name)
			wantFinding(t, f, tc.code, report.Fail, "http", tc.addr, tc.words...)
			if !f.RootCause || rep.Upstream(tc.name).Status != report.Unhealthy {
				t.Errorf("root cause %v, status %s", f.RootCause, rep.Upstream(tc.name).Status)
			}
		})
	}
}

// peeked is a connection whose first bytes were peeked through r.
type peeked struct {
	net.Conn
	r *bufio.Reader
}

func (p *peeked) Read(b []byte) (int, error) { return p.r.Read(b) }
