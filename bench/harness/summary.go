package harness

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Median is the median of a prober's samples: wall time, peak RSS and
// each count taken separately.
type Median struct {
	Wall                           time.Duration
	PeakRSS                        int64
	Connects, Requests, DNSQueries int64
}

// MedianOf returns the medians of ss.
func MedianOf(ss []Sample) Median {
	pick := func(f func(Sample) int64) int64 {
		v := make([]int64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		return median(v)
	}
	return Median{
		Wall:       time.Duration(pick(func(s Sample) int64 { return int64(s.Wall) })),
		PeakRSS:    pick(func(s Sample) int64 { return s.PeakRSS }),
		Connects:   pick(func(s Sample) int64 { return s.Counts.Connects }),
		Requests:   pick(func(s Sample) int64 { return s.Counts.Requests }),
		DNSQueries: pick(func(s Sample) int64 { return s.Counts.DNSQueries }),
	}
}

// median of v; the mean of the two middle values for an even count.
func median(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// WriteSummary prints, per size and mode, the medians of both probers side
// by side, then the ratios updoc/floor last.
func WriteSummary(w io.Writer, rs []Result, runs int) {
	fmt.Fprintf(w, "\nmedians of %d runs each (updoc and floor alternately)\n", runs)
	fmt.Fprintf(w, "%-7s %-8s %-6s %10s %9s %9s %8s %9s  %s\n", "N", "samples", "probe", "wall ms", "connects", "requests", "dns", "rss MiB", "report")
	for _, r := range rs {
		u, f := MedianOf(r.Updoc), MedianOf(r.Floor)
		fmt.Fprintf(w, "%-7d %-8d %-6s %10.1f %9d %9d %8d %9.1f  %s\n", r.N, r.Samples, "updoc", ms(u.Wall), u.Connects, u.Requests, u.DNSQueries, mib(u.PeakRSS), statuses(r.UpdocStatus))
		fmt.Fprintf(w, "%-7s %-8s %-6s %10.1f %9d %9d %8d %9.1f\n", "", "", "floor", ms(f.Wall), f.Connects, f.Requests, f.DNSQueries, mib(f.PeakRSS))
	}
	fmt.Fprintf(w, "\nupdoc / floor (median wall time)\n")
	for _, r := range rs {
		u, f := MedianOf(r.Updoc), MedianOf(r.Floor)
		fmt.Fprintf(w, "  N=%-6d samples=%-3d %5.2f×   connects %s   dns queries %s\n", r.N, r.Samples,
			float64(u.Wall)/float64(f.Wall), perFloor(u.Connects, f.Connects), perFloor(u.DNSQueries, f.DNSQueries))
	}
}

// perFloor is "a vs b" with the ratio when b is not zero.
func perFloor(a, b int64) string {
	if b == 0 {
		return fmt.Sprintf("%d vs %d", a, b)
	}
	return fmt.Sprintf("%d vs %d (%.1f×)", a, b, float64(a)/float64(b))
}

// statuses is "healthy" when every run's report said so, else each run's.
func statuses(ss []string) string {
	if len(ss) > 0 && !slices.ContainsFunc(ss, func(s string) bool { return s != ss[0] }) {
		return ss[0]
	}
	return strings.Join(ss, ",")
}
