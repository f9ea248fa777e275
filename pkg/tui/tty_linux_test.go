package tui

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/report"
)

// openPTY opens a new pseudo-terminal: its master and its slave.
func openPTY() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		master.Close()
		return nil, nil, e
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, nil, err
	}
	return master, slave, nil
}

const ttyHelperEnv = "UPDOC_TUI_TTY_HELPER"

// TestRunNilInputReadsTheTerminal runs Run(ctx, nil, …) in a child process
// whose stdin is /dev/null (as when the graph is piped in) and whose
// controlling terminal is a pty: the q typed on the pty must reach the
// program and quit it.
func TestRunNilInputReadsTheTerminal(t *testing.T) {
	if os.Getenv(ttyHelperEnv) != "" {
		runNilInputHelper()
		return
	}
	master, slave, err := openPTY()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	defer slave.Close()
	go io.Copy(io.Discard, master) // drain whatever the child writes to the terminal

	cmd := exec.Command(os.Args[0], "-test.run=^TestRunNilInputReadsTheTerminal$", "-test.count=1")
	cmd.Env = append(os.Environ(), ttyHelperEnv+"=1")
	cmd.Stdin = nil // /dev/null: not a terminal
	cmd.ExtraFiles = []*os.File{slave}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 3}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var got []string
	wait := func(want string) {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("child ended before %q:\n%s", want, strings.Join(got, "\n"))
				}
				got = append(got, l)
				if strings.HasPrefix(l, want) {
					return
				}
			case <-timeout:
				cmd.Process.Kill()
				t.Fatalf("no %q from the child within 5s:\n%s", want, strings.Join(got, "\n"))
			}
		}
	}
	wait("round done")
	time.Sleep(100 * time.Millisecond) // let the program take the report in
	if _, err := master.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	wait("run: ")
	if l := got[len(got)-1]; l != "run: <nil>" {
		t.Errorf("child: %s, want run: <nil> (quit by the q typed on the terminal)\n%s", l, strings.Join(got, "\n"))
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("child: %v", err)
	}
}

// runNilInputHelper is the child of TestRunNilInputReadsTheTerminal.
func runNilInputHelper() {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	round := func(ctx context.Context, observe engine.Observer) report.Report {
		defer fmt.Println("round done")
		return mixedReport(1)
	}
	_, err := Run(ctx, nil, io.Discard, round, Options{})
	fmt.Printf("run: %v\n", err)
}
