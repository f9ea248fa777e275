package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/graph"
)

// ProbeOptions are the inputs of `updoc probe`.
type ProbeOptions struct {
	*Factory
	URLs []string
	Run  RunFlags
	Curl CurlFlags
}

// CurlFlags are probe's curl-style switches (SPEC §1): what the request of
// every URL looks like.
type CurlFlags struct {
	Resolvers  []string
	CAFile     string
	Insecure   bool
	Headers    []string
	Method     string
	Data       string
	ServerName string
	Proxy      string
	// given reports whether a flag was given on the command line.
	given func(flag string) bool
}

func newProbeCmd(f *Factory, runF func(context.Context, *ProbeOptions) error) *cobra.Command {
	opts := &ProbeOptions{Factory: f}
	if runF == nil {
		runF = runProbe
	}
	cmd := &cobra.Command{
		Use:   "probe URL [URL...]",
		Short: "Probe URLs ad hoc, with no graph file",
		Long: `Probe each URL as a one-node graph (schemes http, https, tcp, tls) and print the
report. The table adds a phase waterfall (dns, connect, tls, ttfb, transfer) per target.

curl's everyday switches shape the request of every URL that can use them: -X, -H, -d
and --proxy apply to http:// and https:// URLs, --cacert and -k to http:// (for redirects
to https), https:// and tls:// ones, --server-name to https:// and tls://, --resolver to
all. As with curl, -d without -X sends a POST, and -d @FILE sends FILE's content. A
request that writes (not GET, HEAD or OPTIONS) is not repeated for latency samples unless
--samples says so.`,
		Example: `  updoc probe https://api.example.com/healthz
  updoc probe tcp://db.internal:5432 tls://mq.internal:5671 -o json
  updoc probe https://api.internal/v1/orders -X POST -H 'Content-Type: application/json' -d '{"dry_run":true}'
  updoc probe https://10.0.0.5/healthz --server-name api.internal --cacert ca.pem
  updoc probe https://api.internal/healthz --resolver 10.0.0.2:53 --resolver system`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("probe needs at least one URL, e.g. updoc probe https://api.example.com/healthz (schemes http, https, tcp, tls)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.URLs = args
			return runF(cmd.Context(), opts)
		},
	}
	addRunFlags(cmd, &opts.Run)
	addCurlFlags(cmd, &opts.Curl)
	// --only and --tags select among the upstreams of a graph file; probe's
	// upstreams are its URLs. They stay parseable to be refused by name.
	for _, name := range selectionFlags {
		_ = cmd.Flags().MarkHidden(name)
	}
	return cmd
}

func addCurlFlags(cmd *cobra.Command, f *CurlFlags) {
	fl := cmd.Flags()
	f.given = func(name string) bool { return fl.Changed(name) }
	fl.StringArrayVar(&f.Resolvers, "resolver", nil, `DNS resolver to ask, HOST:PORT, udp://HOST:PORT, tcp://HOST:PORT or "system" (repeatable; default system)`)
	fl.StringVar(&f.CAFile, "cacert", "", "PEM file of the CA certificates to trust instead of the system's")
	fl.BoolVarP(&f.Insecure, "insecure", "k", false, "accept the server's certificate without verifying it")
	fl.StringArrayVarP(&f.Headers, "header", "H", nil, "request header 'Name: value' (repeatable)")
	fl.StringVarP(&f.Method, "request", "X", "", "HTTP method (default GET, or POST with -d)")
	fl.StringVarP(&f.Data, "data", "d", "", "request body; @FILE reads it from FILE")
	fl.StringVar(&f.ServerName, "server-name", "", "server name to send (SNI) and verify the certificate against, instead of the URL's host")
	fl.StringVar(&f.Proxy, "proxy", "", "proxy to go through: http://HOST:PORT, socks5://HOST:PORT, socks5h://HOST:PORT, env (the *_proxy variables) or none")
	_ = cmd.MarkFlagFilename("cacert", "pem", "crt")
	_ = cmd.RegisterFlagCompletionFunc("request", fixedCompletion([]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}))
}

// request is the graph.Request the switches describe.
func (o *ProbeOptions) request() graph.Request {
	c := o.Curl
	req := graph.Request{
		Method:     c.Method,
		Headers:    c.Headers,
		Resolvers:  c.Resolvers,
		CAFile:     c.CAFile,
		Insecure:   c.Insecure,
		ServerName: c.ServerName,
		Proxy:      c.Proxy,
		Env:        o.Env,
		Body:       ifGiven(c.given, "data", c.Data),
		Samples:    ifGiven(o.Run.given, "samples", o.Run.Samples),
		Timeout:    ifGiven(o.Run.given, "timeout", o.Run.Timeout),
	}
	if p := ifGiven(c.given, "proxy", c.Proxy); p != nil && *p == "" {
		req.Proxy = string(graph.ProxyNone) // curl: --proxy "" connects directly
	}
	return req
}

func runProbe(ctx context.Context, opts *ProbeOptions) error {
	for _, name := range selectionFlags {
		if wasGiven(opts.Run.given, name) {
			return invalid(fmt.Errorf("--%s selects upstreams of a graph file and probe has none: each URL is one upstream, so list only the URLs to probe (--%s belongs to check, watch, graph and demo)", name, name))
		}
	}
	if err := opts.Run.validate(opts.IO); err != nil {
		return err
	}
	g, err := graph.FromURLsWith(opts.URLs, opts.request())
	if err != nil {
		return invalid(err)
	}
	return runGraph(ctx, opts.Factory, g, opts.Run, true)
}
