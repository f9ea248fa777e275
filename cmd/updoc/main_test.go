package main

// End-to-end tests of the real binary: signals, exit codes and the TUI in a
// real terminal (tmux). They build updoc once into a temporary directory.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/updoc/updoc/internal/testserver"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "updoc-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "updoc")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "build updoc: %v\n", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// An interrupt — Ctrl-C (SIGINT), a stop (SIGTERM) or the terminal closing
// (SIGHUP) — stops probing, prints the report of what finished and exits
// 130; the run's context ends, so everything it started (the demo's lab and
// its temporary files) is cleaned up.
func TestInterruptPrintsWhatFinishedAndExits130(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) { interruptCheck(t, sig) })
	}
}

func interruptCheck(t *testing.T, sig syscall.Signal) {
	addr := testserver.Hung(t)
	ok, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ok.Close()
	graph := filepath.Join(t.TempDir(), "updoc.yaml")
	if err := os.WriteFile(graph, []byte(fmt.Sprintf(`version: 1
upstreams:
  db: {url: "tcp://%s", samples: 0}
  slow-a: {url: "http://%s/a"}
  slow-b: {url: "http://%s/b"}
`, ok.Addr(), addr, addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(binary, "check", "-f", graph, "-o", "json", "--timeout", "30s")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	sent := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	took := time.Since(sent)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("want exit 130, got %v; stderr: %s", err, stderr.String())
	}
	if took > time.Second {
		t.Fatalf("exited %s after %s, want within 1s", took, sig)
	}
	t.Logf("exited 130 %s after %s", took.Round(time.Millisecond), sig)
	var rep struct {
		Upstreams []struct {
			Name     string
			Status   string
			Findings []struct{ Code string }
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, stdout.String())
	}
	got := map[string]string{}
	for _, u := range rep.Upstreams {
		var codes []string
		for _, f := range u.Findings {
			codes = append(codes, f.Code)
		}
		got[u.Name] = u.Status + " " + strings.Join(codes, ",")
	}
	// What finished keeps its status; what the interrupt cut short is
	// unknown (SPEC §5), not unhealthy.
	want := map[string]string{"db": "healthy ", "slow-a": "unknown run.interrupted", "slow-b": "unknown run.interrupted"}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: got %q, want %q", name, got[name], w)
		}
	}
}

// terminal is a shell in a tmux session of its own, for driving the TUI.
type terminal struct {
	t    *testing.T
	sock string
}

// newTerminal opens a terminal of width×height columns and rows.
func newTerminal(t *testing.T, width, height int) *terminal {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the tmux end-to-end test")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is missing in CI: .ci/run should have installed it")
		}
		t.Skip("tmux not installed (apt-get install tmux); .ci/run installs it")
	}
	term := &terminal{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock")}
	term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), "sh")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", term.sock, "kill-server").Run() })
	return term
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", term.sock}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (term *terminal) keys(keys ...string) {
	term.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

func (term *terminal) screen() string { return term.tmux("capture-pane", "-t", "e2e", "-p") }

// joinedScreen is the screen with the lines the terminal wrapped joined.
func (term *terminal) joinedScreen() string {
	return term.tmux("capture-pane", "-t", "e2e", "-p", "-J")
}

func (term *terminal) waitFor(what string, within time.Duration, ok func(string) bool) {
	term.t.Helper()
	deadline := time.Now().Add(within)
	for {
		s := term.screen()
		if ok(s) {
			return
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("%s: not seen within %s; screen:\n%s", what, within, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func contains(sub string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, sub) }
}

// TestTUIInTmux drives `updoc demo --tui` in a real terminal, tall enough
// for every upstream of the lab.
func TestTUIInTmux(t *testing.T) {
	term := newTerminal(t, 120, 60)
	term.keys(binary+" demo --tui; echo EXIT=$?", "Enter")
	names := []string{"web", "secure", "db", "broker", "nxdomain", "servfail", "refused", "blackhole", "expired",
		"wronghost", "selfsigned", "maintenance", "hung", "emptyreply", "tlsport", "envoy", "badgateway", "gatewaytimeout",
		"deprecated", "sunset", "replicas", "inventory", "checkout", "payments"}
	start := time.Now()
	term.waitFor("every lab upstream name", 5*time.Second, func(s string) bool {
		for _, n := range names {
			if !strings.Contains(s, " "+n+" ") {
				return false
			}
		}
		return true
	})
	t.Logf("every lab upstream shown %s after start", time.Since(start).Round(time.Millisecond))

	term.keys("Enter")
	term.waitFor("a detail pane with a remediation step", 2*time.Second, func(s string) bool {
		return strings.Contains(s, "FINDINGS") && strings.Contains(s, "  1. ")
	})

	term.keys("q")
	term.waitFor("exit 1 (the lab is unhealthy) and a shell prompt", 3*time.Second, contains("EXIT=1"))
	term.keys("echo prompt-$((40+2))", "Enter")
	term.waitFor("a usable shell", 2*time.Second, contains("prompt-42"))
}

// TestDemoTUIAt80x24 drives `updoc demo --tui` in an 80×24 terminal: every
// code in the list is whole, and q leaves a summary line in the scrollback
// and exits 1 like `updoc demo` (the lab is unhealthy on purpose).
func TestDemoTUIAt80x24(t *testing.T) {
	term := newTerminal(t, 80, 24)
	term.keys(binary+" demo --tui; echo EXIT=$?", "Enter")
	term.waitFor("the first round's report", 5*time.Second, contains("round 1 ·"))
	screen := term.screen()
	rows := 0
	for _, l := range strings.Split(screen, "\n") {
		if !listRow.MatchString(l) {
			continue
		}
		rows++
		if strings.Contains(l, "…") {
			t.Errorf("a row of the list is cut: %q\n%s", l, screen)
		}
	}
	if rows < 10 || !strings.Contains(screen, " gateway.no_healthy_upstream ") || !strings.Contains(screen, "↓ ") {
		t.Errorf("want at least 10 rows, gateway.no_healthy_upstream whole and a \"↓ N more\" line; %d rows:\n%s", rows, screen)
	}
	term.keys("q")
	term.waitFor("the shell after q", 3*time.Second, exitShown.MatchString)
	after := term.joinedScreen()
	if !strings.Contains(after, "EXIT=1") {
		t.Errorf("demo --tui quit after its round: want exit 1 (status unhealthy):\n%s", after)
	}
	if !summaryLine.MatchString(after) {
		t.Errorf("no summary line left after q:\n%s", after)
	}
	// On one line of the screen: it fits 80 columns, never wraps.
	if !summaryLine.MatchString(term.screen()) {
		t.Errorf("the summary line wraps at 80 columns:\n%s", term.screen())
	}
}

// TestDemoAt80x24LeavesTheHeadlineAndRootCausesOnScreen: `updoc demo` in
// an 80×24 terminal prints hundreds of lines; when it ends, the screen
// shows the recap under its rule — the headline and every root cause —
// not the end of NEXT STEPS.
func TestDemoAt80x24LeavesTheHeadlineAndRootCausesOnScreen(t *testing.T) {
	term := newTerminal(t, 80, 24)
	term.keys(binary+" demo; echo EXIT=$?", "Enter")
	term.waitFor("the demo's end", 20*time.Second, exitShown.MatchString)
	screen := term.screen()
	if !strings.Contains(screen, "EXIT=1") {
		t.Fatalf("want exit 1 (the lab is unhealthy on purpose):\n%s", screen)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^── SUMMARY ─+$`),
		regexp.MustCompile(`(?m)^updoc: UNHEALTHY — \d+ upstreams: `),
		regexp.MustCompile(`(?m)^ROOT CAUSES \(\d+\)$`),
		regexp.MustCompile(`(?m)^\s*✗ tcp\.refused payments\b`),
		regexp.MustCompile(`(?m)^\s*✗ dns\.nxdomain nxdomain\b`),
		regexp.MustCompile(`(?m)! load\.replica_down inventory$`),
	} {
		if !want.MatchString(screen) {
			t.Errorf("the screen after the demo lacks %s:\n%s", want, screen)
		}
	}
}

// exitShown matches the exit status echoed after the command.
var exitShown = regexp.MustCompile(`EXIT=\d`)

// listRow is a row of the TUI's list: cursor, change marker, status symbol.
var listRow = regexp.MustCompile(`^[▸ ] [↓↑• ] [✗▲✓?] `)

// summaryLine is the line the TUI leaves when it ends after a round, whole
// to the end of its line (at 80 columns the counts and "first: …" may give
// way). (Not anchored at the start: keys typed before the shell's first
// prompt make it print "# " after the echoed command, in front of the
// program's output.)
var summaryLine = regexp.MustCompile(`(?m)updoc: UNHEALTHY — \d+ upstreams(: \d+ healthy, \d+ degraded, (\d+ unknown, )?\d+ unhealthy)?; \d+ root causes(; first: [a-z_]+\.[a-z_]+ on \S+( \(\d+ upstreams\))?)?$`)

// TestCheckTUIQuitMidRoundExits130: q while the round still runs ends
// `check --tui` with 130 (its status is not known) and says so.
func TestCheckTUIQuitMidRoundExits130(t *testing.T) {
	addr := testserver.Hung(t)
	graph := filepath.Join(t.TempDir(), "updoc.yaml")
	if err := os.WriteFile(graph, []byte(fmt.Sprintf("version: 1\ndefaults: {samples: 0}\nupstreams:\n  slow: {url: \"http://%s/\"}\n", addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	term := newTerminal(t, 80, 24)
	term.keys(fmt.Sprintf("%s check -f %s --tui --timeout 30s; echo EXIT=$?", binary, graph), "Enter")
	term.waitFor("the round running", 5*time.Second, contains("probing"))
	term.keys("q")
	term.waitFor("the shell after q", 3*time.Second, exitShown.MatchString)
	after := term.joinedScreen()
	if !strings.Contains(after, "EXIT=130") || !strings.Contains(after, "updoc: quit during round 1 (0/1 upstream probed); no round finished") {
		t.Errorf("q mid-round: want exit 130 and a summary line saying so:\n%s", after)
	}
}

// TestTUIWithTheGraphOnStdin reads the graph from a pipe, so the TUI must
// take its keys from the terminal; an outside SIGINT then ends it with 130.
func TestTUIWithTheGraphOnStdin(t *testing.T) {
	addr := testserver.Hung(t)
	graph := filepath.Join(t.TempDir(), "updoc.yaml")
	if err := os.WriteFile(graph, []byte(fmt.Sprintf("version: 1\ndefaults: {samples: 0}\nupstreams:\n  alpha: {url: \"tcp://%s\"}\n  beta: {url: \"tcp://%s\"}\n", addr, addr)), 0o600); err != nil {
		t.Fatal(err)
	}
	term := newTerminal(t, 120, 40)
	term.keys(fmt.Sprintf("cat %s | %s check -f - --tui; echo EXIT=$?", graph, binary), "Enter")
	term.waitFor("the upstreams", 5*time.Second, func(s string) bool { return strings.Contains(s, "alpha") && strings.Contains(s, "beta") })
	term.waitFor("the round's report", 5*time.Second, contains("round 1 ·"))
	term.keys("q")
	term.waitFor("q to quit, exit 0 (both healthy)", 3*time.Second, contains("EXIT=0"))

	term.keys("clear; "+binary+" watch -f "+graph+" --interval 200ms; echo EXIT=$?", "Enter")
	term.waitFor("the watch TUI", 5*time.Second, func(s string) bool { return strings.Contains(s, "alpha") && !strings.Contains(s, "EXIT=") })
	time.Sleep(450 * time.Millisecond) // a few rounds in
	out, err := exec.Command("pkill", "-INT", "-f", binary+" watch -f "+graph).CombinedOutput()
	if err != nil {
		t.Fatalf("pkill: %v %s", err, out)
	}
	sent := time.Now()
	term.waitFor("exit 130 after SIGINT", 2*time.Second, contains("EXIT=130"))
	t.Logf("the watch TUI exited 130 %s after SIGINT", time.Since(sent).Round(time.Millisecond))
}

// TestGeneratedFilesAreCurrent fails when completions/ or manpages/ lag
// behind the commands: run scripts/completions.sh and scripts/manpages.sh.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		got, err := exec.Command(binary, "completion", sh).Output()
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "completions", "updoc."+sh))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("completions/updoc.%s is stale: run scripts/completions.sh", sh)
		}
	}
	dir := t.TempDir()
	gen := exec.Command("go", "run", "./scripts/manpages", dir)
	gen.Dir = filepath.Join("..", "..")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("generate man pages: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	checked, _ := filepath.Glob(filepath.Join("..", "..", "manpages", "*.1"))
	if len(pages) == 0 || len(pages) != len(checked) {
		t.Fatalf("%d man pages generated, %d checked in: run scripts/manpages.sh", len(pages), len(checked))
	}
	for _, p := range pages {
		got, _ := os.ReadFile(p)
		want, err := os.ReadFile(filepath.Join("..", "..", "manpages", filepath.Base(p)))
		if err != nil || !bytes.Equal(withoutDate(got), withoutDate(want)) {
			t.Errorf("manpages/%s is stale: run scripts/manpages.sh", filepath.Base(p))
		}
	}
}

// withoutDate drops the date from the .TH line (its third field, the month
// of generation) and keeps the rest, the title included.
func withoutDate(page []byte) []byte {
	var out [][]byte
	for _, line := range bytes.Split(page, []byte("\n")) {
		if bytes.HasPrefix(line, []byte(".TH ")) {
			if f := thFields(string(line)); len(f) >= 3 {
				f[2] = ""
				line = []byte(strings.Join(f, " "))
			}
		}
		out = append(out, line)
	}
	return bytes.Join(out, []byte("\n"))
}

// thFields splits a .TH line (`.TH "UPDOC-CHECK" "1" "Nov 2026" "updoc" ""`)
// into its quoted fields.
func thFields(line string) []string {
	var fields []string
	rest := strings.TrimPrefix(line, ".TH ")
	for {
		rest = strings.TrimLeft(rest, " ")
		if !strings.HasPrefix(rest, `"`) {
			return fields
		}
		end := strings.Index(rest[1:], `"`)
		if end < 0 {
			return fields
		}
		fields = append(fields, rest[1:1+end])
		rest = rest[end+2:]
	}
}

// Each man page is titled with its own command (UPDOC-CHECK(1) for
// manpages/updoc-check.1), not UPDOC(1) for all of them.
func TestManPageTitles(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("..", "..", "manpages", "*.1"))
	if len(pages) < 2 {
		t.Fatalf("%d man pages in manpages/: run scripts/manpages.sh", len(pages))
	}
	for _, p := range pages {
		page, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".1")
		want := strings.ToUpper(name)
		var th []string
		for line := range strings.SplitSeq(string(page), "\n") {
			if strings.HasPrefix(line, ".TH ") {
				th = thFields(line)
				break
			}
		}
		switch {
		case len(th) < 2:
			t.Errorf("%s: no .TH line with a title and a section", filepath.Base(p))
		case strings.ReplaceAll(th[0], `\-`, "-") != want || th[1] != "1":
			t.Errorf("%s: .TH title %q section %q, want %q section 1", filepath.Base(p), th[0], th[1], want)
		}
	}
}

// A second interrupt exits at once with 130, whatever phase the first one
// could not end: here the report's write to a pipe that nobody reads
// (`updoc check | a-stuck-reader`), which no context can cut short
// (issue 12, failure 5).
func TestSecondInterruptExitsAtOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var file strings.Builder
	file.WriteString("version: 1\ndefaults: {samples: 0}\nupstreams:\n")
	for i := range 200 { // a JSON report well over a pipe's 64 KiB
		fmt.Fprintf(&file, "  svc%03d: {url: \"tcp://%s\", description: %q}\n", i, ln.Addr(), strings.Repeat("padding ", 40))
	}
	graph := filepath.Join(t.TempDir(), "updoc.yaml")
	if err := os.WriteFile(graph, []byte(file.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(binary, "check", "-f", graph, "-o", "json")
	cmd.Stdout, cmd.Stderr = w, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	// Wait until the pipe is full: updoc is stuck writing its report.
	for deadline := time.Now().Add(20 * time.Second); pipeBuffered(t, r) < 64<<10; {
		select {
		case err := <-exited:
			t.Fatalf("updoc exited (%v) before filling the pipe; stderr: %s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the pipe holds %d bytes after 20s, want it full", pipeBuffered(t, r))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		t.Fatalf("exited (%v) on the first interrupt while its write was stuck", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 130 {
			t.Fatalf("want exit 130, got %v; stderr: %s", err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "interrupted a second time") {
			t.Errorf("stderr does not say why: %q", stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10s after the second interrupt")
	}
}

// pipeBuffered is how many bytes the pipe r holds unread (FIONREAD).
func pipeBuffered(t *testing.T, r *os.File) int {
	var n int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, r.Fd(), syscall.TIOCINQ, uintptr(unsafe.Pointer(&n))); errno != 0 {
		t.Fatalf("FIONREAD: %v", errno)
	}
	return int(n)
}
