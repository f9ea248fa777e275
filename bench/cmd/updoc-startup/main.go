// Command updoc-startup measures start-up (issue 11): it runs /bin/true, an
// empty Go program, `updoc version` and `updoc validate -f FILE` (a graph of
// upstreams with IP-literal URLs, so nothing is resolved) round-robin, each
// --runs times, and prints the median wall time of each, in ms and as a
// ratio to the empty Go program, which is the floor for any Go binary.
//
// Run it through scripts/startup.sh, which builds updoc as goreleaser does
// and the empty program, and runs this in a private network namespace.
//
// Wall time is what a user waits; CPU time (user + system, from rusage) is
// printed next to it because it moves less when the machine is loaded, and
// the minor page faults (rusage; pages of the binary and heap first
// touched) because they do not move with it at all.
// --baseline BIN adds that binary's version and validate to the same round
// robin, to compare two builds of updoc in one run.
//
//	updoc-startup --updoc BIN --empty BIN [--baseline BIN] [--runs 30] [--upstreams 100] [--dir DIR]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/updoc/updoc/bench/synth"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "updoc-startup:", err)
		os.Exit(1)
	}
}

type subject struct {
	label     string
	argv      []string
	wall, cpu []time.Duration
	faults    []int64
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("updoc-startup", flag.ContinueOnError)
	updoc := fs.String("updoc", "", "the updoc binary")
	empty := fs.String("empty", "", "an empty Go program (func main() {}), built like updoc")
	baseline := fs.String("baseline", "", "another updoc binary measured in the same round robin (optional)")
	runs := fs.Int("runs", 30, "runs of each command; the median is reported")
	n := fs.Int("upstreams", 100, "upstreams in the graph given to validate")
	dir := fs.String("dir", "", "where to write the graph (default: a temporary directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *updoc == "" || *empty == "" || *runs < 1 {
		return fmt.Errorf("--updoc and --empty are needed, --runs at least 1")
	}
	d := *dir
	if d == "" {
		var err error
		if d, err = os.MkdirTemp("", "updoc-startup"); err != nil {
			return err
		}
		defer os.RemoveAll(d)
	}
	// IP-literal URLs on loopback: validate resolves nothing and dials nothing.
	g := synth.GraphFile(synth.Defaults{}, synth.Flat(*n, func(i int) string {
		return fmt.Sprintf("http://127.0.0.%d:%d/health", 1+i%250, 8000+i)
	}))
	file := filepath.Join(d, "g.yaml")
	if err := os.WriteFile(file, g, 0o644); err != nil {
		return err
	}
	subjects := []*subject{
		{label: "/bin/true", argv: []string{"/bin/true"}},
		{label: "empty Go program", argv: []string{*empty}},
		{label: "updoc version", argv: []string{*updoc, "version"}},
		{label: fmt.Sprintf("updoc validate (%d upstreams)", *n), argv: []string{*updoc, "validate", "-q", "-f", file}},
	}
	if *baseline != "" {
		subjects = append(subjects,
			&subject{label: "baseline version", argv: []string{*baseline, "version"}},
			&subject{label: "baseline validate", argv: []string{*baseline, "validate", "-q", "-f", file}})
	}
	// One warm-up of each (page cache), then round-robin so that load on the
	// machine falls on every subject alike.
	for _, s := range subjects {
		if _, err := once(s.argv); err != nil {
			return err
		}
	}
	for range *runs {
		for _, s := range subjects {
			r, err := once(s.argv)
			if err != nil {
				return err
			}
			s.wall = append(s.wall, r.wall)
			s.cpu = append(s.cpu, r.cpu)
			s.faults = append(s.faults, r.faults)
		}
	}
	floorWall, floorCPU, floorFaults := median(subjects[1].wall), median(subjects[1].cpu), median(subjects[1].faults)
	fmt.Fprintf(out, "medians of %d runs each, round robin; ratios to the empty Go program\n", *runs)
	fmt.Fprintf(out, "%-32s %9s %7s %9s %7s %12s %7s\n", "", "wall ms", "ratio", "cpu ms", "ratio", "page faults", "ratio")
	for _, s := range subjects {
		w, c, f := median(s.wall), median(s.cpu), median(s.faults)
		fmt.Fprintf(out, "%-32s %9.2f %6.2fx %9.2f %6.2fx %12d %6.2fx\n", s.label,
			ms(w), ratio(w, floorWall), ms(c), ratio(c, floorCPU), f, ratio(f, floorFaults))
	}
	return nil
}

func ratio[T time.Duration | int64](a, b T) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

type result struct {
	wall, cpu time.Duration // cpu: user + system
	faults    int64
}

// once runs argv and returns what it cost.
func once(argv []string) (result, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%q: %w", argv, err)
	}
	ps := cmd.ProcessState
	return result{wall: time.Since(start), cpu: ps.UserTime() + ps.SystemTime(), faults: pageFaults(ps)}, nil
}

func median[T time.Duration | int64](ts []T) T {
	s := slices.Clone(ts)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
