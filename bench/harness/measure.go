package harness

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// measureArg, as the first argument of a benchmark program, makes it the
// measuring wrapper of a child (ServeMeasure).
const measureArg = "__updoc_measure_child"

// Why a wrapper: Go starts a child with clone(CLONE_VM|CLONE_VFORK), so
// until it execs the child shares its parent's memory, and Linux counts
// the parent's resident set in the child's peak (ru_maxrss is the high
// water mark of the memory the child had, the parent's included). A
// benchmark whose own servers hold 100 MiB would report at least 100 MiB
// for every child. The wrapper is a fresh, small process: what it
// starts is measured from a few MiB, as /usr/bin/time does.

// ServeMeasure must be the first call in main of a program that measures
// children with Measure. When the program was started as the wrapper, it
// runs the child named by its arguments with the wrapper's stdio, writes
// the child's peak RSS (bytes) and wall time (from its start to its end, so
// not the wrapper's own) to file descriptor 3, and exits with the
// child's exit code (-1 → 255 when a signal ended it); otherwise it
// returns at once.
func ServeMeasure() {
	if len(os.Args) < 3 || os.Args[1] != measureArg {
		return
	}
	limit, _ := strconv.ParseInt(os.Getenv("UPDOC_MEASURE_KILL_RSS"), 10, 64)
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	report := os.NewFile(3, "measure")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(127)
	}
	killed := make(chan bool, 1)
	done := make(chan struct{})
	go watchRSS(cmd.Process, limit, done, killed)
	_ = cmd.Wait()
	wall := time.Since(start)
	close(done)
	fmt.Fprintf(report, "%d %t %d\n", peakRSS(cmd.ProcessState), <-killed, wall.Nanoseconds())
	report.Close()
	code := cmd.ProcessState.ExitCode()
	if code < 0 {
		code = 255
	}
	os.Exit(code)
}

// watchRSS kills p when its resident set goes past limit bytes (0: never),
// and reports on killed whether it did.
func watchRSS(p *os.Process, limit int64, done <-chan struct{}, killed chan<- bool) {
	if limit <= 0 {
		killed <- false
		return
	}
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			killed <- false
			return
		case <-t.C:
			if residentBytes(p.Pid) > limit {
				_ = p.Kill()
				killed <- true
				return
			}
		}
	}
}

// residentBytes is the resident set of process pid now (VmRSS), 0 when
// unknown.
func residentBytes(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// Measured is what Measure learned of a child.
type Measured struct {
	PeakRSS int64 // bytes
	Wall    time.Duration
	Exit    int  // the child's exit code (255: ended by a signal)
	Killed  bool // past killRSS: the wrapper killed it
}

// Measure prepares cmd (built by the caller: argv, stdio, env) to run
// through this program's measuring wrapper (ServeMeasure), and returns a
// function to call after cmd.Wait that reads what the wrapper measured.
// killRSS (bytes, 0 for none) kills the child when its resident set goes
// past it. The caller's main must call ServeMeasure first.
func Measure(cmd *exec.Cmd, killRSS int64) (result func() (Measured, error), err error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Args = append([]string{self, measureArg, cmd.Path}, cmd.Args[1:]...)
	cmd.Path = self
	cmd.ExtraFiles = append([]*os.File{w}, cmd.ExtraFiles...)
	cmd.Env = append(cmd.Environ(), "UPDOC_MEASURE_KILL_RSS="+strconv.FormatInt(killRSS, 10))
	return func() (Measured, error) {
		w.Close()
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			return Measured{}, err
		}
		var m Measured
		var wall int64
		if _, err := fmt.Sscanf(string(b), "%d %t %d", &m.PeakRSS, &m.Killed, &wall); err != nil {
			return Measured{}, errors.New("the measuring wrapper reported nothing: did main call harness.ServeMeasure first?")
		}
		m.Wall = time.Duration(wall)
		if cmd.ProcessState != nil {
			m.Exit = cmd.ProcessState.ExitCode()
		}
		return m, nil
	}, nil
}
