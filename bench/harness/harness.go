package harness

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/updoc/updoc/bench/synth"
	"github.com/updoc/updoc/bench/world"
)

// Config is one benchmark run.
type Config struct {
	Updoc string   // the updoc binary
	Floor []string // the command that runs the floor prober (floor.Main's flags follow)
	// FloorEnv is added to the floor's environment.
	FloorEnv []string
	Sizes    []int // N: upstreams per graph
	// Chain, when not zero, measures instead a chain of Chain upstreams,
	// each depending on the next, whose bottom is a refused port (issue
	// 11: 2,000; the whole check ≤ 1 s, its report ≤ 5 MB), in every
	// Samples mode; Sizes and Faults do not apply.
	Chain       int
	Samples     []int // the --samples modes
	Runs        int   // runs of each prober per size and mode (≥ 3 for a median)
	Concurrency int
	Faults      bool // about 10 % of upstreams refused, 503 or slow
	Dir         string
	Progress    io.Writer // one line per run; nil: none
}

// Result is the measurements of one size and mode.
type Result struct {
	N, Samples int
	// Chain: the graph was a dependency chain whose bottom is down.
	Chain        bool
	Updoc, Floor []Sample
	// UpdocStatus is the report's status of each updoc run.
	UpdocStatus []string
}

// Run measures every size and mode of c, alternating updoc and the floor.
func Run(c Config) ([]Result, error) {
	w, err := world.Start(world.IssueOptions)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	var out []Result
	sizes, chain := c.Sizes, c.Chain > 0
	if chain {
		sizes = []int{c.Chain}
	}
	for _, n := range sizes {
		for _, samples := range c.Samples {
			r, err := measure(c, w, n, samples, chain)
			if err != nil {
				return out, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

func measure(c Config, w *world.World, n, samples int, chain bool) (Result, error) {
	r := Result{N: n, Samples: samples, Chain: chain}
	shape := "flat"
	ups := synth.Flat(n, func(i int) string { return w.URL(i, c.Faults) })
	if chain {
		shape = "chain"
		ups = synth.Chain(n, func(i int) string {
			if i == n-1 {
				return w.RefusedURL(i)
			}
			return w.URL(i, false)
		})
	}
	graphFile := filepath.Join(c.Dir, fmt.Sprintf("graph-%s-%d.yaml", shape, n))
	urlsFile := filepath.Join(c.Dir, fmt.Sprintf("urls-%s-%d.txt", shape, n))
	data := synth.GraphFile(synth.Defaults{Resolvers: []string{w.DNSAddr()}}, ups)
	if err := os.WriteFile(graphFile, data, 0o644); err != nil {
		return r, fmt.Errorf("write the benchmark graph: %w", err)
	}
	urls := make([]string, len(ups))
	for i, u := range ups {
		urls[i] = u.URL
	}
	if err := os.WriteFile(urlsFile, []byte(strings.Join(urls, "\n")+"\n"), 0o644); err != nil {
		return r, fmt.Errorf("write the floor's URL list: %w", err)
	}
	conc := strconv.Itoa(c.Concurrency)
	updoc := []string{c.Updoc, "check", "-f", graphFile, "-o", "json", "--samples", strconv.Itoa(samples), "--concurrency", conc}
	floorCmd := append(slices.Clone(c.Floor), "--dns", w.DNSAddr(), "--urls", urlsFile, "--requests", strconv.Itoa(1+samples), "--concurrency", conc)
	for run := 1; run <= c.Runs; run++ {
		s, err := runChild(w, updoc, nil, 0, 1) // 1: the report is unhealthy (faults)
		if err != nil {
			return r, err
		}
		status, err := reportStatus(s.Stdout, n)
		if err != nil {
			return r, err
		}
		s.ReportBytes, s.Stdout = int64(len(s.Stdout)), nil
		r.Updoc, r.UpdocStatus = append(r.Updoc, s), append(r.UpdocStatus, status)
		progress(c.Progress, "updoc", label(r), samples, run, s)

		if s, err = runChild(w, floorCmd, c.FloorEnv); err != nil {
			return r, err
		}
		s.Stdout = nil
		r.Floor = append(r.Floor, s)
		progress(c.Progress, "floor", label(r), samples, run, s)
	}
	return r, nil
}

// reportStatus reads the status of updoc's JSON report and checks that it
// covers n upstreams.
func reportStatus(stdout []byte, n int) (string, error) {
	var doc struct {
		Status  string `json:"status"`
		Summary struct {
			Total int `json:"total"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(stdout, &doc); err != nil {
		return "", fmt.Errorf("updoc check -o json printed no JSON report: %w", err)
	}
	if doc.Summary.Total != n {
		return "", fmt.Errorf("updoc's report covers %d upstreams, want %d", doc.Summary.Total, n)
	}
	return doc.Status, nil
}

func progress(w io.Writer, who, graph string, samples, run int, s Sample) {
	if w == nil {
		return
	}
	fmt.Fprintf(w, "  %s samples=%d run %d %-5s %8.1f ms  connects %d  requests %d  dns %d  rss %.1f MiB\n",
		graph, samples, run, who, ms(s.Wall), s.Counts.Connects, s.Counts.Requests, s.Counts.DNSQueries, mib(s.PeakRSS))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mib(b int64) float64        { return float64(b) / (1 << 20) }
