package synth

import (
	"time"

	"github.com/updoc/updoc/pkg/diagnose"
	"github.com/updoc/updoc/pkg/graph"
)

// Start is the fixed start time of every generated run, so diagnoses of
// generated results are deterministic.
var Start = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// Ports returns n made-up port numbers (20000, 20001, …) for graphs that
// are never probed.
func Ports(n int) []int {
	ports := make([]int, n)
	for i := range ports {
		ports[i] = 20000 + i
	}
	return ports
}

// Load builds the graph file of ups with d and loads it as updoc does
// (graph.Load), with no environment.
func Load(d Defaults, ups []Upstream) (*graph.Graph, error) {
	return graph.Load("bench.yaml", GraphFile(d, ups), func(string) (string, bool) { return "", false })
}

// DownEvery returns the names of every every-th upstream of n (u00000,
// u000{every}, …), to pass to Results as the ones that refuse connections.
func DownEvery(n, every int) map[string]bool {
	down := map[string]bool{}
	for i := 0; i < n; i += every {
		down[Name(i)] = true
	}
	return down
}

// Input is the diagnosis input of a one-second run of g at Start whose
// results are Results(g, Start, down).
func Input(g *graph.Graph, down map[string]bool) diagnose.Input {
	return diagnose.Input{
		Graph: g, Results: Results(g, Start, down), StartedAt: Start,
		Duration: time.Second, Version: "bench", Now: Start.Add(time.Second),
	}
}
