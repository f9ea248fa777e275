package probe

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// probeLatency is the latency layer (SPEC §3): p.samples sequential samples
// of the target, each under its own per-operation timeout, all recorded.
//
// For http/https upstreams a sample is the upstream's request (no redirect
// followed) with its body read up to max_body bytes — an endless body is
// cut there, as the http layer cuts it. The samples go on the target's
// connection (carried), the one the tcp layer made and the http layer's
// request used, kept alive: HTTP/1.1, or further streams of the same
// HTTP/2 connection. A connection that cannot take the next request —
// closed by the server, asked to close, a body cut at max_body, a failed
// exchange — is dialled again by the sample that needs it (its Duration
// includes the connect and handshake), and the sample says why
// (LatencySample.Reconnect). As net/http and curl do, a replayable request
// written to a kept-alive connection the server had closed is sent again
// once on a new one. For tcp/tls upstreams a sample is one TCP connect.
//
// A failed sample does not end the sampling: the next one runs on a fresh
// connection. A sample that timed out does, since another would wait as
// long again. probeLatency reports whether every sample completed; when the
// run's context ends it returns at once (the runner then clears the layer).
func probeLatency(ctx context.Context, p *plan, t *TargetResult, c *carried) bool {
	res := &LatencyResult{Planned: p.samples}
	t.Latency = res
	var sample func(context.Context) LatencySample
	if p.scheme.HasHTTP() {
		s := &httpSampler{p: p, target: t.DialAddress(), c: c, prev: c.after}
		sample = s.sample
	} else {
		c.close() // a sample is a connect of its own
		sample = func(ctx context.Context) LatencySample { return p.connectSample(ctx, t.DialAddress()) }
	}
	completed := true
	for range p.samples {
		sm := sample(ctx)
		if ended(ctx) != nil {
			return false
		}
		res.Samples = append(res.Samples, sm)
		if sm.Err != nil {
			completed = false
			if errors.Is(sm.Err, context.DeadlineExceeded) {
				break
			}
		}
	}
	return completed
}

// connectSample is one sample of a tcp/tls upstream: a TCP connect.
func (p *plan) connectSample(ctx context.Context, target string) LatencySample {
	ctx, cancel := p.op(ctx)
	defer cancel()
	start := time.Now()
	c, err := p.dial(ctx, target)
	if err != nil {
		return LatencySample{Duration: time.Since(start), Err: err}
	}
	d := time.Since(start)
	c.Close()
	return LatencySample{Duration: d}
}

// httpSampler sends the samples of one target on its carried connection.
type httpSampler struct {
	p      *plan
	target string
	c      *carried
	prev   sampleAfter // what the previous exchange on the connection left behind
}

// sampleAfter is what an exchange left behind that makes the next one open
// a new connection (see Reconnect).
type sampleAfter struct {
	failed, closeAsked, bodyCut bool
}

// sample sends the upstream's request once and reads the answer's body up
// to max_body bytes.
func (s *httpSampler) sample(ctx context.Context) (sm LatencySample) {
	ctx, cancel := s.p.op(ctx)
	defer cancel()
	start := time.Now()
	after := sampleAfter{failed: true}
	dialed := false
	defer func() {
		// A new connection after an exchange on the target's connection
		// (the http layer's, or a sample's) is a reconnect; the first
		// connection the target's requests use is not.
		if dialed && s.c.exchanged {
			sm.Reconnect = s.prev.reconnect()
		}
		s.c.exchanged = true
		s.prev = after
	}()
	req, err := s.p.newRequest(ctx, s.p.method(), s.p.u.URL, s.p.u.Body)
	if err != nil {
		sm.Err = err
		return sm
	}
	resp, disarm, dialed, err := s.send(ctx, req)
	if err != nil {
		s.c.drop(after)
		sm.Duration, sm.Err = time.Since(start), ctxErr(ctx, err)
		return sm
	}
	sm.Status = resp.StatusCode
	eb := &eofBody{ReadCloser: resp.Body}
	n, err := io.Copy(io.Discard, io.LimitReader(eb, s.p.maxBody+1))
	sm.Duration = time.Since(start)
	// Done with the connection first: closing an HTTP/1 body not read to
	// its end would read the rest of it.
	defer resp.Body.Close()
	whole := disarm()
	if err != nil {
		s.c.drop(after)
		sm.Err = ctxErr(ctx, err)
		return sm
	}
	after = sampleAfter{closeAsked: resp.Close, bodyCut: n > s.p.maxBody}
	keep := whole
	if s.c.h2 {
		keep = keep && s.c.cc.CanTakeNewRequest()
	} else if k, why := s.c.keepHTTP1(resp, eb.eof); !k {
		keep, after = false, why
	}
	if !keep {
		s.c.drop(after)
	}
	return sm
}

// send writes req on the target's connection — a new one when there is
// none or it cannot take a request — and returns the answer's head, how to
// lift the connection's bounds once the body is read, and whether it
// dialled. A replayable request that got nothing back from a kept-alive
// connection (the server had closed it) is sent once more on a new one.
func (s *httpSampler) send(ctx context.Context, req *http.Request) (_ *http.Response, disarm func() bool, dialed bool, _ error) {
	c := s.c
	if c.conn != nil && c.h2 && c.cc != nil && !c.cc.CanTakeNewRequest() {
		c.drop(sampleAfter{})
	}
	for {
		if c.conn == nil {
			if err := c.redial(ctx, s.p, s.target); err != nil {
				return nil, nil, true, err
			}
			dialed = true
		}
		resp, disarm, nothing, err := s.exchange(ctx, req)
		if err == nil {
			return resp, disarm, dialed, nil
		}
		if dialed || !nothing || ended(ctx) != nil || !replayable(req) {
			return nil, nil, dialed, err
		}
		c.drop(sampleAfter{})
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, nil, dialed, err
			}
			req.Body = body
		}
	}
}

// exchange sends req on the connection and reads the answer's head. nothing
// reports, for a failure, that no answer came back at all: over HTTP/1 no
// byte was read; over HTTP/2 the connection can take no more requests.
func (s *httpSampler) exchange(ctx context.Context, req *http.Request) (resp *http.Response, disarm func() bool, nothing bool, err error) {
	c := s.c
	if c.h2 {
		cc, err := c.h2Conn()
		if err != nil {
			return nil, nil, true, err
		}
		resp, err := cc.RoundTrip(req)
		if err != nil {
			return nil, nil, !cc.CanTakeNewRequest(), err
		}
		return resp, func() bool { return true }, false, nil
	}
	disarm = c.arm(ctx)
	br := c.reader()
	read := c.rd.n
	if err = s.p.env.bufs.writeRequest(c.conn, req); err == nil {
		if resp, err = readResponse(br, c.wire, req); err == nil {
			return resp, disarm, false, nil
		}
	}
	disarm()
	return nil, nil, c.rd.n == read, err
}

// replayable reports whether req may be sent again after a kept-alive
// connection gave no answer, as net/http decides (Request.isReplayable):
// an idempotent method, or an idempotency key, with a body that can be
// read again.
func replayable(req *http.Request) bool {
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return false
	}
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	_, key := req.Header["Idempotency-Key"]
	_, xkey := req.Header["X-Idempotency-Key"]
	return key || xkey
}

// reconnect says why the sample after this one needed a new connection.
func (a sampleAfter) reconnect() Reconnect {
	switch {
	case a.failed:
		return ReconnectAfterFailure
	case a.closeAsked:
		return ReconnectConnectionClose
	case a.bodyCut:
		return ReconnectBodyCut
	}
	return ReconnectServerClosed
}
