package probe

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"time"
)

// probeLatency is the latency layer: p.samples sequential measurements of
// the target, each under its own per-operation timeout, stopping at the
// first error. For http/https upstreams a sample is the upstream's request
// (no redirect followed) with its whole body read, all on one kept-alive
// connection set up before the first sample and not counted (if the server
// closes it, the next sample reconnects and counts the connect). For
// tcp/tls upstreams a sample is one TCP connect.
func probeLatency(ctx context.Context, p *plan, t *TargetResult) bool {
	res := &LatencyResult{}
	t.Latency = res
	if p.scheme.HasHTTP() {
		res.Err = p.latencyHTTP(ctx, t.DialAddress(), res)
	} else {
		res.Err = p.latencyTCP(ctx, t.DialAddress(), res)
	}
	return res.Err == nil
}

func (p *plan) latencyTCP(ctx context.Context, target string, res *LatencyResult) error {
	for range p.samples {
		err := func() error {
			ctx, cancel := p.op(ctx)
			defer cancel()
			start := time.Now()
			c, err := p.dial(ctx, target)
			if err != nil {
				return err
			}
			res.Samples = append(res.Samples, time.Since(start))
			return c.Close()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// keptConn is a client connection reused across samples.
type keptConn struct {
	net.Conn
	br *bufio.Reader
}

func (p *plan) latencyHTTP(ctx context.Context, target string, res *LatencyResult) error {
	var kc *keptConn
	defer func() {
		if kc != nil {
			kc.Close()
		}
	}()
	var err error
	if kc, err = p.connect(ctx, target); err != nil {
		return err
	}
	for range p.samples {
		var d time.Duration
		kc, d, err = p.sample(ctx, target, kc)
		if err != nil {
			return err
		}
		res.Samples = append(res.Samples, d)
	}
	return nil
}

// connect dials the target (and does the TLS handshake for https) under
// one per-operation timeout.
func (p *plan) connect(ctx context.Context, target string) (*keptConn, error) {
	ctx, cancel := p.op(ctx)
	defer cancel()
	c, err := p.dial(ctx, target)
	if err != nil {
		return nil, err
	}
	if p.scheme.HasTLS() {
		tc := tls.Client(c, p.httpTLSConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			c.Close()
			return nil, ctxErr(ctx, err)
		}
		c = tc
	}
	return &keptConn{Conn: c, br: bufio.NewReader(c)}, nil
}

// sample sends one request on kc (reconnecting when kc is nil) and reads the
// whole response. It returns the connection to use next (nil when the
// server closed it) and the sample's duration.
func (p *plan) sample(ctx context.Context, target string, kc *keptConn) (*keptConn, time.Duration, error) {
	ctx, cancel := p.op(ctx)
	defer cancel()
	start := time.Now()
	if kc == nil {
		var err error
		if kc, err = p.connect(ctx, target); err != nil {
			return nil, 0, err
		}
	}
	fail := func(err error) (*keptConn, time.Duration, error) {
		kc.Close()
		return nil, 0, ctxErr(ctx, err)
	}
	dl, _ := ctx.Deadline()
	if err := kc.SetDeadline(dl); err != nil {
		return fail(err)
	}
	// Cancellation without a deadline (an interrupt) ends I/O at once too.
	stop := context.AfterFunc(ctx, func() { kc.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	req, err := p.newRequest(ctx, p.method(), p.u.URL, p.u.Body)
	if err != nil {
		return fail(err)
	}
	if err := req.Write(kc); err != nil {
		return fail(err)
	}
	resp, err := http.ReadResponse(kc.br, req)
	if err != nil {
		return fail(err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return fail(err)
	}
	d := time.Since(start)
	if !stop() {
		return fail(ended(ctx))
	}
	if resp.Close {
		kc.Close()
		return nil, d, nil
	}
	return kc, d, nil
}
