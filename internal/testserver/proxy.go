package testserver

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Proxy is a forward proxy on 127.0.0.1 that reaches only the addresses of
// Routes: an HTTP proxy (CONNECT tunnels and absolute-form requests) or a
// SOCKS5 proxy (CONNECT, no authentication).
type Proxy struct {
	Addr string
	// Routes maps the "HOST:PORT" a client asks for to the 127.0.0.1
	// address that answers for it; anything else is refused (502 Bad
	// Gateway, SOCKS5 reply 4 host unreachable). Set before use.
	Routes map[string]string
	// Refuse makes an HTTP proxy answer every request with this status
	// (e.g. 403, 407) instead of serving it.
	Refuse int
	// SOCKSReply makes a SOCKS5 proxy answer every CONNECT with this
	// reply code (RFC 1928 §6: 5 connection refused, 6 TTL expired, ...).
	SOCKSReply byte
	// RefuseHeader is sent with Refuse (e.g. squid's Server and
	// X-Squid-Error).
	RefuseHeader http.Header

	mu   sync.Mutex
	seen []string
}

// Seen lists what clients asked for, in order: "CONNECT HOST:PORT",
// "GET http://HOST:PORT/path", "SOCKS5 HOST:PORT" — followed by
// " (Proxy-Authorization: VALUE)" when the request had one.
func (p *Proxy) Seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

func (p *Proxy) saw(s string) {
	p.mu.Lock()
	p.seen = append(p.seen, s)
	p.mu.Unlock()
}

func (p *Proxy) route(hostport string) (string, bool) {
	a, ok := p.Routes[hostport]
	return a, ok
}

// HTTPProxy starts an HTTP forward proxy (RFC 9110 §9.3.6 CONNECT, RFC
// 9112 §3.2.2 absolute-form requests).
func HTTPProxy(t testing.TB, routes map[string]string) *Proxy {
	t.Helper()
	return startProxy(t, routes, (*Proxy).serveHTTP)
}

// startProxy starts a proxy whose connections serve serves, reading
// through br, with 10 s to ask for what they want.
func startProxy(t testing.TB, routes map[string]string, serve func(p *Proxy, c net.Conn, br *bufio.Reader)) *Proxy {
	t.Helper()
	p := &Proxy{Routes: routes}
	p.Addr = Raw(t, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		serve(p, c, bufio.NewReader(c))
	})
	return p
}

func (p *Proxy) serveHTTP(c net.Conn, br *bufio.Reader) {
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	what := req.Method + " " + req.URL.String()
	if req.Method == http.MethodConnect {
		what = "CONNECT " + req.Host
	}
	if auth := req.Header.Get("Proxy-Authorization"); auth != "" {
		what += " (Proxy-Authorization: " + auth + ")"
	}
	p.saw(what)
	answer := func(code int, h http.Header) {
		_, _ = io.WriteString(c, "HTTP/1.1 "+strconv.Itoa(code)+" "+http.StatusText(code)+"\r\n")
		_ = h.Write(c)
		_, _ = io.WriteString(c, "Content-Length: 0\r\nConnection: close\r\n\r\n")
	}
	if p.Refuse != 0 {
		answer(p.Refuse, p.RefuseHeader)
		return
	}
	hostport := req.Host
	if req.Method != http.MethodConnect && req.URL.Port() == "" {
		hostport = net.JoinHostPort(req.URL.Hostname(), "80")
	}
	to, ok := p.route(hostport)
	if !ok {
		answer(http.StatusBadGateway, nil)
		return
	}
	up, err := net.DialTimeout("tcp", to, 2*time.Second)
	if err != nil {
		answer(http.StatusBadGateway, nil)
		return
	}
	defer up.Close()
	_ = c.SetDeadline(time.Time{})
	if req.Method == http.MethodConnect {
		_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
		pipe(c, br, up)
		return
	}
	req.RequestURI = ""
	req.Header.Del("Proxy-Authorization")
	if err := req.Write(up); err != nil {
		return
	}
	pipe(c, br, up)
}

// pipe copies both ways between the client (c, read through br) and up
// until either side ends.
func pipe(c net.Conn, br *bufio.Reader, up net.Conn) {
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, br); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

// SOCKS5Proxy starts a SOCKS5 proxy (RFC 1928: CONNECT, no authentication;
// domain names are looked up in Routes only).
func SOCKS5Proxy(t testing.TB, routes map[string]string) *Proxy {
	t.Helper()
	return startProxy(t, routes, (*Proxy).serveSOCKS5)
}

func (p *Proxy) serveSOCKS5(c net.Conn, br *bufio.Reader) {
	// Greeting: VER NMETHODS METHODS; answer "no authentication".
	head := make([]byte, 2)
	if _, err := io.ReadFull(br, head); err != nil || head[0] != 5 {
		return
	}
	if _, err := io.ReadFull(br, make([]byte, head[1])); err != nil {
		return
	}
	if _, err := c.Write([]byte{5, 0}); err != nil {
		return
	}
	// Request: VER CMD RSV ATYP DST.ADDR DST.PORT.
	req := make([]byte, 4)
	if _, err := io.ReadFull(br, req); err != nil || req[1] != 1 {
		return
	}
	var host string
	switch req[3] {
	case 1, 4:
		ip := make([]byte, map[byte]int{1: 4, 4: 16}[req[3]])
		if _, err := io.ReadFull(br, ip); err != nil {
			return
		}
		host = net.IP(ip).String()
	case 3:
		n, err := br.ReadByte()
		if err != nil {
			return
		}
		name := make([]byte, n)
		if _, err := io.ReadFull(br, name); err != nil {
			return
		}
		host = string(name)
	default:
		return
	}
	port := make([]byte, 2)
	if _, err := io.ReadFull(br, port); err != nil {
		return
	}
	hostport := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(port))))
	p.saw("SOCKS5 " + hostport)
	reply := func(code byte) { _, _ = c.Write([]byte{5, code, 0, 1, 0, 0, 0, 0, 0, 0}) }
	if p.SOCKSReply != 0 {
		reply(p.SOCKSReply)
		return
	}
	to, ok := p.route(hostport)
	if !ok {
		reply(4) // host unreachable
		return
	}
	up, err := net.DialTimeout("tcp", to, 2*time.Second)
	if err != nil {
		reply(5) // connection refused
		return
	}
	defer up.Close()
	reply(0)
	_ = c.SetDeadline(time.Time{})
	pipe(c, br, up)
}
