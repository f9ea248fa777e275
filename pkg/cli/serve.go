package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/serve"
)

// ServeOptions are the inputs of `updoc serve`.
type ServeOptions struct {
	*Factory
	File         string
	Listen       string
	Interval     time.Duration
	ProbeTimeout time.Duration
	Vantage      string
	LogFormat    string
	Run          RunFlags
	// Ready, when not nil, receives the address served once listening
	// (tests listen on 127.0.0.1:0).
	Ready func(addr string)
}

func newServeCmd(f *Factory, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{Factory: f}
	if runF == nil {
		runF = runServe
	}
	cmd := &cobra.Command{
		Use:   "serve [-f FILE] [--listen 127.0.0.1:9469] [--interval 30s]",
		Short: "Run the graph on an interval and serve the diagnosis as Prometheus metrics",
		Long: `Run the graph every --interval and serve the last round's diagnosis for Prometheus
(SPEC §9; the metrics and alerting rules are in docs/serve.md):

  /metrics              the diagnosis as metrics: status, findings by cause code, phases, latency,
                        certificate expiry, sunset dates, and updoc's own rounds and reloads
  /report               the last round's report, the JSON document check -o json writes
  /probe?upstream=NAME  probe one upstream now and answer its metrics (blackbox_exporter style)
  /healthz              ok while updoc serve runs
  POST /-/reload        re-read the graph file, as SIGHUP does

Rounds never overlap: when a round is still running at the next tick, that round is
skipped and counted (updoc_rounds_skipped_total). A graph file that no longer loads on
reload keeps the previous graph; the error is logged with its FILE:LINE:COLUMN and counted
(updoc_config_reload_failures_total). SIGTERM or Ctrl-C shuts down within 5 s and exits 0.`,
		Example: `  updoc serve -f updoc.yaml
  updoc serve -f updoc.yaml --listen 0.0.0.0:9469 --interval 1m --vantage eu-west-1 --log-format json
  curl -s localhost:9469/metrics | grep updoc_upstream_healthy
  curl -s 'localhost:9469/probe?upstream=payments'
  kill -HUP $(pidof updoc)     # or: curl -X POST localhost:9469/-/reload`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	addFileFlag(cmd, &opts.File)
	fl := cmd.Flags()
	fl.StringVar(&opts.Listen, "listen", serve.DefaultListen, "address to serve on (HOST:PORT); 0.0.0.0:9469 to be scraped from other hosts")
	fl.DurationVar(&opts.Interval, "interval", serve.DefaultInterval, "time between the starts of two rounds")
	fl.DurationVar(&opts.ProbeTimeout, "probe-timeout", serve.DefaultProbeTimeout, "bound on one /probe (less when the scraper's timeout is shorter)")
	fl.StringVar(&opts.Vantage, "vantage", "", `where this instance probes from: the constant label vantage="NAME" of every metric`)
	fl.StringVar(&opts.LogFormat, "log-format", "text", "log format on standard error: text or json")
	_ = cmd.RegisterFlagCompletionFunc("log-format", fixedCompletion([]string{"text", "json"}))
	addEngineFlags(cmd, &opts.Run)
	return cmd
}

func runServe(ctx context.Context, opts *ServeOptions) error {
	r := &opts.Run
	switch {
	case opts.File == "-":
		return invalid(errors.New("serve re-reads its graph file on reload (SIGHUP, POST /-/reload), which standard input cannot give twice: name a file with -f FILE"))
	case opts.Interval <= 0:
		return invalid(fmt.Errorf("invalid --interval %s: want a positive duration such as 30s", opts.Interval))
	case opts.ProbeTimeout <= 0:
		return invalid(fmt.Errorf("invalid --probe-timeout %s: want a positive duration such as 10s", opts.ProbeTimeout))
	case opts.LogFormat != "text" && opts.LogFormat != "json":
		return invalid(fmt.Errorf("invalid --log-format %q: want text or json", opts.LogFormat))
	}
	if err := r.validate(opts.IO); err != nil {
		return err
	}
	var handler slog.Handler
	if opts.LogFormat == "json" {
		handler = slog.NewJSONHandler(opts.IO.ErrOut, nil)
	} else {
		handler = slog.NewTextHandler(opts.IO.ErrOut, nil)
	}
	load := func() (*graph.Graph, error) {
		g, err := graph.LoadFile(ctx, opts.File, nil, opts.Env)
		if err != nil {
			return nil, err
		}
		return selectUpstreams(g, *r)
	}
	srv, err := serve.New(serve.Options{
		Load:         load,
		Engine:       serve.EngineFunc(opts.Factory.run),
		Run:          r.engineOptions(),
		Interval:     opts.Interval,
		ProbeTimeout: opts.ProbeTimeout,
		Vantage:      opts.Vantage,
		Logger:       slog.New(handler),
	})
	if err != nil {
		var ee *ExitError
		if errors.As(err, &ee) {
			return err
		}
		return invalid(err)
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return invalid(fmt.Errorf("listen on %s: %w (choose another address with --listen)", opts.Listen, err))
	}
	if h := hangupsFrom(ctx); h != nil {
		release := h.claim(func() { _ = srv.Reload() })
		defer release()
	}
	if opts.Ready != nil {
		opts.Ready(ln.Addr().String())
	}
	return srv.Serve(ctx, ln)
}

// Hangups routes SIGHUP. cmd/updoc receives the signal; a command that
// re-reads its configuration on SIGHUP (serve) claims it for the time it
// runs, and for every other command SIGHUP stays an interrupt (the
// terminal closed).
type Hangups struct {
	mu     sync.Mutex
	reload func()
}

// NewHangups returns a router nobody has claimed yet.
func NewHangups() *Hangups { return &Hangups{} }

// Deliver hands a SIGHUP to the command that claimed it and reports
// whether one did; false means it is an interrupt.
func (h *Hangups) Deliver() bool {
	h.mu.Lock()
	reload := h.reload
	h.mu.Unlock()
	if reload == nil {
		return false
	}
	go reload()
	return true
}

func (h *Hangups) claim(reload func()) (release func()) {
	h.mu.Lock()
	h.reload = reload
	h.mu.Unlock()
	return func() {
		h.mu.Lock()
		h.reload = nil
		h.mu.Unlock()
	}
}

type hangupsKey struct{}

// WithHangups gives the commands run with ctx the SIGHUP router h.
func WithHangups(ctx context.Context, h *Hangups) context.Context {
	return context.WithValue(ctx, hangupsKey{}, h)
}

func hangupsFrom(ctx context.Context) *Hangups {
	h, _ := ctx.Value(hangupsKey{}).(*Hangups)
	return h
}
