package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
)

// Limits of the probe (SPEC §3).
const (
	// MaxTargets is the number of resolved addresses probed per upstream.
	MaxTargets = 16
	// MaxRedirects is the number of redirects followed before
	// HTTPResult.TooManyRedirects is set.
	MaxRedirects = 5
)

// Run probes every upstream of g and returns one Result per upstream, in
// graph order.
//
// Upstreams, and the targets of one upstream, are probed concurrently; at
// most opts.Concurrency upstream×target probes (or dns layers) are in flight
// at once. Goroutines start as slots free up, each holding one: an
// upstream's, or a helper taking some of its targets (runner.spread); the
// dns layer adds one per question asked beside the first. Each DNS
// question is asked once per run and its answer shared, and at most
// opts.Concurrency questions are in flight at once (dnscache.go).
//
// When ctx ends, Run returns promptly with what finished: every upstream
// that had not finished gets Unfinished = ctx.Err(), and a layer
// interrupted by ctx is left nil (not reached). No goroutine started by Run
// outlives it.
//
// observe (may be nil) is called from one goroutine at a time, never
// concurrently, and before Run returns; it must not block for long, since
// probing waits for it.
func Run(ctx context.Context, g *graph.Graph, opts Options, observe Observer) []Result {
	if g == nil {
		return nil
	}
	opts = opts.withDefaults()
	r := &runner{
		ctx:     ctx,
		opts:    opts,
		env:     newEnv(opts),
		sem:     make(chan struct{}, opts.Concurrency),
		observe: observe,
		total:   len(g.Upstreams),
	}
	results := make([]Result, len(g.Upstreams))
	var wg sync.WaitGroup
	for i, u := range g.Upstreams {
		// An upstream's goroutine starts when a slot is free, and holds it
		// until the upstream is done: never more goroutines than slots.
		if !r.acquire() {
			// The run ended: the upstream is recorded as not finished.
			r.upstream(&results[i], u)
			continue
		}
		wg.Go(func() {
			defer r.release()
			r.upstream(&results[i], u)
		})
	}
	wg.Wait()
	return results
}

// newEnv is the env of a Run with opts: at most opts.Concurrency DNS
// questions in flight at once, as for probes.
func newEnv(opts Options) *env {
	e := &env{hostsPath: opts.HostsPath, resolvConfPath: opts.ResolvConfPath}
	e.dns.slots = make(chan struct{}, opts.Concurrency)
	return e
}

func (o Options) withDefaults() Options {
	o.Concurrency = max(o.Concurrency, 1)
	if o.HostsPath == "" {
		o.HostsPath = "/etc/hosts"
	}
	if o.ResolvConfPath == "" {
		o.ResolvConfPath = "/etc/resolv.conf"
	}
	return o
}

// runner holds the state shared by the goroutines of one Run.
type runner struct {
	ctx  context.Context
	opts Options
	env  *env
	sem  chan struct{}

	mu      sync.Mutex // serialises observe and guards done
	observe Observer
	done    int
	total   int
}

func (r *runner) acquire() bool {
	if ended(r.ctx) != nil {
		return false
	}
	select {
	case r.sem <- struct{}{}:
		if ended(r.ctx) != nil {
			<-r.sem
			return false
		}
		return true
	case <-r.ctx.Done():
		return false
	}
}

// tryAcquire takes a free slot if there is one, without waiting.
func (r *runner) tryAcquire() bool {
	if ended(r.ctx) != nil {
		return false
	}
	select {
	case r.sem <- struct{}{}:
		return true
	default:
		return false
	}
}

func (r *runner) release() { <-r.sem }

// spread calls f(0), ..., f(n-1) on the caller's goroutine, which holds a
// slot, and on helper goroutines started while slots are free, each holding
// one: the calls run concurrently as far as slots allow, and no goroutine
// waits for a slot.
func (r *runner) spread(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var work func()
	work = func() {
		for {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			if i+1 < n && r.tryAcquire() {
				wg.Go(func() {
					defer r.release()
					work()
				})
			}
			f(i)
		}
	}
	work()
	wg.Wait()
}

func (r *runner) emit(ev Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ev.Total = r.total
	if ev.Kind == UpstreamDone {
		r.done++
	}
	ev.Done = r.done
	if r.observe != nil {
		r.observe(ev)
	}
}

// upstream probes one upstream into res, on a slot of the run (taken by
// Run) unless the run has ended; more slots are taken while free for its
// targets (spread).
func (r *runner) upstream(res *Result, u *graph.Upstream) {
	res.Upstream = u.Name
	p := newPlan(u, r.env)
	res.Proxy = p.proxy
	var startOnce sync.Once
	started := func() {
		startOnce.Do(func() {
			res.Started = time.Now()
			r.emit(Event{Kind: UpstreamStarted, Upstream: u.Name})
		})
	}
	defer func() {
		if !res.Started.IsZero() {
			res.Duration = time.Since(res.Started)
		}
		if err := ended(r.ctx); err != nil {
			res.Unfinished = err
		}
		r.emit(Event{Kind: UpstreamDone, Upstream: u.Name, Result: res})
	}()

	targets := p.targets
	if p.needsDNS {
		if ended(r.ctx) != nil {
			return
		}
		started()
		res.DNS = probeDNS(r.ctx, p)
		if ended(r.ctx) != nil {
			if len(res.DNS.Queries) == 0 {
				res.DNS = nil
			}
			return
		}
		r.emit(Event{Kind: LayerDone, Upstream: u.Name, Layer: catalog.LayerDNS})
		for _, a := range res.DNS.Addresses {
			if len(targets) == MaxTargets {
				break
			}
			targets = append(targets, net.JoinHostPort(a, p.port))
		}
	}
	if len(targets) == 0 {
		started()
		return
	}

	res.Targets = make([]TargetResult, len(targets))
	for i, addr := range targets {
		res.Targets[i].Address = addr
	}
	if len(p.targetNames) > 0 {
		// The dns layer of targets that name a host: each name once,
		// through the upstream's resolvers.
		if ended(r.ctx) != nil {
			return
		}
		started()
		byName := make([]*DNSResult, len(p.targetNames))
		each(len(p.targetNames), func(i int) { byName[i] = p.resolve(r.ctx, p.targetNames[i]) })
		interrupted := ended(r.ctx) != nil
		for i := range res.Targets {
			t := &res.Targets[i]
			host, port, _ := net.SplitHostPort(t.Address)
			k := slices.Index(p.targetNames, host)
			if k < 0 {
				continue // an IP address
			}
			d := byName[k]
			t.Name = host
			if interrupted && len(d.Queries) == 0 {
				continue
			}
			t.DNS = d
			if len(d.Addresses) > 0 {
				t.Dial = net.JoinHostPort(d.Addresses[0], port)
			}
		}
		if interrupted {
			return
		}
		r.emit(Event{Kind: LayerDone, Upstream: u.Name, Layer: catalog.LayerDNS})
	}

	var probed []*TargetResult
	for i := range res.Targets {
		t := &res.Targets[i]
		if t.Name != "" && t.Dial == "" {
			continue // the name did not resolve: its lower layers skip
		}
		probed = append(probed, t)
	}
	r.spread(len(probed), func(i int) {
		if ended(r.ctx) != nil {
			return
		}
		started()
		r.target(p, probed[i])
	})
}

// target runs the per-target layers of p in order, stopping at the first
// that does not pass. A layer that failed because the run's context ended is
// cleared: it did not finish, so it holds no fact.
func (r *runner) target(p *plan, t *TargetResult) {
	c := &carried{bufs: &p.env.bufs} // the target's one connection, handed up the layers
	defer c.finish()
	for _, l := range p.layers {
		ok := l.probe(r.ctx, p, t, c)
		if !ok && ended(r.ctx) != nil {
			l.clear(t)
			return
		}
		r.emit(Event{Kind: LayerDone, Upstream: p.u.Name, Target: t.Address, Layer: l.name})
		if !ok {
			return
		}
	}
}

// layerFunc is the one shape of every per-target layer (tcp.go, tls.go,
// http.go, latency.go): it probes target t of plan p, records its facts in
// t, and reports whether the layers above it may run. c is the target's
// connection, made by the tcp layer and handed up (carry.go). ctx is the
// run's context; each layer derives its per-operation deadlines with p.op.
type layerFunc func(ctx context.Context, p *plan, t *TargetResult, c *carried) bool

type layer struct {
	name  catalog.Layer
	probe layerFunc
	clear func(t *TargetResult)
}

// targetLayers are the per-target layers by name.
var targetLayers = map[catalog.Layer]layer{
	catalog.LayerTCP:     {catalog.LayerTCP, probeTCP, func(t *TargetResult) { t.TCP = nil }},
	catalog.LayerTLS:     {catalog.LayerTLS, probeTLS, func(t *TargetResult) { t.TLS = nil }},
	catalog.LayerHTTP:    {catalog.LayerHTTP, probeHTTP, func(t *TargetResult) { t.HTTP = nil }},
	catalog.LayerLatency: {catalog.LayerLatency, probeLatency, func(t *TargetResult) { t.Latency = nil }},
}

// plan is everything the layers need to know about one upstream, with the
// run's options and the graph's per-upstream values already merged.
type plan struct {
	u       *graph.Upstream
	env     *env
	scheme  graph.Scheme
	host    string // URL host name or IP, without brackets
	port    string
	timeout time.Duration
	samples int
	maxBody int64

	needsDNS bool     // resolve the URL host (no targets, host not an IP)
	targets  []string // targets known before dns (u.Targets or the URL host)
	// targetNames are the distinct host names of u.Targets, in order.
	targetNames []string
	layers      []layer

	// proxy is the proxy the url is reached through (the one target is
	// the proxy); nil for a direct connection.
	proxy *graph.ProxyChoice

	// TLS (https and tls upstreams; for http ones, the trust of redirects
	// to https).
	serverName    string
	tlsConfig     *tls.Config // InsecureSkipVerify; verification is done by verify
	roots         *x509.CertPool
	rootsErr      error
	clientCertErr error
}

// newPlan plans the probe of u, whose values (timeout, samples, max_body,
// resolvers) the graph has resolved, defaults included.
func newPlan(u *graph.Upstream, e *env) *plan {
	p := &plan{
		u:       u,
		env:     e,
		scheme:  u.Scheme(),
		host:    u.URL.Hostname(),
		port:    u.URL.Port(),
		timeout: u.Timeout,
		samples: u.Samples,
		maxBody: u.MaxBody,
	}

	hostIsIP := net.ParseIP(p.host) != nil
	if p.scheme.HasHTTP() {
		p.proxy = p.proxyFor(u.URL)
	}
	if p.proxy != nil {
		// The proxy is connected to; the url's host is its business.
		p.targets = []string{p.proxy.URL.Host}
		if h := p.proxy.URL.Hostname(); net.ParseIP(h) == nil {
			p.targetNames = []string{h}
		}
	} else if len(u.Targets) > 0 {
		// Targets replace the URL host's addresses: the URL host is not
		// resolved; the host names among the targets are.
		p.targets = append([]string(nil), u.Targets...)
		for _, t := range u.Targets {
			h, _, err := net.SplitHostPort(t)
			if err != nil {
				h = t
			}
			if net.ParseIP(h) == nil && !slices.Contains(p.targetNames, h) {
				p.targetNames = append(p.targetNames, h)
			}
		}
	} else if hostIsIP {
		p.targets = []string{net.JoinHostPort(p.host, p.port)}
	} else {
		p.needsDNS = true
	}

	for _, name := range p.scheme.TargetLayers() {
		p.layers = append(p.layers, targetLayers[name])
	}
	if p.samples > 0 {
		p.layers = append(p.layers, targetLayers[catalog.LayerLatency])
	}
	if p.scheme.HasTLS() || p.scheme.HasHTTP() {
		p.loadTLS()
	}
	return p
}

func (p *plan) loadTLS() {
	tc := p.u.TLS
	p.serverName = tc.ServerName
	if p.serverName == "" {
		p.serverName = p.host
	}
	p.tlsConfig = &tls.Config{
		ServerName:         p.serverName,
		InsecureSkipVerify: true, //nolint:gosec // the chain is verified by plan.verify, so that evidence survives a failure
	}
	if tc.CertFile != "" || tc.KeyFile != "" {
		cert, err := p.env.files.keyPair(tc.CertFile, tc.KeyFile)
		if err != nil {
			p.clientCertErr = err
		} else {
			p.tlsConfig.Certificates = []tls.Certificate{cert}
		}
	}
	if tc.CAFile != "" {
		p.roots, p.rootsErr = p.env.files.rootsFrom(tc.CAFile)
	}
}

// op returns the context of one operation: ctx bounded by the per-operation
// timeout.
func (p *plan) op(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, p.timeout)
}

// dial opens a layer's connection through target addr ("IP:PORT"): a TCP
// connect and, when the upstream goes through a proxy (then addr is the
// proxy's), the tunnel through it to the url's host (proxy.go) — except
// for an http:// url through an HTTP proxy, which takes the requests
// itself. ctx bounds both.
func (p *plan) dial(ctx context.Context, addr string) (net.Conn, error) {
	c, err := p.dialTCP(ctx, addr)
	if err != nil || p.proxy == nil || takesRequests(p.proxy, p.u.URL) {
		return c, err
	}
	tc, err := p.tunnel(ctx, c, p.proxy, Authority(p.u.URL))
	if err != nil {
		c.Close()
		return nil, err
	}
	return tc, nil
}

// dialTCP connects to addr ("IP:PORT") over TCP; ctx bounds the connect.
// A host name is refused, never handed to Go's resolver (which would read
// the real /etc/resolv.conf and bypass the upstream's resolvers): names are
// resolved with plan.resolve before they get here.
func (p *plan) dialTCP(ctx context.Context, addr string) (net.Conn, error) {
	if host, _, err := net.SplitHostPort(addr); err != nil || net.ParseIP(host) == nil {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errNotIP{addr}}
	}
	// No TCP keep-alive: a probe's connection lives for its layers, seconds
	// at most, and keep-alive probes start after 15 s idle; turning them on
	// costs four setsockopt calls per connect (issue 11).
	d := net.Dialer{KeepAlive: -1}
	c, err := d.DialContext(ctx, "tcp", addr)
	return c, ctxErr(ctx, err)
}

// errNotIP is what dial returns for an address that is not "IP:PORT".
type errNotIP struct{ addr string }

func (e errNotIP) Error() string {
	return "updoc dials IP addresses only, not " + e.addr + " (host names are resolved through the upstream's resolvers first)"
}

// ctxErr makes sure an error caused by the end of ctx satisfies
// errors.Is(err, ctx.Err()) (context.DeadlineExceeded or context.Canceled)
// while keeping the original error (often a *net.OpError) reachable with
// errors.As.
func ctxErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	cerr := ended(ctx)
	if cerr == nil || errors.Is(err, cerr) {
		return err
	}
	return &opError{err: err, ctx: cerr}
}

// ended returns ctx.Err(), or context.DeadlineExceeded when ctx's deadline
// has passed but its timer has not fired yet: a connection deadline set from
// ctx's deadline may fire first, and the operation's failure must then be
// seen as the end of ctx.
func ended(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}

// opError is an operation error that happened because its context ended.
type opError struct {
	err error // what the operation returned
	ctx error // context.DeadlineExceeded or context.Canceled
}

func (e *opError) Error() string   { return e.err.Error() + " (" + e.ctx.Error() + ")" }
func (e *opError) Unwrap() []error { return []error{e.err, e.ctx} }

// Timeout and Temporary make opError a net.Error: Timeout reports whether
// the context's deadline ended the operation.
func (e *opError) Timeout() bool   { return errors.Is(e.ctx, context.DeadlineExceeded) }
func (e *opError) Temporary() bool { return false }

// env is what a Run shares between its upstreams: what the "system"
// resolver reads, loaded once per Run, the answers of its DNS questions and
// the tls files of the graph.
type env struct {
	hostsPath      string
	resolvConfPath string

	hostsOnce sync.Once
	hosts     map[string][]string

	resolvOnce sync.Once
	resolv     *resolvConf
	resolvErr  error

	// dns shares the DNS questions of the run (dnscache.go).
	dns dnsCache
	// files are the tls files of the graph, read once (files.go).
	files tlsFiles
	// bufs are the buffers of the run's HTTP/1 exchanges (buffers.go).
	bufs buffers
}
