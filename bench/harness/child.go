package harness

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/updoc/updoc/bench/world"
)

// Sample is one run of one prober.
type Sample struct {
	Wall    time.Duration
	PeakRSS int64 // bytes; 0 when the platform does not report it
	Counts  world.Counts
	Stdout  []byte
	// ReportBytes is the size of updoc's JSON report (Stdout is dropped
	// once it is read).
	ReportBytes int64
}

// runChild runs argv (with env added to the environment) while the world
// counts, and returns what it cost. okCodes are the exit codes that are
// not a failure.
func runChild(w *world.World, argv, env []string, okCodes ...int) (Sample, error) {
	var stderr bytes.Buffer
	// stdout goes to a file, as with `updoc check -o json > report.json`,
	// rather than through a pipe to this process, which is busy serving
	// the world while the child writes.
	stdout, err := os.CreateTemp("", "updoc-bench-stdout-")
	if err != nil {
		return Sample{}, fmt.Errorf("make a file for the child's output: %w", err)
	}
	defer os.Remove(stdout.Name())
	defer stdout.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	measured, err := Measure(cmd, 0)
	if err != nil {
		return Sample{}, err
	}
	w.Reset()
	start := time.Now()
	err = cmd.Run()
	s := Sample{Wall: time.Since(start), Counts: w.Snapshot()}
	if out, rerr := os.ReadFile(stdout.Name()); rerr != nil && err == nil {
		err = fmt.Errorf("read the child's output: %w", rerr)
	} else {
		s.Stdout = out
	}
	if m, merr := measured(); merr == nil {
		s.PeakRSS, s.Wall = m.PeakRSS, m.Wall // the child's own, not the wrapper's
	} else if err == nil {
		err = merr
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		for _, c := range okCodes {
			if exit.ExitCode() == c {
				return s, nil
			}
		}
	}
	if err != nil {
		return s, fmt.Errorf("%s: %w; its stderr: %s", strings.Join(argv, " "), err, tail(stderr.String(), 2000))
	}
	return s, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
