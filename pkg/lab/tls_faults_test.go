package lab

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"testing"
	"time"
)

// The TLS faults of real servers (issue 9) are served as their scenarios
// say, seen by a plain Go client that trusts the lab CA: a leaf without
// its intermediate, an intermediate that expires in 5 days, a
// common-name-only certificate, a server that speaks TLS 1.0 only.
func TestRealWorldTLSFaults(t *testing.T) {
	l := startLab(t)
	c := labClient(t, l, 2*time.Second)

	_, _, err := get(t, c, scenario(t, l, "chain").URL)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) || unknown.Cert == nil || unknown.Cert.Issuer.CommonName != "updoc lab intermediate CA" {
		t.Errorf("chain: %v, want an unknown authority: the intermediate was not sent", err)
	}

	resp, body, err := get(t, c, scenario(t, l, "intermediate").URL)
	if err != nil || resp.StatusCode != 200 || body != healthyBody {
		t.Fatalf("intermediate: %v %v %q", resp, err, body)
	}
	if certs := resp.TLS.PeerCertificates; len(certs) != 2 || !certs[1].IsCA ||
		time.Until(certs[1].NotAfter) > 5*24*time.Hour+2*time.Hour || time.Until(certs[0].NotAfter) < 59*24*time.Hour {
		t.Errorf("intermediate: the chain sent is not a 59-day leaf and an intermediate with 5 days left")
	}

	_, _, err = get(t, c, scenario(t, l, "cnonly").URL)
	var host x509.HostnameError
	if !errors.As(err, &host) || len(host.Certificate.DNSNames) != 0 || host.Certificate.Subject.CommonName != "cnonly."+Zone {
		t.Errorf("cnonly: %v, want a hostname error of a CN-only certificate", err)
	}

	addr := "127.0.0.1:" + urlPort(t, scenario(t, l, "legacy"))
	for _, tt := range []struct {
		min     uint16
		wantErr bool
	}{{0, true}, {tls.VersionTLS10, false}} {
		conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
		tc := tls.Client(conn, &tls.Config{ServerName: "legacy." + Zone, InsecureSkipVerify: true, MinVersion: tt.min}) //nolint:gosec // only the version is checked
		err = tc.Handshake()
		if (err != nil) != tt.wantErr || err == nil && tc.ConnectionState().Version != tls.VersionTLS10 {
			t.Errorf("legacy, client MinVersion %x: %v", tt.min, err)
		}
		conn.Close()
	}
}
