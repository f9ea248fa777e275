package report

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/schema"
)

// everyFindingReport is mixedReport with one more upstream per cause code
// of the catalogue, each with a finding of that code in every layer the
// code is observed in (at its default severity and the other), a root
// cause for the root ones, and a finding with no target.
func everyFindingReport() *Report {
	r := mixedReport()
	for i, e := range catalog.All() {
		name := fmt.Sprintf("every%02d", i)
		u := Upstream{Name: name, URL: "http://127.0.0.1:18400/" + name, Status: Unhealthy, DependsOn: []string{},
			Layers: Layers{DNS: Skip, TCP: LFail, TLS: Skip, HTTP: Skip, Latency: Skip}}
		for j, layer := range e.Layers {
			sev := e.Severity
			if j%2 == 1 {
				sev = map[Severity]Severity{Warn: Fail, Fail: Warn}[sev]
			}
			target := "127.0.0.1:18400"
			if j == 0 && i%2 == 0 {
				target = "" // an upstream-level finding: JSON null
			}
			f := Finding{Code: e.Code, Severity: sev, Layer: layer, Target: target, RootCause: !e.NeverRootCause,
				Message: e.Title, Evidence: map[string]any{"n": float64(j), "nested": map[string]any{"list": []any{"a", 1.5}}},
				Remediation: e.Steps(catalog.Vars{Upstream: name})}
			u.Findings = append(u.Findings, f)
			if f.RootCause {
				r.RootCauses = append(r.RootCauses, RootCause{Upstream: name, Code: e.Code, Severity: sev, Target: target, Message: f.Message})
			}
		}
		r.Upstreams = append(r.Upstreams, u)
	}
	r.NotProbed = []NotProbed{{Upstream: "elsewhere", NeededBy: []string{"every00"}}}
	r.Summary = Summary{}
	return r
}

// Every report the renderers' tests use, written as -o json and as a line
// of `watch -o json`, validates against schema/updoc.report.v1.schema.json.
func TestJSONReportsValidate(t *testing.T) {
	reports := map[string]func() *Report{
		"every finding":       everyFindingReport,
		"probe":               probeReport,
		"secret (unredacted)": secretReport,
		"40 behind one dead address": func() *Report {
			return deadTargetReport(40) // affects lists cut to AffectsShown
		},
	}
	for name, mk := range fixtures() {
		reports[name] = mk
	}
	for name, mk := range reports {
		for format, write := range map[string]func(*bytes.Buffer, *Report) error{
			"json":       func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) },
			"json lines": func(b *bytes.Buffer, r *Report) error { return WriteJSONLine(b, r) },
		} {
			var b bytes.Buffer
			if err := write(&b, mk()); err != nil {
				t.Fatal(err)
			}
			if err := schema.ValidateReport(b.Bytes()); err != nil {
				t.Errorf("%s as %s: %v", name, format, err)
			}
		}
	}
}
