package probe

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/updoc/updoc/pkg/version"
)

// probeHTTP is the http layer: one request to the target (Host = URL host,
// the connection dialled to the target address), following redirects when
// the upstream says so. One per-operation timeout covers the whole
// exchange: every redirect, the response headers and the body.
func probeHTTP(ctx context.Context, p *plan, t *TargetResult) bool {
	ctx, cancel := p.op(ctx)
	defer cancel()
	res := &HTTPResult{Method: p.method()}
	t.HTTP = res

	tr := p.transport(ctx, t.DialAddress())
	defer tr.CloseIdleConnections()

	cur := p.u.URL
	method, body := p.method(), p.u.Body
	seen := map[string]bool{cur.String(): true}
	for hop := 0; ; hop++ {
		res.URL = cur.String()
		tt := &trace{}
		resp, err := p.roundTrip(ctx, tr, tt, method, cur, body)
		if err != nil {
			res.Err, res.ErrPhase = ctxErr(ctx, err), tt.phase(cur.Scheme == "https")
			res.Timings = tt.timings()
			return false
		}
		loc := resp.Header.Get("Location")
		if p.u.FollowRedirects && isRedirect(resp.StatusCode) && loc != "" {
			next, err := cur.Parse(loc)
			switch {
			case err != nil:
				err = fmt.Errorf("redirect to invalid Location %q: %w", loc, err)
			case next.Scheme != "http" && next.Scheme != "https":
				err = fmt.Errorf("redirect to unsupported scheme %q", next.Scheme)
			}
			if err != nil {
				p.record(ctx, res, resp, tt)
				res.Err, res.ErrPhase = err, "redirect"
				return false
			}
			next.Fragment = ""
			if hop == MaxRedirects || seen[next.String()] {
				p.record(ctx, res, resp, tt)
				res.TooManyRedirects = true
				return false
			}
			// Drain a little so the server is not cut off mid-write; the
			// connection is not reused anyway.
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
			resp.Body.Close()
			seen[next.String()] = true
			res.Redirects = append(res.Redirects, next.String())
			switch resp.StatusCode {
			case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther:
				if method != http.MethodGet && method != http.MethodHead {
					method, body = http.MethodGet, ""
				}
			}
			cur = next
			continue
		}
		p.record(ctx, res, resp, tt)
		return res.Err == nil
	}
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// method is the upstream's request method (the graph's default is GET).
func (p *plan) method() string { return strings.ToUpper(p.u.Method) }

// record stores a response and reads its body (at most max_body bytes).
func (p *plan) record(ctx context.Context, res *HTTPResult, resp *http.Response, tt *trace) {
	defer resp.Body.Close()
	res.StatusCode = resp.StatusCode
	res.Proto = resp.Proto
	res.Header = resp.Header
	b, err := io.ReadAll(io.LimitReader(resp.Body, p.maxBody+1))
	tt.mark(&tt.end)
	if int64(len(b)) > p.maxBody {
		b, res.BodyTruncated = b[:p.maxBody], true
	}
	res.Body = b
	if err != nil {
		res.Err, res.ErrPhase = ctxErr(ctx, err), "body"
	}
	res.Timings = tt.timings()
}

// newRequest builds the upstream's request for u. Sensitive headers
// (Authorization, Cookie, Proxy-Authorization and secret ones) are sent
// only to the upstream's own host, as net/http does on redirects.
func (p *plan) newRequest(ctx context.Context, method string, u *url.URL, body string) (*http.Request, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	sameHost := strings.EqualFold(u.Host, p.u.URL.Host)
	for _, h := range p.u.Headers {
		if !sameHost && (h.Secret || isSensitiveHeader(h.Name)) {
			continue
		}
		if strings.EqualFold(h.Name, "Host") {
			if sameHost {
				req.Host = h.Value
			}
			continue
		}
		req.Header.Add(h.Name, h.Value)
	}
	if req.Header.Get("User-Agent") == "" {
		// Name ourselves in the service's logs rather than Go-http-client.
		req.Header.Set("User-Agent", "updoc/"+version.Get().Version)
	}
	return req, nil
}

func isSensitiveHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Cookie", "Proxy-Authorization", "Www-Authenticate":
		return true
	}
	return false
}

// roundTrip sends one request (no redirect handling) with tracing.
func (p *plan) roundTrip(ctx context.Context, tr *http.Transport, tt *trace, method string, u *url.URL, body string) (*http.Response, error) {
	req, err := p.newRequest(httptrace.WithClientTrace(ctx, tt.clientTrace()), method, u, body)
	if err != nil {
		return nil, err
	}
	tt.mark(&tt.start)
	return tr.RoundTrip(req)
}

// transport returns an http.Transport that dials target for the upstream's
// own host (see dialAddr), never uses a proxy, and does not verify
// certificates (the tls layer has). Keep-alives are off: one connection per
// request, closed after it. opCtx bounds every dial, even one the transport continues in the
// background after a request gave up.
func (p *plan) transport(opCtx context.Context, target string) *http.Transport {
	var tlsCfg *tls.Config
	if p.tlsConfig != nil {
		tlsCfg = p.httpTLSConfig()
		// Empty: the transport uses each request's host (so a redirect to
		// another host gets its own SNI). Same as the tls layer for the
		// upstream's host.
		tlsCfg.ServerName = p.u.TLS.ServerName
	} else {
		tlsCfg = &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}} //nolint:gosec // redirect to https from an http upstream; not judged here
	}
	return &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			stop := context.AfterFunc(opCtx, cancel)
			defer stop()
			addr = p.dialAddr(target, addr)
			if host, port, err := net.SplitHostPort(addr); err == nil && net.ParseIP(host) == nil {
				// A redirect to another host: resolve it through the
				// upstream's resolvers, as the dns layer would. The
				// lookup's own connects are not the request's: it runs
				// under opCtx (no client trace), ended with ctx, and
				// reports itself as the dns phase.
				rctx, rcancel := context.WithCancel(opCtx)
				rstop := context.AfterFunc(ctx, rcancel)
				ct := httptrace.ContextClientTrace(ctx)
				if ct != nil && ct.DNSStart != nil {
					ct.DNSStart(httptrace.DNSStartInfo{Host: host})
				}
				d := p.resolve(rctx, host)
				rstop()
				rcancel()
				if ct != nil && ct.DNSDone != nil {
					ct.DNSDone(httptrace.DNSDoneInfo{})
				}
				if len(d.Addresses) == 0 {
					return nil, &ResolveError{Name: host, DNS: d}
				}
				addr = net.JoinHostPort(d.Addresses[0], port)
			}
			return p.dial(ctx, addr)
		},
		TLSClientConfig:     tlsCfg,
		TLSHandshakeTimeout: p.timeout,
		DisableKeepAlives:   true,
		ForceAttemptHTTP2:   false,
	}
}

// dialAddr maps the address the transport wants to reach to the one to
// dial: the target for the upstream's own host:port; the target's host with
// the wanted port for the upstream's host on another port (a redirect from
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

// trace collects httptrace event times of one request. Hooks may run on
// other goroutines (the transport dials in the background), hence the lock.
type trace struct {
	mu                  sync.Mutex
	start               time.Time
	dnsStart, dnsDone   time.Time
	connStart, connDone time.Time
	connErr             error
	tlsStart, tlsDone   time.Time
	tlsErr              error
	gotConn, wrote      time.Time
	wroteErr            error
	firstByte           time.Time
	end                 time.Time
}

func (tt *trace) mark(t *time.Time) {
	tt.mu.Lock()
	*t = time.Now()
	tt.mu.Unlock()
}

func (tt *trace) clientTrace() *httptrace.ClientTrace {
	set := func(f func()) {
		tt.mu.Lock()
		defer tt.mu.Unlock()
		f()
	}
	return &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { set(func() { tt.dnsStart = time.Now() }) },
		DNSDone:  func(httptrace.DNSDoneInfo) { set(func() { tt.dnsDone = time.Now() }) },
		ConnectStart: func(string, string) {
			set(func() {
				if tt.connStart.IsZero() {
					tt.connStart = time.Now()
				}
			})
		},
		ConnectDone: func(_, _ string, err error) {
			set(func() { tt.connDone, tt.connErr = time.Now(), err })
		},
		TLSHandshakeStart: func() { set(func() { tt.tlsStart = time.Now() }) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			set(func() { tt.tlsDone, tt.tlsErr = time.Now(), err })
		},
		GotConn: func(httptrace.GotConnInfo) {
			set(func() { tt.gotConn = time.Now() })
		},
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			set(func() { tt.wrote, tt.wroteErr = time.Now(), i.Err })
		},
		GotFirstResponseByte: func() { set(func() { tt.firstByte = time.Now() }) },
	}
}

// phase names where a failed request stopped.
func (tt *trace) phase(https bool) string {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	switch {
	case tt.gotConn.IsZero() && (tt.connDone.IsZero() || tt.connErr != nil):
		return "connect"
	case tt.gotConn.IsZero() && https:
		return "tls"
	case tt.wrote.IsZero() || tt.wroteErr != nil:
		return "request"
	default:
		return "headers"
	}
}

func (tt *trace) timings() Timings {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	span := func(a, b time.Time) time.Duration {
		if a.IsZero() || b.IsZero() || b.Before(a) {
			return 0
		}
		return b.Sub(a)
	}
	ready := tt.gotConn
	if ready.IsZero() {
		ready = tt.tlsDone
	}
	if ready.IsZero() {
		ready = tt.connDone
	}
	end := tt.end
	if end.IsZero() {
		end = time.Now()
	}
	return Timings{
		DNS:      span(tt.dnsStart, tt.dnsDone),
		Connect:  span(tt.connStart, tt.connDone),
		TLS:      span(tt.tlsStart, tt.tlsDone),
		TTFB:     span(ready, tt.firstByte),
		Transfer: span(tt.firstByte, tt.end),
		Total:    span(tt.start, end),
	}
}
