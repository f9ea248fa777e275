package diagnose

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// A handshake the server refused with the alert unrecognized name while no
// SNI was sent (the url names an IP address) is put down to the missing
// name, and its steps lead with tls.server_name; the evidence says no SNI
// was sent instead of naming the IP as one. Another refusal of a nameless
// handshake (handshake failure, a close) is not (QA finding 6): the
// message says no SNI was sent and how to tell, and no step leads with
// tls.server_name; refused by the legacy handshake too (every suite Go
// implements), handshake failure is no cipher suite in common. With a
// name sent, or a failure that is not the server's refusal (timeout),
// nothing is said of SNI.
func TestHandshakeRefusedWithoutSNI(t *testing.T) {
	ipUp := tlsUpstream("https://10.0.0.7/", "")
	nameUp := tlsUpstream("https://api.example.com/", "")
	noSNI := func(err error) *probe.TLSResult {
		return &probe.TLSResult{ServerName: "10.0.0.7", SNI: "", HandshakeErr: err, Duration: 5 * time.Second}
	}
	const lead = "Set tls.server_name for api to a name the server serves, keeping the IP address in the url"
	for _, tc := range []tlsCase{
		{name: "alert unrecognized_name", up: ipUp, tr: noSNI(remoteAlert(alertUnrecognizedName)),
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message: []string{"TLS handshake with 10.0.0.7:443 failed: the server refused a handshake without a server name (alert unrecognized name); " +
				"no SNI was sent, since 10.0.0.7 is an IP address", "set tls.server_name to a name the server serves"},
			evidence: map[string]any{"sni_sent": false, "server_name": nil, "alert": "unrecognized name"},
			steps:    []string{lead, "openssl s_client -connect 10.0.0.7:443 </dev/null", "-servername NAME"},
			notSteps: []string{"-servername 10.0.0.7"}},
		{name: "alert handshake_failure", up: ipUp, tr: noSNI(remoteAlert(alertHandshakeFailure)),
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message: []string{"the server sent a TLS alert: tls: handshake failure; no SNI was sent (10.0.0.7 is an IP address): " +
				"if the server picks its certificate by name, set tls.server_name (openssl s_client with and without -servername tells)"},
			evidence:  map[string]any{"sni_sent": false, "alert": "handshake failure"},
			firstStep: "Reproduce and read the alert: openssl s_client -connect 10.0.0.7:443 </dev/null",
			notSteps:  []string{lead}},
		{name: "alert handshake_failure, the legacy handshake refused too: no common cipher suite", up: ipUp,
			tr:   &probe.TLSResult{ServerName: "10.0.0.7", HandshakeErr: remoteAlert(alertHandshakeFailure), LegacyErr: remoteAlert(alertHandshakeFailure)},
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message: []string{"the server refused updoc's offer (alert handshake failure) and a second one with TLS 1.0 to 1.3 and every cipher suite Go implements, " +
				"legacy ones included (tls: handshake failure): it shares no cipher suite with updoc", "such as DHE",
				"; no SNI was sent (10.0.0.7 is an IP address), which some servers also refuse this way: the steps tell the two apart"},
			evidence:  map[string]any{"sni_sent": false, "alert": "handshake failure", "legacy_error": "tls: handshake failure"},
			firstStep: "See the protocol versions and cipher suites the server accepts: nmap --script ssl-enum-ciphers -p 443 10.0.0.7",
			steps:     []string{"implements no DHE", "openssl s_client -connect 10.0.0.7:443 -servername NAME </dev/null", "set tls.server_name for api"},
			notSteps:  []string{lead, "-servername 10.0.0.7"}},
		{name: "closed", up: ipUp, tr: noSNI(io.EOF),
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message:  []string{"closed the connection during the handshake (EOF); no SNI was sent (10.0.0.7 is an IP address): if the server picks its certificate by name"},
			notSteps: []string{lead}},
		{name: "timeout: not a refusal", up: ipUp, tr: noSNI(context.DeadlineExceeded),
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message:  []string{"did not complete within the 5s timeout"},
			evidence: map[string]any{"sni_sent": false, "server_name": nil},
			notSteps: []string{"tls.server_name", "-servername 10.0.0.7"}, notMessage: []string{"SNI"}},
		{name: "a name was sent", up: nameUp, tr: &probe.TLSResult{HandshakeErr: remoteAlert(alertUnrecognizedName)},
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message:  []string{"the server sent a TLS alert: tls: unrecognized name"},
			evidence: map[string]any{"server_name": "api.example.com", "sni_sent": nil},
			steps:    []string{"-servername api.example.com"},
			notSteps: []string{lead}, notMessage: []string{"SNI"}},
		{name: "default certificate for a nameless handshake", up: ipUp, tr: defaultCert(t),
			code: catalog.TLSHostnameMismatch, severity: report.Fail,
			message:  []string{"covers default.example.com, not 10.0.0.7; no SNI was sent for the IP address, so the server sent its default certificate: set tls.server_name"},
			evidence: map[string]any{"sni_sent": false},
			steps:    []string{"set tls.server_name to it"}},
	} {
		t.Run(tc.name, tc.check)
	}
}

// defaultCert is the tls facts of an IP URL whose server, given no SNI,
// sent its default certificate for default.example.com.
func defaultCert(t *testing.T) *probe.TLSResult {
	p := newPKI(t)
	c := p.leaf(t, testNow.Add(-day), testNow.Add(60*day), "default.example.com")
	return &probe.TLSResult{ServerName: "10.0.0.7", PeerCertificates: []*x509.Certificate{c}, VerifyErr: p.verify(c, "10.0.0.7", p.pool)}
}

// The alert a real crypto/tls server sends is read from its type: a
// server with no certificate for a nameless ClientHello sends
// unrecognized_name.
func TestPeerAlertOfARealServer(t *testing.T) {
	c1, c2 := net.Pipe()
	defer c1.Close()
	go func() {
		defer c2.Close()
		_ = tls.Server(c2, &tls.Config{}).Handshake() // no certificate
	}()
	_ = c1.SetDeadline(time.Now().Add(5 * time.Second))
	err := tls.Client(c1, &tls.Config{InsecureSkipVerify: true}).Handshake() //nolint:gosec // no certificate is ever sent
	if a, ok := peerAlert(err); !ok || a != alertUnrecognizedName {
		t.Fatalf("peerAlert(%v) = %v, %v; want unrecognized name", err, a, ok)
	}
	if _, ok := peerAlert(errors.New("remote error: tls: unrecognized name")); ok {
		t.Error("an error text was read as an alert")
	}
}

// A server that refused updoc's handshake and completed the legacy one
// speaks only TLS 1.0/1.1 (whether it refused with an alert or answered
// with a ServerHello crypto/tls rejects) or only legacy suites: the
// message says which, and the steps reveal it.
func TestLegacyOnlyServer(t *testing.T) {
	up := tlsUpstream("https://api.example.com/", "")
	legacy := func(err error, vers uint16, suite uint16) *probe.TLSResult {
		return &probe.TLSResult{HandshakeErr: err, Legacy: &probe.LegacyHandshake{
			Version: tls.VersionName(vers), VersionID: vers, CipherSuite: tls.CipherSuiteName(suite), CipherSuiteID: suite}}
	}
	versionSteps := []string{"nmap --script ssl-enum-ciphers -p 443 10.0.0.7", "-tls1 -cipher 'DEFAULT:@SECLEVEL=0'", "ssl_protocols TLSv1.2 TLSv1.3"}
	for _, tc := range []tlsCase{
		{name: "TLS 1.0, alert protocol_version", up: up,
			tr:   legacy(remoteAlert(tls.AlertError(70)), tls.VersionTLS10, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message: []string{"TLS handshake with 10.0.0.7:443 failed: the server speaks TLS 1.0 only; updoc requires ≥ TLS 1.2",
				"the handshake failed: tls: protocol version not supported", "it completed with TLS 1.0"},
			evidence: map[string]any{"legacy_version": "TLS 1.0", "legacy_cipher_suite": "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "server_name": "api.example.com"},
			steps:    versionSteps, notSteps: []string{"client certificate", "then again with -tls1_3"}},
		{name: "TLS 1.0, ServerHello rejected by crypto/tls", up: up,
			tr:   legacy(errors.New("tls: server selected unsupported protocol version 301"), tls.VersionTLS10, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message: []string{"the server speaks TLS 1.0 only; updoc requires ≥ TLS 1.2", "unsupported protocol version 301"},
			steps:   versionSteps},
		{name: "TLS 1.1", up: up,
			tr:   legacy(remoteAlert(tls.AlertError(70)), tls.VersionTLS11, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message: []string{"the server speaks TLS 1.1 only; updoc requires ≥ TLS 1.2"}, steps: versionSteps},
		{name: "TLS 1.2 with a legacy suite", up: up,
			tr:   legacy(remoteAlert(tls.AlertError(40)), tls.VersionTLS12, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256),
			code: catalog.TLSHandshakeFailed, severity: report.Fail,
			message: []string{"the server accepts only cipher suites updoc does not offer", "it chose TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 with TLS 1.2"},
			steps:   []string{"nmap --script ssl-enum-ciphers", "-cipher 'ALL:@SECLEVEL=0'"}, notSteps: []string{"-tls1 "}},
	} {
		t.Run(tc.name, tc.check)
	}
}
