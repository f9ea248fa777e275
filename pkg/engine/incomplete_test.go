package engine_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/report"
)

// Answers that arrive but are not whole, or point where updoc cannot
// follow — before: http.server_error "the body was cut short …" with the
// steps of a 5xx ("find the stack trace, roll back"), also for redirects.
func TestIncompleteAnswersAndUnfollowableRedirects(t *testing.T) {
	answer := func(raw string) string {
		return testserver.Raw(t, func(conn net.Conn) {
			if _, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
				_, _ = io.WriteString(conn, raw)
			}
		})
	}
	cases := []struct {
		name, addr, code string
		words            []string
	}{
		{"short", answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\nonly ten b"),
			"http.protocol_error", []string{"200 OK from", "the body was cut short after 10 bytes of the 100 its Content-Length announced"}},
		{"ftp", answer("HTTP/1.1 302 Found\r\nLocation: ftp://files.example.test/pub/\r\nContent-Length: 0\r\n\r\n"),
			"http.unexpected_status", []string{"302 Found from", "redirects to ftp://files.example.test/pub/, a ftp:// URL updoc cannot follow", "follow_redirects: false"}},
		{"badlocation", answer("HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n"),
			"http.protocol_error", []string{"302 Found from", "redirects to a Location that is not a URL"}},
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
			for _, s := range f.Remediation {
				if strings.Contains(s, "stack trace") || strings.Contains(s, "roll back") {
					t.Errorf("a server error's step: %q", s)
				}
			}
		})
	}
}
