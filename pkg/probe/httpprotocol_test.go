package probe

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// The protocol the http layer speaks, and what it records when the answer
// is not HTTP/1.x (SPEC §3, issue 9 cases 13, 17, 18).

// A TLS server that offers only h2 (gRPC style) is asked over HTTP/2.
func TestHTTPOverH2(t *testing.T) {
	c := newCA(t)
	addr := testserver.H2Only(t, c.issue(t, ca.Leaf{Names: []string{"svc.test"}}), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s", r.Proto, r.Host)
	}))
	_, port := hostPort(t, addr)
	res := runOne(t, testOpts(t), upstream(t, "svc", "https://svc.test:"+port+"/", withTargets(addr),
		func(u *graph.Upstream) { u.TLS.CAFile = c.file }))
	tr := res.Targets[0]
	must(t, tr.TLS != nil && tr.TLS.ALPN == "h2" && tr.TLS.VerifyErr == nil, "TLS = %+v", tr.TLS)
	h := tr.HTTP
	must(t, h != nil && h.Err == nil, "HTTP = %+v", h)
	if h.StatusCode != 200 || h.Proto != "HTTP/2.0" || string(h.Body) != "HTTP/2.0 svc.test:"+port {
		t.Errorf("status %d proto %q body %q", h.StatusCode, h.Proto, h.Body)
	}
	if h.Timings.TTFB <= 0 || h.Timings.TLS <= 0 {
		t.Errorf("timings = %+v", h.Timings)
	}
}

// A server that offers both keeps HTTP/1.1 working (ALPN picks it).
func TestHTTPOverTLSWithHTTP11(t *testing.T) {
	c := newCA(t)
	srv, _ := tlsServer(t, c.issue(t, ca.Leaf{Names: []string{"svc.test"}}), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.Proto)
	}))
	_, port := hostPort(t, srv.Listener.Addr().String())
	h := runOne(t, testOpts(t), upstream(t, "svc", "https://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()),
		func(u *graph.Upstream) { u.TLS.CAFile = c.file })).Targets[0].HTTP
	if h == nil || h.Err != nil || h.Proto != "HTTP/1.1" || string(h.Body) != "HTTP/1.1" {
		t.Errorf("HTTP = %+v", h)
	}
}

// What the http layer records of answers that are not HTTP/1.x, and what
// it learns by asking the port again.
func TestHTTPMalformedAnswers(t *testing.T) {
	c := newCA(t)
	cert := c.issue(t, ca.Leaf{Names: []string{"svc.test"}})
	respond := func(raw string) string {
		return testserver.Raw(t, func(conn net.Conn) {
			_, _ = http.ReadRequest(bufio.NewReader(conn))
			_, _ = io.WriteString(conn, raw)
		})
	}
	// A TLS server that resets a connection that does not start with a
	// TLS handshake record.
	resetsPlain := testserver.Raw(t, func(conn net.Conn) {
		br := bufio.NewReader(conn)
		if b, err := br.Peek(1); err != nil || b[0] != 22 {
			testserver.Reset(conn)
			return
		}
		tc := tls.Server(&bufferedConn{Conn: conn, r: br}, &tls.Config{Certificates: []tls.Certificate{cert}})
		_ = tc.Handshake()
	})
	// Go's own TLS server answers plain HTTP with a 400 page.
	goTLS := httptest.NewUnstartedServer(http.NotFoundHandler())
	goTLS.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	quiet(goTLS)
	goTLS.StartTLS()
	t.Cleanup(goTLS.Close)

	tests := []struct {
		name     string
		addr     string
		status   int
		received string // prefix of Received
		mayLose  bool   // Received may also be empty
		other    string
		phase    string
	}{
		{name: "header line without colon", addr: respond("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Broken header\r\n\r\nok"),
			received: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Broken header", phase: "headers"},
		{name: "header block never ends", addr: respond("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n"),
			received: "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n", phase: "headers"},
		{name: "closed before a status line", addr: respond(""), phase: "headers"},
		{name: "reset before a status line", addr: testserver.Raw(t, func(conn net.Conn) {
			_, _ = http.ReadRequest(bufio.NewReader(conn))
			testserver.Reset(conn)
		}), phase: "headers"},
		{name: "TLS alert record", addr: respond("\x15\x03\x01\x00\x02\x02\x46"), received: "\x15\x03\x01", other: "tls", phase: "headers"},
		{name: "TLS port that resets plain HTTP", addr: resetsPlain, other: "tls", phase: "headers"},
		{name: "TLS port that answers 400", addr: goTLS.Listener.Addr().String(), status: 400, other: "tls"},
		// Its SETTINGS frame may arrive or be lost to the reset its close
		// makes: asking the port again is what tells.
		{name: "h2c only", addr: testserver.H2COnly(t, http.NotFoundHandler()), received: "\x00\x00", mayLose: true, other: "h2c", phase: "headers"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, port := hostPort(t, tc.addr)
			h := runOne(t, testOpts(t), upstream(t, "svc", "http://svc.test:"+port+"/", withTargets(tc.addr))).Targets[0].HTTP
			must(t, h != nil, "no HTTP result")
			if h.StatusCode != tc.status || h.ErrPhase != tc.phase || h.OtherProtocol != tc.other {
				t.Errorf("status %d phase %q (%v) other %q; want %d %q %q", h.StatusCode, h.ErrPhase, h.Err, h.OtherProtocol, tc.status, tc.phase, tc.other)
			}
			lost := tc.mayLose && len(h.Received) == 0
			if !lost && (!strings.HasPrefix(string(h.Received), tc.received) || (tc.received == "") != (len(h.Received) == 0)) {
				t.Errorf("Received = %q, want %q…", h.Received, tc.received)
			}
			if tc.phase != "" && h.Err == nil {
				t.Error("no Err")
			}
		})
	}
}

// A response that arrives has no Received bytes and asks nothing more.
func TestHTTPWellFormedAnswerKeepsNoBytes(t *testing.T) {
	s := httpServer(t)
	h := runOne(t, testOpts(t), s.upstream(t, "/status/500")).Targets[0].HTTP
	if h.StatusCode != 500 || h.Received != nil || h.OtherProtocol != "" || h.Err != nil {
		t.Errorf("HTTP = %+v", h)
	}
	var pe *ProxyError
	if errors.As(h.Err, &pe) {
		t.Errorf("Err %v", h.Err)
	}
}

// A port that resets the request and answers nothing to the questions
// that follow holds the run for half the timeout at most (the failure
// this catches is waiting the whole timeout or more: the bound leaves the
// other half as slack for a loaded machine), and the request's timings
// are its own.
func TestHTTPAskingAgainIsBounded(t *testing.T) {
	const timeout = 2 * time.Second
	addr := testserver.Raw(t, func(conn net.Conn) {
		br := bufio.NewReader(conn)
		if b, err := br.Peek(3); err == nil && string(b) == "GET" {
			testserver.Reset(conn)
			return
		}
		_, _ = io.Copy(io.Discard, br) // silent until the client goes
	})
	_, port := hostPort(t, addr)
	start := time.Now()
	up := upstream(t, "svc", "http://svc.test:"+port+"/", withTargets(addr))
	up.Timeout = timeout
	h := runOne(t, testOpts(t), up).Targets[0].HTTP
	took := time.Since(start)
	if h.OtherProtocol != "" || h.Err == nil || took >= timeout {
		t.Errorf("other %q err %v, took %v (timeout %v)", h.OtherProtocol, h.Err, took, timeout)
	}
	if h.Timings.Total >= timeout/2 { // the questions took that long
		t.Errorf("the request's timings include the questions: %v", h.Timings.Total)
	}
}
