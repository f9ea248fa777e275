package graph_test

import (
	"testing"

	"github.com/updoc/updoc/bench/synth"
	"github.com/updoc/updoc/pkg/graph"
)

// BenchmarkLoad10000 decodes and validates a graph file of 10,000 flat
// upstreams sharing one host name and 20 ports (issue 11's shape).
func BenchmarkLoad10000(b *testing.B) {
	data := synth.GraphFile(synth.Defaults{Resolvers: []string{"127.0.0.1:5353"}},
		synth.Flat(10000, synth.SharedHost("svc.bench.test", synth.Ports(20))))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		g, err := graph.Load("bench.yaml", data, func(string) (string, bool) { return "", false })
		if err != nil {
			b.Fatal(err)
		}
		if len(g.Upstreams) != 10000 {
			b.Fatalf("loaded %d upstreams, want 10000", len(g.Upstreams))
		}
	}
}
