package lab

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// Zone is the lab's DNS zone (without the trailing dot).
const Zone = "lab.updoc.test"

// BrokenZone is the subzone whose every name answers SERVFAIL.
const BrokenZone = "broken." + Zone

// SlowDelay is how long the slow replica of the "replicas" scenario sleeps
// before answering each request: far enough above the others that
// load.imbalance (p50 > 2 × the others' median and > 20 ms above it) holds
// even when a loaded machine (the test suite under -race on 2 cores) slows
// the fast replicas to tens of milliseconds.
const SlowDelay = 150 * time.Millisecond

// Want is one finding updoc should report for a scenario (SPEC §4, §5).
type Want struct {
	Code     string           // a catalog code
	Severity catalog.Severity // warn or fail
	Layer    catalog.Layer    // dns, tcp, tls, http, latency or graph
	// Target is "" for upstream-level findings (dns, graph, load.replica_down)
	// or "127.0.0.1:PORT" for a target's finding.
	Target string
}

// Scenario is one upstream of the lab and what updoc should say about it.
type Scenario struct {
	Upstream    string
	Description string
	// Want lists every finding updoc should report, in layer order; empty
	// for a healthy upstream.
	Want []Want

	// URL is the upstream's url as written in Config.
	URL string
	// Targets is the upstream's targets list (nil: the resolved addresses).
	Targets []string
	// Resolvers is the upstream's own resolvers list (nil: the defaults',
	// the lab DNS).
	Resolvers []string
	// DependsOn is the upstream's depends_on list.
	DependsOn []string
	// NotRootCause lists the codes of Want whose finding must have
	// root_cause false (SPEC §5: explained by an unhealthy dependency, or
	// dependency.unhealthy itself). Every other Want is a root cause.
	NotRootCause []string
	// Affects lists, for the root-cause findings of this scenario, the
	// upstreams they take down (root_causes[].affects, SPEC §5); nil when
	// nothing depends on this upstream.
	Affects []string
}

// Status is the upstream status the Wants imply (SPEC §5): "unhealthy" if any
// is fail, else "degraded" if any is warn, else "healthy".
func (s Scenario) Status() string {
	st := "healthy"
	for _, w := range s.Want {
		switch w.Severity {
		case catalog.Fail:
			return "unhealthy"
		case catalog.Warn:
			st = "degraded"
		}
	}
	return st
}

// Lab is a running fault lab. Its methods are safe for concurrent use.
type Lab struct {
	ca       *ca.CA
	dir      string
	caFile   string
	resolver string // 127.0.0.1:PORT

	scenarios []Scenario
	config    []byte            // the graph the demo runs (tls.ca_file: the temporary CA file)
	printed   []byte            // the same graph without the lab's files (--print-config)
	names     map[string]string // lab host name (fqdn, lower case) → upstream, for DNS counting
	hosts     map[string]bool   // names that exist in the zone (fqdn, lower case)
	counters  map[string]*atomic.Int64

	// dnsFaults are the names the lab DNS misanswers on purpose (fqdn,
	// lower case).
	dnsFaults map[string]faultyName

	// tcpPorts and udpPorts are every port the lab holds (for the tests).
	tcpPorts []int
	udpPorts []int

	done      chan struct{} // closed first by Close: unblocks hung handlers
	wg        sync.WaitGroup
	mu        sync.Mutex
	closers   []func() error // run in reverse order by Close
	closeOnce sync.Once
	closeErr  error
	stopCtx   func() bool
}

// Start brings the lab up. It returns once every server is ready to answer
// (well under a second). On error everything already started is stopped.
// The lab also closes itself when ctx ends; call Close in any case.
func Start(ctx context.Context) (*Lab, error) {
	return start(ctx, startHooks{})
}

// startHooks let tests look inside Start; the zero value does nothing.
type startHooks struct {
	// failAt makes Start fail when it reaches this scenario.
	failAt string
	// onFailure, when Start fails, receives every port the lab had bound
	// by then, before they are closed.
	onFailure func(tcpPorts, udpPorts []int)
}

func start(ctx context.Context, hooks startHooks) (*Lab, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l := &Lab{done: make(chan struct{}), names: map[string]string{}, hosts: map[string]bool{}, counters: map[string]*atomic.Int64{}}
	if err := l.start(ctx, hooks.failAt); err != nil {
		if hooks.onFailure != nil {
			hooks.onFailure(slices.Clone(l.tcpPorts), slices.Clone(l.udpPorts))
		}
		_ = l.Close()
		return nil, err
	}
	l.stopCtx = context.AfterFunc(ctx, func() { _ = l.Close() })
	return l, nil
}

func (l *Lab) start(ctx context.Context, failAt string) (err error) {
	// The connect-timeout port may take up to ~100 ms (a dial may have to
	// time out to prove the accept queue is full): set it up meanwhile.
	type bhResult struct {
		port  int
		close func() error
		err   error
	}
	bhc := make(chan bhResult, 1)
	go func() {
		p, c, e := blackholePort()
		bhc <- bhResult{p, c, e}
	}()
	var bh bhResult
	bhJoined := false
	joinBlackhole := func() {
		if bhJoined {
			return
		}
		bhJoined = true
		bh = <-bhc
		if bh.close != nil {
			l.addCloser(bh.close)
			l.tcpPorts = append(l.tcpPorts, bh.port)
		}
	}
	defer joinBlackhole() // never leave the goroutine or its socket behind

	if l.dir, err = os.MkdirTemp("", "updoc-lab-"); err != nil {
		return fmt.Errorf("lab: temp dir: %w", err)
	}
	if l.ca, err = ca.New("updoc lab CA"); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	l.caFile = filepath.Join(l.dir, "ca.pem")
	if err = os.WriteFile(l.caFile, l.ca.PEM(), 0o600); err != nil {
		return fmt.Errorf("lab: write CA: %w", err)
	}

	specs := l.specs()
	for _, s := range specs {
		l.counters[s.name] = new(atomic.Int64)
		if s.nx || strings.HasSuffix(s.host, "."+BrokenZone) || s.dnsFault != dnsHealthy {
			l.names[fqdn(s.host)] = s.name // count DNS queries of the DNS scenarios
		}
	}

	if err = l.startDNS(); err != nil {
		return err
	}
	for _, s := range specs {
		if err = ctx.Err(); err != nil {
			return err
		}
		if s.name == failAt {
			return fmt.Errorf("lab: start %s: injected failure", s.name)
		}
		if s.start != nil {
			if err = s.start(); err != nil {
				return fmt.Errorf("lab: start %s: %w", s.name, err)
			}
		}
	}

	joinBlackhole()
	withBlackhole := true
	if bh.err != nil {
		if !errors.Is(bh.err, errUnsupported) {
			return fmt.Errorf("lab: start blackhole: %w", bh.err)
		}
		withBlackhole = false
	}
	final := specs[:0:0]
	for _, s := range specs {
		if s.blackhole {
			if !withBlackhole {
				continue
			}
			s.port = bh.port
		}
		final = append(final, s)
	}
	l.scenarios, l.config, l.printed = l.render(final)
	return ctx.Err()
}

// Config returns the graph file describing every scenario (a fresh copy):
// the graph the demo runs. Its https and tls upstreams name the lab CA's
// temporary file in tls.ca_file, so it is valid only until Close.
func (l *Lab) Config() []byte { return append([]byte(nil), l.config...) }

// PrintedConfig returns the graph `updoc demo --print-config` shows (a fresh
// copy): Config without tls.ca_file, and with comments saying so, so that it
// names no file of the lab and stays valid after Close (its ports are
// closed then; the comments say to run `updoc demo` instead).
func (l *Lab) PrintedConfig() []byte { return append([]byte(nil), l.printed...) }

// Scenarios returns every scenario, in Config order (a fresh copy).
func (l *Lab) Scenarios() []Scenario {
	out := make([]Scenario, len(l.scenarios))
	for i, s := range l.scenarios {
		s.Want = append([]Want(nil), s.Want...)
		s.Targets = append([]string(nil), s.Targets...)
		s.Resolvers = append([]string(nil), s.Resolvers...)
		s.DependsOn = append([]string(nil), s.DependsOn...)
		s.NotRootCause = append([]string(nil), s.NotRootCause...)
		s.Affects = append([]string(nil), s.Affects...)
		out[i] = s
	}
	return out
}

// Env wraps lookup, the environment a run of the lab's graph expands
// ${VAR} from: when HomeVar is unset there, the lab's temporary directory
// stands in for it, so that the demo's own run never fails on it.
func (l *Lab) Env(lookup func(string) (string, bool)) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if v, ok := lookup(name); ok || name != HomeVar {
			return v, ok
		}
		return l.dir, true
	}
}

// ResolverAddr is "127.0.0.1:PORT" of the lab DNS server (udp and tcp).
func (l *Lab) ResolverAddr() string { return l.resolver }

// CAFile is the path of the lab CA certificate (PEM). It is removed by Close.
func (l *Lab) CAFile() string { return l.caFile }

// Requests counts what reached the upstream's server since Start: HTTP
// requests for http(s) scenarios that answer; TLS ClientHellos for the
// certificate scenarios; accepted connections for tcp/tls scenarios; DNS
// queries for the nxdomain and servfail scenarios. It is 0 for the refused
// and connect-timeout ports (nothing gets through) and for an unknown name.
func (l *Lab) Requests(upstream string) int {
	if c := l.counters[upstream]; c != nil {
		return int(c.Load())
	}
	return 0
}

// Close stops every server and goroutine of the lab and removes its
// temporary files. It is idempotent and safe to call concurrently.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() {
		if l.stopCtx != nil {
			l.stopCtx()
		}
		close(l.done)
		l.mu.Lock()
		closers := l.closers
		l.closers = nil
		l.mu.Unlock()
		var errs []error
		for i := len(closers) - 1; i >= 0; i-- {
			if err := closers[i](); err != nil && !errors.Is(err, net.ErrClosed) {
				errs = append(errs, err)
			}
		}
		l.wg.Wait()
		if l.dir != "" {
			if err := os.RemoveAll(l.dir); err != nil {
				errs = append(errs, err)
			}
		}
		l.closeErr = errors.Join(errs...)
	})
	return l.closeErr
}

func (l *Lab) addCloser(f func() error) {
	l.mu.Lock()
	l.closers = append(l.closers, f)
	l.mu.Unlock()
}

func (l *Lab) count(name string) {
	if c := l.counters[name]; c != nil {
		c.Add(1)
	}
}

// go runs f on a goroutine Close waits for.
func (l *Lab) goTracked(f func()) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		f()
	}()
}

// listen binds a TCP listener on a free loopback port.
func (l *Lab) listen() (net.Listener, int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, 0, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	l.tcpPorts = append(l.tcpPorts, port)
	return ln, port, nil
}

// serveHTTP starts a fresh http.Server for h (counting requests under name)
// on a free port; with cfg it serves HTTPS.
func (l *Lab) serveHTTP(name string, h http.Handler, cfg *tls.Config) (int, error) {
	ln, port, err := l.listen()
	if err != nil {
		return 0, err
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l.count(name)
			h.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       30 * time.Second,
		ErrorLog:          quietLog,
	}
	if cfg != nil {
		ln = tls.NewListener(ln, cfg)
	}
	l.addCloser(srv.Close)
	l.goTracked(func() { _ = srv.Serve(ln) })
	return port, nil
}

// serveConns starts a plain TCP accept loop on a free port, running handle
// on every connection; Close closes the listener and every connection.
func (l *Lab) serveConns(handle func(net.Conn)) (int, error) {
	ln, port, err := l.listen()
	if err != nil {
		return 0, err
	}
	s := &connServer{ln: ln, handle: handle, conns: map[net.Conn]struct{}{}}
	l.addCloser(s.Close)
	l.goTracked(s.serve)
	return port, nil
}

type connServer struct {
	ln     net.Listener
	handle func(net.Conn)
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

func (s *connServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				_ = c.Close()
			}()
			s.handle(c)
		}()
	}
}

func (s *connServer) Close() error {
	err := s.ln.Close()
	s.mu.Lock()
	s.closed = true
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func fqdn(host string) string { return lower(host) + "." }

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func addr(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }
