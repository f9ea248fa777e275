package diagnose

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

// TestMessagesOfLoopsListenersAndTimeouts: redirect loops, a DNS port with nothing listening, and
// timeouts named by the configured timeout.
func TestMessagesOfLoopsListenersAndTimeouts(t *testing.T) {
	const addr = "127.0.0.1:28080"
	redirect := func(url string, loc string, followed ...string) probe.TargetResult {
		tr := httpOK(addr, 302)
		tr.HTTP.URL = url
		tr.HTTP.TooManyRedirects = true
		tr.HTTP.Redirects = followed
		tr.HTTP.Header = http.Header{"Location": {loc}}
		return tr
	}
	dnsFail := func(errs ...error) *probe.DNSResult {
		r := &probe.DNSResult{Name: "api.lab.test"}
		for _, e := range errs {
			r.Queries = append(r.Queries, probe.DNSQuery{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:28053"}, Server: "127.0.0.1:28053", QType: "A", Err: e, Duration: 1400 * time.Microsecond})
		}
		return r
	}
	refusedUDP := opErr("read", 111) // ECONNREFUSED on the UDP read
	httpTimeout := func(took time.Duration) probe.TargetResult {
		tr := okTarget(addr)
		tr.HTTP = &probe.HTTPResult{Method: "GET", URL: "http://" + addr + "/hang", Err: context.DeadlineExceeded, ErrPhase: "headers",
			Timings: probe.Timings{Total: took}}
		return tr
	}
	withTimeout := func(u *graph.Upstream, d time.Duration) *graph.Upstream { u.Timeout = d; return u }

	tests := []struct {
		name    string
		up      *graph.Upstream
		res     probe.Result
		timeout time.Duration // Input.Timeout
		code    string
		want    []string
		not     []string
	}{
		{name: "self redirect", up: node("redir", "http://"+addr+"/redir"),
			res:  probe.Result{Targets: []probe.TargetResult{redirect("http://"+addr+"/redir", "/redir")}},
			code: catalog.HTTPTooManyRedirects, want: []string{"redirect loop: http://" + addr + "/redir redirects to itself"},
			not: []string{"0 redirects", "more than 5"}},
		{name: "two-step loop", up: node("redir", "http://"+addr+"/a"),
			res:  probe.Result{Targets: []probe.TargetResult{redirect("http://"+addr+"/b", "/a", "http://"+addr+"/b")}},
			code: catalog.HTTPTooManyRedirects, want: []string{"redirect loop: http://" + addr + "/b redirects back to http://" + addr + "/a after 1 redirect"}},
		{name: "too many redirects", up: node("redir", "http://"+addr+"/1"),
			res: probe.Result{Targets: []probe.TargetResult{redirect("http://"+addr+"/6", "/7",
				"http://"+addr+"/2", "http://"+addr+"/3", "http://"+addr+"/4", "http://"+addr+"/5", "http://"+addr+"/6")}},
			code: catalog.HTTPTooManyRedirects, want: []string{"more than 5 redirects (the next Location: http://" + addr + "/7)"}, not: []string{"loop"}},
		{name: "nothing listens on the resolver port", up: node("api", "http://api.lab.test/"),
			res:  probe.Result{DNS: dnsFail(refusedUDP, refusedUDP)},
			code: catalog.DNSResolverUnreachable, want: []string{"no resolver could be reached for api.lab.test.: nothing listens for DNS at 127.0.0.1:28053 (udp: connection refused)"},
			not: []string{"within", "read:"}},
		{name: "dns timeout names the run's timeout", up: node("api", "http://api.lab.test/"),
			res: probe.Result{DNS: func() *probe.DNSResult {
				r := dnsFail(context.DeadlineExceeded)
				r.Queries[0].Duration = 301 * time.Millisecond
				return r
			}()},
			timeout: 300 * time.Millisecond,
			code:    catalog.DNSTimeout, want: []string{"within the 300ms timeout"}, not: []string{"301"}},
		{name: "http timeout names the graph's timeout", up: withTimeout(node("hung", "http://"+addr+"/hang"), 300*time.Millisecond),
			res: probe.Result{Targets: []probe.TargetResult{httpTimeout(301 * time.Millisecond)}}, timeout: 5 * time.Second,
			code: catalog.HTTPTimeout, want: []string{"no response headers from " + addr + " within the 300ms timeout"}, not: []string{"301"}},
		{name: "connect timeout names the run's timeout", up: node("bh", "http://10.255.255.1:80/"),
			res: probe.Result{Targets: []probe.TargetResult{{Address: "10.255.255.1:80",
				TCP: &probe.TCPResult{Err: errDialTimeout, Duration: 2001 * time.Millisecond}}}},
			timeout: 2 * time.Second,
			code:    catalog.TCPTimeout, want: []string{"connect to 10.255.255.1:80 did not complete within the 2s timeout"}},
		{name: "an OS timeout before ours gives the time measured", up: node("bh", "http://10.255.255.1:80/"),
			res: probe.Result{Targets: []probe.TargetResult{{Address: "10.255.255.1:80",
				TCP: &probe.TCPResult{Err: errETimedOut, Duration: 1200 * time.Millisecond}}}},
			timeout: 5 * time.Second,
			code:    catalog.TCPTimeout, want: []string{"timed out after 1.20s"}, not: []string{"5s timeout"}},
		{name: "timeout unknown: the time measured", up: node("hung", "http://"+addr+"/hang"),
			res:  probe.Result{Targets: []probe.TargetResult{httpTimeout(301 * time.Millisecond)}},
			code: catalog.HTTPTimeout, want: []string{"within 301ms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.res.Upstream = tt.up.Name
			if tt.timeout != 0 && tt.up.Timeout == graph.DefaultTimeout {
				// The run's --timeout, for an upstream whose graph sets none.
				tt.up.Timeout = tt.timeout
			}
			rep := diagnosed(Input{Graph: graphOf(tt.up), Results: []probe.Result{tt.res}, Now: testNow})
			f, ok := findCode(findingsOf(rep, tt.up.Name), tt.code)
			if !ok {
				t.Fatalf("no %s: %v", tt.code, codes(findingsOf(rep, tt.up.Name)))
			}
			mustContain(t, "message", f.Message, tt.want...)
			for _, n := range tt.not {
				if strings.Contains(f.Message, n) {
					t.Errorf("message %q contains %q", f.Message, n)
				}
			}
		})
	}
}
