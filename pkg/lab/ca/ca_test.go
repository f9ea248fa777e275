package ca

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"testing"
	"time"
)

func TestIssueVerifies(t *testing.T) {
	c, err := New("test CA")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tests := []struct {
		name    string
		leaf    Leaf
		verify  string
		wantErr func(error) bool
	}{
		{"good", Leaf{Names: []string{"good.test", "127.0.0.1"}}, "good.test", func(err error) bool { return err == nil }},
		{"ip san", Leaf{Names: []string{"good.test", "127.0.0.1"}}, "127.0.0.1", func(err error) bool { return err == nil }},
		{"wrong host", Leaf{Names: []string{"other.test"}}, "good.test", func(err error) bool {
			var h x509.HostnameError
			return errors.As(err, &h)
		}},
		{"expired", Leaf{Names: []string{"good.test"}, NotBefore: now.AddDate(0, -2, 0), NotAfter: now.AddDate(0, 0, -3)}, "good.test", func(err error) bool {
			var c x509.CertificateInvalidError
			return errors.As(err, &c) && c.Reason == x509.Expired
		}},
		{"self-signed", Leaf{Names: []string{"good.test"}, SelfSigned: true}, "good.test", func(err error) bool {
			var u x509.UnknownAuthorityError
			return errors.As(err, &u)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, err := c.Issue(tt.leaf)
			if err != nil {
				t.Fatal(err)
			}
			_, err = cert.Leaf.Verify(x509.VerifyOptions{DNSName: tt.verify, Roots: c.Pool(), CurrentTime: now})
			if !tt.wantErr(err) {
				t.Fatalf("verify %s: unexpected result %v", tt.verify, err)
			}
		})
	}
	if _, _, err := KeyPEM(mustIssue(t, c)); err != nil {
		t.Fatal(err)
	}
	if len(c.PEM()) == 0 {
		t.Fatal("empty CA PEM")
	}
}

func mustIssue(t *testing.T, c *CA) tls.Certificate {
	t.Helper()
	cert, err := c.Issue(Leaf{Names: []string{"x.test"}})
	if err != nil {
		t.Fatal(err)
	}
	return cert
}
