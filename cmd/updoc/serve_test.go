package main

// End-to-end tests of `updoc serve`: the real binary, real signals, and a
// real Prometheus (the Debian package) scraping it on loopback.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/lab"
)

// served is a running `updoc serve` with its JSON log.
type served struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string // 127.0.0.1:PORT
	mu   sync.Mutex
	log  []map[string]any
	raw  strings.Builder
	done chan error
}

// startServeBinary runs `updoc serve --listen 127.0.0.1:0 --log-format
// json ARGS` and waits until it listens.
func startServeBinary(t *testing.T, args ...string) *served {
	t.Helper()
	s := &served{t: t, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, append([]string{"serve", "--listen", "127.0.0.1:0", "--log-format", "json"}, args...)...)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			_ = json.Unmarshal(sc.Bytes(), &rec)
			s.mu.Lock()
			s.raw.WriteString(sc.Text() + "\n")
			s.log = append(s.log, rec)
			s.mu.Unlock()
			if rec["msg"] == "serving" {
				listening <- fmt.Sprint(rec["address"])
			}
		}
		s.done <- s.cmd.Wait()
	}()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
		}
	})
	select {
	case s.addr = <-listening:
	case err := <-s.done:
		t.Fatalf("updoc serve exited before listening: %v\n%s", err, s.logText())
	case <-time.After(time.Minute):
		t.Fatalf("updoc serve not listening after a minute:\n%s", s.logText())
	}
	return s
}

func (s *served) logText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

func (s *served) get(path string) (int, string) {
	s.t.Helper()
	return httpGet(s.t, "http://"+s.addr+path)
}

func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// until polls cond; a minute is the bound against hanging, not a timing
// assertion.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after a minute for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends sig and waits for the exit; it fails the test if the process
// has not exited after 30 s (a bound against hanging).
func (s *served) stop(sig syscall.Signal) (exitCode int, took time.Duration) {
	s.t.Helper()
	sent := time.Now()
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatal(err)
	}
	select {
	case err := <-s.done:
		took = time.Since(sent)
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), took
		}
		if err != nil {
			s.t.Fatal(err)
		}
		return 0, took
	case <-time.After(30 * time.Second):
		s.t.Fatalf("updoc serve still running 30 s after %s:\n%s", sig, s.logText())
	}
	return -1, 0
}

// hungServer accepts HTTP requests on 127.0.0.1 and never answers; it
// counts the requests in flight.
func hungServer(t *testing.T) (addr string, inFlight *atomic.Int32) {
	t.Helper()
	inFlight = new(atomic.Int32)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		select {
		case <-done:
		case <-r.Context().Done():
		}
	}), ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { close(done); _ = srv.Close() })
	return ln.Addr().String(), inFlight
}

// TestServeSignals: SIGHUP re-reads the graph (a broken one is counted and
// keeps the old graph; a good one replaces it), and SIGTERM shuts down
// with exit 0 even while a round hangs on an upstream that never answers.
func TestServeSignals(t *testing.T) {
	ok, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ok.Close()
	hung, inFlight := hungServer(t)
	file := filepath.Join(t.TempDir(), "updoc.yaml")
	write := func(text string) {
		if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(fmt.Sprintf("version: 1\nupstreams:\n  db: {url: \"tcp://%s\", samples: 0}\n", ok.Addr()))
	s := startServeBinary(t, "-f", file, "--interval", "50ms")
	metric := func(want string) func() bool {
		return func() bool { _, body := s.get("/metrics"); return strings.Contains(body, want+"\n") }
	}
	until(t, "db healthy", metric(`updoc_upstream_healthy{upstream="db"} 1`))

	write("version: 1\nupstreams:\n  db: {url: \"tcp://x:1\", sampels: 0}\n")
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	until(t, "the failed reload counted", metric("updoc_config_reload_failures_total 1"))
	if !strings.Contains(s.logText(), file+":3:") {
		t.Errorf("the log does not name %s:3:COLUMN:\n%s", file, s.logText())
	}
	if code, body := s.get("/metrics"); code != http.StatusOK || !strings.Contains(body, `updoc_upstream_healthy{upstream="db"} 1`) {
		t.Errorf("after the broken graph the old graph's metrics are gone: %d", code)
	}

	write(fmt.Sprintf("version: 1\nupstreams:\n  hung: {url: \"http://%s/\", samples: 0, timeout: 1h}\n", hung))
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	until(t, "a round hanging on the new graph's upstream", func() bool { return inFlight.Load() > 0 })
	code, took := s.stop(syscall.SIGTERM)
	if code != 0 {
		t.Errorf("exit %d after SIGTERM, want 0:\n%s", code, s.logText())
	}
	t.Logf("exited %d %s after SIGTERM with a round hanging", code, took.Round(time.Millisecond))
	if strings.Contains(s.logText(), "did not end within the shutdown timeout") {
		t.Errorf("the hanging round outlived the shutdown:\n%s", s.logText())
	}
}

// TestPrometheusScrapesServe: a real Prometheus scrapes `updoc serve` on
// loopback and its API has the healthy and the refused upstream with the
// right values; the rules load and evaluate; promtool accepts the rules
// file and a scrape.
func TestPrometheusScrapesServe(t *testing.T) {
	prom, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("prometheus is missing in CI: .ci/run should have installed it (apt-get install prometheus)")
		}
		t.Skip("prometheus not installed (apt-get install prometheus); .ci/run installs it")
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatalf("prometheus is installed but promtool is not: %v", err)
	}
	rules, err := filepath.Abs(filepath.Join("..", "..", "alerts", "updoc.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "check", "rules", rules).CombinedOutput(); err != nil {
		t.Errorf("promtool check rules: %v\n%s", err, out)
	}

	l, err := lab.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	dir := t.TempDir()
	graph := filepath.Join(dir, "lab.yaml")
	if err := os.WriteFile(graph, l.Config(), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServeBinary(t, "-f", graph, "--only", "web,refused,envoy", "--interval", "1s", "--vantage", "e2e")
	t.Cleanup(func() { s.stop(syscall.SIGTERM) })

	until(t, "the first round", func() bool { code, _ := s.get("/report"); return code == http.StatusOK })
	_, scrape := s.get("/metrics")
	check := exec.Command(promtool, "check", "metrics")
	check.Stdin = strings.NewReader(scrape)
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}

	promAddr := freeAddr(t)
	config := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(`global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [%q]
scrape_configs:
  - job_name: updoc
    static_configs: [{targets: [%q]}]
`, rules, s.addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	pcmd := exec.Command(prom, "--config.file="+config, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+promAddr, "--log.level=warn")
	var plog strings.Builder
	pcmd.Stdout, pcmd.Stderr = &plog, &plog
	if err := pcmd.Start(); err != nil {
		t.Fatal(err)
	}
	pdone := make(chan struct{})
	go func() { _ = pcmd.Wait(); close(pdone) }()
	t.Cleanup(func() {
		_ = pcmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-pdone:
		case <-time.After(30 * time.Second):
			_ = pcmd.Process.Kill()
			<-pdone
		}
	})

	api := "http://" + promAddr + "/api/v1/"
	var got map[string]string
	until(t, "Prometheus to have scraped updoc_upstream_healthy of web and refused", func() bool {
		got = queryVector(t, api, "updoc_upstream_healthy", pdone, &plog)
		return got["web"] != "" && got["refused"] != ""
	})
	if got["web"] != "1" || got["refused"] != "0" || got["envoy"] != "0" {
		t.Errorf("updoc_upstream_healthy in Prometheus: %v, want web 1, refused 0, envoy 0", got)
	}
	root := queryVector(t, api, `updoc_finding{root_cause="true",vantage="e2e"}`, pdone, &plog)
	if root["refused"] != "1" || root["envoy"] != "1" {
		t.Errorf("root-cause findings in Prometheus: %v", root)
	}
	// Every rule loads and evaluates without error against real series.
	until(t, "every rule evaluated", func() bool {
		groups := rulesState(t, api)
		if len(groups) == 0 {
			return false
		}
		for _, r := range groups {
			if r.Health != "ok" {
				if r.Health == "err" {
					t.Fatalf("rule %s: %s", r.Name, r.LastError)
				}
				return false
			}
		}
		return true
	})
}

// freeAddr is a 127.0.0.1 address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// queryVector runs an instant query and returns the values by upstream
// (nil while Prometheus is not up yet).
func queryVector(t *testing.T, api, query string, promDone <-chan struct{}, plog fmt.Stringer) map[string]string {
	t.Helper()
	select {
	case <-promDone:
		t.Fatalf("prometheus exited:\n%s", plog)
	default:
	}
	resp, err := http.Get(api + "query?query=" + url.QueryEscape(query))
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var out struct {
		Status string
		Data   struct {
			Result []struct {
				Metric map[string]string
				Value  [2]any
			}
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Status != "success" {
		return nil
	}
	got := map[string]string{}
	for _, r := range out.Data.Result {
		got[r.Metric["upstream"]] = fmt.Sprint(r.Value[1])
	}
	return got
}

type ruleState struct {
	Name      string
	Health    string
	LastError string
}

func rulesState(t *testing.T, api string) []ruleState {
	t.Helper()
	resp, err := http.Get(api + "rules")
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Groups []struct{ Rules []ruleState }
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil
	}
	var all []ruleState
	for _, g := range out.Data.Groups {
		all = append(all, g.Rules...)
	}
	return all
}
