// Package floor is the floor prober of updoc's benchmark harness: the
// simplest Go program that makes the requests `updoc check` makes — each
// host name resolved once, then per upstream one connection carrying its
// GETs (1 + samples, in order, keep-alive), 64 upstreams at a time. What
// updoc spends above it is what its diagnosis costs, or waste.
package floor

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// Options shape one floor run.
type Options struct {
	DNS         string // the nameserver "127.0.0.1:PORT" asked for A records
	Requests    int    // GETs per upstream, on one connection
	Concurrency int
	Timeout     time.Duration // per request
}

// Outcome counts the upstreams whose every GET answered (any status) and
// those where one failed.
type Outcome struct{ OK, Failed int64 }

// Run probes urls as described in the package comment.
func Run(ctx context.Context, urls []string, o Options) (Outcome, error) {
	addrs, err := resolveOnce(urls, o.DNS)
	if err != nil {
		return Outcome{}, err
	}
	var out struct{ ok, failed atomic.Int64 }
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range o.Concurrency {
		wg.Go(func() {
			for raw := range jobs {
				if probe(ctx, raw, addrs, o) == nil {
					out.ok.Add(1)
				} else {
					out.failed.Add(1)
				}
			}
		})
	}
	for _, u := range urls {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
	return Outcome{OK: out.ok.Load(), Failed: out.failed.Load()}, nil
}

// resolveOnce asks server for the A record of each host name of urls,
// once per name, and returns name → first address.
func resolveOnce(urls []string, server string) (map[string]string, error) {
	addrs := map[string]string{}
	c := &dns.Client{Timeout: 2 * time.Second}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("floor: url %q: %w", raw, err)
		}
		host := u.Hostname()
		if _, done := addrs[host]; done || net.ParseIP(host) != nil {
			continue
		}
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(host), dns.TypeA)
		r, _, err := c.Exchange(m, server)
		if err != nil {
			return nil, fmt.Errorf("floor: resolve %s at %s: %w", host, server, err)
		}
		for _, rr := range r.Answer {
			if a, ok := rr.(*dns.A); ok {
				addrs[host] = a.A.String()
				break
			}
		}
		if addrs[host] == "" {
			return nil, fmt.Errorf("floor: %s at %s: no A record (rcode %s)", host, server, dns.RcodeToString[r.Rcode])
		}
	}
	return addrs, nil
}

// probe makes o.Requests GETs of raw on one connection to its host's
// resolved address.
func probe(ctx context.Context, raw string, addrs map[string]string, o Options) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	ip := u.Hostname()
	if a, ok := addrs[ip]; ok {
		ip = a
	}
	dialAddr := net.JoinHostPort(ip, u.Port())
	var d net.Dialer
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, dialAddr)
		},
		MaxIdleConnsPerHost: 1,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: o.Timeout}
	for range o.Requests {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// Main is the floor command: `floor --dns ADDR --urls FILE [--requests N]
// [--concurrency N]`; it prints "ok N failed N".
func Main(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	o := Options{}
	urlsFile := fs.String("urls", "", "file with one URL a line")
	fs.StringVar(&o.DNS, "dns", "", "nameserver HOST:PORT to resolve host names at")
	fs.IntVar(&o.Requests, "requests", 1, "GETs per upstream on one connection")
	fs.IntVar(&o.Concurrency, "concurrency", 64, "upstreams probed at once")
	fs.DurationVar(&o.Timeout, "timeout", 5*time.Second, "timeout of one request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *urlsFile == "" || o.DNS == "" || o.Requests < 1 || o.Concurrency < 1 {
		return errors.New("floor: give --urls FILE and --dns HOST:PORT; --requests and --concurrency must be at least 1")
	}
	data, err := os.ReadFile(*urlsFile)
	if err != nil {
		return fmt.Errorf("floor: read the URL list: %w", err)
	}
	out, err := Run(context.Background(), strings.Fields(string(data)), o)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "ok %d failed %d\n", out.OK, out.Failed)
	return err
}
