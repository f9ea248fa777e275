// Command updoc-memory measures the peak memory of `updoc check` against
// hostile upstreams and hostile files (issue 12, failure 2 and 3): one
// upstream whose answers to latency samples have headers without end, 200
// upstreams with bodies without end, 100 upstreams × 16 targets with 1 MiB
// bodies, and /dev/zero as the graph file (as -f and on stdin) and as
// tls.ca_file. For each it prints updoc's peak RSS (getrusage) and exit
// code, and whether it stayed within the bound (150 MiB).
//
// Run it through scripts/memory.sh, which builds it and runs it in a
// private network namespace where only loopback exists. A run whose RSS
// goes past 2 GiB is killed (and reported as such) so that a regression
// cannot take the machine down.
//
//	updoc-memory --updoc BIN [--bound-mib 150]
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/updoc/updoc/bench/harness"
	"github.com/updoc/updoc/internal/hostile"
	"github.com/updoc/updoc/internal/testserver"
)

// killRSS is the resident size at which a run is killed.
const killRSS = 2 << 30

// scenario is one measured run of updoc.
type scenario struct {
	name  string
	graph string   // the graph file's text ("" when args name the file)
	args  []string // after "check"; "GRAPH" is replaced by the graph's path
	stdin string   // a file for stdin ("" for none)
}

func main() {
	harness.ServeMeasure()
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "updoc-memory:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("updoc-memory", flag.ContinueOnError)
	updoc := fs.String("updoc", "", "the updoc binary to measure (required)")
	bound := fs.Int64("bound-mib", 150, "the peak RSS each run must stay within, MiB")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *updoc == "" {
		return errors.New("--updoc BIN is required (scripts/memory.sh builds it)")
	}
	dir, err := os.MkdirTemp("", "updoc-memory-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	servers, scenarios, err := world()
	defer func() {
		for _, s := range servers {
			s.Close()
		}
	}()
	if err != nil {
		return err
	}
	fmt.Printf("%-44s %10s %6s  %s\n", "scenario", "peak RSS", "exit", "within "+strconv.FormatInt(*bound, 10)+" MiB")
	failed := 0
	for _, sc := range scenarios {
		rss, code, killed, err := measure(*updoc, dir, sc)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		ok := !killed && rss <= *bound<<20
		verdict := "yes"
		switch {
		case killed:
			verdict = "NO (killed past 2 GiB)"
		case !ok:
			verdict = "NO"
		}
		if !ok {
			failed++
		}
		fmt.Printf("%-44s %6.1f MiB %6d  %s\n", sc.name, float64(rss)/(1<<20), code, verdict)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d runs went past %d MiB", failed, len(scenarios), *bound)
	}
	return nil
}

// world starts the hostile servers and lists the scenarios run against them.
func world() ([]*testserver.Listener, []scenario, error) {
	var servers []*testserver.Listener
	start := func(h hostile.Handler) (string, error) {
		l, err := hostile.Start(h)
		if err != nil {
			return "", err
		}
		servers = append(servers, l)
		return l.Addr, nil
	}
	headers, err := start(hostile.EndlessHeadersHandler(1))
	if err != nil {
		return servers, nil, err
	}
	bodies, err := start(hostile.EndlessBodyHandler())
	if err != nil {
		return servers, nil, err
	}
	var big []string
	for range 16 {
		a, err := start(hostile.BodyHandler(1<<20, "", ""))
		if err != nil {
			return servers, nil, err
		}
		big = append(big, a)
	}

	var endless, sixteen strings.Builder
	endless.WriteString("version: 1\ndefaults: {timeout: 5s, samples: 2}\nupstreams:\n")
	for i := range 200 {
		fmt.Fprintf(&endless, "  body%03d: {url: \"http://%s/%d\"}\n", i, bodies, i)
	}
	sixteen.WriteString("version: 1\ndefaults: {timeout: 5s, samples: 2}\nupstreams:\n")
	for i := range 100 {
		fmt.Fprintf(&sixteen, "  big%03d: {url: \"http://svc.test:80/%d\", targets: [%s]}\n", i, i, quoted(big))
	}
	return servers, []scenario{
		{name: "1 upstream, endless headers in 10 samples",
			graph: fmt.Sprintf("version: 1\nupstreams:\n  headers: {url: \"http://%s/\", samples: 10, timeout: 5s}\n", headers), args: []string{"-f", "GRAPH"}},
		{name: "200 upstreams, endless bodies", graph: endless.String(), args: []string{"-f", "GRAPH"}},
		{name: "100 upstreams x 16 targets, 1 MiB bodies", graph: sixteen.String(), args: []string{"-f", "GRAPH"}},
		{name: "-f /dev/zero", args: []string{"-f", "/dev/zero"}},
		{name: "-f - < /dev/zero", args: []string{"-f", "-"}, stdin: "/dev/zero"},
		{name: "tls.ca_file: /dev/zero",
			graph: fmt.Sprintf("version: 1\nupstreams:\n  ca: {url: \"https://%s/\", tls: {ca_file: /dev/zero}}\n", headers), args: []string{"-f", "GRAPH"}},
	}, nil
}

func quoted(addrs []string) string {
	q := make([]string, len(addrs))
	for i, a := range addrs {
		q[i] = strconv.Quote(a)
	}
	return strings.Join(q, ", ")
}

// measure runs `updoc check -o json ARGS` for sc through the measuring
// wrapper (harness.Measure) and returns its peak RSS (bytes), its exit
// code, and whether it was killed past killRSS.
func measure(updoc, dir string, sc scenario) (rss int64, code int, killed bool, err error) {
	args := []string{"check", "-o", "json"}
	for _, a := range sc.args {
		if a == "GRAPH" {
			p := filepath.Join(dir, "graph.yaml")
			if err := os.WriteFile(p, []byte(sc.graph), 0o600); err != nil {
				return 0, 0, false, err
			}
			a = p
		}
		args = append(args, a)
	}
	cmd := exec.Command(updoc, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	if sc.stdin != "" {
		f, err := os.Open(sc.stdin)
		if err != nil {
			return 0, 0, false, err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	measured, err := harness.Measure(cmd, killRSS)
	if err != nil {
		return 0, 0, false, err
	}
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return 0, 0, false, err
	}
	m, err := measured()
	if err != nil {
		return 0, 0, false, err
	}
	return m.PeakRSS, m.Exit, m.Killed, nil
}
