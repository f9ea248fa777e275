package ca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// CA is an in-memory certificate authority: a root, or an intermediate
// signed by another CA.
type CA struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
	// chain is the DER of this CA's certificate and of the intermediates
	// above it, up to and excluding the root: what a server sends after
	// the leaf. Empty for a root.
	chain [][]byte
}

// New creates a root CA named name, valid from an hour ago for ten years.
func New(name string) (*CA, error) {
	return newCA(name, time.Time{}, time.Time{}, nil)
}

// Intermediate creates an intermediate CA named name, signed by c and valid
// from notBefore to notAfter (zero: from an hour ago for five years).
// Certificates it issues carry it (and c's own intermediates) in their
// chain, leaf first, as a correctly configured server sends them.
func (c *CA) Intermediate(name string, notBefore, notAfter time.Time) (*CA, error) {
	return newCA(name, notBefore, notAfter, c)
}

// newCA creates a CA certificate signed by parent (self-signed when parent
// is nil); zero dates default to an hour ago and, for the end, ten years
// from now for a root and five for an intermediate.
func newCA(name string, notBefore, notAfter time.Time, parent *CA) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key of CA %s: %w", name, err)
	}
	now := time.Now()
	if notBefore.IsZero() {
		notBefore = now.Add(-time.Hour)
	}
	if notAfter.IsZero() {
		notAfter = now.AddDate(10, 0, 0)
		if parent != nil {
			notAfter = now.AddDate(5, 0, 0)
		}
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"updoc lab"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	signerCert, signerKey := tmpl, key
	if parent != nil {
		signerCert, signerKey = parent.Cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, &key.PublicKey, signerKey)
	if err != nil {
		return nil, fmt.Errorf("create certificate of CA %s: %w", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse certificate of CA %s: %w", name, err)
	}
	ca := &CA{Cert: cert, key: key}
	if parent != nil {
		ca.chain = append([][]byte{der}, parent.chain...)
	}
	return ca, nil
}

// Leaf describes a certificate to issue.
type Leaf struct {
	// Names become DNS SANs, or IP SANs when they parse as IP addresses.
	// The first name is also the subject common name.
	Names     []string
	NotBefore time.Time // zero: an hour ago
	NotAfter  time.Time // zero: a year from now
	// SelfSigned signs the leaf with its own key instead of the CA's.
	SelfSigned bool
	// CommonNameOnly puts the first name in the subject common name only,
	// with no subjectAltName extension: the legacy form that clients since
	// Go 1.15 and Chrome 58 no longer match (RFC 9525 drops it).
	CommonNameOnly bool
	// CommonName, when set, is the subject common name instead of the
	// first name (a test of what a certificate's text can hold).
	CommonName string
}

// Issue mints a server certificate (with its private key) for l. Its
// Certificate chain is the leaf followed by the intermediates of c (none
// for a root CA or a self-signed leaf).
func (c *CA) Issue(l Leaf) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generate leaf key: %w", err)
	}
	now := time.Now()
	if l.NotBefore.IsZero() {
		l.NotBefore = now.Add(-time.Hour)
	}
	if l.NotAfter.IsZero() {
		l.NotAfter = now.AddDate(1, 0, 0)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		NotBefore:    l.NotBefore,
		NotAfter:     l.NotAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if len(l.Names) > 0 {
		tmpl.Subject = pkix.Name{CommonName: l.Names[0]}
	}
	if l.CommonName != "" {
		tmpl.Subject = pkix.Name{CommonName: l.CommonName}
	}
	for _, n := range l.Names {
		if l.CommonNameOnly {
			break
		}
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	parent, signer, chain := c.Cert, any(c.key), c.chain
	if l.SelfSigned {
		parent, signer, chain = tmpl, key, nil
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create leaf certificate for %v: %w", l.Names, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("parse leaf certificate: %w", err)
	}
	return tls.Certificate{Certificate: append([][]byte{der}, chain...), PrivateKey: key, Leaf: leaf}, nil
}

// Pool returns a certificate pool holding only this CA.
func (c *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c.Cert)
	return p
}

// PEM returns the CA certificate in PEM form (for a ca_file).
func (c *CA) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw})
}

// KeyPEM returns the PEM encodings of a certificate and its key (for cert_file/key_file).
func KeyPEM(cert tls.Certificate) (certPEM, keyPEM []byte, err error) {
	der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		return nil, nil, fmt.Errorf("marshal key: %w", err)
	}
	for _, c := range cert.Certificate {
		certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c})...)
	}
	return certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// IssueClient mints a client certificate (for mutual TLS tests).
func (c *CA) IssueClient(name string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generate client key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.Cert, &key.PublicKey, c.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("create client certificate %s: %w", name, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("parse client certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		// crypto/rand does not fail on supported platforms.
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return n
}
