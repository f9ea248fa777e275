package probe

import (
	"net/http/httptrace"
	"sync"
	"time"
)

// trace collects the phase times of one request of the http layer: the
// layer marks most of them itself; over HTTP/2 the first response byte
// comes from the transport's httptrace hooks, which may run on another
// goroutine, hence the lock.
type trace struct {
	mu                  sync.Mutex
	start               time.Time
	dnsStart, dnsDone   time.Time // resolving a redirect's host (or a proxy's)
	connStart, connDone time.Time // TCP connect, and the tunnel through a proxy
	tlsStart, tlsDone   time.Time
	ready               time.Time // the connection is ready for the request
	firstByte           time.Time
	end                 time.Time
	// setupConnect and setupTLS are the tcp layer's dial and the tls
	// layer's handshake that made the connection (carried) a request is
	// the first to use: its connect and tls phases.
	setupConnect, setupTLS time.Duration
}

// setup records that the request runs on a connection the tcp and tls
// layers made in connect and handshake.
func (tt *trace) setup(connect, handshake time.Duration) {
	tt.mu.Lock()
	tt.setupConnect, tt.setupTLS = connect, handshake
	tt.mu.Unlock()
}

func (tt *trace) mark(t *time.Time) {
	tt.mu.Lock()
	*t = time.Now()
	tt.mu.Unlock()
}

// markFirstByte marks the first response byte, once.
func (tt *trace) markFirstByte() {
	tt.mu.Lock()
	if tt.firstByte.IsZero() {
		tt.firstByte = time.Now()
	}
	tt.mu.Unlock()
}

// clientTrace is the trace of an HTTP/2 request, whose bytes the layer does
// not read itself.
func (tt *trace) clientTrace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{GotFirstResponseByte: tt.markFirstByte}
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
	ready := tt.ready
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
		Connect:  span(tt.connStart, tt.connDone) + tt.setupConnect,
		TLS:      span(tt.tlsStart, tt.tlsDone) + tt.setupTLS,
		TTFB:     span(ready, tt.firstByte),
		Transfer: span(tt.firstByte, tt.end),
		Total:    span(tt.start, end) + tt.setupConnect + tt.setupTLS,
	}
}
