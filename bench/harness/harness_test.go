package harness

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/bench/floor"
)

// TestMain lets this test binary stand in for the floor command: the
// harness runs it with UPDOC_BENCH_FLOOR=1 and the floor's flags; and
// for the measuring wrapper every child runs through (ServeMeasure).
func TestMain(m *testing.M) {
	ServeMeasure()
	if os.Getenv("UPDOC_BENCH_FLOOR") == "1" {
		if err := floor.Main(os.Args[1:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestHarnessSmoke runs the whole harness at N=20 without samples: the
// real updoc binary and the floor, against the loopback world, and checks
// what the servers counted for the floor (exactly one connect and one
// request per upstream, one DNS question) and that updoc's report is
// healthy and made every request.
func TestHarnessSmoke(t *testing.T) {
	rs, err := runSmall(t, Config{Sizes: []int{20}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || len(rs[0].Updoc) != 1 || len(rs[0].Floor) != 1 {
		t.Fatalf("results %+v, want one size and mode with one run of each", rs)
	}
	r := rs[0]
	if r.UpdocStatus[0] != "healthy" {
		t.Errorf("updoc's report is %s, want healthy", r.UpdocStatus[0])
	}
	u, f := r.Updoc[0].Counts, r.Floor[0].Counts
	if f.Connects != 20 || f.Requests != 20 || f.DNSQueries != 1 {
		t.Errorf("the floor made %+v, want 20 connects, 20 requests, 1 DNS question", f)
	}
	if u.Requests != 20 || u.Connects < 20 || u.DNSQueries < 1 {
		t.Errorf("updoc made %+v, want 20 requests, at least 20 connects and 1 DNS question", u)
	}
	if r.Updoc[0].Wall <= 0 || r.Floor[0].Wall <= 0 {
		t.Errorf("wall times %v and %v, want both measured", r.Updoc[0].Wall, r.Floor[0].Wall)
	}
	last := lastSummaryLine(rs)
	if !strings.Contains(last, "N=20") || !strings.Contains(last, "×") {
		t.Errorf("the summary's last line is %q, want the ratio of N=20", last)
	}
}

func TestMedianOf(t *testing.T) {
	ss := []Sample{{Wall: 3 * time.Millisecond, PeakRSS: 10}, {Wall: time.Millisecond, PeakRSS: 30}, {Wall: 2 * time.Millisecond, PeakRSS: 20}}
	if m := MedianOf(ss); m.Wall != 2*time.Millisecond || m.PeakRSS != 20 {
		t.Errorf("MedianOf = %+v, want wall 2ms and rss 20", m)
	}
	if m := median([]int64{4, 1, 3, 2}); m != 2 {
		t.Errorf("median of 1..4 = %d, want 2 (the mean of the middle two, rounded down)", m)
	}
}

// TestHarnessChain runs the chain mode at 20 upstreams: every upstream but
// the bottom is requested once, the bottom's port refuses connections, the
// report is unhealthy and its size is measured.
func TestHarnessChain(t *testing.T) {
	rs, err := runSmall(t, Config{Chain: 20, Sizes: []int{250}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 || !rs[0].Chain || rs[0].N != 20 {
		t.Fatalf("results %+v, want the chain of 20 only", rs)
	}
	r := rs[0]
	if r.UpdocStatus[0] != "unhealthy" {
		t.Errorf("updoc's report is %s, want unhealthy (the chain's bottom is down)", r.UpdocStatus[0])
	}
	if u, f := r.Updoc[0].Counts, r.Floor[0].Counts; u.Requests != 19 || f.Requests != 19 {
		t.Errorf("updoc made %d requests and the floor %d, want 19 each (all but the refused bottom)", u.Requests, f.Requests)
	}
	if r.Updoc[0].ReportBytes == 0 {
		t.Error("the report's size was not measured")
	}
	last := lastSummaryLine(rs)
	if !strings.Contains(last, "chain=20") || !strings.Contains(last, "report") {
		t.Errorf("the summary's last line is %q, want the chain's whole check and report size", last)
	}
}

// runSmall builds updoc and runs the harness once with c's graph (Sizes or
// Chain), samples 0, this test binary as the floor.
func runSmall(t *testing.T, c Config) ([]Result, error) {
	t.Helper()
	c.Dir = t.TempDir()
	c.Updoc = filepath.Join(c.Dir, "updoc")
	build := exec.Command("go", "build", "-o", c.Updoc, "github.com/updoc/updoc/cmd/updoc")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build updoc: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c.Floor, c.FloorEnv = []string{self}, []string{"UPDOC_BENCH_FLOOR=1"}
	c.Samples, c.Runs, c.Concurrency = []int{0}, 1, 64
	return Run(c)
}

// lastSummaryLine is the last line WriteSummary prints for rs.
func lastSummaryLine(rs []Result) string {
	var out bytes.Buffer
	WriteSummary(&out, rs, 1)
	last := strings.TrimSpace(out.String())
	return last[strings.LastIndex(last, "\n")+1:]
}
