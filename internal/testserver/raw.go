package testserver

import (
	"net"
	"sync"
	"testing"
)

// Raw starts a TCP listener on 127.0.0.1 that calls handle with every
// connection it accepts (each on its own goroutine) and closes the
// connection when handle returns. It returns the listener's address. The
// listener and the connections still open are closed when the test ends.
func Raw(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	l, err := Serve(handle)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l.Addr
}

// Listener is a TCP listener on 127.0.0.1 serving connections (Serve).
type Listener struct {
	Addr  string
	ln    net.Listener
	mu    sync.Mutex
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// Serve is Raw outside a test: the caller closes the listener (Close).
func Serve(handle func(net.Conn)) (*Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l := &Listener{Addr: ln.Addr().String(), ln: ln, conns: map[net.Conn]bool{}}
	l.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.mu.Lock()
			l.conns[c] = true
			l.mu.Unlock()
			l.wg.Go(func() {
				defer func() {
					c.Close()
					l.mu.Lock()
					delete(l.conns, c)
					l.mu.Unlock()
				}()
				handle(c)
			})
		}
	})
	return l, nil
}

// Close closes the listener and the connections still open, and waits for
// their handlers to return.
func (l *Listener) Close() {
	l.ln.Close()
	l.mu.Lock()
	for c := range l.conns {
		c.Close()
	}
	l.mu.Unlock()
	l.wg.Wait()
}

// Reset closes c with a TCP RST instead of a FIN (SO_LINGER 0).
func Reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// ClosedUDP returns a 127.0.0.1 UDP address where nothing listens: as a
// graph's resolver, a name looked up fails there, never off the machine.
func ClosedUDP(t testing.TB) string {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := c.LocalAddr().String()
	c.Close()
	return addr
}
