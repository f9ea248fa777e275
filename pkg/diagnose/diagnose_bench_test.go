package diagnose_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/updoc/updoc/bench/synth"
	"github.com/updoc/updoc/pkg/diagnose"
	"github.com/updoc/updoc/pkg/report"
)

// diagnoseLoop diagnoses the generated run of ups (samples per upstream,
// the named ones down) once per benchmark iteration.
func diagnoseLoop(b *testing.B, ups []synth.Upstream, samples int, down map[string]bool) report.Report {
	b.Helper()
	g, err := synth.Load(synth.Defaults{Resolvers: []string{"127.0.0.1:5353"}, Samples: &samples}, ups)
	if err != nil {
		b.Fatal(err)
	}
	in := synth.Input(g, down)
	b.ReportAllocs()
	var rep report.Report
	for b.Loop() {
		rep, _ = diagnose.Diagnose(context.Background(), in)
	}
	return rep
}

// BenchmarkDiagnoseFlat10000 diagnoses 10,000 flat upstreams with 10
// latency samples each, one in ten refusing connections.
func BenchmarkDiagnoseFlat10000(b *testing.B) {
	rep := diagnoseLoop(b, synth.Flat(10000, synth.SharedHost("svc.bench.test", synth.Ports(20))), 10, synth.DownEvery(10000, 10))
	if rep.Summary.Total != 10000 || rep.Status != report.Unhealthy {
		b.Fatalf("summary %+v, status %s; want 10000 upstreams, unhealthy", rep.Summary, rep.Status)
	}
}

// BenchmarkDiagnoseChain diagnoses a dependency chain (each upstream
// depends on the next) whose bottom refuses connections, so every other
// upstream is attributed to it. Issue 11's size is 2,000; the smaller
// sizes show the order of growth (today: one run of n=2000 takes seconds
// and allocates over a gigabyte, so -benchtime 1x is the practical setting).
func BenchmarkDiagnoseChain(b *testing.B) {
	for _, n := range []int{100, 400, 2000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			ups := synth.Chain(n, synth.SharedHost("svc.bench.test", synth.Ports(20)))
			rep := diagnoseLoop(b, ups, 0, map[string]bool{synth.Name(n - 1): true})
			if rep.Summary.Total != n || len(rep.RootCauses) != 1 {
				b.Fatalf("summary %+v, %d root causes; want %d upstreams and 1 root cause", rep.Summary, len(rep.RootCauses), n)
			}
		})
	}
}
