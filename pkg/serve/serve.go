package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/report"
)

// Defaults of `updoc serve` (SPEC §9).
const (
	DefaultListen       = "127.0.0.1:9469"
	DefaultInterval     = 30 * time.Second
	DefaultProbeTimeout = 10 * time.Second
	// ShutdownTimeout bounds the shutdown that follows the end of Serve's
	// context (SIGTERM): in-flight requests and the running round get this
	// long, then Serve returns anyway.
	ShutdownTimeout = 5 * time.Second
)

// EngineFunc runs the pipeline: engine.Run, or a wrapper in tests.
type EngineFunc func(ctx context.Context, g *graph.Graph, opts engine.Options, observe engine.Observer) report.Report

// Options shape a Server.
type Options struct {
	// Load reads the graph: once by New, again by every Reload. Its error
	// is logged as it is (a graph.Errors names FILE:LINE:COLUMN).
	Load func() (*graph.Graph, error)
	// Engine runs a round or a probe; nil means engine.Run.
	Engine EngineFunc
	// Run are the engine options of every round.
	Run engine.Options
	// Interval is the time between the starts of two rounds. 0: DefaultInterval.
	Interval time.Duration
	// ProbeTimeout bounds one /probe (its engine deadline), unless the
	// scraper asks for less (X-Prometheus-Scrape-Timeout-Seconds). 0:
	// DefaultProbeTimeout.
	ProbeTimeout time.Duration
	// Vantage, when not empty, is the constant label vantage="NAME" of
	// every metric: where this instance probes from.
	Vantage string
	// Logger receives the structured log; nil discards it.
	Logger *slog.Logger
}

// Server runs rounds and serves their metrics. Its methods are safe for
// concurrent use.
type Server struct {
	opts   Options
	log    *slog.Logger
	engine EngineFunc

	graph    atomic.Pointer[graph.Graph]
	last     atomic.Pointer[snapshot]
	running  atomic.Bool
	reloadMu sync.Mutex

	registry       *prometheus.Registry
	rounds         prometheus.Counter
	roundsSkipped  prometheus.Counter
	roundDuration  prometheus.Gauge
	roundTimestamp prometheus.Gauge
	reloadFailures prometheus.Counter
	reloadOK       prometheus.Gauge
	reloadTime     prometheus.Gauge
}

// snapshot is the last finished round: its report and the report's JSON.
type snapshot struct {
	report report.Report
	json   []byte
}

// New loads the graph (an error is returned as it is) and registers the
// metrics. Nothing runs until Run or Serve.
func New(opts Options) (*Server, error) {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.ProbeTimeout <= 0 {
		opts.ProbeTimeout = DefaultProbeTimeout
	}
	s := &Server{opts: opts, log: opts.Logger, engine: opts.Engine}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.engine == nil {
		s.engine = engine.Run
	}
	g, err := opts.Load()
	if err != nil {
		return nil, err
	}
	s.graph.Store(g)
	s.registry = prometheus.NewRegistry()
	reg := s.registerer(s.registry)
	s.rounds = prometheus.NewCounter(prometheus.CounterOpts{Name: "updoc_rounds_total", Help: "Rounds that finished."})
	s.roundsSkipped = prometheus.NewCounter(prometheus.CounterOpts{Name: "updoc_rounds_skipped_total",
		Help: "Rounds not started because the previous round was still running when the interval came round."})
	s.roundDuration = prometheus.NewGauge(prometheus.GaugeOpts{Name: "updoc_round_duration_seconds", Help: "How long the last finished round took."})
	s.roundTimestamp = prometheus.NewGauge(prometheus.GaugeOpts{Name: "updoc_round_last_timestamp_seconds", Help: "When the last finished round ended (Unix time)."})
	s.reloadFailures = prometheus.NewCounter(prometheus.CounterOpts{Name: "updoc_config_reload_failures_total",
		Help: "Reloads of the graph file that failed; the previous graph stayed in use."})
	s.reloadOK = prometheus.NewGauge(prometheus.GaugeOpts{Name: "updoc_config_last_reload_successful", Help: "1 when the last reload of the graph file succeeded (or none was asked for), else 0."})
	s.reloadTime = prometheus.NewGauge(prometheus.GaugeOpts{Name: "updoc_config_last_reload_success_timestamp_seconds", Help: "When the graph in use was loaded (Unix time)."})
	s.reloadOK.Set(1)
	s.reloadTime.SetToCurrentTime()
	reg.MustRegister(s.rounds, s.roundsSkipped, s.roundDuration, s.roundTimestamp, s.reloadFailures, s.reloadOK, s.reloadTime,
		buildInfo(), &reportCollector{last: s.lastReport},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return s, nil
}

// registerer adds the vantage label, when there is one, to what registers
// on reg.
func (s *Server) registerer(reg prometheus.Registerer) prometheus.Registerer {
	if s.opts.Vantage == "" {
		return reg
	}
	return prometheus.WrapRegistererWith(prometheus.Labels{"vantage": s.opts.Vantage}, reg)
}

func (s *Server) lastReport() *report.Report {
	if sn := s.last.Load(); sn != nil {
		return &sn.report
	}
	return nil
}

// Registry is the registry /metrics serves (for tests and lint).
func (s *Server) Registry() *prometheus.Registry { return s.registry }

// Serve serves the endpoints on ln and runs rounds until ctx ends, then
// shuts down within ShutdownTimeout: it stops accepting, cancels the
// running round and in-flight probes, and returns nil. An error of the
// listener ends it early with that error.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	roundsDone := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(roundsDone)
	}()
	s.log.Info("serving", "address", ln.Addr().String(), "interval", s.opts.Interval.String(),
		"upstreams", len(s.graph.Load().Upstreams), "graph", s.graph.Load().File, "vantage", s.opts.Vantage)

	var err error
	select {
	case <-ctx.Done():
		s.log.Info("shutting down")
	case err = <-served:
		s.log.Error("listener failed", "error", err.Error())
	}
	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer scancel()
	if serr := srv.Shutdown(sctx); serr != nil {
		_ = srv.Close()
	}
	select {
	case <-roundsDone:
	case <-sctx.Done():
		s.log.Warn("a round did not end within the shutdown timeout; exiting anyway", "timeout", ShutdownTimeout.String())
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Run runs a round at once and then one every Interval until ctx ends. A
// tick that finds the previous round still running is counted in
// updoc_rounds_skipped_total and starts nothing: rounds never overlap.
// Run returns when ctx ended and the running round (cancelled with ctx)
// returned.
func (s *Server) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	start := func() {
		if !s.running.CompareAndSwap(false, true) {
			s.roundsSkipped.Inc()
			s.log.Warn("round skipped: the previous round is still running", "interval", s.opts.Interval.String())
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.running.Store(false)
			s.round(ctx)
		}()
	}
	start()
	tick := time.NewTicker(s.opts.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			start()
		}
	}
}

// round runs the graph once and publishes its report, unless ctx ended
// meanwhile (a shutdown): then the previous report stands.
func (s *Server) round(ctx context.Context) {
	g := s.graph.Load()
	started := time.Now()
	rep := s.engine(ctx, g, s.opts.Run, nil)
	if ctx.Err() != nil {
		return
	}
	var b bytes.Buffer
	if err := report.WriteJSON(&b, &rep); err != nil {
		s.log.Error("encode the report", "error", err.Error())
		return
	}
	prev := s.last.Swap(&snapshot{report: rep, json: b.Bytes()})
	took := time.Since(started)
	s.roundDuration.Set(took.Seconds())
	s.roundTimestamp.SetToCurrentTime()
	s.rounds.Inc()
	attrs := []any{"status", string(rep.Status), "duration", took.Round(time.Millisecond).String(),
		"upstreams", rep.Summary.Total, "unhealthy", rep.Summary.Unhealthy, "degraded", rep.Summary.Degraded,
		"unknown", rep.Summary.Unknown, "root_causes", rootCauseCodes(&rep)}
	if prev == nil || prev.report.Status != rep.Status || !slices.Equal(rootCauseCodes(&prev.report), rootCauseCodes(&rep)) {
		s.log.Info("round", attrs...)
	} else {
		s.log.Debug("round", attrs...)
	}
}

// rootCauseCodes are "upstream/code" of the report's root causes.
func rootCauseCodes(r *report.Report) []string {
	out := make([]string, 0, len(r.RootCauses))
	for _, rc := range r.RootCauses {
		out = append(out, rc.Upstream+"/"+rc.Code)
	}
	return out
}

// Reload re-reads the graph. On error the graph in use stays, the error is
// logged (FILE:LINE:COLUMN for a graph file's errors) and counted in
// updoc_config_reload_failures_total — but for a load stopped by the
// shutdown (a *graph.StoppedError), which is no fault of the graph. The
// next round uses the new graph.
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	g, err := s.opts.Load()
	var stopped *graph.StoppedError
	if errors.As(err, &stopped) {
		s.log.Info("reload stopped: shutting down, the previous graph stays", "graph", stopped.File)
		return err
	}
	// Log first: whoever sees the metric change finds the log line.
	if err != nil {
		s.log.Error("reload failed: keeping the previous graph", "error", err.Error())
		s.reloadFailures.Inc()
		s.reloadOK.Set(0)
		return err
	}
	s.log.Info("reloaded the graph", "graph", g.File, "upstreams", len(g.Upstreams))
	s.graph.Store(g)
	s.reloadOK.Set(1)
	s.reloadTime.SetToCurrentTime()
	return nil
}

// Handler serves /metrics, /healthz, /report, /probe and /-/reload.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelError),
		EnableOpenMetrics: true,
	}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/report", s.serveReport)
	mux.HandleFunc("/probe", s.serveProbe)
	mux.HandleFunc("/-/reload", s.serveReload)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "updoc serve\n\n"+
			"/metrics                 the last round's diagnosis as Prometheus metrics\n"+
			"/report                  the last round's report (JSON, schema updoc.report/v1)\n"+
			"/probe?upstream=NAME     probe one upstream now; its metrics\n"+
			"/healthz                 ok while updoc serve runs\n"+
			"POST /-/reload           re-read the graph file\n")
	})
	return mux
}

func (s *Server) serveReport(w http.ResponseWriter, _ *http.Request) {
	sn := s.last.Load()
	if sn == nil {
		http.Error(w, "no round has finished yet: try again after the first round", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(sn.json)
}

func (s *Server) serveReload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		w.Header().Set("Allow", "POST, PUT")
		http.Error(w, "reload with POST /-/reload", http.StatusMethodNotAllowed)
		return
	}
	if err := s.Reload(); err != nil {
		http.Error(w, "reload failed, the previous graph stays in use:\n"+err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = io.WriteString(w, "reloaded\n")
}

// serveProbe probes one upstream of the graph now, blackbox_exporter
// style, and answers its metrics. Its deadline is ProbeTimeout, or less
// when the scraper's timeout is shorter.
func (s *Server) serveProbe(w http.ResponseWriter, r *http.Request) {
	asked := r.URL.Query()["upstream"]
	g := s.graph.Load()
	names := g.Names()
	if len(asked) > 1 {
		http.Error(w, fmt.Sprintf("name one upstream per probe, not %d: /probe?upstream=NAME (scrape each as its own target)", len(asked)), http.StatusBadRequest)
		return
	}
	name := ""
	if len(asked) == 1 {
		name = asked[0]
	}
	if name == "" {
		http.Error(w, "name the upstream: /probe?upstream=NAME, one of "+strings.Join(names, ", "), http.StatusBadRequest)
		return
	}
	if !slices.Contains(names, name) {
		http.Error(w, fmt.Sprintf("unknown upstream %q: the graph's upstreams are %s", name, strings.Join(names, ", ")), http.StatusNotFound)
		return
	}
	one, err := g.Select([]string{name}, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	opts := s.opts.Run
	opts.Deadline = probeTimeout(r, s.opts.ProbeTimeout)
	started := time.Now()
	rep := s.engine(r.Context(), one, opts, nil)
	took := time.Since(started)

	reg := prometheus.NewRegistry()
	duration := prometheus.NewGauge(prometheus.GaugeOpts{Name: "updoc_probe_duration_seconds", Help: "How long this probe took."})
	duration.Set(took.Seconds())
	s.registerer(reg).MustRegister(duration, &reportCollector{last: func() *report.Report { return &rep }})
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// probeTimeout is def, or the scraper's timeout less half a second when
// that is shorter (blackbox_exporter's rule).
func probeTimeout(r *http.Request, def time.Duration) time.Duration {
	v := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds")
	if v == "" {
		return def
	}
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs <= 0 {
		return def
	}
	t := time.Duration(secs*float64(time.Second)) - 500*time.Millisecond
	if t <= 0 || t > def {
		if t <= 0 {
			return time.Duration(secs * float64(time.Second))
		}
		return def
	}
	return t
}
