package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/graph"
)

// hopConn is the connection of one request of the http layer, ready for
// it: connected (through the proxy, if any) and, for https, the TLS
// handshake done and the certificate verified. It is the target's carried
// connection (carry) or one of its own, closed after the request.
type hopConn struct {
	net.Conn // what the request is written to and the answer read from
	// h2 is set when TLS negotiated HTTP/2 (ALPN "h2").
	h2 bool
	// wire records what the server sent, and br reads the answer from it
	// (HTTP/1 only).
	wire *wire
	br   *bufio.Reader
	// h2conn is the HTTP/2 client connection on Conn, once made.
	h2conn io.Closer
	stop   func() bool // ends the cancellation hook
	// carry is the target's connection when the request runs on it: it
	// outlives the request.
	carry *carried
}

// Close ends the request's use of the connection: one of its own is
// closed; the carried one is dropped (its exchange failed).
func (c *hopConn) Close() error {
	c.done(false, sampleAfter{failed: true})
	return nil
}

// done ends the request's use of the connection: one of its own is
// closed; the carried one is kept for the next request when keep (and the
// operation's end did not cut it), else dropped for the reason why.
func (c *hopConn) done(keep bool, why sampleAfter) {
	whole := true
	if c.stop != nil {
		whole = c.stop()
	}
	if cc := c.carry; cc != nil {
		cc.exchanged = true
		if cc.wire != nil {
			cc.wire.watch(nil)
		}
		if keep && whole {
			return
		}
		if keep {
			why = sampleAfter{failed: true}
		}
		cc.drop(why)
		return
	}
	if c.h2conn != nil {
		c.h2conn.Close()
	}
	c.Conn.Close()
}

// reusable reports whether the carried connection can take another request
// after resp, whose body was read to its end or not (toEnd), and if not
// why.
func (c *hopConn) reusable(resp *http.Response, toEnd bool) (bool, sampleAfter) {
	switch {
	case c.carry == nil:
		return false, sampleAfter{}
	case c.h2:
		// A cut body resets its stream only; a GOAWAY ends the connection.
		return c.carry.cc != nil && c.carry.cc.CanTakeNewRequest(), sampleAfter{}
	}
	return c.carry.keepHTTP1(resp, toEnd)
}

// openCarried readies the target's carried connection c for a request for
// u (the upstream's own scheme and host: the tcp and tls layers made and
// judged it): the first request on it takes their dial and handshake as its
// connect and tls phases. It is bounded by ctx until the request is done.
func (p *plan) openCarried(ctx context.Context, res *HTTPResult, tt *trace, u *url.URL, c *carried) *hopConn {
	res.Proxy = p.proxyFor(u)
	res.Remote = c.remote
	if c.fresh() {
		tt.setup(c.connect, c.handshake)
	}
	hc := &hopConn{Conn: c.conn, h2: c.h2, carry: c, stop: c.arm(ctx)}
	if !hc.h2 {
		hc.br = c.reader()
		c.wire.watch(tt)
		hc.wire = c.wire
	}
	tt.mark(&tt.ready)
	return hc
}

// onCarried reports whether a request for u can go on the target's carried
// connection: one is there, and u has the upstream's own scheme and host
// (the first request, or a redirect to the same origin).
func (p *plan) onCarried(u *url.URL, c *carried) bool {
	return c != nil && c.conn != nil && u.Scheme == p.u.URL.Scheme &&
		strings.EqualFold(Authority(u), Authority(p.u.URL))
}

// openConn opens the connection of a request for u, which target (the
// target's "IP:PORT") answers unless u names another host: directly, or
// through the proxy the upstream's proxy key gives for u; for https the
// TLS handshake with u's host (hopTLS). It records the proxy and the
// address connected to in res. On failure it returns the phase that
// failed: "connect", "proxy" or "tls". The connection's deadline is ctx's,
// and it is cut when ctx ends.
func (p *plan) openConn(ctx context.Context, res *HTTPResult, tt *trace, target string, u *url.URL) (*hopConn, string, error) {
	px := p.proxyFor(u)
	res.Proxy = px
	raw, err := p.dialHost(ctx, tt, p.connectAddr(target, u, px))
	if err != nil {
		return nil, "connect", err
	}
	res.Remote = raw.RemoteAddr().String()
	hc := &hopConn{Conn: raw}
	if dl, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
	}
	hc.stop = context.AfterFunc(ctx, func() { raw.SetDeadline(time.Unix(1, 0)) })
	if px != nil && !takesRequests(px, u) {
		c, err := p.tunnel(ctx, raw, px, Authority(u))
		if err != nil {
			hc.Close()
			return nil, "proxy", err
		}
		hc.Conn = c
		tt.mark(&tt.connDone)
	}
	if u.Scheme == "https" {
		tc, err := p.hopTLS(ctx, res, tt, hc.Conn, u)
		if err != nil {
			hc.Close()
			return nil, "tls", err
		}
		hc.Conn = tc
		hc.h2 = tc.ConnectionState().NegotiatedProtocol == "h2"
	}
	if ctx.Err() == nil {
		// The tunnel and the handshake leave no deadline: set it again.
		if dl, ok := ctx.Deadline(); ok {
			_ = raw.SetDeadline(dl)
		}
	}
	tt.mark(&tt.ready)
	hc.wire = &wire{r: hc.Conn, tt: tt}
	hc.br = bufio.NewReader(hc.wire)
	return hc, "", nil
}

// connectAddr is the address a request for u connects to: the proxy's
// (target itself when the target is that proxy) or, directly, u's host —
// target when that is the upstream's own host (dialAddr).
func (p *plan) connectAddr(target string, u *url.URL, px *graph.ProxyChoice) string {
	switch {
	case px != nil && p.proxy != nil && px.URL.Host == p.proxy.URL.Host:
		return target
	case px != nil:
		return px.URL.Host
	case p.proxy != nil:
		return Authority(u) // the target is the proxy, not u's host
	}
	return p.dialAddr(target, Authority(u))
}

// dialAddr maps the address a request wants to reach to the one to dial:
// the target for the upstream's own host:port; the target's host with the
// wanted port for the upstream's host on another port (a redirect from
// http to https, say); any other host as it is.
func (p *plan) dialAddr(target, addr string) string {
	if strings.EqualFold(addr, p.u.URL.Host) || strings.EqualFold(addr, net.JoinHostPort(p.host, p.port)) {
		return target
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil || !strings.EqualFold(host, p.host) {
		return addr
	}
	th, _, err := net.SplitHostPort(target)
	if err != nil {
		return addr
	}
	return net.JoinHostPort(th, port)
}

// dialHost connects to addr ("HOST:PORT") over TCP. A host name is first
// resolved through the upstream's resolvers (the request's dns phase),
// never by Go's own resolver; the connect is the request's connect phase.
func (p *plan) dialHost(ctx context.Context, tt *trace, addr string) (net.Conn, error) {
	if host, port, err := net.SplitHostPort(addr); err == nil && net.ParseIP(host) == nil {
		tt.mark(&tt.dnsStart)
		d := p.resolve(ctx, host)
		tt.mark(&tt.dnsDone)
		if len(d.Addresses) == 0 {
			return nil, &ResolveError{Name: host, DNS: d}
		}
		addr = net.JoinHostPort(d.Addresses[0], port)
	}
	tt.mark(&tt.connStart)
	c, err := p.dialTCP(ctx, addr)
	tt.mark(&tt.connDone)
	return c, err
}

// hopTLS does the TLS handshake of a request for u on c: SNI u's host
// (tls.server_name for the upstream's own host), ALPN h2 then http/1.1,
// the upstream's client certificate; the chain is verified as the tls
// layer verifies its own (plan.verify) for that name, unless
// insecure_skip_verify. A handshake with another host or port than the
// upstream's own https one — which the tls layer judged — is recorded in
// res.TLSHops. A failed handshake or verification is returned: no request
// goes to a server whose certificate failed.
func (p *plan) hopTLS(ctx context.Context, res *HTTPResult, tt *trace, c net.Conn, u *url.URL) (*tls.Conn, error) {
	own := p.scheme == graph.SchemeHTTPS && strings.EqualFold(Authority(u), p.u.URL.Host)
	name := u.Hostname()
	if own && p.u.TLS.ServerName != "" {
		name = p.u.TLS.ServerName
	}
	cfg := p.tlsConfig.Clone()
	cfg.ServerName = name
	cfg.NextProtos = []string{"h2", "http/1.1"}
	// Keep what the server presented even when the handshake fails later.
	var seen tls.ConnectionState
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		seen = cs
		return nil
	}
	tc := tls.Client(c, cfg)
	tt.mark(&tt.tlsStart)
	err := tc.HandshakeContext(ctx)
	tt.mark(&tt.tlsDone)
	cs := seen
	if err == nil {
		cs = tc.ConnectionState()
	}
	tr := TLSResult{ServerName: name, SNI: sniOf(name), PeerCertificates: cs.PeerCertificates, ALPN: cs.NegotiatedProtocol}
	tr.Duration = tt.timings().TLS
	if cs.Version != 0 {
		tr.Version = tls.VersionName(cs.Version)
	}
	switch {
	case err != nil:
		tr.HandshakeErr = ctxErr(ctx, err)
	case !p.u.TLS.InsecureSkipVerify:
		tr.VerifiedChain, tr.VerifyErr = p.verifyFor(name, cs.PeerCertificates)
	}
	if !own {
		res.TLSHops = append(res.TLSHops, TLSHop{URL: u.String(), Address: res.Remote, TLS: tr})
	}
	if tr.HandshakeErr != nil {
		return nil, tr.HandshakeErr
	}
	if tr.VerifyErr != nil {
		return nil, tr.VerifyErr
	}
	return tc, nil
}

// verifyFor verifies chain as plan.verify does — the same roots, the same
// rules — for the server name name instead of the upstream's, and returns
// the chain it verified.
func (p *plan) verifyFor(name string, chain []*x509.Certificate) ([]*x509.Certificate, error) {
	q := *p
	q.serverName = name
	return q.verify(chain)
}
