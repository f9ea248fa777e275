package probe

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// A server that refuses updoc's ordinary offer (TLS 1.2/1.3, Go's default
// suites) is asked once more with TLS 1.0–1.3 and every suite: the version
// and suite it then chooses are facts. Both ways an old server refuses are
// covered: the alert protocol_version of a current stack limited to the
// version, and the ServerHello of an old stack that ignores
// supported_versions ("server selected unsupported protocol version 301").
func TestLegacyHandshakeNamesWhatTheServerSpeaks(t *testing.T) {
	c := newCA(t)
	cert := c.issue(t, ca.Leaf{Names: []string{"svc.test"}})
	cbcOnly := httptest.NewUnstartedServer(http.NotFoundHandler())
	cbcOnly.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256}}
	quiet(cbcOnly)
	cbcOnly.StartTLS()
	defer cbcOnly.Close()

	for _, tt := range []struct {
		name, addr      string
		version, suite  string
		firstErrIsAlert bool // else crypto/tls's own refusal of the ServerHello
	}{
		{"TLS 1.0 only, alert", testserver.TLSVersionOnly(t, cert, tls.VersionTLS10), "TLS 1.0", "", true},
		{"TLS 1.1 only, alert", testserver.TLSVersionOnly(t, cert, tls.VersionTLS11), "TLS 1.1", "", true},
		{"TLS 1.0 only, old stack", testserver.OldTLSStack(t, cert, tls.VersionTLS10), "TLS 1.0", "", false},
		{"TLS 1.2 with a legacy suite only", cbcOnly.Listener.Addr().String(), "TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, port := hostPort(t, tt.addr)
			res := runOne(t, testOpts(t), upstream(t, "old", "https://svc.test:"+port+"/", withTargets(tt.addr),
				func(u *graph.Upstream) { u.TLS.CAFile = c.file }))
			tr := res.Targets[0].TLS
			must(t, tr != nil && tr.HandshakeErr != nil, "TLS = %+v", tr)
			if isAlert := remoteAlert(tr.HandshakeErr); isAlert != tt.firstErrIsAlert {
				t.Errorf("HandshakeErr %v: an alert from the server %v, want %v", tr.HandshakeErr, isAlert, tt.firstErrIsAlert)
			}
			must(t, tr.Legacy != nil, "no legacy handshake fact after %v", tr.HandshakeErr)
			if tr.Legacy.Version != tt.version || tt.suite != "" && tr.Legacy.CipherSuite != tt.suite ||
				tls.VersionName(tr.Legacy.VersionID) != tr.Legacy.Version || tls.CipherSuiteName(tr.Legacy.CipherSuiteID) != tr.Legacy.CipherSuite {
				t.Errorf("Legacy = %+v, want %s %s", tr.Legacy, tt.version, tt.suite)
			}
			if tr.Version != "" || tr.PeerCertificates != nil || res.Targets[0].HTTP != nil {
				t.Errorf("the failed handshake left facts of a session: %+v, HTTP %+v", tr, res.Targets[0].HTTP)
			}
		})
	}
}

// remoteAlert: err is an alert the server sent (crypto/tls reports it as a
// *net.OpError with Op "remote error").
func remoteAlert(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "remote error"
}

// countingConns counts the connections an http.Server accepted.
type countingConns struct{ n atomic.Int32 }

func (c *countingConns) count(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		c.n.Add(1)
	}
}

// No second handshake where the first did not fail in the negotiation:
// a peer that never answers (timeout) and a peer that answers plain HTTP.
// Each was connected to once (tcp, whose connection the tls layer's
// handshake used), never a second time.
func TestNoLegacyHandshakeAfterTimeoutOrPlainText(t *testing.T) {
	silent, accepted := silentTCP(t)
	res := runOne(t, testOpts(t), upstream(t, "silent", "tls://"+silent))
	if tr := res.Targets[0].TLS; tr == nil || tr.HandshakeErr == nil || tr.Legacy != nil {
		t.Errorf("silent peer: TLS = %+v", tr)
	}
	if !settle(func() bool { return accepted.Load() == 1 }) || accepted.Load() != 1 {
		t.Errorf("silent peer: %d connections, want 1 (tcp, then tls on it)", accepted.Load())
	}

	var conns countingConns
	plain := httptest.NewUnstartedServer(http.NotFoundHandler())
	plain.Config.ConnState = conns.count
	plain.Start()
	defer plain.Close()
	res = runOne(t, testOpts(t), upstream(t, "plain", "https://"+plain.Listener.Addr().String()+"/"))
	var rhe tls.RecordHeaderError
	if tr := res.Targets[0].TLS; tr == nil || !errors.As(tr.HandshakeErr, &rhe) || tr.Legacy != nil {
		t.Errorf("plain HTTP peer: TLS = %+v", tr)
	}
	if !settle(func() bool { return conns.n.Load() == 1 }) || conns.n.Load() != 1 {
		t.Errorf("plain HTTP peer: %d connections, want 1 (tcp, then tls on it)", conns.n.Load())
	}
}

// SNI is the name sent in the ClientHello: none for an IP address (RFC
// 6066 §3), tls.server_name when set, the URL host without its trailing
// dot otherwise. A server that requires SNI refuses the IP URL and serves
// the same IP with tls.server_name.
func TestSNIIsWhatTheClientHelloCarried(t *testing.T) {
	c := newCA(t)
	addr := testserver.SNIRequired(t, c.issue(t, ca.Leaf{Names: []string{"svc.test"}}))
	_, port := hostPort(t, addr)
	withCA := func(u *graph.Upstream) { u.TLS.CAFile = c.file }
	for _, tt := range []struct {
		name, url, serverName string
		wantSNI, wantVerified string
		refused               bool
	}{
		{name: "IP URL", url: "https://" + addr + "/", wantVerified: "127.0.0.1", refused: true},
		{name: "IP URL with tls.server_name", url: "https://" + addr + "/", serverName: "svc.test", wantSNI: "svc.test", wantVerified: "svc.test"},
		{name: "host name", url: "https://svc.test:" + port + "/", wantSNI: "svc.test", wantVerified: "svc.test"},
		{name: "fully qualified host name", url: "https://svc.test.:" + port + "/", wantSNI: "svc.test", wantVerified: "svc.test."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := runOne(t, testOpts(t), upstream(t, "sni", tt.url, withTargets(addr), withCA,
				func(u *graph.Upstream) { u.TLS.ServerName = tt.serverName }))
			tr := res.Targets[0].TLS
			must(t, tr != nil, "no tls layer: %+v", res.Targets[0])
			if tr.SNI != tt.wantSNI || tr.ServerName != tt.wantVerified {
				t.Errorf("SNI %q, ServerName %q; want %q, %q", tr.SNI, tr.ServerName, tt.wantSNI, tt.wantVerified)
			}
			if refused := tr.HandshakeErr != nil; refused != tt.refused {
				t.Fatalf("handshake error %v, want refused: %v", tr.HandshakeErr, tt.refused)
			}
			if tt.refused {
				if !remoteAlert(tr.HandshakeErr) || tr.Legacy != nil {
					t.Errorf("HandshakeErr %v, Legacy %+v: want the server's alert and no legacy answer", tr.HandshakeErr, tr.Legacy)
				}
				return
			}
			if tr.VerifyErr != nil || res.Targets[0].HTTP == nil || res.Targets[0].HTTP.StatusCode != 200 {
				t.Errorf("VerifyErr %v, HTTP %+v", tr.VerifyErr, res.Targets[0].HTTP)
			}
		})
	}
}
