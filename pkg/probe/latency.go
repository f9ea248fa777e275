package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"
)

// probeLatency is the latency layer (SPEC §3): p.samples sequential samples
// of the target, each under its own per-operation timeout, all recorded.
//
// For http/https upstreams a sample is the upstream's request (no redirect
// followed) with its body read up to max_body bytes — an endless body is
// cut there, as the http layer cuts it. The samples share one kept-alive
// connection, set up before the first and not counted. Connections are
// managed by net/http's Transport: HTTP/2 when ALPN negotiates it, and a
// connection the server closed is re-opened as net/http does (noticed while
// idle, or a replayable request re-sent once when the server closed the
// connection it was written to); the sample that re-opened one says why
// (LatencySample.Reconnect). For tcp/tls upstreams a sample is one TCP
// connect.
//
// A failed sample does not end the sampling: the next one runs on a fresh
// connection. A sample that timed out does, since another would wait as
// long again. probeLatency reports whether every sample completed; when the
// run's context ends it returns at once (the runner then clears the layer).
func probeLatency(ctx context.Context, p *plan, t *TargetResult) bool {
	res := &LatencyResult{Planned: p.samples}
	t.Latency = res
	var sample func(context.Context) LatencySample
	if p.scheme.HasHTTP() {
		s := newHTTPSampler(ctx, p, t.DialAddress())
		defer s.close()
		sample = s.sample
	} else {
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

// httpSampler sends the samples of one target through one Transport, so
// that they share a kept-alive connection.
type httpSampler struct {
	p      *plan
	target string
	tr     *http.Transport
	runCtx context.Context // the run's: it bounds every dial

	mu   sync.Mutex
	warm net.Conn // set up before the first sample; handed to the transport's first dial

	n    int         // samples sent so far
	prev sampleAfter // what the previous sample left behind
}

// sampleAfter is what a sample left behind that makes the next one open a
// new connection (see Reconnect).
type sampleAfter struct {
	failed, closeAsked, bodyCut bool
}

// newHTTPSampler sets up the transport and the first connection (under one
// per-operation timeout; a failure is left to the first sample, which dials
// again and reports it).
func newHTTPSampler(ctx context.Context, p *plan, target string) *httpSampler {
	s := &httpSampler{p: p, target: target, runCtx: ctx}
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	s.tr = &http.Transport{
		Proxy:     nil,
		Protocols: protocols,
		// Samples follow each other at once; a connection idle for longer
		// is one a dial finished after its sample gave up: let it go.
		IdleConnTimeout: p.timeout,
	}
	if p.scheme.HasTLS() {
		protocols.SetHTTP2(true)
		s.tr.DialTLSContext = s.dial
	} else {
		s.tr.DialContext = s.dial
	}
	octx, cancel := p.op(ctx)
	defer cancel()
	if c, err := s.connect(octx); err == nil {
		s.warm = c
	}
	return s
}

// dial is the transport's dial: the connection set up before the first
// sample, then new ones to the target (whatever address the transport
// asks for: the samples only ever request the upstream's URL). A dial is
// bounded by the per-operation timeout and the run, even one the
// transport goes on with after its sample gave up.
func (s *httpSampler) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	s.mu.Lock()
	c := s.warm
	s.warm = nil
	s.mu.Unlock()
	if c != nil {
		return c, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.p.timeout)
	defer cancel()
	stop := context.AfterFunc(s.runCtx, cancel)
	defer stop()
	return s.connect(ctx)
}

// connect dials the target, with the TLS handshake for https (ALPN offers
// h2 and http/1.1, as the tls layer does).
func (s *httpSampler) connect(ctx context.Context) (net.Conn, error) {
	c, err := s.p.dial(ctx, s.target)
	if err != nil || !s.p.scheme.HasTLS() {
		return c, err
	}
	cfg := s.p.httpTLSConfig()
	cfg.NextProtos = []string{"h2", "http/1.1"}
	tc := tls.Client(c, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		c.Close()
		return nil, ctxErr(ctx, err)
	}
	return tc, nil
}

func (s *httpSampler) close() {
	s.tr.CloseIdleConnections()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.warm != nil {
		s.warm.Close()
		s.warm = nil
	}
}

// sample sends the upstream's request once and reads the answer's body up
// to max_body bytes.
func (s *httpSampler) sample(ctx context.Context) (sm LatencySample) {
	ctx, cancel := s.p.op(ctx)
	defer cancel()
	var newConn atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { newConn.Store(!i.Reused) }}
	first := s.n == 0
	s.n++

	start := time.Now()
	after := sampleAfter{failed: true}
	defer func() {
		if newConn.Load() && !first {
			sm.Reconnect = s.prev.reconnect()
		}
		s.prev = after
	}()
	req, err := s.p.newRequest(httptrace.WithClientTrace(ctx, trace), s.p.method(), s.p.u.URL, s.p.u.Body)
	if err != nil {
		sm.Err = err
		return sm
	}
	resp, err := s.tr.RoundTrip(req)
	if err != nil {
		sm.Duration, sm.Err = time.Since(start), ctxErr(ctx, err)
		return sm
	}
	sm.Status = resp.StatusCode
	n, err := io.Copy(io.Discard, io.LimitReader(resp.Body, s.p.maxBody+1))
	sm.Duration = time.Since(start)
	// Closing a body not read to its end makes the transport drop the
	// connection rather than read the rest.
	resp.Body.Close()
	if err != nil {
		sm.Err = ctxErr(ctx, err)
		return sm
	}
	after = sampleAfter{closeAsked: resp.Close, bodyCut: n > s.p.maxBody}
	return sm
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
