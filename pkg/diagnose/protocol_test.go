package diagnose

import (
	"compress/gzip"
	"errors"
	"io"
	"net/textproto"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// Answers that are not HTTP/1.x, judged from what the server sent and what
// its port answered when asked again (issue 9 cases 13, 16, 17, 18).
func TestAnswersThatAreNotHTTP(t *testing.T) {
	const addr = "10.0.0.7:8080"
	settings := "\x00\x00\x12\x04\x00\x00\x00\x00\x00" + strings.Repeat("\x00", 18)
	tests := []struct {
		name     string
		mod      func(*probe.HTTPResult)
		code     string
		message  string
		step     string // a substring of the first remediation step
		evidence []string
	}{
		{
			name:    "closed before a status line",
			mod:     func(h *probe.HTTPResult) { h.Err = io.EOF },
			code:    catalog.HTTPNoResponse,
			message: "10.0.0.7:8080 closed the connection before sending a status line (GET http://10.0.0.7:8080/health)",
			step:    `"Empty reply from server" means closed`,
		},
		{
			name:    "reset before a status line",
			mod:     func(h *probe.HTTPResult) { h.Err = errReset },
			code:    catalog.HTTPNoResponse,
			message: "10.0.0.7:8080 reset the connection (connection reset by peer) before sending a status line",
		},
		{
			name: "header block never ended",
			mod: func(h *probe.HTTPResult) {
				h.Received, h.Err = []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Request-Id: 7\r\n"), io.ErrUnexpectedEOF
			},
			code:     catalog.HTTPProtocolError,
			message:  "10.0.0.7:8080 sent an answer that is not valid HTTP (GET http://10.0.0.7:8080/health): status 200 and 2 headers arrived, the header block never ended (the connection was closed)",
			step:     "| nc -w 5 10.0.0.7 8080",
			evidence: []string{"received", "headers_received"},
		},
		{
			name: "header line without a colon",
			mod: func(h *probe.HTTPResult) {
				h.Received = []byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Broken header\r\n\r\nok")
				h.Err = textproto.ProtocolError("malformed MIME header line: X-Broken header")
			},
			code:    catalog.HTTPProtocolError,
			message: `after status 200, header line 2 has no colon: "X-Broken header"`,
		},
		{
			name: "header name with a space",
			mod: func(h *probe.HTTPResult) {
				h.Received, h.Err = []byte("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"), textproto.ProtocolError("malformed MIME header line: Bad Name: x")
			},
			code:    catalog.HTTPProtocolError,
			message: `after status 200, header line 1 has an invalid name: "Bad Name: x"`,
		},
		{
			name: "not a status line",
			mod: func(h *probe.HTTPResult) {
				h.Received, h.Err = []byte("SSH-2.0-OpenSSH_9.6\r\n"), errors.New(`malformed HTTP response "SSH-2.0-OpenSSH_9.6"`)
			},
			code:    catalog.HTTPProtocolError,
			message: `the status line is not HTTP: "SSH-2.0-OpenSSH_9.6"`,
		},
		{
			name: "malformed status code",
			mod: func(h *probe.HTTPResult) {
				h.Received, h.Err = []byte("HTTP/1.1 2OO OK\r\n\r\n"), errors.New("malformed HTTP status code")
			},
			code:    catalog.HTTPProtocolError,
			message: `malformed status line "HTTP/1.1 2OO OK"`,
		},
		{
			name: "TLS alert record",
			mod: func(h *probe.HTTPResult) {
				h.Received, h.Err, h.OtherProtocol = []byte("\x15\x03\x01\x00\x02\x02\x46"), errors.New("malformed HTTP response"), "tls"
			},
			code:    catalog.HTTPProtocolError,
			message: "10.0.0.7:8080 answered plain HTTP with a TLS alert record: this port speaks TLS: use https://10.0.0.7:8080/health",
			step:    "change the url of users to https://",
		},
		{
			name:    "TLS port that resets",
			mod:     func(h *probe.HTTPResult) { h.Err, h.OtherProtocol = errReset, "tls" },
			code:    catalog.HTTPProtocolError,
			message: "with a reset (and a TLS handshake on a new connection succeeded): this port speaks TLS: use https://",
		},
		{
			name:     "h2c only, frames received",
			mod:      func(h *probe.HTTPResult) { h.Received, h.Err, h.OtherProtocol = []byte(settings), errReset, "h2c" },
			code:     catalog.HTTPProtocolError,
			message:  "10.0.0.7:8080 speaks only HTTP/2 cleartext (h2c, prior knowledge): it answered the HTTP/1.1 request with HTTP/2 frames",
			step:     "curl --http2-prior-knowledge",
			evidence: []string{"other_protocol", "received"},
		},
		{
			name:    "h2c only, found by asking",
			mod:     func(h *probe.HTTPResult) { h.Err, h.OtherProtocol = io.EOF, "h2c" },
			code:    catalog.HTTPProtocolError,
			message: "it closed the HTTP/1.1 request and answered the HTTP/2 connection preface",
		},
		{
			name: "a partial head, then silence, is a timeout",
			mod: func(h *probe.HTTPResult) {
				h.Received, h.Err = []byte("HTTP/1.1 200 OK\r\n"), &opTimeout{}
			},
			code:    catalog.HTTPTimeout,
			message: "no response headers from 10.0.0.7:8080",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := httpOK(addr, 0)
			tr.HTTP.Body, tr.HTTP.ErrPhase = nil, "headers"
			tc.mod(tr.HTTP)
			tr.HTTP.URL = "http://10.0.0.7:8080/health"
			f := oneFinding(t, run(graphOf(node("users", "http://users.internal:8080/health")), probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr}}))
			if f.Code != tc.code || f.Severity != report.Fail || f.Layer != catalog.LayerHTTP || f.Target != addr {
				t.Errorf("got %s %s %s %q", f.Code, f.Severity, f.Layer, f.Target)
			}
			mustContain(t, "message", f.Message, tc.message)
			if tc.step != "" {
				mustContain(t, "first step", f.Remediation[0], tc.step)
			}
			for _, k := range tc.evidence {
				if _, ok := f.Evidence[k]; !ok {
					t.Errorf("evidence lacks %q: %v", k, f.Evidence)
				}
			}
		})
	}
}

// opTimeout is a net.Error that timed out.
type opTimeout struct{}

func (*opTimeout) Error() string   { return "i/o timeout" }
func (*opTimeout) Timeout() bool   { return true }
func (*opTimeout) Temporary() bool { return false }

// A TLS server's 400 page to plain HTTP is the port speaking TLS, not a
// bad request of ours (Go: "Client sent an HTTP request to an HTTPS
// server.", nginx: "The plain HTTP request was sent to HTTPS port").
func TestPlainHTTPToATLSPort(t *testing.T) {
	tr := httpOK("10.0.0.7:8443", 400)
	tr.HTTP.Proto, tr.HTTP.Body, tr.HTTP.OtherProtocol = "HTTP/1.0", []byte("Client sent an HTTP request to an HTTPS server.\n"), "tls"
	tr.HTTP.URL = "http://users.internal:8443/health"
	f := oneFinding(t, run(graphOf(node("users", "http://users.internal:8443/health")), probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr}}))
	if f.Code != catalog.HTTPProtocolError {
		t.Fatalf("code %s: %s", f.Code, f.Message)
	}
	mustContain(t, "message", f.Message,
		`answered plain HTTP with a 400 page ("Client sent an HTTP request to an HTTPS server."): this port speaks TLS: use https://users.internal:8443/health`)
	// The same 400 from a port that does not speak TLS is the service's.
	tr.HTTP.OtherProtocol = ""
	if f := oneFinding(t, run(graphOf(node("users", "http://users.internal:8443/health")), probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr}})); f.Code != catalog.HTTPUnexpectedStatus {
		t.Errorf("without TLS on the port: %s", f.Code)
	}
}

// The body is checked decoded (by the probe, as it streams: BodyMissing);
// the finding says so, and what cannot be decoded says so (case 16).
func TestBodyEncodings(t *testing.T) {
	up := node("users", "http://users.internal:8080/health")
	up.Expect.BodyContains = `"UP"`
	judge := func(mod func(*probe.HTTPResult)) []report.Finding {
		tr := httpOK("10.0.0.7:8080", 200)
		tr.HTTP.Header.Set("Content-Encoding", "gzip")
		mod(tr.HTTP)
		return run(graphOf(up), probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr}}).Upstreams[0].Findings
	}
	if fs := judge(func(h *probe.HTTPResult) { h.Body, h.ContentEncoding = []byte(`{"status":"UP"}`), "gzip" }); len(fs) != 0 {
		t.Errorf("decoded body that matches: %v", codes(fs))
	}
	fs := judge(func(h *probe.HTTPResult) {
		h.Body, h.ContentEncoding, h.BodyMissing = []byte(`{"status":"DOWN"}`), "gzip", true
	})
	if len(fs) != 1 || fs[0].Code != catalog.HTTPBodyMismatch || fs[0].Evidence["content_encoding"] != "gzip" {
		t.Fatalf("findings %+v", fs)
	}
	mustContain(t, "message", fs[0].Message, `does not contain "\"UP\"" (decoded from gzip)`)
	fs = judge(func(h *probe.HTTPResult) { h.Body, h.Undecoded, h.BodyMissing = []byte("\x1b\x0e"), "br", true })
	mustContain(t, "message", fs[0].Message, "it is br-encoded, which updoc cannot decode: drop br from the Accept-Encoding header of users")
	_, err := gzip.NewReader(strings.NewReader("this is not gzip at all"))
	fs = judge(func(h *probe.HTTPResult) { h.Body, h.Err, h.ErrPhase = []byte("not gzip"), err, "decode" })
	if len(fs) != 1 || fs[0].Code != catalog.HTTPProtocolError {
		t.Fatalf("findings %+v", fs)
	}
	mustContain(t, "message", fs[0].Message, "200 OK from 10.0.0.7:8080 but its body, sent with Content-Encoding: gzip, does not decode: gzip: invalid header")
}

func oneFinding(t *testing.T, rep report.Report) report.Finding {
	t.Helper()
	fs := rep.Upstreams[0].Findings
	if len(fs) != 1 {
		t.Fatalf("findings %v", codes(fs))
	}
	t.Logf("%s: %s\n\t%s", fs[0].Code, fs[0].Message, strings.Join(fs[0].Remediation, "\n\t"))
	return fs[0]
}
