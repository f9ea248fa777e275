package serve

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
	"github.com/updoc/updoc/pkg/version"
)

// MaxTargetsPerUpstream bounds the target label: an upstream's first 16
// targets (by address) get a certificate series, the others none.
const MaxTargetsPerUpstream = 16

// OtherCode is the code label of a finding whose code is not in the
// catalogue (none today): the code label takes catalogue values only.
const OtherCode = "other"

// Statuses are the values of updoc_upstream_status's status label.
var Statuses = []report.Status{report.Healthy, report.Degraded, report.Unhealthy, report.Unknown}

// Phases are the values of updoc_probe_phase_seconds's phase label.
var Phases = []string{"dns", "connect", "tls", "ttfb", "transfer", "total"}

// Quantiles are the values of updoc_latency_seconds's quantile label.
var Quantiles = []string{"0.5", "0.9", "0.99"}

var (
	descStatus = prometheus.NewDesc("updoc_upstream_status",
		"1 for the upstream's status in the last round (healthy, degraded, unhealthy or unknown), 0 for the others.",
		[]string{"upstream", "status"}, nil)
	descHealthy = prometheus.NewDesc("updoc_upstream_healthy",
		"1 when the upstream passed the last round (healthy or degraded, as `check` exits 0 for them), 0 when unhealthy or unknown.",
		[]string{"upstream"}, nil)
	descFinding = prometheus.NewDesc("updoc_finding",
		"Findings of the last round, by upstream, catalogue code, severity and whether they are a root cause: how many (targets) carry it.",
		[]string{"upstream", "code", "severity", "root_cause"}, nil)
	descPhase = prometheus.NewDesc("updoc_probe_phase_seconds",
		"Time of each phase of the upstream's probe in the last round (the slowest target's).",
		[]string{"upstream", "phase"}, nil)
	descLatency = prometheus.NewDesc("updoc_latency_seconds",
		"Latency of the upstream's samples in the last round, a summary: p50, p90 and p99, count and sum (the target with the highest p50).",
		[]string{"upstream"}, nil)
	descCertExpiry = prometheus.NewDesc("updoc_cert_expiry_timestamp_seconds",
		"When the certificate a target presented expires (Unix time); at most 16 targets per upstream.",
		[]string{"upstream", "target"}, nil)
	descSunset = prometheus.NewDesc("updoc_sunset_timestamp_seconds",
		"The date of the upstream's Sunset header (Unix time), the earliest of its targets'.",
		[]string{"upstream"}, nil)
)

// buildInfo is updoc_build_info{version,revision,goversion} 1.
func buildInfo() prometheus.Collector {
	v := version.Get()
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "updoc_build_info",
		Help:        "The updoc build: version, revision (commit) and Go version; always 1.",
		ConstLabels: prometheus.Labels{"version": v.Version, "revision": v.Commit, "goversion": v.GoVersion},
	})
	g.Set(1)
	return g
}

// reportCollector turns a report into the upstream metrics, at scrape
// time: an upstream that left the graph leaves the metrics with the first
// round without it.
type reportCollector struct {
	last func() *report.Report // nil before the first round
}

func (c *reportCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descStatus, descHealthy, descFinding, descPhase, descLatency, descCertExpiry, descSunset} {
		ch <- d
	}
}

func (c *reportCollector) Collect(ch chan<- prometheus.Metric) {
	r := c.last()
	if r == nil {
		return
	}
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		for _, st := range Statuses {
			gauge(descStatus, b2f(u.Status == st), u.Name, string(st))
		}
		gauge(descHealthy, b2f(u.Status == report.Healthy || u.Status == report.Degraded), u.Name)
		for _, f := range findingSeries(u) {
			gauge(descFinding, float64(f.count), u.Name, f.code, f.severity, strconv.FormatBool(f.rootCause))
		}
		phases := phaseSeconds(u)
		for i, p := range Phases {
			if phases[i] >= 0 {
				gauge(descPhase, phases[i], u.Name, p)
			}
		}
		if l := slowestLatency(u); l != nil {
			ch <- prometheus.MustNewConstSummary(descLatency, uint64(l.Samples), l.Mean*float64(l.Samples)/1000,
				map[float64]float64{0.5: l.P50 / 1000, 0.9: l.P90 / 1000, 0.99: l.P99 / 1000}, u.Name)
		}
		for _, t := range certTargets(u) {
			gauge(descCertExpiry, float64(t.TLS.Cert.NotAfter.Unix()), u.Name, t.Address)
		}
		if at, ok := sunset(u); ok {
			gauge(descSunset, at, u.Name)
		}
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

type findingKey struct {
	code, severity string
	rootCause      bool
}

type findingCount struct {
	findingKey
	count int
}

// findingSeries counts u's findings by code, severity and root cause, in
// the order they first appear. A code not in the catalogue is OtherCode.
func findingSeries(u *report.Upstream) []findingCount {
	var out []findingCount
	for _, f := range u.Findings {
		code := f.Code
		if _, ok := catalog.Get(code); !ok {
			code = OtherCode
		}
		k := findingKey{code, string(f.Severity), f.RootCause}
		i := slices.IndexFunc(out, func(c findingCount) bool { return c.findingKey == k })
		if i < 0 {
			out = append(out, findingCount{findingKey: k})
			i = len(out) - 1
		}
		out[i].count++
	}
	return out
}

// phaseSeconds are the upstream's phase times in the order of Phases, -1
// for a phase nothing measured. dns is the upstream's lookup; the others
// are the slowest target's: connect and tls as the tcp and tls layers
// measured them when they succeeded, ttfb, transfer and total from the
// HTTP exchange when there was an answer.
func phaseSeconds(u *report.Upstream) [6]float64 {
	out := [6]float64{-1, -1, -1, -1, -1, -1}
	max := func(i int, ms float64) {
		if s := ms / 1000; s > out[i] {
			out[i] = s
		}
	}
	if u.DNS != nil && u.DNS.Rcode == "NOERROR" {
		max(0, u.DNS.DurationMS)
	}
	for _, t := range u.Targets {
		if t.TCP != nil && t.TCP.Status != report.LFail && t.TCP.Status != report.Skip {
			max(1, t.TCP.DurationMS)
		}
		if t.TLS != nil && t.TLS.Version != "" {
			max(2, t.TLS.DurationMS)
		}
		if t.HTTP != nil && t.HTTP.StatusCode > 0 {
			max(3, t.HTTP.TimingsMS.TTFB)
			max(4, t.HTTP.TimingsMS.Transfer)
			max(5, t.HTTP.TimingsMS.Total)
		}
	}
	return out
}

// slowestLatency is the latency of u's target with the highest p50; nil
// when no target was sampled.
func slowestLatency(u *report.Upstream) *report.Latency {
	var worst *report.Latency
	for _, t := range u.Targets {
		if l := t.LatencyMS; l != nil && l.Samples > 0 && (worst == nil || l.P50 > worst.P50) {
			worst = l
		}
	}
	return worst
}

// certTargets are the targets that presented a certificate, by address,
// at most MaxTargetsPerUpstream.
func certTargets(u *report.Upstream) []report.Target {
	var out []report.Target
	for _, t := range u.Targets {
		if t.TLS != nil && t.TLS.Cert != nil && !t.TLS.Cert.NotAfter.IsZero() {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b report.Target) int { return cmp.Compare(a.Address, b.Address) })
	out = slices.CompactFunc(out, func(a, b report.Target) bool { return a.Address == b.Address })
	if len(out) > MaxTargetsPerUpstream {
		out = out[:MaxTargetsPerUpstream]
	}
	return out
}

// sunset is the earliest Sunset date of u's targets.
func sunset(u *report.Upstream) (float64, bool) {
	var at float64
	found := false
	for _, t := range u.Targets {
		if t.HTTP == nil || t.HTTP.Sunset == nil || t.HTTP.Sunset.Date == nil {
			continue
		}
		if v := float64(t.HTTP.Sunset.Date.Unix()); !found || v < at {
			at, found = v, true
		}
	}
	return at, found
}
