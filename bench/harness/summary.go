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
	ReportBytes                    int64
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
		Wall:        time.Duration(pick(func(s Sample) int64 { return int64(s.Wall) })),
		PeakRSS:     pick(func(s Sample) int64 { return s.PeakRSS }),
		Connects:    pick(func(s Sample) int64 { return s.Counts.Connects }),
		Requests:    pick(func(s Sample) int64 { return s.Counts.Requests }),
		DNSQueries:  pick(func(s Sample) int64 { return s.Counts.DNSQueries }),
		ReportBytes: pick(func(s Sample) int64 { return s.ReportBytes }),
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
// by side (with the size of updoc's report), then the ratios updoc/floor
// last.
func WriteSummary(w io.Writer, rs []Result, runs int) {
	fmt.Fprintf(w, "\nmedians of %d runs each (updoc and floor alternately)\n", runs)
	fmt.Fprintf(w, "%-13s %-8s %-6s %10s %9s %9s %8s %9s %11s  %s\n", "N", "samples", "probe", "wall ms", "connects", "requests", "dns", "rss MiB", "report MB", "report")
	for _, r := range rs {
		u, f := MedianOf(r.Updoc), MedianOf(r.Floor)
		fmt.Fprintf(w, "%-13s %-8d %-6s %10.1f %9d %9d %8d %9.1f %11.2f  %s\n", label(r), r.Samples, "updoc", ms(u.Wall), u.Connects, u.Requests, u.DNSQueries, mib(u.PeakRSS), mb(u.ReportBytes), statuses(r.UpdocStatus))
		fmt.Fprintf(w, "%-13s %-8s %-6s %10.1f %9d %9d %8d %9.1f\n", "", "", "floor", ms(f.Wall), f.Connects, f.Requests, f.DNSQueries, mib(f.PeakRSS))
	}
	fmt.Fprintf(w, "\nupdoc / floor (median wall time)\n")
	for _, r := range rs {
		u, f := MedianOf(r.Updoc), MedianOf(r.Floor)
		fmt.Fprintf(w, "  %-12s samples=%-3d %5.2f×   connects %s   dns queries %s", label(r), r.Samples,
			float64(u.Wall)/float64(f.Wall), perFloor(u.Connects, f.Connects), perFloor(u.DNSQueries, f.DNSQueries))
		if r.Chain {
			fmt.Fprintf(w, "   whole check %.1f ms, report %.2f MB", ms(u.Wall), mb(u.ReportBytes))
		}
		fmt.Fprintln(w)
	}
}

// label names a result's graph: "N=1000", or "chain=2000" for a chain
// whose bottom is down.
func label(r Result) string {
	if r.Chain {
		return fmt.Sprintf("chain=%d", r.N)
	}
	return fmt.Sprintf("N=%d", r.N)
}

func mb(b int64) float64 { return float64(b) / 1e6 }

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
