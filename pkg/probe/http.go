package probe

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"

	"golang.org/x/net/http2"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/version"
)

// probeHTTP is the http layer: one request to the target (Host = URL
// host; connected to the target address, or through the upstream's
// proxy), following redirects when the upstream says so. The request goes
// on the connection the tcp and tls layers made (carried, kept alive for
// the latency samples), as does a redirect to the same origin; a redirect
// to another origin has a connection of its own (Connection: close),
// closed after it. Each speaks what TLS ALPN negotiated: HTTP/2 or HTTP/1.1
// (SPEC §3). Every redirect to https is verified as the tls layer verifies
// (hopTLS). One per-operation timeout covers the whole exchange: every
// redirect, the response headers and the body.
func probeHTTP(ctx context.Context, p *plan, t *TargetResult, c *carried) bool {
	ctx, cancel := p.op(ctx)
	defer cancel()
	res := &HTTPResult{Method: p.method()}
	t.HTTP = res

	cur := p.u.URL
	method, body := p.method(), p.u.Body
	seen := map[string]bool{cur.String(): true}
	for hop := 0; ; hop++ {
		res.URL = cur.String()
		var on *carried
		if p.onCarried(cur, c) {
			on = c
		}
		resp, hc, tt := p.roundTrip(ctx, res, t.DialAddress(), method, cur, body, on)
		if resp == nil {
			return false
		}
		loc := resp.Header.Get("Location")
		if p.u.FollowRedirects && isRedirect(resp.StatusCode) && loc != "" {
			next, perr := cur.Parse(loc)
			var err error
			switch {
			case perr != nil:
				err = &RedirectError{Location: loc, Err: perr}
			case next.Scheme != "http" && next.Scheme != "https":
				err = &RedirectError{Location: loc, Scheme: next.Scheme}
			}
			if err != nil {
				p.record(ctx, res, resp, hc, tt)
				res.Err, res.ErrPhase = err, "redirect"
				return false
			}
			next.Fragment = ""
			if hop == MaxRedirects || seen[next.String()] {
				p.record(ctx, res, resp, hc, tt)
				res.TooManyRedirects = true
				return false
			}
			// Drain a little so the server is not cut off mid-write, and
			// the carried connection can be reused if the body ended.
			eb := &eofBody{ReadCloser: resp.Body}
			_, _ = io.Copy(io.Discard, io.LimitReader(eb, 4<<10))
			hc.done(hc.reusable(resp, eb.eof))
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
		p.record(ctx, res, resp, hc, tt)
		return res.Err == nil
	}
}

// roundTrip sends one request for u on the target's carried connection c
// (kept alive), or when c is nil on a connection of its own (Connection:
// close), and returns the response head with that connection (the caller
// reads the body and is done with both). On failure it records in res the
// error, its phase, the timings, what the server sent — and, for an
// http:// port that gave no valid answer, what else it speaks — and
// returns a nil response.
func (p *plan) roundTrip(ctx context.Context, res *HTTPResult, target, method string, u *url.URL, body string, c *carried) (*http.Response, *hopConn, *trace) {
	tt := &trace{}
	tt.mark(&tt.start)
	res.Remote, res.Proxy, res.Received, res.OtherProtocol = "", nil, nil, ""
	fail := func(phase string, err error) (*http.Response, *hopConn, *trace) {
		res.Err, res.ErrPhase = ctxErr(ctx, err), phase
		res.Timings = tt.timings()
		return nil, nil, tt
	}
	req, err := p.newRequest(httptrace.WithClientTrace(ctx, tt.clientTrace()), method, u, body)
	if err != nil {
		return fail("request", err)
	}
	var hc *hopConn
	if c != nil {
		hc = p.openCarried(ctx, res, tt, u, c)
	} else {
		req.Close = true // one request on a connection of its own (Connection: close)
		var phase string
		if hc, phase, err = p.openConn(ctx, res, tt, target, u); err != nil {
			return fail(phase, err)
		}
	}
	resp, phase, err := p.send(hc, req)
	if err != nil {
		if !hc.h2 {
			res.Received = hc.wire.received()
		}
		hc.Close()
		fail(phase, err)                      // the request's own timings, taken before asking again
		if !errors.Is(err, ErrHeadTooLarge) { // that one spoke HTTP, at length
			p.askOtherProtocol(ctx, res, u)
		}
		return nil, nil, tt
	}
	if resp.StatusCode == http.StatusBadRequest {
		// What a TLS server answers plain HTTP with (Go, nginx).
		p.askOtherProtocol(ctx, res, u)
	}
	return resp, hc, tt
}

// askOtherProtocol records what else the port of a direct http:// request
// speaks (otherProtocol), while the operation has time left: half the
// per-operation timeout at most, so that a port that answers nothing to
// those questions does not hold the run for long.
func (p *plan) askOtherProtocol(ctx context.Context, res *HTTPResult, u *url.URL) {
	if u.Scheme != "http" || res.Proxy != nil || res.Remote == "" || ended(ctx) != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout/2)
	defer cancel()
	res.OtherProtocol = p.otherProtocol(ctx, res.Remote, u.Hostname())
}

// send writes req on hc and reads the response head: over HTTP/2 through
// golang.org/x/net/http2 (asking for no compression, as over HTTP/1.1);
// over HTTP/1.1 itself, passing over 1xx interim answers but 101 (RFC 9110
// §15.2). It returns the phase that failed: "request" or "headers".
func (p *plan) send(hc *hopConn, req *http.Request) (*http.Response, string, error) {
	if hc.h2 {
		var cc *http2.ClientConn
		var err error
		if hc.carry != nil {
			cc, err = hc.carry.h2Conn()
		} else if cc, err = newH2Transport().NewClientConn(hc.Conn); err == nil {
			hc.h2conn = cc
		}
		if err != nil {
			return nil, "request", err
		}
		resp, err := cc.RoundTrip(req)
		if err != nil {
			return nil, "headers", err
		}
		return resp, "", nil
	}
	if err := p.env.bufs.writeRequest(hc.Conn, req); err != nil {
		return nil, "request", err
	}
	resp, err := readResponse(hc.br, hc.wire, req)
	if err != nil {
		return nil, "headers", err
	}
	return resp, "", nil
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

// record stores a response and reads its body (readBody), then is done
// with the connection: the carried one is kept for the latency samples
// when the exchange left it reusable.
func (p *plan) record(ctx context.Context, res *HTTPResult, resp *http.Response, hc *hopConn, tt *trace) {
	res.StatusCode = resp.StatusCode
	res.Proto = resp.Proto
	res.Header = resp.Header
	eb := &eofBody{ReadCloser: resp.Body}
	resp.Body = eb
	phase, err := p.readBody(res, resp)
	tt.mark(&tt.end)
	if err != nil {
		res.Err, res.ErrPhase = ctxErr(ctx, err), phase
	}
	res.Timings = tt.timings()
	keep, why := hc.reusable(resp, eb.eof)
	if err != nil && phase != "decode" {
		keep, why = false, sampleAfter{failed: true}
	}
	// Done with the connection first: closing an HTTP/1 body not read to
	// its end would read the rest of it.
	hc.done(keep, why)
	resp.Body.Close()
}

// eofBody is a response body that notes when it was read to its end.
type eofBody struct {
	io.ReadCloser
	eof bool
}

func (b *eofBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}

// newRequest builds the upstream's request for u, as it goes on the wire:
// for an HTTP proxy that takes it itself, in absolute form (RFC 9112
// §3.2.2: req.Write writes an opaque "//host/path" URL as
// "http://host/path") with the proxy URL's credentials
// (Proxy-Authorization: Basic, RFC 7617). The url's user:password goes as
// Authorization: Basic unless a header sets one, as curl sends it.
// Sensitive headers (Authorization, Cookie, Proxy-Authorization and secret
// ones) and the url's credentials are sent only to the upstream's own
// host, as net/http does on redirects.
func (p *plan) newRequest(ctx context.Context, method string, u *url.URL, body string) (*http.Request, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	// Host: svc.test, as curl sends it — the default port left out (the
	// graph filled it in for dialing).
	req.Host = graph.RequestHost(u)
	px := p.proxyFor(u)
	if px != nil && takesRequests(px, u) {
		req.URL.Opaque = "//" + req.Host + req.URL.EscapedPath()
	}
	sameHost := strings.EqualFold(Authority(u), Authority(p.u.URL))
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
	if user := p.u.URL.User; user != nil && sameHost && req.Header.Get("Authorization") == "" {
		// curl sends the url's user:password as Basic authentication, to
		// the url's own host only.
		pw, _ := user.Password()
		req.SetBasicAuth(user.Username(), pw)
	}
	if px != nil && takesRequests(px, u) && req.Header.Get("Proxy-Authorization") == "" {
		if auth := proxyAuthorization(px); auth != "" {
			req.Header.Set("Proxy-Authorization", auth)
		}
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
