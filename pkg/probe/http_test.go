package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
)

// seenRequest is what the test server received.
type seenRequest struct {
	method, host, path, body string
	header                   http.Header
}

// httpServer starts the HTTP server of the http tests. Its routes:
//
//	/ok            200 "ok"
//	/echo          200, records the request
//	/status/N      status N, with Retry-After and Server headers
//	/hang          never answers (until the client goes)
//	/trickle       headers, then one byte every 20 ms, forever
//	/slow          waits 30 ms, then "slow"
//	/big           100 bytes
//	/r/N           redirects to /r/N-1; /r/0 is 200 "end"
//	/loop/a, /loop/b  redirect to each other
//	/post          303 to /echo
type testHTTP struct {
	*httptest.Server
	mu   sync.Mutex
	seen []seenRequest
}

func httpServer(t *testing.T) *testHTTP {
	t.Helper()
	s := &testHTTP{}
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") })
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.seen = append(s.seen, seenRequest{r.Method, r.Host, r.URL.Path, string(b), r.Header.Clone()})
		s.mu.Unlock()
		fmt.Fprint(w, "echo")
	})
	mux.HandleFunc("/status/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		w.Header().Set("Retry-After", "120")
		w.Header().Set("Server", "envoy")
		w.WriteHeader(n)
		fmt.Fprint(w, "no healthy upstream")
	})
	mux.HandleFunc("/hang", func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(30 * time.Millisecond)
		fmt.Fprint(w, "slow")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, strings.Repeat("b", 100)) })
	mux.HandleFunc("/r/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			fmt.Fprint(w, "end")
			return
		}
		http.Redirect(w, r, "/r/"+strconv.Itoa(n-1), http.StatusFound)
	})
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/b", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/a", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/post", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/echo", http.StatusSeeOther) })
	mux.HandleFunc("/bad-location", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "ftp://elsewhere/")
		w.WriteHeader(http.StatusFound)
	})
	s.Server = httptest.NewServer(mux)
	quiet(s.Server)
	t.Cleanup(s.Close)
	return s
}

func (s *testHTTP) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

// svcURL is the server's URL under the name svc.test, dialled via targets.
func (s *testHTTP) upstream(t *testing.T, path string, mods ...func(*graph.Upstream)) *graph.Upstream {
	_, port := hostPort(t, s.Listener.Addr().String())
	mods = append([]func(*graph.Upstream){withTargets(s.Listener.Addr().String())}, mods...)
	return upstream(t, "svc", "http://svc.test:"+port+path, mods...)
}

func TestHTTPRequest(t *testing.T) {
	s := httpServer(t)
	_, port := hostPort(t, s.Listener.Addr().String())
	u := s.upstream(t, "/echo", func(u *graph.Upstream) {
		u.Method = "POST"
		u.Body = `{"ping":true}`
		u.Headers = []graph.Header{{Name: "X-Probe", Value: "1"}, {Name: "Authorization", Value: "Bearer s3cret", Secret: true}, {Name: "X-Probe", Value: "2"}}
	})
	tr := runOne(t, testOpts(t), u).Targets[0]
	h := tr.HTTP
	must(t, h != nil && h.Err == nil, "HTTP = %+v", h)
	if h.StatusCode != 200 || h.Proto != "HTTP/1.1" || string(h.Body) != "echo" || h.Method != "POST" || h.URL != "http://svc.test:"+port+"/echo" {
		t.Errorf("HTTP = %+v", h)
	}
	reqs := s.requests()
	must(t, len(reqs) == 1, "server saw %d requests", len(reqs))
	r := reqs[0]
	if r.method != "POST" || r.host != "svc.test:"+port || r.body != `{"ping":true}` ||
		!slices.Equal(r.header.Values("X-Probe"), []string{"1", "2"}) || r.header.Get("Authorization") != "Bearer s3cret" {
		t.Errorf("server saw %+v", r)
	}
	if tm := h.Timings; tm.Connect <= 0 || tm.Total <= 0 || tm.TTFB <= 0 || tm.TLS != 0 || tm.DNS != 0 {
		t.Errorf("timings = %+v", tm)
	}
}

func TestHTTPResponses(t *testing.T) {
	s := httpServer(t)
	tests := []struct {
		name      string
		path      string
		mods      []func(*graph.Upstream)
		status    int
		body      string
		truncated bool
		redirects []string // paths
		tooMany   bool
		errPhase  string
		finalPath string
	}{
		{name: "ok", path: "/ok", status: 200, body: "ok", finalPath: "/ok"},
		{name: "503 with headers", path: "/status/503", status: 503, body: "no healthy upstream", finalPath: "/status/503"},
		{name: "max_body truncates", path: "/big", status: 200, body: strings.Repeat("b", 10), truncated: true, finalPath: "/big",
			mods: []func(*graph.Upstream){func(u *graph.Upstream) { u.MaxBody = 10 }}},
		{name: "max_body exactly", path: "/big", status: 200, body: strings.Repeat("b", 100), finalPath: "/big",
			mods: []func(*graph.Upstream){func(u *graph.Upstream) { u.MaxBody = 100 }}},
		{name: "two redirects followed", path: "/r/2", status: 200, body: "end", redirects: []string{"/r/1", "/r/0"}, finalPath: "/r/0"},
		{name: "five redirects followed", path: "/r/5", status: 200, body: "end", redirects: []string{"/r/4", "/r/3", "/r/2", "/r/1", "/r/0"}, finalPath: "/r/0"},
		{name: "sixth redirect", path: "/r/6", status: 302, redirects: []string{"/r/5", "/r/4", "/r/3", "/r/2", "/r/1"}, tooMany: true, finalPath: "/r/1"},
		{name: "loop", path: "/loop/a", status: 301, redirects: []string{"/loop/b"}, tooMany: true, finalPath: "/loop/b"},
		{name: "redirects not followed", path: "/r/2", status: 302, finalPath: "/r/2",
			mods: []func(*graph.Upstream){func(u *graph.Upstream) { u.FollowRedirects = false }}},
		{name: "POST then 303 becomes GET", path: "/post", status: 200, body: "echo", redirects: []string{"/echo"}, finalPath: "/echo",
			mods: []func(*graph.Upstream){func(u *graph.Upstream) { u.Method = "POST"; u.Body = "x" }}},
		{name: "redirect to another scheme", path: "/bad-location", status: 302, errPhase: "redirect", finalPath: "/bad-location"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := s.upstream(t, tc.path, tc.mods...)
			h := runOne(t, testOpts(t), u).Targets[0].HTTP
			must(t, h != nil, "no HTTP result")
			if (h.Err != nil) != (tc.errPhase != "") || h.ErrPhase != tc.errPhase {
				t.Errorf("Err = %v, ErrPhase = %q, want phase %q", h.Err, h.ErrPhase, tc.errPhase)
			}
			if h.StatusCode != tc.status || h.BodyTruncated != tc.truncated || h.TooManyRedirects != tc.tooMany {
				t.Errorf("status %d truncated %v tooMany %v", h.StatusCode, h.BodyTruncated, h.TooManyRedirects)
			}
			if tc.body != "" && string(h.Body) != tc.body {
				t.Errorf("body = %q, want %q", h.Body, tc.body)
			}
			var paths []string
			for _, r := range h.Redirects {
				ru, err := url.Parse(r)
				if err != nil || ru.Host != u.URL.Host {
					t.Errorf("redirect %q: not on %s", r, u.URL.Host)
					continue
				}
				paths = append(paths, ru.Path)
			}
			if !slices.Equal(paths, tc.redirects) {
				t.Errorf("redirects = %v, want %v", h.Redirects, tc.redirects)
			}
			if !strings.HasSuffix(h.URL, tc.finalPath) || !strings.HasPrefix(h.URL, "http://svc.test:") {
				t.Errorf("URL = %q, want .../%s", h.URL, tc.finalPath)
			}
		})
	}
	// Redirects stay on the target: the server saw Host svc.test every time.
	for _, r := range s.requests() {
		if !strings.HasPrefix(r.host, "svc.test:") {
			t.Errorf("request with Host %q", r.host)
		}
	}
}

func TestHTTPHeaders(t *testing.T) {
	s := httpServer(t)
	h := runOne(t, testOpts(t), s.upstream(t, "/status/503")).Targets[0].HTTP
	if h.Header.Get("Retry-After") != "120" || h.Header.Get("Server") != "envoy" {
		t.Errorf("headers = %v", h.Header)
	}
}

func TestHTTPTimeouts(t *testing.T) {
	s := httpServer(t)
	tests := []struct {
		path, phase string
		status      int
	}{
		{"/hang", "headers", 0},
		{"/trickle", "body", 200},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			start := time.Now()
			h := runOne(t, testOpts(t), s.upstream(t, tc.path)).Targets[0].HTTP
			within(t, tc.path+" run", time.Since(start), testTimeout)
			must(t, h != nil && h.Err != nil, "HTTP = %+v", h)
			within(t, tc.path+" exchange", h.Timings.Total, testTimeout)
			if h.ErrPhase != tc.phase || h.StatusCode != tc.status {
				t.Errorf("ErrPhase %q status %d, want %q %d", h.ErrPhase, h.StatusCode, tc.phase, tc.status)
			}
			if !errors.Is(h.Err, context.DeadlineExceeded) {
				t.Errorf("Err = %v (%T), want a deadline", h.Err, h.Err)
			}
			if tc.path == "/trickle" && len(h.Body) == 0 {
				t.Error("the trickled body prefix was not kept")
			}
		})
	}
}

func TestHTTPTimings(t *testing.T) {
	s := httpServer(t)
	h := runOne(t, testOpts(t), s.upstream(t, "/slow")).Targets[0].HTTP
	tm := h.Timings
	if tm.TTFB < 30*time.Millisecond || tm.Total < tm.TTFB || tm.Total < tm.Connect+tm.TTFB+tm.Transfer {
		t.Errorf("timings = %+v", tm)
	}
}

func TestHTTPTargets(t *testing.T) {
	var addrs []string
	for i := range 3 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, "replica %d for %s", i, r.Host)
		}))
		defer srv.Close()
		addrs = append(addrs, srv.Listener.Addr().String())
	}
	res := runOne(t, testOpts(t), upstream(t, "svc", "http://svc.test:8080/", withTargets(addrs...)))
	must(t, res.DNS == nil && len(res.Targets) == 3, "result = %+v", res)
	for i, tr := range res.Targets {
		if tr.Address != addrs[i] {
			t.Errorf("target %d: Address %q, want %q", i, tr.Address, addrs[i])
		}
		if tr.HTTP == nil || string(tr.HTTP.Body) != fmt.Sprintf("replica %d for svc.test:8080", i) {
			t.Errorf("target %d: HTTP = %+v", i, tr.HTTP)
		}
	}
}

func TestDialAddr(t *testing.T) {
	p := newPlan(upstream(t, "svc", "http://svc.test:8080/"), &env{})
	for addr, want := range map[string]string{
		"svc.test:8080":  "10.1.1.1:9000",
		"SVC.test:8080":  "10.1.1.1:9000",
		"svc.test:443":   "10.1.1.1:443",
		"other.test:443": "other.test:443",
	} {
		if got := p.dialAddr("10.1.1.1:9000", addr); got != want {
			t.Errorf("dialAddr(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestHTTPUserAgent(t *testing.T) {
	got := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.UserAgent()
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()

	runOne(t, testOpts(t), upstream(t, "plain", "http://"+addr+"/"))
	if ua := <-got; !strings.HasPrefix(ua, "updoc/") {
		t.Errorf("default User-Agent %q, want updoc/VERSION", ua)
	}
	runOne(t, testOpts(t), upstream(t, "own", "http://"+addr+"/", func(u *graph.Upstream) {
		u.Headers = []graph.Header{{Name: "user-agent", Value: "probe-bot"}}
	}))
	if ua := <-got; ua != "probe-bot" {
		t.Errorf("User-Agent %q, want the graph's probe-bot", ua)
	}
}
