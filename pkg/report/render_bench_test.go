package report_test

import (
	"context"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/updoc/updoc/bench/synth"
	"github.com/updoc/updoc/pkg/diagnose"
	"github.com/updoc/updoc/pkg/report"
)

// bench10000 is the report of 10,000 flat upstreams (10 latency samples
// each, one in ten refusing connections), made once by the real diagnosis
// so the renderers see what a run gives them.
var bench10000 = sync.OnceValues(func() (*report.Report, error) {
	in, err := input10000()
	if err != nil {
		return nil, err
	}
	rep, _ := diagnose.Diagnose(context.Background(), in)
	return &rep, nil
})

// input10000 is the diagnosis input of 10,000 flat upstreams (10 latency
// samples each, one in ten refusing connections), as
// BenchmarkDiagnoseFlat10000 diagnoses them.
func input10000() (diagnose.Input, error) {
	samples := 10
	g, err := synth.Load(synth.Defaults{Resolvers: []string{"127.0.0.1:5353"}, Samples: &samples},
		synth.Flat(10000, synth.SharedHost("svc.bench.test", synth.Ports(20))))
	if err != nil {
		return diagnose.Input{}, err
	}
	return synth.Input(g, synth.DownEvery(10000, 10)), nil
}

// countingWriter counts the bytes written, so a benchmark reports the
// size of its output.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// benchRender renders the report of 10,000 upstreams with write once per
// iteration and reports the output's size as out-bytes.
func benchRender(b *testing.B, write func(w *countingWriter, r *report.Report) error) {
	rep, err := bench10000()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var size int64
	for b.Loop() {
		w := &countingWriter{}
		if err := write(w, rep); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(size), "out-bytes")
}

// BenchmarkWriteJSON10000 is the document as `check -o json` writes it at
// a terminal: indented.
func BenchmarkWriteJSON10000(b *testing.B) {
	benchRender(b, func(w *countingWriter, r *report.Report) error { return report.WriteJSON(w, r) })
}

// BenchmarkWriteJSONLine10000 is the document as `check -o json` writes it
// to a pipe or a file: one line.
func BenchmarkWriteJSONLine10000(b *testing.B) {
	benchRender(b, func(w *countingWriter, r *report.Report) error { return report.WriteJSONLine(w, r) })
}

func BenchmarkWriteTable10000(b *testing.B) {
	benchRender(b, func(w *countingWriter, r *report.Report) error {
		return report.WriteTable(w, r, report.TableOptions{Width: 120})
	})
}

// BenchmarkDiagnoseJSON10000 is issue 11's "diagnosis + JSON render of
// 10,000 results" as one number: what `check -o json` does once the probes
// are done — diagnose the results, then write the JSON document, indented
// (at a terminal) or on one line (to a pipe or a file) — from the same
// synthetic results as BenchmarkDiagnoseFlat10000 and
// BenchmarkWriteJSON10000.
func BenchmarkDiagnoseJSON10000(b *testing.B) {
	in, err := input10000()
	if err != nil {
		b.Fatal(err)
	}
	for _, layout := range []struct {
		name  string
		write func(io.Writer, *report.Report) error
	}{{"indented", report.WriteJSON}, {"line", report.WriteJSONLine}} {
		b.Run(layout.name, func(b *testing.B) {
			b.ReportAllocs()
			var size int64
			for b.Loop() {
				rep, _ := diagnose.Diagnose(context.Background(), in)
				w := &countingWriter{}
				if err := layout.write(w, &rep); err != nil {
					b.Fatal(err)
				}
				size = w.n
			}
			b.ReportMetric(float64(size), "out-bytes")
		})
	}
}

// BenchmarkSanitize10000 redacts five secrets from the report of 10,000
// upstreams and makes its text safe: what engine.Run does to every report.
func BenchmarkSanitize10000(b *testing.B) {
	rep, err := bench10000()
	if err != nil {
		b.Fatal(err)
	}
	secrets := []string{"Bearer s3cret-token-1", "s3cret-token-1", "hunter2-pw", "sid=c00kie-value", "c00kie-value"}
	b.ReportAllocs()
	for b.Loop() {
		r := *rep
		report.Sanitize(&r, secrets)
	}
}

// BenchmarkRenderScale renders the table, Markdown, JUnit and GitHub output of reports of
// 2,500 and 20,000 upstreams, a third of them down: their ratio shows
// whether rendering grows linearly (8×) — a per-upstream lookup that
// scanned the report made the table of 20,000 take 3 s (issue 11).
func BenchmarkRenderScale(b *testing.B) {
	for _, n := range []int{2500, 20000} {
		samples := 0
		g, err := synth.Load(synth.Defaults{Resolvers: []string{"127.0.0.1:5353"}, Samples: &samples},
			synth.Flat(n, synth.SharedHost("svc.bench.test", synth.Ports(20))))
		if err != nil {
			b.Fatal(err)
		}
		rep, err := diagnose.Diagnose(context.Background(), synth.Input(g, synth.DownEvery(n, 3)))
		if err != nil {
			b.Fatal(err)
		}
		for _, out := range []struct {
			name  string
			write func(io.Writer, *report.Report) error
		}{
			{"table", func(w io.Writer, r *report.Report) error {
				return report.WriteTable(w, r, report.TableOptions{Width: 120})
			}},
			{"markdown", report.WriteMarkdown},
			{"junit", report.WriteJUnit},
			{"github", func(w io.Writer, r *report.Report) error {
				return report.WriteGitHub(w, r, report.TableOptions{Width: 120})
			}},
		} {
			b.Run(fmt.Sprintf("%s/n=%d", out.name, n), func(b *testing.B) {
				for b.Loop() {
					if err := out.write(io.Discard, &rep); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
