package catalog

// The words every package shares about a finding: where it was observed
// (Layer) and how bad it is (Severity). They live here, with the codes,
// because catalog imports nothing else of updoc's: probe, graph, diagnose,
// report and tui can all use them.

// Layer is where a fact is gathered and a finding is observed (SPEC §3, §4).
// The probe layers run in the order of ProbeLayers; graph and run hold the
// findings about the dependency graph and about the run itself.
type Layer string

const (
	LayerDNS     Layer = "dns"
	LayerTCP     Layer = "tcp"
	LayerTLS     Layer = "tls"
	LayerHTTP    Layer = "http"
	LayerLatency Layer = "latency"
	LayerGraph   Layer = "graph"
	LayerRun     Layer = "run"
)

// ProbeLayers returns the layers of a probe in the order they run: the one
// ordered list that the table, the TUI, the JSON layers object and the
// diagnosis all follow (a fresh slice each call).
func ProbeLayers() []Layer {
	return []Layer{LayerDNS, LayerTCP, LayerTLS, LayerHTTP, LayerLatency}
}

// Rank orders layers: the probe layers in the order they run, then graph,
// then run; an unknown layer after all of them.
func (l Layer) Rank() int {
	switch l {
	case LayerDNS:
		return 0
	case LayerTCP:
		return 1
	case LayerTLS:
		return 2
	case LayerHTTP:
		return 3
	case LayerLatency:
		return 4
	case LayerGraph:
		return 5
	case LayerRun:
		return 6
	}
	return 7
}

// Severity is how bad a finding is: warn degrades an upstream, fail makes
// it unhealthy (SPEC §5).
type Severity string

const (
	Warn Severity = "warn"
	Fail Severity = "fail"
)

// Rank orders severities: warn 1, fail 2, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case Fail:
		return 2
	case Warn:
		return 1
	}
	return 0
}
