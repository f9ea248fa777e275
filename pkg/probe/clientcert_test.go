package probe

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// A server that requires a client certificate fails the tls layer when
// none is presented, over TLS 1.2 (the alert ends the handshake) and over
// TLS 1.3 (the alert comes after the client's handshake is done), and the
// tls layer records that a certificate was asked for. With the certificate
// the layers pass.
func TestTLSClientCertificateRequired(t *testing.T) {
	c := newCA(t)
	certFile, keyFile := clientCertFiles(t, c)

	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		t.Run(tls.VersionName(v), func(t *testing.T) {
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, r.TLS.PeerCertificates[0].Subject.CommonName)
			}))
			srv.TLS = &tls.Config{
				Certificates: []tls.Certificate{c.issue(t, ca.Leaf{Names: []string{"svc.test"}})},
				ClientAuth:   tls.RequireAndVerifyClientCert,
				ClientCAs:    c.Pool(),
				MinVersion:   v,
				MaxVersion:   v,
			}
			quiet(srv)
			srv.StartTLS()
			defer srv.Close()
			_, port := hostPort(t, srv.Listener.Addr().String())
			mk := func(withCert bool) *graph.Upstream {
				return upstream(t, "mtls", "https://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()), func(u *graph.Upstream) {
					u.TLS.CAFile = c.file
					if withCert {
						u.TLS.CertFile, u.TLS.KeyFile = certFile, keyFile
					}
				})
			}

			tr := runOne(t, testOpts(t), mk(false)).Targets[0]
			must(t, tr.TLS != nil, "no tls result: %+v", tr)
			if !tr.TLS.ClientCertRequested || tr.TLS.ClientCertSent {
				t.Errorf("requested %v sent %v, want true false", tr.TLS.ClientCertRequested, tr.TLS.ClientCertSent)
			}
			var op *net.OpError
			if !errors.As(tr.TLS.HandshakeErr, &op) || op.Op != "remote error" {
				t.Errorf("HandshakeErr = %v (%T), want the server's alert", tr.TLS.HandshakeErr, tr.TLS.HandshakeErr)
			}
			if tr.HTTP != nil {
				t.Errorf("http ran after the tls layer failed: %+v", tr.HTTP)
			}

			tr = runOne(t, testOpts(t), mk(true)).Targets[0]
			must(t, tr.TLS != nil, "no tls result: %+v", tr)
			if tr.TLS.HandshakeErr != nil || tr.TLS.VerifyErr != nil || !tr.TLS.ClientCertRequested || !tr.TLS.ClientCertSent {
				t.Errorf("with a client certificate: TLS = %+v", tr.TLS)
			}
			if tr.HTTP == nil || tr.HTTP.StatusCode != 200 || string(tr.HTTP.Body) != "updoc" {
				t.Errorf("with a client certificate: HTTP = %+v", tr.HTTP)
			}
		})
	}

	t.Run("not asked", func(t *testing.T) {
		srv, _ := tlsServer(t, c.issue(t, ca.Leaf{Names: []string{"svc.test"}}), http.NotFoundHandler())
		_, port := hostPort(t, srv.Listener.Addr().String())
		u := upstream(t, "tls", "https://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()),
			func(u *graph.Upstream) { u.TLS.CAFile = c.file })
		tr := runOne(t, testOpts(t), u).Targets[0]
		if tr.TLS == nil || tr.TLS.HandshakeErr != nil || tr.TLS.ClientCertRequested {
			t.Errorf("TLS = %+v", tr.TLS)
		}
	})
}
