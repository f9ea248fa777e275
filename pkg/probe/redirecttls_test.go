package probe

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// Every redirect to https is verified like the first hop (SPEC §3, issue 9
// case 11): the handshake is recorded in TLSHops, and a certificate that
// fails ends the exchange before a request is sent to it.
func TestRedirectHopTLS(t *testing.T) {
	c := newCA(t)
	now := time.Now()
	var loginHits atomic.Int32
	login := func(leaf ca.Leaf) string {
		srv, _ := tlsServer(t, c.issue(t, leaf), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			loginHits.Add(1)
			fmt.Fprint(w, "login page")
		}))
		_, port := hostPort(t, srv.Listener.Addr().String())
		return "https://login.test:" + port + "/login"
	}
	expired := login(ca.Leaf{Names: []string{"login.test"}, NotBefore: now.AddDate(0, 0, -90), NotAfter: now.AddDate(0, 0, -2)})
	valid := login(ca.Leaf{Names: []string{"login.test"}})
	redirector := func(to string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) })
	}
	plain := func(to string) string {
		srv := httptest.NewServer(redirector(to))
		t.Cleanup(srv.Close)
		return srv.Listener.Addr().String()
	}
	secure := func(to string) string {
		srv, _ := tlsServer(t, c.issue(t, ca.Leaf{Names: []string{"app.test"}}), redirector(to))
		return srv.Listener.Addr().String()
	}
	opts := testOpts(t)
	opts.HostsPath = writeFile(t, "hosts", "127.0.0.1 login.test\n")

	tests := []struct {
		name, scheme, addr, to string
		insecure               bool
		expired                bool
	}{
		{name: "http upstream, expired hop", scheme: "http", addr: plain(expired), to: expired, expired: true},
		{name: "https upstream, expired hop", scheme: "https", addr: secure(expired), to: expired, expired: true},
		{name: "http upstream, valid hop", scheme: "http", addr: plain(valid), to: valid},
		{name: "expired hop, insecure_skip_verify", scheme: "https", addr: secure(expired), to: expired, insecure: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			loginHits.Store(0)
			_, port := hostPort(t, tc.addr)
			res := runOne(t, opts, upstream(t, "svc", tc.scheme+"://app.test:"+port+"/", withTargets(tc.addr), func(u *graph.Upstream) {
				u.TLS.CAFile = c.file
				u.TLS.InsecureSkipVerify = tc.insecure
			}))
			h := res.Targets[0].HTTP
			must(t, h != nil && len(h.TLSHops) == 1, "HTTP = %+v", h)
			hop := h.TLSHops[0]
			if hop.URL != tc.to || hop.TLS.ServerName != "login.test" || len(hop.TLS.PeerCertificates) == 0 || hop.TLS.HandshakeErr != nil || hop.Address == "" {
				t.Errorf("hop = %+v", hop)
			}
			var inv x509.CertificateInvalidError
			if !tc.expired {
				if h.Err != nil || h.StatusCode != 200 || hop.TLS.VerifyErr != nil || loginHits.Load() != 1 {
					t.Errorf("err %v status %d verify %v hits %d", h.Err, h.StatusCode, hop.TLS.VerifyErr, loginHits.Load())
				}
				return
			}
			if !errors.As(hop.TLS.VerifyErr, &inv) || inv.Reason != x509.Expired || !errors.As(h.Err, &inv) || h.ErrPhase != "tls" {
				t.Errorf("verify %v, err %v phase %q", hop.TLS.VerifyErr, h.Err, h.ErrPhase)
			}
			if h.URL != tc.to || loginHits.Load() != 0 {
				t.Errorf("URL %q, login served %d requests (want none)", h.URL, loginHits.Load())
			}
		})
	}
}
