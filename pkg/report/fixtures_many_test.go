package report

import (
	"fmt"

	"github.com/updoc/updoc/pkg/catalog"
)

// deadTargetReport is n upstreams behind one dead address (each a
// tcp.refused root cause on 127.0.0.1:18200) and two healthy ones: the
// case that must fold into one root-cause group in every output.
func deadTargetReport(n int) *Report {
	const target = "127.0.0.1:18200"
	r := &Report{
		Schema: Schema, UpdocVersion: "0.1.0", StartedAt: fixedStart, DurationMS: 1012,
		Status:  Unhealthy,
		Summary: Summary{Total: n + 2, Healthy: 2, Unhealthy: n},
	}
	for i := range n {
		name := fmt.Sprintf("svc%03d", i)
		msg := target + " refused the connection"
		r.RootCauses = append(r.RootCauses, RootCause{Upstream: name, Code: catalog.TCPRefused, Severity: Fail, Target: target, Message: msg, Affects: []string{}})
		r.Upstreams = append(r.Upstreams, Upstream{
			Name: name, URL: "http://" + target + "/" + name, Status: Unhealthy, DependsOn: []string{},
			Layers:  Layers{DNS: Skip, TCP: LFail, TLS: Skip, HTTP: Skip, Latency: Skip},
			Targets: []Target{{Address: target, Status: Unhealthy, TCP: &TCP{Status: LFail, DurationMS: 0.1, Error: "connection refused"}}},
			Findings: []Finding{{Code: catalog.TCPRefused, Severity: Fail, Layer: "tcp", Target: target, RootCause: true, Message: msg,
				Evidence: map[string]any{"error": "connection refused"},
				Remediation: []string{
					"Confirm from this machine: nc -vz 127.0.0.1 18200",
					"Check that " + name + " is running and listening on port 18200: ss -ltnp 'sport = :18200'",
				}}},
		})
	}
	for _, name := range []string{"web", "db"} {
		r.Upstreams = append(r.Upstreams, Upstream{
			Name: name, URL: "http://127.0.0.1:18300/" + name, Status: Healthy, DependsOn: []string{},
			Layers:   Layers{DNS: Skip, TCP: Pass, TLS: Skip, HTTP: Pass, Latency: Pass},
			Targets:  []Target{{Address: "127.0.0.1:18300", Status: Healthy, TCP: &TCP{Status: Pass, DurationMS: 0.1}}},
			Findings: []Finding{},
		})
	}
	return r
}
