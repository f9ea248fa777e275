package engine_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// QA finding 6: a handshake failure is put down to the missing SNI only
// when the facts say so, and SNI sent is never denied.

// alertHandshakeFailure is a TLS 1.2 alert record: fatal (2), handshake
// failure (40) — what OpenSSL answers a ClientHello with which it shares
// no cipher suite (openssl s_server -cipher DHE-RSA-AES128-GCM-SHA256).
var alertHandshakeFailure = []byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28}

// noSharedCipher serves on 127.0.0.1 a TLS port that reads a ClientHello
// and refuses it with handshake failure, whatever it offers.
func noSharedCipher(t *testing.T) string {
	return testserver.Raw(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		hdr := make([]byte, 5)
		if _, err := io.ReadFull(c, hdr); err != nil {
			return
		}
		if _, err := io.ReadFull(c, make([]byte, int(hdr[3])<<8|int(hdr[4]))); err != nil {
			return
		}
		_, _ = c.Write(alertHandshakeFailure)
	})
}

// A server checked by IP that shares no cipher suite with updoc (both the
// ordinary and the legacy handshake refused with handshake failure): the
// finding speaks of cipher suites and leads with seeing which the server
// accepts, not with tls.server_name; the tls object says no SNI was sent
// and does not give the IP as one. Before: "no SNI was sent … set
// tls.server_name" as step 1, ciphers never mentioned.
func TestNoSharedCipherByIPIsNotMissingSNI(t *testing.T) {
	addr := noSharedCipher(t)
	up := httpsUpstream(t, "127.0.0.1", addr, "")
	up.Targets = nil

	u := diagnoseOne(t, e2eOpts(t), up)
	f := onlyFinding(t, u, "tls.handshake_failed")
	mustSay(t, "message", f.Message, "TLS handshake with "+addr+" failed: the server refused updoc's offer (alert handshake failure) and a second one with TLS 1.0 to 1.3 and every cipher suite Go implements",
		"it shares no cipher suite with updoc", "no SNI was sent (127.0.0.1 is an IP address), which some servers also refuse this way")
	if f.Evidence["legacy_error"] != "tls: handshake failure" || f.Evidence["sni_sent"] != false {
		t.Errorf("evidence %v", f.Evidence)
	}
	mustSay(t, "first step", f.Remediation[0], "See the protocol versions and cipher suites the server accepts: nmap --script ssl-enum-ciphers -p ")
	for _, s := range f.Remediation {
		if strings.HasPrefix(s, "Set tls.server_name") || strings.Contains(s, "-servername 127.0.0.1") {
			t.Errorf("step %q", s)
		}
	}
	if x := u.Targets[0].TLS; x == nil || x.SNI != "" || x.ServerName != "127.0.0.1" {
		t.Errorf("tls object %+v: want server_name 127.0.0.1 and no SNI", x)
	}
}

// A redirect hop sends its host as SNI: a hop to https://login.test whose
// certificate is for another name is a hostname mismatch that does not
// say "no SNI was sent", and a hop to a server that requires SNI passes.
// Before: "no SNI was sent for the IP address … set tls.server_name",
// evidence sni_sent=false.
func TestRedirectHopSendsItsHostAsSNI(t *testing.T) {
	c := newTestCA(t)
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "login") })
	wrong := tlsServer(t, c.cert(t, ca.Leaf{Names: []string{"other.test"}}), ok)
	sniOnly := testserver.SNIRequired(t, c.cert(t, ca.Leaf{Names: []string{"login.test"}}))
	redirectTo := func(addr string) string {
		_, port, _ := net.SplitHostPort(addr)
		to := "https://login.test:" + port + "/"
		www := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }))
		t.Cleanup(www.Close)
		_, wwwPort, _ := net.SplitHostPort(www.Listener.Addr().String())
		return wwwPort
	}
	rep := runFile(t, withHosts(t, e2eOpts(t), "www.test", "login.test"), fmt.Sprintf(`version: 1
defaults:
  tls: {ca_file: %q}
  samples: 0
upstreams:
  towrong: {url: "http://www.test:%s/"}
  tosnionly: {url: "http://www.test:%s/"}
`, c.file, redirectTo(wrong), redirectTo(sniOnly)), nil)

	f := onlyFindingOf(t, rep, "towrong")
	wantFinding(t, f, "tls.hostname_mismatch", report.Fail, "http", f.Target, "covers other.test, not login.test")
	if strings.Contains(f.Message, "SNI") || f.Evidence["sni_sent"] != nil || f.Evidence["server_name"] != "login.test" {
		t.Errorf("message %q evidence %v", f.Message, f.Evidence)
	}
	if u := rep.Upstream("tosnionly"); u.Status != report.Healthy || len(u.Findings) != 0 {
		t.Errorf("hop to a server that requires SNI: status %s findings %+v", u.Status, u.Findings)
	}
}
