package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/lab/labtest"
	"github.com/updoc/updoc/pkg/report"
	"github.com/updoc/updoc/schema"
)

// TestMetricsAgainstTheLab runs one round over the fault lab's healthy,
// refused, gateway and chain upstreams and scrapes /metrics.
func TestMetricsAgainstTheLab(t *testing.T) {
	l := labtest.Start(t)
	s, _ := newServer(t, Options{Load: labLoader(l, "web", "secure", "refused", "envoy", "checkout", "payments", "sunset"), Vantage: "eu-west"})
	s.round(context.Background())
	ts := httpServer(t, s)
	m := scrape(t, ts.URL+"/metrics")

	want := []struct {
		name   string
		labels []string
		value  float64
	}{
		{"updoc_upstream_healthy", []string{"upstream=web"}, 1},
		{"updoc_upstream_status", []string{"upstream=web", "status=healthy"}, 1},
		{"updoc_upstream_status", []string{"upstream=web", "status=unhealthy"}, 0},
		{"updoc_upstream_healthy", []string{"upstream=refused"}, 0},
		{"updoc_upstream_status", []string{"upstream=refused", "status=unhealthy"}, 1},
		{"updoc_upstream_status", []string{"upstream=refused", "status=healthy"}, 0},
		{"updoc_upstream_status", []string{"upstream=refused", "status=unknown"}, 0},
		{"updoc_finding", []string{"upstream=refused", "code=" + catalog.TCPRefused, "severity=fail", "root_cause=true"}, 1},
		{"updoc_upstream_healthy", []string{"upstream=envoy"}, 0},
		{"updoc_finding", []string{"upstream=envoy", "code=" + catalog.GatewayNoHealthyUpstream, "severity=fail", "root_cause=true"}, 1},
		// checkout's gateway answer is payments' symptom, not a root cause.
		{"updoc_finding", []string{"upstream=checkout", "code=" + catalog.GatewayNoHealthyUpstream, "severity=fail", "root_cause=false"}, 1},
		{"updoc_finding", []string{"upstream=checkout", "code=" + catalog.DependencyUnhealthy, "severity=warn", "root_cause=false"}, 1},
		{"updoc_finding", []string{"upstream=payments", "code=" + catalog.TCPRefused, "severity=fail", "root_cause=true"}, 1},
		{"updoc_finding", []string{"upstream=sunset", "code=" + catalog.APISunsetPassed, "severity=fail", "root_cause=true"}, 1},
		{"updoc_rounds_total", nil, 1},
		{"updoc_rounds_skipped_total", nil, 0},
		{"updoc_config_reload_failures_total", nil, 0},
		{"updoc_build_info", nil, 1},
	}
	for _, w := range want {
		got, ok := m.value(w.name, append([]string{"vantage=eu-west"}, w.labels...)...)
		if !ok || got != w.value {
			t.Errorf("%s{%s} = %v (present %v), want %v", w.name, strings.Join(w.labels, ","), got, ok, w.value)
		}
	}
	if n := m.count("updoc_finding", "upstream=web"); n != 0 {
		t.Errorf("web is healthy but has %d updoc_finding series", n)
	}
	if n := m.count("updoc_upstream_status", "upstream=web"); n != len(Statuses) {
		t.Errorf("web has %d updoc_upstream_status series, want one per status (%d)", n, len(Statuses))
	}
	// Phases and latency of the healthy HTTP upstream; a refused one has
	// no connect.
	for _, p := range []string{"dns", "connect", "ttfb", "total"} {
		if v, ok := m.value("updoc_probe_phase_seconds", "upstream=web", "phase="+p); !ok || v < 0 {
			t.Errorf("updoc_probe_phase_seconds{upstream=web,phase=%s} = %v (present %v)", p, v, ok)
		}
	}
	if _, ok := m.value("updoc_probe_phase_seconds", "upstream=refused", "phase=connect"); ok {
		t.Error("the refused upstream has a connect phase")
	}
	if _, ok := m.value("updoc_probe_phase_seconds", "upstream=secure", "phase=tls"); !ok {
		t.Error("the https upstream has no tls phase")
	}
	for _, q := range Quantiles {
		if v, ok := m.quantile("updoc_latency_seconds", q, "upstream=web"); !ok || v <= 0 {
			t.Errorf("updoc_latency_seconds{upstream=web,quantile=%s} = %v (present %v)", q, v, ok)
		}
	}
	// The certificate and the sunset are the report's dates.
	rep := s.lastReport()
	sec := rep.Upstream("secure")
	if sec == nil || len(sec.Targets) != 1 || sec.Targets[0].TLS == nil || sec.Targets[0].TLS.Cert == nil {
		t.Fatalf("secure in the report: %+v", sec)
	}
	if v, _ := m.value("updoc_cert_expiry_timestamp_seconds", "upstream=secure", "target="+sec.Targets[0].Address); v != float64(sec.Targets[0].TLS.Cert.NotAfter.Unix()) {
		t.Errorf("updoc_cert_expiry_timestamp_seconds{secure} = %v, want %d", v, sec.Targets[0].TLS.Cert.NotAfter.Unix())
	}
	sun := rep.Upstream("sunset")
	if v, _ := m.value("updoc_sunset_timestamp_seconds", "upstream=sunset"); sun == nil || sun.Targets[0].HTTP.Sunset == nil || v != float64(sun.Targets[0].HTTP.Sunset.Date.Unix()) {
		t.Errorf("updoc_sunset_timestamp_seconds{sunset} = %v; report: %+v", v, sun)
	}
	// No label holds a URL or a message.
	for name, fam := range m {
		for _, s := range fam.Metric {
			for _, l := range s.Label {
				if strings.Contains(l.GetValue(), "://") || strings.Contains(l.GetValue(), " ") && name != "updoc_build_info" {
					t.Errorf("%s has label %s=%q: no URLs or messages in labels", name, l.GetName(), l.GetValue())
				}
			}
		}
	}

	problems, err := testutil.CollectAndLint(&reportCollector{last: s.lastReport})
	if err != nil || len(problems) > 0 {
		t.Errorf("CollectAndLint: %v %+v", err, problems)
	}
	problems, err = testutil.GatherAndLint(s.Registry())
	if err != nil || len(problems) > 0 {
		t.Errorf("GatherAndLint: %v %+v", err, problems)
	}
}

// TestReportEndpoint: /report is the last round's report, the document
// `check -o json` writes (schema updoc.report/v1); 503 before the first
// round.
func TestReportEndpoint(t *testing.T) {
	l := labtest.Start(t)
	s, _ := newServer(t, Options{Load: labLoader(l, "web", "refused")})
	ts := httpServer(t, s)
	if code, body := get(t, ts.URL+"/report"); code != http.StatusServiceUnavailable {
		t.Errorf("/report before the first round: %d %q, want 503", code, body)
	}
	s.round(context.Background())
	code, body := get(t, ts.URL+"/report")
	if code != http.StatusOK {
		t.Fatalf("/report: %d %s", code, body)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("decode /report: %v", err)
	}
	if rep.Schema != "updoc.report/v1" || rep.Status != report.Unhealthy || len(rep.Upstreams) != 2 ||
		len(rep.RootCauses) != 1 || rep.RootCauses[0].Code != catalog.TCPRefused {
		t.Errorf("/report: schema %q status %s upstreams %d root causes %+v", rep.Schema, rep.Status, len(rep.Upstreams), rep.RootCauses)
	}
	var b strings.Builder
	if err := report.WriteJSON(&b, s.lastReport()); err != nil {
		t.Fatal(err)
	}
	if body != b.String() {
		t.Error("/report differs from report.WriteJSON of the same report (check -o json)")
	}
	if err := schema.ValidateReport([]byte(body)); err != nil {
		t.Errorf("/report does not validate against schema/updoc.report.v1.schema.json: %v", err)
	}
	if code, body := get(t, ts.URL+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
}

// TestProbeEndpoint: /probe?upstream=NAME probes that one upstream now
// and answers its metrics; an unknown name is a 404 naming the upstreams.
func TestProbeEndpoint(t *testing.T) {
	l := labtest.Start(t)
	var probed [][]string
	s, _ := newServer(t, Options{Load: labLoader(l, "web", "refused", "envoy"), Engine: recordingEngine(&probed)})
	ts := httpServer(t, s)

	m := scrape(t, ts.URL+"/probe?upstream=refused")
	if v, ok := m.value("updoc_upstream_healthy", "upstream=refused"); !ok || v != 0 {
		t.Errorf("probe refused: updoc_upstream_healthy = %v (present %v)", v, ok)
	}
	if v, ok := m.value("updoc_finding", "upstream=refused", "code=tcp.refused", "root_cause=true"); !ok || v != 1 {
		t.Errorf("probe refused: tcp.refused finding = %v (present %v)", v, ok)
	}
	if n := m.count("updoc_upstream_healthy"); n != 1 {
		t.Errorf("probe refused answered %d upstreams, want 1", n)
	}
	if _, ok := m.value("updoc_probe_duration_seconds"); !ok {
		t.Error("probe: no updoc_probe_duration_seconds")
	}
	if len(probed) != 1 || !slices.Equal(probed[0], []string{"refused"}) {
		t.Errorf("engine runs: %v, want one over [refused]", probed)
	}
	if s.lastReport() != nil {
		t.Error("a probe published a round's report")
	}

	code, body := get(t, ts.URL+"/probe?upstream=nope")
	if code != http.StatusNotFound || !strings.Contains(body, `"nope"`) || !strings.Contains(body, "web, refused, envoy") {
		t.Errorf("unknown upstream: %d %q, want 404 naming web, refused, envoy", code, body)
	}
	if code, body := get(t, ts.URL+"/probe"); code != http.StatusBadRequest || !strings.Contains(body, "web, refused, envoy") {
		t.Errorf("no upstream: %d %q, want 400 naming the upstreams", code, body)
	}
	if code, body := get(t, ts.URL+"/probe?upstream=web&upstream=refused"); code != http.StatusBadRequest || !strings.Contains(body, "one upstream per probe") {
		t.Errorf("two upstreams: %d %q, want 400 (QA: it probed the first only)", code, body)
	}
}

func TestProbeTimeout(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", 10 * time.Second},
		{"5", 4500 * time.Millisecond},
		{"60", 10 * time.Second},
		{"0.2", 200 * time.Millisecond},
		{"x", 10 * time.Second},
	} {
		r, _ := http.NewRequest("GET", "/probe", nil)
		if tc.header != "" {
			r.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", tc.header)
		}
		if got := probeTimeout(r, 10*time.Second); got != tc.want {
			t.Errorf("scrape timeout %q: %s, want %s", tc.header, got, tc.want)
		}
	}
}

// TestMetricsCardinality: a finding code outside the catalogue is "other",
// and an upstream with 20 targets gets 16 certificate series.
func TestMetricsCardinality(t *testing.T) {
	u := report.Upstream{Name: "many", Status: report.Unhealthy}
	for i := range 20 {
		u.Targets = append(u.Targets, report.Target{Address: "10.0.0." + string(rune('a'+i)) + ":443",
			TLS: &report.TLS{Version: "TLS 1.3", Cert: &report.Cert{NotAfter: time.Unix(int64(1e9+i), 0)}}})
	}
	u.Findings = []report.Finding{
		{Code: "made.up", Severity: report.Fail, RootCause: true},
		{Code: catalog.TCPRefused, Severity: report.Fail, Target: "a", RootCause: true},
		{Code: catalog.TCPRefused, Severity: report.Fail, Target: "b", RootCause: true},
	}
	rep := &report.Report{Upstreams: []report.Upstream{u}}
	m := gatherCollector(t, &reportCollector{last: func() *report.Report { return rep }})
	if n := m.count("updoc_cert_expiry_timestamp_seconds", "upstream=many"); n != MaxTargetsPerUpstream {
		t.Errorf("%d certificate series, want %d", n, MaxTargetsPerUpstream)
	}
	if v, ok := m.value("updoc_finding", "code="+OtherCode); !ok || v != 1 {
		t.Errorf("unknown code: other = %v (present %v)", v, ok)
	}
	if v, _ := m.value("updoc_finding", "code="+catalog.TCPRefused); v != 2 {
		t.Errorf("two tcp.refused findings: %v, want 2", v)
	}
	if n := m.count("updoc_finding"); n != 2 {
		t.Errorf("%d finding series, want 2", n)
	}
}
