// Command soak runs `updoc serve` against the fault lab at a short interval
// for a long time and prints its goroutines and resident memory at the
// start and the end (issue 14): a server that runs for weeks must not grow.
// scripts/soak.sh builds it and runs it with loopback only.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/updoc/updoc/pkg/lab"
)

func main() {
	updoc := flag.String("updoc", "updoc", "the updoc binary")
	duration := flag.Duration("duration", 10*time.Minute, "how long to soak")
	interval := flag.Duration("interval", time.Second, "updoc serve --interval")
	warmup := flag.Duration("warmup", 20*time.Second, "time after the first round before the start measurement")
	report := flag.Duration("every", time.Minute, "print a line this often")
	maxGoroutines := flag.Int("max-goroutine-growth", 10, "fail when goroutines grew by more than this from start to end")
	maxRSS := flag.Float64("max-rss-growth", 0.25, "fail when resident memory grew by more than this fraction from start to end")
	flag.Parse()
	if err := run(*updoc, *duration, *interval, *warmup, *report, *maxGoroutines, *maxRSS); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

type sample struct {
	at         time.Duration
	rounds     float64
	skipped    float64
	goroutines float64
	rssMiB     float64 // process_resident_memory_bytes
	procRSSMiB float64 // VmRSS of /proc/PID/status
	heapMiB    float64 // go_memstats_heap_inuse_bytes
}

func (s sample) String() string {
	return fmt.Sprintf("%8s  rounds %5.0f  skipped %4.0f  goroutines %4.0f  rss %6.1f MiB (/proc %6.1f)  heap in use %6.1f MiB",
		s.at.Round(time.Second), s.rounds, s.skipped, s.goroutines, s.rssMiB, s.procRSSMiB, s.heapMiB)
}

func run(updoc string, duration, interval, warmup, every time.Duration, maxGoroutines int, maxRSS float64) error {
	l, err := lab.Start(context.Background())
	if err != nil {
		return err
	}
	defer l.Close()
	dir, err := os.MkdirTemp("", "updoc-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	graph := filepath.Join(dir, "lab.yaml")
	if err := os.WriteFile(graph, l.Config(), 0o600); err != nil {
		return err
	}
	cmd := exec.Command(updoc, "serve", "-f", graph, "--listen", "127.0.0.1:0", "--interval", interval.String(), "--log-format", "json")
	cmd.Env = append(os.Environ(), lab.HomeVar+"="+dir)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["msg"] == "serving" {
				addr <- fmt.Sprint(rec["address"])
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(time.Minute):
		return errors.New("updoc serve did not listen within a minute")
	}
	fmt.Printf("soak: updoc serve on %s, the whole lab (%d upstreams), --interval %s, for %s\n", base, len(l.Scenarios()), interval, duration)

	began := time.Now()
	one := func() (sample, error) {
		m, err := scrape(base + "/metrics")
		if err != nil {
			return sample{}, err
		}
		s := sample{at: time.Since(began), rounds: m["updoc_rounds_total"], skipped: m["updoc_rounds_skipped_total"],
			goroutines: m["go_goroutines"], rssMiB: m["process_resident_memory_bytes"] / (1 << 20), heapMiB: m["go_memstats_heap_inuse_bytes"] / (1 << 20)}
		s.procRSSMiB = procRSS(cmd.Process.Pid)
		return s, nil
	}
	// measure samples for 3 s and keeps the sample with the fewest
	// goroutines: the server between rounds, comparable from one
	// measurement to the next (a round in flight holds a goroutine per
	// probe).
	measure := func() (sample, error) {
		var best sample
		for i := 0; i < 60; i++ {
			s, err := one()
			if err != nil {
				return sample{}, err
			}
			if i == 0 || s.goroutines < best.goroutines {
				best = s
			}
			time.Sleep(50 * time.Millisecond)
		}
		return best, nil
	}
	for {
		s, err := one()
		if err != nil {
			return err
		}
		if s.rounds >= 1 {
			fmt.Println("first  ", s)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(warmup)
	start, err := measure()
	if err != nil {
		return err
	}
	fmt.Println("start  ", start)
	end := start
	for deadline := began.Add(duration); time.Now().Before(deadline); {
		time.Sleep(max(0, min(every, time.Until(deadline))-3*time.Second))
		if end, err = measure(); err != nil {
			return err
		}
		fmt.Println("       ", end)
	}
	fmt.Println("end    ", end, "(each line: the sample with the fewest goroutines of 3 s, between rounds)")
	_ = cmd.Process.Signal(syscall.SIGTERM)

	dg := end.goroutines - start.goroutines
	dr := (end.rssMiB - start.rssMiB) / start.rssMiB
	fmt.Printf("growth: goroutines %+.0f, rss %+.1f %% over %.0f rounds (%.0f skipped)\n", dg, 100*dr, end.rounds-start.rounds, end.skipped-start.skipped)
	var problems []string
	if dg > float64(maxGoroutines) {
		problems = append(problems, fmt.Sprintf("goroutines grew by %.0f (more than %d)", dg, maxGoroutines))
	}
	if dr > maxRSS {
		problems = append(problems, fmt.Sprintf("resident memory grew by %.1f %% (more than %.0f %%)", 100*dr, 100*maxRSS))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	fmt.Println("soak: no growth")
	return nil
}

// scrape reads the unlabelled series of a text exposition.
func scrape(url string) (map[string]float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		name, value, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
			out[name] = v
		}
	}
	return out, nil
}

// procRSS is VmRSS of the process in MiB (0 where /proc has none).
func procRSS(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
