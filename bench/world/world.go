package world

import (
	"errors"
	"fmt"
	"net"
	"time"
)

// Options shape a world.
type Options struct {
	// Servers is how many HTTP servers run (issue 11: 20).
	Servers int
	// SlowEvery makes every SlowEvery-th server (0, SlowEvery, …) answer
	// SlowDelay late; 0: none. Issue 11: a quarter of servers 5 ms slow
	// (SlowEvery 4).
	SlowEvery int
	SlowDelay time.Duration
}

// IssueOptions are the world issue 11 measured: 20 servers, a quarter of
// them 5 ms slow.
var IssueOptions = Options{Servers: 20, SlowEvery: 4, SlowDelay: 5 * time.Millisecond}

// World is a running loopback world.
type World struct {
	Counters
	http []*httpServer
	dns  *dnsServer
	// refusedPort is a port on 127.0.0.1 that nothing listens on.
	refusedPort int
}

// Start starts a world; Close stops it.
func Start(o Options) (*World, error) {
	if o.Servers < 1 {
		return nil, errors.New("a world needs at least one HTTP server")
	}
	w := &World{}
	for i := range o.Servers {
		var delay time.Duration
		if o.SlowEvery > 0 && i%o.SlowEvery == 0 {
			delay = o.SlowDelay
		}
		s, err := startHTTP(delay, &w.Counters)
		if err != nil {
			w.Close()
			return nil, err
		}
		w.http = append(w.http, s)
	}
	d, err := startDNS(&w.Counters)
	if err != nil {
		w.Close()
		return nil, err
	}
	w.dns = d
	if w.refusedPort, err = freePort(); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// freePort returns a port on 127.0.0.1 that was free a moment ago and
// that nothing listens on now: connecting to it is refused.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port on 127.0.0.1 for refused connections: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	return port, ln.Close()
}

// Close stops every server of the world.
func (w *World) Close() {
	for _, s := range w.http {
		_ = s.srv.Close()
	}
	if w.dns != nil {
		w.dns.close()
	}
}

// DNSAddr is the DNS server's "127.0.0.1:PORT" (UDP and TCP).
func (w *World) DNSAddr() string { return w.dns.addr }

// Ports are the HTTP servers' ports, in order.
func (w *World) Ports() []int {
	ports := make([]int, len(w.http))
	for i, s := range w.http {
		ports[i] = s.port()
	}
	return ports
}

// Host is the one host name every upstream shares, in Zone.
const Host = "svc." + "bench.test"

// RefusedURL returns a URL on Host whose port refuses connections, for
// the i-th upstream (the bottom of a benchmark chain).
func (w *World) RefusedURL(i int) string {
	return fmt.Sprintf("http://%s:%d/health/%d", Host, w.refusedPort, i)
}

// URL returns the i-th upstream's URL: http://Host:PORT/health/i on
// server i%Servers. With faults, about one upstream in ten is a fault,
// one kind after another: a port that refuses connections, a path that
// answers 503, a path that answers SlowFaultDelay late.
func (w *World) URL(i int, faults bool) string {
	port := w.http[i%len(w.http)].port()
	if faults {
		switch i % 30 {
		case 7:
			return w.RefusedURL(i)
		case 17:
			return fmt.Sprintf("http://%s:%d%s%d", Host, port, FailPath, i)
		case 27:
			return fmt.Sprintf("http://%s:%d%s%d", Host, port, SlowPath, i)
		}
	}
	return fmt.Sprintf("http://%s:%d/health/%d", Host, port, i)
}
