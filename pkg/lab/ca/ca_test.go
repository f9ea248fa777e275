package ca

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
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

// An intermediate's leaves carry it in their chain; with it they verify
// against the root, without it (the leaf alone) they do not.
func TestIntermediateChain(t *testing.T) {
	root, err := New("test root")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	inter, err := root.Intermediate("test intermediate", time.Time{}, now.AddDate(0, 0, 5))
	if err != nil {
		t.Fatal(err)
	}
	if !inter.Cert.IsCA || inter.Cert.Issuer.CommonName != "test root" || !inter.Cert.NotAfter.Equal(now.AddDate(0, 0, 5).Truncate(time.Second)) {
		t.Errorf("intermediate: CA %v issuer %s not_after %s", inter.Cert.IsCA, inter.Cert.Issuer, inter.Cert.NotAfter)
	}
	cert, err := inter.Issue(Leaf{Names: []string{"svc.test"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cert.Certificate) != 2 || !bytes.Equal(cert.Certificate[1], inter.Cert.Raw) {
		t.Fatalf("chain has %d certificates, want leaf + intermediate", len(cert.Certificate))
	}
	pool := x509.NewCertPool()
	pool.AddCert(inter.Cert)
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: "svc.test", Roots: root.Pool(), Intermediates: pool}); err != nil {
		t.Errorf("full chain: %v", err)
	}
	var unknown x509.UnknownAuthorityError
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: "svc.test", Roots: root.Pool()}); !errors.As(err, &unknown) {
		t.Errorf("leaf alone: %v, want x509.UnknownAuthorityError", err)
	}
	if self, err := inter.Issue(Leaf{Names: []string{"svc.test"}, SelfSigned: true}); err != nil || len(self.Certificate) != 1 {
		t.Errorf("self-signed leaf of an intermediate: %d certificates, %v", len(self.Certificate), err)
	}
	if rootLeaf := mustIssue(t, root); len(rootLeaf.Certificate) != 1 {
		t.Errorf("a root's leaf has %d certificates, want 1", len(rootLeaf.Certificate))
	}
}

// A common-name-only leaf has no subjectAltName extension at all.
func TestCommonNameOnly(t *testing.T) {
	c, err := New("test CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := c.Issue(Leaf{Names: []string{"svc.test", "127.0.0.1"}, CommonNameOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	l := cert.Leaf
	if l.Subject.CommonName != "svc.test" || len(l.DNSNames)+len(l.IPAddresses) != 0 {
		t.Errorf("subject %s, DNS %v, IP %v", l.Subject, l.DNSNames, l.IPAddresses)
	}
	for _, ext := range l.Extensions {
		if ext.Id.Equal(asn1.ObjectIdentifier{2, 5, 29, 17}) {
			t.Error("a subjectAltName extension is present")
		}
	}
	var h x509.HostnameError
	if _, err := l.Verify(x509.VerifyOptions{DNSName: "svc.test", Roots: c.Pool()}); !errors.As(err, &h) {
		t.Errorf("verify: %v, want x509.HostnameError", err)
	}
}
