package world

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Paths the HTTP servers answer besides the healthy one (any other path):
// SlowPath answers 200 after SlowFaultDelay, FailPath answers 503.
const (
	SlowPath = "/slow/"
	FailPath = "/fail/"
	// SlowFaultDelay is how long SlowPath waits before it answers: slow
	// enough to stand out, well under updoc's default 5 s timeout.
	SlowFaultDelay = 300 * time.Millisecond
)

// httpServer is one loopback HTTP/1.1 server; every answer waits delay.
type httpServer struct {
	srv   *http.Server
	ln    net.Listener
	delay time.Duration
	c     *Counters
}

func startHTTP(delay time.Duration, c *Counters) (*httpServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for an HTTP server on 127.0.0.1: %w", err)
	}
	s := &httpServer{ln: ln, delay: delay, c: c}
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.serve),
		ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				c.connects.Add(1)
			}
		},
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *httpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *httpServer) serve(w http.ResponseWriter, r *http.Request) {
	s.c.requests.Add(1)
	_, _ = io.Copy(io.Discard, r.Body)
	delay := s.delay
	if strings.HasPrefix(r.URL.Path, SlowPath) {
		delay += SlowFaultDelay
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	w.Header().Set("Content-Type", "text/plain")
	if strings.HasPrefix(r.URL.Path, FailPath) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "unavailable")
		return
	}
	_, _ = io.WriteString(w, "ok")
}

// Counters are what the servers of a world were asked since the last Reset.
type Counters struct {
	connects   atomic.Int64
	requests   atomic.Int64
	dnsQueries atomic.Int64
}

// Counts is a snapshot of Counters.
type Counts struct {
	Connects   int64 // TCP connections the HTTP servers accepted
	Requests   int64 // HTTP requests they answered
	DNSQueries int64 // questions the DNS server answered
}

// Snapshot returns the counts so far.
func (c *Counters) Snapshot() Counts {
	return Counts{Connects: c.connects.Load(), Requests: c.requests.Load(), DNSQueries: c.dnsQueries.Load()}
}

// Reset sets every count to zero.
func (c *Counters) Reset() {
	c.connects.Store(0)
	c.requests.Store(0)
	c.dnsQueries.Store(0)
}
