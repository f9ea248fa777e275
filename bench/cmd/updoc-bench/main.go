// Command updoc-bench is updoc's loopback benchmark (issue 11): it runs
// `updoc check -o json` and a floor prober alternately against a world of
// 20 HTTP servers and a DNS server on 127.0.0.1, and prints medians,
// what the servers counted per run, peak RSS, and the ratio updoc/floor.
//
// Run it through scripts/bench-check.sh, which builds it and runs it in a
// private network namespace where only loopback exists.
//
//	updoc-bench [--updoc BIN] [--sizes 250,1000] [--with-10000] [--samples 0,10] [--runs 3] [--faults]
//	updoc-bench [--updoc BIN] --chain 2000 [--samples 0] [--runs 3]
//	updoc-bench floor --dns ADDR --urls FILE [--requests N] [--concurrency N]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/updoc/updoc/bench/floor"
	"github.com/updoc/updoc/bench/harness"
)

func main() {
	harness.ServeMeasure()
	var err error
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		err = floor.Main(os.Args[2:], os.Stdout)
	} else {
		err = bench(os.Args[1:])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "updoc-bench:", err)
		os.Exit(1)
	}
}

func bench(args []string) error {
	fs := flag.NewFlagSet("updoc-bench", flag.ContinueOnError)
	updoc := fs.String("updoc", "", "the updoc binary (default: built from this module with go build)")
	sizes := fs.String("sizes", "250,1000", "upstream counts N, comma-separated")
	with10k := fs.Bool("with-10000", false, "also N=10000 (slow)")
	chain := fs.Int("chain", 0, "instead of --sizes: a chain of this many upstreams, each depending on the next, whose bottom refuses connections (issue 11: 2000)")
	samples := fs.String("samples", "0,10", "--samples modes, comma-separated")
	runs := fs.Int("runs", 3, "runs of each prober per N and mode; the median is reported")
	faults := fs.Bool("faults", false, "about 10 % of upstreams fail: refused port, 503, 300 ms slow")
	conc := fs.Int("concurrency", 64, "probes in flight at once, for updoc and the floor")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := harness.Config{Runs: *runs, Concurrency: *conc, Faults: *faults, Chain: *chain, Progress: os.Stderr}
	var err error
	if c.Sizes, err = ints(*sizes); err != nil {
		return fmt.Errorf("--sizes: %w", err)
	}
	if *with10k {
		c.Sizes = append(c.Sizes, 10000)
	}
	if c.Samples, err = ints(*samples); err != nil {
		return fmt.Errorf("--samples: %w", err)
	}
	if c.Chain < 0 {
		return fmt.Errorf("--chain must not be negative")
	}
	if c.Runs < 1 || c.Concurrency < 1 {
		return fmt.Errorf("--runs and --concurrency must be at least 1")
	}
	if c.Dir, err = os.MkdirTemp("", "updoc-bench-"); err != nil {
		return fmt.Errorf("make a scratch directory: %w", err)
	}
	defer os.RemoveAll(c.Dir)
	if c.Updoc = *updoc; c.Updoc == "" {
		if c.Updoc, err = buildUpdoc(c.Dir); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program to run its floor prober: %w", err)
	}
	c.Floor = []string{self, "floor"}
	if c.Chain > 0 {
		fmt.Fprintf(os.Stderr, "updoc-bench: a chain of %d upstreams whose bottom refuses connections\n", c.Chain)
	}
	fmt.Fprintf(os.Stderr, "updoc-bench: N %v, samples %v, %d runs each, faults %v, concurrency %d\n", c.Sizes, c.Samples, c.Runs, c.Faults, c.Concurrency)
	rs, err := harness.Run(c)
	if err != nil {
		return err
	}
	harness.WriteSummary(os.Stdout, rs, c.Runs)
	return nil
}

// buildUpdoc builds ./cmd/updoc of the module in the working directory
// into dir.
func buildUpdoc(dir string) (string, error) {
	bin := filepath.Join(dir, "updoc")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/updoc")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/updoc (run from the repository's root, or give --updoc BIN): %w", err)
	}
	return bin, nil
}

func ints(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a count", f)
		}
		out = append(out, n)
	}
	return out, nil
}
