package engine_test

import (
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// Handshakes the server refuses, end to end (issue 9, cases 8, 9 and 12).

// Case 8: a server that aborts handshakes without SNI (alert
// unrecognized_name), checked by IP. The finding says no SNI was sent
// (Go sends none for an IP) and leads with tls.server_name; the evidence
// does not claim one was sent. Control: with tls.server_name it is healthy.
func TestHandshakeWithoutSNIRefused(t *testing.T) {
	_, inter, caFile := labPKI(t, time.Time{})
	cert, err := inter.Issue(ca.Leaf{Names: []string{"svc.test"}})
	if err != nil {
		t.Fatal(err)
	}
	addr := testserver.SNIRequired(t, cert)
	up := httpsUpstream(t, "127.0.0.1", addr, caFile)
	up.Targets = nil // the url's IP address itself

	u := diagnoseOne(t, e2eOpts(t), up)
	f := onlyFinding(t, u, "tls.handshake_failed")
	if f.Severity != report.Fail || f.Layer != "tls" || f.Target != addr {
		t.Errorf("severity %s layer %s target %s", f.Severity, f.Layer, f.Target)
	}
	mustSay(t, "message", f.Message, "TLS handshake with "+addr+" failed: the server refused a handshake without a server name (alert unrecognized name)",
		"no SNI was sent, since 127.0.0.1 is an IP address", "set tls.server_name")
	if _, claims := f.Evidence["server_name"]; claims || f.Evidence["sni_sent"] != false || f.Evidence["alert"] != "unrecognized name" {
		t.Errorf("evidence %v", f.Evidence)
	}
	mustSay(t, "first step", f.Remediation[0], "Set tls.server_name for svc to a name the server serves")
	for _, s := range f.Remediation {
		if strings.Contains(s, "-servername 127.0.0.1") {
			t.Errorf("a step sends the IP address as SNI: %q", s)
		}
	}

	up.TLS.ServerName = "svc.test"
	if control := diagnoseOne(t, e2eOpts(t), up); control.Status != report.Healthy || len(control.Findings) != 0 {
		t.Errorf("with tls.server_name: status %s findings %+v", control.Status, control.Findings)
	}
}

// Case 12: a server that speaks only TLS 1.0 — a current stack limited to
// it (alert protocol_version) or an old stack that answers with a TLS 1.0
// ServerHello ("unsupported protocol version 301"). The finding says "TLS
// 1.0 only; updoc requires ≥ TLS 1.2" and its steps reveal it. No
// GODEBUG setting is needed: crypto/tls serves TLS 1.0 when MinVersion
// asks for it, and updoc's legacy handshake asks for it explicitly.
func TestTLS10OnlyServer(t *testing.T) {
	_, inter, caFile := labPKI(t, time.Time{})
	cert, err := inter.Issue(ca.Leaf{Names: []string{"svc.test"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, addr := range map[string]string{
		"alert protocol_version":       testserver.TLSVersionOnly(t, cert, tls.VersionTLS10),
		"ServerHello of TLS 1.0 (301)": testserver.OldTLSStack(t, cert, tls.VersionTLS10),
	} {
		t.Run(name, func(t *testing.T) {
			u := diagnoseOne(t, e2eOpts(t), httpsUpstream(t, "svc.test", addr, caFile))
			f := onlyFinding(t, u, "tls.handshake_failed")
			if f.Severity != report.Fail || f.Layer != "tls" || f.Target != addr {
				t.Errorf("severity %s layer %s target %s", f.Severity, f.Layer, f.Target)
			}
			mustSay(t, "message", f.Message, "TLS handshake with "+addr+" failed: the server speaks TLS 1.0 only; updoc requires ≥ TLS 1.2",
				"it completed with TLS 1.0")
			if f.Evidence["legacy_version"] != "TLS 1.0" {
				t.Errorf("evidence %v", f.Evidence)
			}
			port := addr[strings.LastIndexByte(addr, ':')+1:]
			mustSay(t, "remediation", strings.Join(f.Remediation, "\n"),
				"nmap --script ssl-enum-ciphers -p "+port+" 127.0.0.1",
				"openssl s_client -connect "+addr+" -servername svc.test -tls1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null",
				"ssl_protocols TLSv1.2 TLSv1.3")
		})
	}
}

// Case 9: a certificate with a common name only, no subjectAltName:
// tls.hostname_mismatch saying clients ignore the CN and it has no SAN.
func TestCommonNameOnlyCertificateEndToEnd(t *testing.T) {
	_, inter, caFile := labPKI(t, time.Time{})
	cert, err := inter.Issue(ca.Leaf{Names: []string{"svc.test"}, CommonNameOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	addr := testserver.HTTPS(t, cert)
	u := diagnoseOne(t, e2eOpts(t), httpsUpstream(t, "svc.test", addr, caFile))
	f := onlyFinding(t, u, "tls.hostname_mismatch")
	if f.Severity != report.Fail || f.Layer != "tls" || f.Target != addr {
		t.Errorf("severity %s layer %s target %s", f.Severity, f.Layer, f.Target)
	}
	mustSay(t, "message", f.Message, "names svc.test only in its common name (CN) and has no subjectAltName",
		"modern clients ignore the common name", "covers no names, not svc.test")
	mustSay(t, "first step", f.Remediation[0], "-addext 'subjectAltName=DNS:svc.test'")
}
