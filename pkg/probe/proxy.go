package probe

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/version"
)

// ProxyError is a tunnel through a proxy that did not open: the proxy's
// answer to CONNECT was not 2xx, or the SOCKS5 exchange failed, or the
// connection to the proxy failed during either (Err).
type ProxyError struct {
	Proxy  string // the proxy's URL, password hidden
	Source string // where the proxy came from (graph.ProxyChoice.Source)
	Target string // the HOST:PORT the tunnel was asked for
	// StatusCode and Status are an HTTP proxy's answer to CONNECT (407,
	// "407 Proxy Authentication Required"); 0 and "" otherwise.
	StatusCode int
	Status     string
	// Header is the header of that answer (a squid's X-Squid-Error names
	// the connect error it met); nil otherwise.
	Header http.Header
	Err    error
}

func (e *ProxyError) Error() string {
	what := "CONNECT " + e.Target
	if strings.HasPrefix(e.Proxy, "socks") {
		what = "SOCKS5 connect to " + e.Target
	}
	if e.Status != "" {
		return fmt.Sprintf("proxy %s answered %s with %s", e.Proxy, what, e.Status)
	}
	return fmt.Sprintf("proxy %s: %s: %v", e.Proxy, what, e.Err)
}

// Unwrap returns the error of the connection, if any.
func (e *ProxyError) Unwrap() error { return e.Err }

// Authority is u's "HOST:PORT", the port filled in for http and https.
func Authority(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// proxyFor is the proxy a request for u goes through (the upstream's proxy
// key, graph.Proxy.For); nil for a direct connection — always for an
// upstream with targets, which are connected to directly.
func (p *plan) proxyFor(u *url.URL) *graph.ProxyChoice {
	if len(p.u.Targets) > 0 {
		return nil
	}
	return p.u.Proxy.For(u)
}

// proxyAuthorization is the Proxy-Authorization value of the credentials
// in px's URL (Basic, RFC 7617); "" when it has none.
func proxyAuthorization(px *graph.ProxyChoice) string {
	u := px.URL.User
	if u == nil {
		return ""
	}
	pw, _ := u.Password()
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pw))
}

// takesRequests reports whether requests for u are sent to the proxy px
// itself, in absolute form (RFC 9112 §3.2.2): an http:// URL through an
// HTTP proxy. Anything else goes through a tunnel.
func takesRequests(px *graph.ProxyChoice, u *url.URL) bool {
	return px.URL.Scheme == "http" && u.Scheme == "http"
}

// tunnel opens, on c (connected to the proxy px), a tunnel to hostport:
// HTTP CONNECT (RFC 9110 §9.3.6) or SOCKS5 (RFC 1928, socks5.go), with the proxy URL's credentials
// (Proxy-Authorization: Basic, RFC 7617; SOCKS5 username/password, RFC
// 1929). Through socks5:// the host is resolved here, through the
// upstream's resolvers, as curl does; socks5h:// leaves it to the proxy.
// ctx bounds the exchange; the error is a *ProxyError (or a
// *ResolveError).
func (p *plan) tunnel(ctx context.Context, c net.Conn, px *graph.ProxyChoice, hostport string) (net.Conn, error) {
	pe := &ProxyError{Proxy: graph.RedactedURL(px.URL), Source: px.Source, Target: hostport}
	fail := func(err error) error {
		pe.Err = ctxErr(ctx, err)
		return pe
	}
	if dl, ok := ctx.Deadline(); ok {
		if err := c.SetDeadline(dl); err != nil {
			return nil, fail(err)
		}
		defer c.SetDeadline(time.Time{})
	}
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if px.URL.Scheme != "http" {
		return p.socks(ctx, c, px, hostport, fail)
	}
	req := &http.Request{
		Method: http.MethodConnect,
		URL:    &url.URL{Opaque: hostport},
		Host:   hostport,
		Header: http.Header{"User-Agent": {"updoc/" + version.Get().Version}},
	}
	if auth := proxyAuthorization(px); auth != "" {
		req.Header.Set("Proxy-Authorization", auth)
	}
	if err := req.Write(c); err != nil {
		return nil, fail(err)
	}
	w := &wire{r: c}
	br := bufio.NewReader(w)
	resp, err := readResponse(br, w, req)
	if err != nil {
		return nil, fail(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		pe.StatusCode, pe.Status, pe.Header = resp.StatusCode, resp.Status, resp.Header
		return nil, pe
	}
	if br.Buffered() > 0 {
		// The server spoke first through the tunnel: keep what was read.
		return &bufferedConn{Conn: c, r: br}, nil
	}
	return c, nil
}

// socks opens a SOCKS5 tunnel on c.
func (p *plan) socks(ctx context.Context, c net.Conn, px *graph.ProxyChoice, hostport string, fail func(error) error) (net.Conn, error) {
	if px.URL.Scheme == "socks5" {
		host, port, err := net.SplitHostPort(hostport)
		if err != nil {
			return nil, fail(err)
		}
		if net.ParseIP(host) == nil {
			d := p.resolve(ctx, host)
			if len(d.Addresses) == 0 {
				return nil, &ResolveError{Name: host, DNS: d}
			}
			hostport = net.JoinHostPort(d.Addresses[0], port)
		}
	}
	var user, password string
	if u := px.URL.User; u != nil {
		user = u.Username()
		password, _ = u.Password()
	}
	tc, err := socks5Connect(c, hostport, user, password)
	if err != nil {
		return nil, fail(err)
	}
	return tc, nil
}

// bufferedConn is a connection whose first bytes were read ahead into r.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }
