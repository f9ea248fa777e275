package diagnose

import (
	"crypto/tls"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// remoteAlert is what crypto/tls returns for an alert from the peer.
func remoteAlert(a tls.AlertError) error { return &net.OpError{Op: "remote error", Err: a} }

// A server that requires a client certificate: over TLS 1.2 the handshake
// fails with the alert; over TLS 1.3 the tls layer reads the alert after
// the handshake (or, if it came late, the http layer sees it). Each is
// tls.handshake_failed saying so, with a step about tls.cert_file first.
func TestClientCertRequired(t *testing.T) {
	const (
		alertHandshakeFailure    = tls.AlertError(40)
		alertBadCertificate      = tls.AlertError(42)
		alertCertificateRequired = tls.AlertError(116)
	)
	tests := []struct {
		name      string
		tls       probe.TLSResult
		http      *probe.HTTPResult
		certFile  string
		layer     catalog.Layer
		msg       []string
		firstStep string
	}{
		{name: "TLS 1.2, none presented",
			tls:   probe.TLSResult{Version: "TLS 1.2", ClientCertRequested: true, HandshakeErr: remoteAlert(alertHandshakeFailure)},
			layer: "tls", msg: []string{"requires a client certificate and none was presented", "handshake failure"},
			firstStep: "set tls.cert_file and tls.key_file for api"},
		{name: "TLS 1.3, none presented",
			tls:   probe.TLSResult{Version: "TLS 1.3", ClientCertRequested: true, HandshakeErr: remoteAlert(alertCertificateRequired)},
			layer: "tls", msg: []string{"requires a client certificate and none was presented", "certificate required"},
			firstStep: "set tls.cert_file and tls.key_file for api"},
		{name: "TLS 1.3, alert seen by the http layer",
			tls:   probe.TLSResult{Version: "TLS 1.3", ClientCertRequested: true},
			http:  &probe.HTTPResult{Method: "GET", URL: "https://api.example.com/", Err: remoteAlert(alertCertificateRequired), ErrPhase: "headers"},
			layer: "http", msg: []string{"requires a client certificate and none was presented"},
			firstStep: "set tls.cert_file and tls.key_file for api"},
		{name: "certificate rejected",
			tls:      probe.TLSResult{Version: "TLS 1.3", ClientCertRequested: true, ClientCertSent: true, HandshakeErr: remoteAlert(alertBadCertificate)},
			certFile: "/etc/updoc/client.pem",
			layer:    "tls", msg: []string{"rejected the one presented", "bad certificate"},
			firstStep: "tls.cert_file (/etc/updoc/client.pem) of api was rejected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			up := node("api", "https://api.example.com/")
			up.TLS.CertFile, up.TLS.KeyFile = tc.certFile, tc.certFile
			tr := tc.tls
			target := tlsTarget("10.0.0.7:443", &tr)
			target.HTTP = tc.http
			rep := run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{target}})
			fs := findingsOf(rep, "api")
			if got := codes(fs); !slices.Equal(got, []string{"tls.handshake_failed/fail"}) {
				t.Fatalf("findings = %v", got)
			}
			if tl := upstreamOf(t, rep, "api").Targets[0].TLS; tl == nil || !tl.ClientCertRequested {
				t.Errorf("the report's tls does not say a client certificate was requested: %+v", tl)
			}
			f := fs[0]
			if f.Layer != tc.layer || f.Evidence["client_cert_requested"] != true {
				t.Errorf("layer %q evidence %v", f.Layer, f.Evidence)
			}
			mustContain(t, "message", f.Message, append([]string{"TLS handshake with 10.0.0.7:443 failed"}, tc.msg...)...)
			mustContain(t, "first step", f.Remediation[0], tc.firstStep)
			n := 0
			for _, s := range f.Remediation {
				if strings.Contains(s, "tls.cert_file") {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d steps name tls.cert_file: %q", n, f.Remediation)
			}
		})
	}

	// Not asked for a certificate: the alert is a plain handshake failure.
	up := node("api", "https://api.example.com/")
	target := tlsTarget("10.0.0.7:443", &probe.TLSResult{HandshakeErr: remoteAlert(tls.AlertError(40))})
	rep := run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{target}})
	f, ok := findCode(findingsOf(rep, "api"), catalog.TLSHandshakeFailed)
	if !ok || strings.Contains(f.Message, "client certificate") || f.Evidence["client_cert_requested"] != nil {
		t.Errorf("no client certificate asked: %+v", f)
	}
	mustContain(t, "message", f.Message, "the server sent a TLS alert: tls: handshake failure")
}
