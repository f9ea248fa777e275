package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"time"
)

// probeTLS is the tls layer: a handshake with the target under the
// per-operation timeout (dial excluded from Duration), with SNI = tls
// server_name or the URL host (none for an IP). crypto/tls is told not to
// verify, so that the peer chain is kept whatever it is; the chain is then
// verified by plan.verify unless insecure_skip_verify is set. The layers
// above run only when the handshake succeeded and the chain is trusted: a
// request (with its headers) is never sent to a server whose certificate
// failed verification.
func probeTLS(ctx context.Context, p *plan, t *TargetResult) bool {
	ctx, cancel := p.op(ctx)
	defer cancel()
	res := &TLSResult{ServerName: p.serverName}
	t.TLS = res
	if p.clientCertErr != nil {
		res.HandshakeErr = p.clientCertErr
		return false
	}
	raw, err := p.dial(ctx, t.Address)
	if err != nil {
		res.HandshakeErr = err
		return false
	}
	defer raw.Close()

	cfg := p.tlsConfig.Clone()
	if p.scheme == "https" {
		cfg.NextProtos = []string{"h2", "http/1.1"}
	}
	// Keep what the server presented even when the handshake fails later
	// (for example when it rejects our client certificate).
	var seen tls.ConnectionState
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		seen = cs
		return nil
	}
	conn := tls.Client(raw, cfg)
	start := time.Now()
	err = conn.HandshakeContext(ctx)
	res.Duration = time.Since(start)
	cs := seen
	if err == nil {
		cs = conn.ConnectionState()
	}
	res.PeerCertificates = cs.PeerCertificates
	if cs.Version != 0 {
		res.Version = tls.VersionName(cs.Version)
	}
	res.ALPN = cs.NegotiatedProtocol
	if err != nil {
		res.HandshakeErr = ctxErr(ctx, err)
		return false
	}
	if !p.u.TLS.InsecureSkipVerify {
		res.VerifyErr = p.verify(res.PeerCertificates)
	}
	return res.VerifyErr == nil
}

// errNoCertificate is the VerifyErr of a server that presented no certificate.
var errNoCertificate = errors.New("tls: server presented no certificate")

// verify checks a peer chain (leaf first) against the upstream's roots
// (ca_file, or the system pool) for the server name, now.
func (p *plan) verify(chain []*x509.Certificate) error {
	if p.rootsErr != nil {
		return p.rootsErr
	}
	if len(chain) == 0 {
		return errNoCertificate
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots:         p.roots, // nil: the system pool
		Intermediates: inter,
		DNSName:       p.serverName,
		CurrentTime:   time.Now(),
	})
	return err
}

// httpTLSConfig is the client configuration of the layers that speak HTTP
// over TLS: same SNI and client certificate as the tls layer, HTTP/1.1
// only, and no verification (the tls layer has judged the certificate).
func (p *plan) httpTLSConfig() *tls.Config {
	cfg := p.tlsConfig.Clone()
	cfg.NextProtos = []string{"http/1.1"}
	return cfg
}
