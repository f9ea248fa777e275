package diagnose_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/updoc/updoc/bench/synth"
	"github.com/updoc/updoc/pkg/diagnose"
)

// Diagnosing on several goroutines gives the report one goroutine gives:
// flat upstreams with latency samples (one in seven refusing
// connections) and a chain whose bottom is down, both several chunks long.
func TestDiagnosisAcrossCoresIsTheSame(t *testing.T) {
	samples := 3
	flat, err := synth.Load(synth.Defaults{Resolvers: []string{"127.0.0.1:5353"}, Samples: &samples},
		synth.Flat(1500, synth.SharedHost("svc.bench.test", synth.Ports(20))))
	if err != nil {
		t.Fatal(err)
	}
	chain, err := synth.Load(synth.Defaults{}, synth.Chain(700, synth.SharedHost("svc.bench.test", synth.Ports(20))))
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]diagnose.Input{
		"flat":  synth.Input(flat, synth.DownEvery(1500, 7)),
		"chain": synth.Input(chain, map[string]bool{synth.Name(699): true}),
	}
	for name, in := range inputs {
		want, _ := diagnose.DiagnoseOn(context.Background(), in, 1)
		for _, workers := range []int{2, 5} {
			if got, _ := diagnose.DiagnoseOn(context.Background(), in, workers); !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %d goroutines: not the report one goroutine makes", name, workers)
			}
		}
	}
}
