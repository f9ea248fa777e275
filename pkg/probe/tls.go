package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"slices"
	"strings"
	"time"
)

// probeTLS is the tls layer: a handshake with the target under the
// per-operation timeout, on the tcp layer's connection (carried; a new one
// only if there is none), with SNI = tls
// server_name or the URL host (none for an IP). crypto/tls is told not to
// verify, so that the peer chain is kept whatever it is; the chain is then
// verified by plan.verify unless insecure_skip_verify is set. A handshake
// that fails in the negotiation is followed by one legacy handshake (see
// TLSResult.Legacy) within the same timeout. The layers above run only
// when the handshake succeeded and the chain is trusted: a request (with
// its headers) is never sent to a server whose certificate failed
// verification. The TLS connection is handed up (carried).
func probeTLS(ctx context.Context, p *plan, t *TargetResult, c *carried) bool {
	ctx, cancel := p.op(ctx)
	defer cancel()
	res := &TLSResult{ServerName: p.serverName, SNI: sniOf(p.serverName)}
	t.TLS = res
	if p.clientCertErr != nil {
		res.HandshakeErr = p.clientCertErr
		return false
	}
	raw := c.conn
	if raw == nil {
		var err error
		if raw, err = p.dial(ctx, t.DialAddress()); err != nil {
			res.HandshakeErr = err
			return false
		}
		c.set(raw, 0)
	}

	cfg := p.handshakeConfig()
	// Keep what the server presented even when the handshake fails later
	// (for example when it rejects our client certificate).
	var seen tls.ConnectionState
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		seen = cs
		return nil
	}
	// Record whether the server asks for a client certificate, and answer
	// with the configured one (or none: an empty certificate).
	cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
		res.ClientCertRequested = true
		if len(cfg.Certificates) > 0 {
			res.ClientCertSent = true
			return &cfg.Certificates[0], nil
		}
		return &tls.Certificate{}, nil
	}
	conn := tls.Client(raw, cfg)
	start := time.Now()
	err := conn.HandshakeContext(ctx)
	var early []byte // what the server sent at once, read while awaiting a verdict
	if err == nil && res.ClientCertRequested {
		early, err = awaitCertVerdict(ctx, conn, time.Since(start))
	}
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
		c.close()
		res.HandshakeErr = ctxErr(ctx, err)
		// Refused before a certificate was seen, and not for a client
		// certificate: find out whether an older version or a legacy
		// cipher suite is what the server wants.
		if cs.Version == 0 && !res.ClientCertRequested && negotiationFailed(ctx, err) {
			res.Legacy, res.LegacyErr = p.legacyHandshake(ctx, t.DialAddress())
		}
		return false
	}
	c.conn, c.handshake, c.h2 = conn, res.Duration, res.ALPN == "h2"
	if len(early) > 0 {
		c.conn = &prefixConn{Conn: conn, pre: early}
	}
	if !p.u.TLS.InsecureSkipVerify {
		res.VerifiedChain, res.VerifyErr = p.verify(res.PeerCertificates)
	}
	return res.VerifyErr == nil
}

// handshakeConfig is the tls layer's client configuration: SNI, client
// certificate and no verification by crypto/tls (plan.tlsConfig), with
// ALPN offering h2 and http/1.1 for the schemes that speak HTTP.
func (p *plan) handshakeConfig() *tls.Config {
	cfg := p.tlsConfig.Clone()
	if p.scheme.HasHTTP() {
		cfg.NextProtos = []string{"h2", "http/1.1"}
	}
	return cfg
}

// sniOf is the server_name extension crypto/tls sends for name: name
// without a trailing dot, and nothing ("") for an IP address literal,
// which RFC 6066 §3 does not allow as a host name.
func sniOf(name string) string {
	if net.ParseIP(strings.Trim(name, "[]")) != nil {
		return ""
	}
	return strings.TrimSuffix(name, ".")
}

// negotiationFailed reports whether a handshake error is the server's
// refusal of what was offered — an alert, a close or reset, a choice
// crypto/tls rejects (such as "server selected unsupported protocol
// version 301") — rather than a timeout, the end of ctx, or a peer that
// does not speak TLS (tls.RecordHeaderError).
func negotiationFailed(ctx context.Context, err error) bool {
	if ended(ctx) != nil {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	var rh tls.RecordHeaderError
	return !errors.As(err, &rh)
}

// legacyHandshake makes the diagnostic handshake of TLSResult.Legacy with
// addr under ctx: the tls layer's configuration (SNI, ALPN, client
// certificate), but offering TLS 1.0 to 1.3 and every cipher suite
// crypto/tls implements. Go clients refuse TLS 1.0 and 1.1 and the legacy
// suites unless asked for them (Go 1.18 and 1.22 made that the default),
// so a server that speaks nothing newer fails the ordinary handshake; this
// one tells which version and suite it speaks. When this handshake fails
// too it returns its error (nil and nil when the connection for it could
// not be made). Nothing is sent over the connection.
func (p *plan) legacyHandshake(ctx context.Context, addr string) (*LegacyHandshake, error) {
	raw, err := p.dial(ctx, addr)
	if err != nil {
		return nil, nil
	}
	defer raw.Close()
	cfg := p.handshakeConfig()
	cfg.MinVersion = tls.VersionTLS10
	for _, cs := range slices.Concat(tls.CipherSuites(), tls.InsecureCipherSuites()) {
		cfg.CipherSuites = append(cfg.CipherSuites, cs.ID)
	}
	conn := tls.Client(raw, cfg)
	if err := conn.HandshakeContext(ctx); err != nil {
		return nil, ctxErr(ctx, err)
	}
	cs := conn.ConnectionState()
	return &LegacyHandshake{
		Version: tls.VersionName(cs.Version), CipherSuite: tls.CipherSuiteName(cs.CipherSuite),
		VersionID: cs.Version, CipherSuiteID: cs.CipherSuite,
	}, nil
}

// awaitCertVerdict waits briefly for the server's verdict on the client
// certificate. Over TLS 1.3 the client's handshake is done before the
// server has read the client's Certificate message: a server that requires
// a certificate, and got none or rejected it, answers with an alert
// (certificate required, bad certificate, ...) that a first read returns.
// The wait is twice the handshake's duration (at least 100 ms), within the
// operation's deadline; silence, data or a close
// from the server is not a verdict (only an alert is); data it sent at
// once (an HTTP/2 server's SETTINGS) is returned, for the layers above.
// Over TLS 1.2 the server judges the certificate before its Finished, so
// the handshake itself has failed already.
func awaitCertVerdict(ctx context.Context, conn *tls.Conn, took time.Duration) ([]byte, error) {
	if conn.ConnectionState().Version != tls.VersionTLS13 {
		return nil, nil
	}
	wait := max(2*took, 100*time.Millisecond)
	dl := time.Now().Add(wait)
	if d, ok := ctx.Deadline(); ok && d.Before(dl) {
		dl = d
	}
	if err := conn.SetReadDeadline(dl); err != nil {
		return nil, nil
	}
	defer conn.SetReadDeadline(time.Time{})
	var b [1]byte
	n, err := conn.Read(b[:])
	var ne net.Error
	if err == nil || errors.As(err, &ne) && ne.Timeout() {
		return b[:n], nil
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		return nil, err
	}
	return b[:n], nil
}

// errNoCertificate is the VerifyErr of a server that presented no certificate.
var errNoCertificate = errors.New("tls: server presented no certificate")

// verify checks a peer chain (leaf first) against the upstream's roots
// (ca_file, or the system pool) for the server name, now. It returns the
// chain it verified, leaf first and ending at a trusted root (the first
// crypto/x509 built), or the verification error.
func (p *plan) verify(chain []*x509.Certificate) ([]*x509.Certificate, error) {
	if p.rootsErr != nil {
		return nil, p.rootsErr
	}
	if len(chain) == 0 {
		return nil, errNoCertificate
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	chains, err := chain[0].Verify(x509.VerifyOptions{
		Roots:         p.roots, // nil: the system pool
		Intermediates: inter,
		DNSName:       p.serverName,
		CurrentTime:   time.Now(),
	})
	if err != nil {
		return nil, err
	}
	return chains[0], nil
}

// httpTLSConfig is the client configuration of the connections the latency
// samples dial again (carried.redial): same SNI, client certificate and ALPN
// (h2, http/1.1) as the tls layer, and no verification (the tls layer has
// judged the certificate). The http layer verifies every hop of its own
// (hopTLS).
func (p *plan) httpTLSConfig() *tls.Config {
	cfg := p.tlsConfig.Clone()
	cfg.NextProtos = []string{"h2", "http/1.1"}
	return cfg
}
