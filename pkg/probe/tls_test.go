package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

func TestTCP(t *testing.T) {
	open, accepted := silentTCP(t)
	closed := closedAddr(t, "tcp")

	res := runOne(t, testOpts(t), upstream(t, "open", "tcp://"+open))
	must(t, len(res.Targets) == 1 && res.Targets[0].TCP != nil, "targets = %+v", res.Targets)
	if tr := res.Targets[0]; tr.TCP.Err != nil || tr.TCP.Duration <= 0 || tr.TLS != nil || tr.HTTP != nil || tr.Latency != nil {
		t.Errorf("open port: %+v %+v", tr, tr.TCP)
	}
	if !settle(func() bool { return accepted.Load() == 1 }) {
		t.Errorf("server accepted %d connections, want 1", accepted.Load())
	}

	res = runOne(t, testOpts(t), upstream(t, "closed", "http://"+closed+"/", withSamples(3)))
	tr := res.Targets[0]
	must(t, tr.TCP != nil && tr.TCP.Err != nil, "closed port: TCP = %+v", tr.TCP)
	if !errors.Is(tr.TCP.Err, syscall.ECONNREFUSED) {
		t.Errorf("Err %v is not ECONNREFUSED", tr.TCP.Err)
	}
	var oe *net.OpError
	if !errors.As(tr.TCP.Err, &oe) || oe.Op != "dial" {
		t.Errorf("Err %v (%T) is not a dial *net.OpError", tr.TCP.Err, tr.TCP.Err)
	}
	if tr.HTTP != nil || tr.Latency != nil {
		t.Errorf("layers above a refused connect ran: %+v", tr)
	}
}

func TestTLSCertificates(t *testing.T) {
	c := newCA(t)
	now := time.Now()
	ok := func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") }

	tests := []struct {
		name      string
		leaf      ca.Leaf
		urlHost   string // "" = svc.test
		mods      []func(*graph.Upstream)
		noCAFile  bool
		verifyErr func(error) bool // nil: VerifyErr must be nil
		sni       string
	}{
		{name: "good", leaf: ca.Leaf{Names: []string{"svc.test"}}, sni: "svc.test"},
		{name: "expired", leaf: ca.Leaf{Names: []string{"svc.test"}, NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-24 * time.Hour)}, sni: "svc.test",
			verifyErr: func(err error) bool {
				var e x509.CertificateInvalidError
				return errors.As(err, &e) && e.Reason == x509.Expired
			}},
		{name: "not yet valid", leaf: ca.Leaf{Names: []string{"svc.test"}, NotBefore: now.Add(24 * time.Hour), NotAfter: now.Add(48 * time.Hour)}, sni: "svc.test",
			verifyErr: func(err error) bool {
				var e x509.CertificateInvalidError
				return errors.As(err, &e) && e.Reason == x509.Expired // x509 uses Expired for both ends of the window
			}},
		{name: "wrong host", leaf: ca.Leaf{Names: []string{"other.test"}}, sni: "svc.test",
			verifyErr: func(err error) bool {
				var e x509.HostnameError
				return errors.As(err, &e) && e.Host == "svc.test"
			}},
		{name: "self-signed", leaf: ca.Leaf{Names: []string{"svc.test"}, SelfSigned: true}, sni: "svc.test",
			verifyErr: func(err error) bool {
				var e x509.UnknownAuthorityError
				return errors.As(err, &e)
			}},
		{name: "self-signed, insecure_skip_verify", leaf: ca.Leaf{Names: []string{"svc.test"}, SelfSigned: true}, sni: "svc.test",
			mods: []func(*graph.Upstream){func(u *graph.Upstream) { u.TLS.InsecureSkipVerify = true }}},
		{name: "tls server_name", leaf: ca.Leaf{Names: []string{"internal.test"}}, sni: "internal.test",
			mods: []func(*graph.Upstream){func(u *graph.Upstream) { u.TLS.ServerName = "internal.test" }}},
		{name: "system roots do not know the lab CA", leaf: ca.Leaf{Names: []string{"svc.test"}}, sni: "svc.test", noCAFile: true,
			verifyErr: func(err error) bool {
				var e x509.UnknownAuthorityError
				return errors.As(err, &e)
			}},
		{name: "IP URL, no SNI, IP SAN", leaf: ca.Leaf{Names: []string{"127.0.0.1"}}, urlHost: "127.0.0.1", sni: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, snis := tlsServer(t, c.issue(t, tc.leaf), http.HandlerFunc(ok))
			_, port := hostPort(t, srv.Listener.Addr().String())
			host := tc.urlHost
			if host == "" {
				host = "svc.test"
			}
			mods := append([]func(*graph.Upstream){withTargets(srv.Listener.Addr().String())}, tc.mods...)
			if !tc.noCAFile {
				mods = append(mods, func(u *graph.Upstream) { u.TLS.CAFile = c.file })
			}
			res := runOne(t, testOpts(t), upstream(t, "svc", "https://"+host+":"+port+"/", mods...))
			must(t, len(res.Targets) == 1, "targets = %+v", res.Targets)
			tr := res.Targets[0]
			must(t, tr.TLS != nil, "TLS layer missing: %+v", tr)
			if tr.TLS.HandshakeErr != nil {
				t.Fatalf("HandshakeErr = %v", tr.TLS.HandshakeErr)
			}
			if tr.TLS.Version != "TLS 1.3" || tr.TLS.ALPN != "http/1.1" || tr.TLS.Duration <= 0 {
				t.Errorf("Version %q ALPN %q Duration %v", tr.TLS.Version, tr.TLS.ALPN, tr.TLS.Duration)
			}
			wantSN := tc.sni
			if wantSN == "" {
				wantSN = host
			}
			if tr.TLS.ServerName != wantSN {
				t.Errorf("ServerName = %q, want %q", tr.TLS.ServerName, wantSN)
			}
			if len(tr.TLS.PeerCertificates) != 1 || !slices.Equal(tr.TLS.PeerCertificates[0].DNSNames, tc.leaf.Names) && tc.urlHost == "" {
				t.Errorf("PeerCertificates = %v", tr.TLS.PeerCertificates)
			}
			if tc.verifyErr == nil {
				if tr.TLS.VerifyErr != nil {
					t.Errorf("VerifyErr = %v", tr.TLS.VerifyErr)
				}
				if tr.HTTP == nil || tr.HTTP.Err != nil || tr.HTTP.StatusCode != 200 || string(tr.HTTP.Body) != "ok" {
					t.Errorf("HTTP = %+v", tr.HTTP)
				}
			} else {
				if !tc.verifyErr(tr.TLS.VerifyErr) {
					t.Errorf("VerifyErr = %v (%T), not the expected kind", tr.TLS.VerifyErr, tr.TLS.VerifyErr)
				}
				if tr.HTTP != nil {
					t.Errorf("a request was sent to a server whose certificate failed verification")
				}
			}
			// The tls layer and the http layer both sent the same SNI.
			for _, n := range snis.all() {
				if n != tc.sni {
					t.Errorf("server saw SNI %q, want %q (all: %q)", n, tc.sni, snis.all())
				}
			}
		})
	}
}

func TestTLSClientCertificate(t *testing.T) {
	c := newCA(t)
	certFile, keyFile := clientCertFiles(t, c)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.TLS.PeerCertificates[0].Subject.CommonName)
	}))
	srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{c.issue(t, ca.Leaf{Names: []string{"svc.test"}})},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    c.Pool(),
	}
	quiet(srv)
	srv.StartTLS()
	defer srv.Close()
	_, port := hostPort(t, srv.Listener.Addr().String())
	u := upstream(t, "mtls", "https://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()), func(u *graph.Upstream) {
		u.TLS.CAFile = c.file
		u.TLS.CertFile, u.TLS.KeyFile = certFile, keyFile
	})
	tr := runOne(t, testOpts(t), u).Targets[0]
	if tr.TLS == nil || tr.TLS.HandshakeErr != nil || tr.TLS.VerifyErr != nil {
		t.Fatalf("TLS = %+v", tr.TLS)
	}
	if tr.HTTP == nil || tr.HTTP.StatusCode != 200 || string(tr.HTTP.Body) != "updoc" {
		t.Errorf("HTTP = %+v", tr.HTTP)
	}

	u.TLS.KeyFile = u.TLS.CertFile // no key in there
	tr = runOne(t, testOpts(t), u).Targets[0]
	if tr.TLS == nil || tr.TLS.HandshakeErr == nil {
		t.Errorf("bad key_file: TLS = %+v", tr.TLS)
	}
}

func TestTLSHandshakeFailures(t *testing.T) {
	silent, _ := silentTCP(t)
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()

	t.Run("server never speaks TLS", func(t *testing.T) {
		start := time.Now()
		res := runOne(t, testOpts(t), upstream(t, "svc", "tls://"+silent))
		within(t, "run", time.Since(start), testTimeout)
		tr := res.Targets[0]
		must(t, tr.TCP != nil && tr.TCP.Err == nil && tr.TLS != nil, "target = %+v", tr)
		within(t, "handshake", tr.TLS.Duration, testTimeout)
		if !errors.Is(tr.TLS.HandshakeErr, context.DeadlineExceeded) {
			t.Errorf("HandshakeErr = %v, want a deadline", tr.TLS.HandshakeErr)
		}
		if tr.TLS.Version != "" || tr.TLS.PeerCertificates != nil {
			t.Errorf("TLS = %+v", tr.TLS)
		}
	})
	t.Run("HTTP on the port", func(t *testing.T) {
		res := runOne(t, testOpts(t), upstream(t, "svc", "https://"+plain.Listener.Addr().String()+"/"))
		tr := res.Targets[0]
		must(t, tr.TLS != nil, "target = %+v", tr)
		var rhe tls.RecordHeaderError
		if !errors.As(tr.TLS.HandshakeErr, &rhe) {
			t.Errorf("HandshakeErr = %v (%T), want tls.RecordHeaderError", tr.TLS.HandshakeErr, tr.TLS.HandshakeErr)
		}
		if tr.HTTP != nil {
			t.Errorf("HTTP ran after a failed handshake")
		}
	})
}
