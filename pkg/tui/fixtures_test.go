package tui

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/report"
)

// t0 is the fixed clock of every test frame.
var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return t0.Add(5 * time.Second) }

// noRound is a Round for models whose commands the test never runs.
func noRound(context.Context, engine.Observer) report.Report { return report.Report{} }

// newTestModel is a model at w×h, colour off, on a fixed clock.
func newTestModel(t testing.TB, w, h int) *model {
	t.Helper()
	m := newModel(context.Background(), noRound, Options{Interval: 10 * time.Second, Title: "updoc.yaml"}, io.Discard, fixedClock)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// feed runs one round on m without running its commands: start, then done.
func feed(t testing.TB, m *model, r report.Report) {
	t.Helper()
	if m.startRound() == nil {
		t.Fatal("startRound: a round is already running")
	}
	m.Update(roundDoneMsg{id: m.seq, rep: r})
}

// press sends keys to m: "up", "down", "enter", "esc", "ctrl+c" or runes.
func press(m *model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(keyMsg(k))
	}
	return cmd
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func typeText(m *model, s string) {
	for _, r := range s {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func lat(p50, p90 float64) *report.Latency {
	return &report.Latency{Samples: 10, Min: p50 * 0.8, P50: p50, P90: p90, P99: p90 * 1.2, Max: p90 * 1.3, Mean: p50 * 1.1, Stddev: p50 / 5}
}

func allPass() report.Layers {
	return report.Layers{DNS: report.Pass, TCP: report.Pass, TLS: report.Skip, HTTP: report.Pass, Latency: report.Pass}
}

func httpOK(code int, total float64) *report.HTTP {
	return &report.HTTP{
		Status: report.Pass, Method: "GET", StatusCode: code,
		TimingsMS: report.Timings{DNS: 1.2, Connect: 0.4, TLS: 0, TTFB: total - 2.4, Transfer: 0.8, Total: total},
	}
}

func healthyHTTP(name, addr string, p50 float64) report.Upstream {
	return report.Upstream{
		Name: name, URL: "http://" + name + ".internal/health", Status: report.Healthy,
		Layers: allPass(),
		DNS:    &report.DNS{Name: name + ".internal", Resolver: "10.0.0.2:53", Rcode: "NOERROR", Addresses: []string{addr}, DurationMS: 0.9},
		Targets: []report.Target{{
			Address: addr + ":80", Status: report.Healthy,
			TCP: &report.TCP{Status: report.Pass, DurationMS: 0.3}, HTTP: httpOK(200, p50+3), LatencyMS: lat(p50, p50*1.6),
		}},
	}
}

func cert(subject string, days int) *report.Cert {
	return &report.Cert{
		Subject: "CN=" + subject, SANs: []string{subject, "*." + subject}, Issuer: "CN=updoc lab CA,O=updoc",
		NotBefore: t0.AddDate(0, 0, -90+days), NotAfter: t0.AddDate(0, 0, days), DaysLeft: days,
	}
}

// mixedReport is a report of eleven upstreams in every state; round varies
// the latencies and, in round 6, a few statuses, so that sparklines and
// change markers have something to show.
func mixedReport(round int) report.Report {
	jit := func(base float64, k int) float64 { return base * (1 + 0.15*float64((round*k)%5)) }

	edgeDeps := []string{"users", "orders"}
	edge := report.Upstream{
		Name: "edge", URL: "https://edge.example.com/healthz", Description: "public entry point (Envoy)",
		Tags: []string{"public"}, Status: report.Unhealthy, DependsOn: edgeDeps,
		Layers: report.Layers{DNS: report.Pass, TCP: report.Pass, TLS: report.Pass, HTTP: report.LFail, Latency: report.Pass},
		DNS: &report.DNS{Name: "edge.example.com", Resolver: "system", Rcode: "NOERROR",
			Addresses: []string{"203.0.113.10", "203.0.113.11"}, CNAMEChain: []string{"edge.lb.example.net"}, DurationMS: 2.1},
		Targets: []report.Target{
			{
				Address: "203.0.113.10:443", Status: report.Unhealthy,
				TCP: &report.TCP{Status: report.Pass, DurationMS: 1.1},
				TLS: &report.TLS{Status: report.Pass, DurationMS: 9.8, ServerName: "edge.example.com", Version: "TLS 1.3", ALPN: "h2", Cert: cert("edge.example.com", 54)},
				HTTP: &report.HTTP{Status: report.LFail, Method: "GET", StatusCode: 503, Server: "envoy",
					TimingsMS: report.Timings{DNS: 2.1, Connect: 1.1, TLS: 9.8, TTFB: 24.5, Transfer: 0.3, Total: 37.8}},
				LatencyMS: lat(jit(31, 1), 48),
			},
			{
				Address: "203.0.113.11:443", Status: report.Unhealthy,
				TCP: &report.TCP{Status: report.Pass, DurationMS: 1.3},
				TLS: &report.TLS{Status: report.Pass, DurationMS: 10.2, ServerName: "edge.example.com", Version: "TLS 1.3", ALPN: "h2", Cert: cert("edge.example.com", 54)},
				HTTP: &report.HTTP{Status: report.LFail, Method: "GET", StatusCode: 503, Server: "envoy",
					TimingsMS: report.Timings{DNS: 0, Connect: 1.3, TLS: 10.2, TTFB: 26.1, Transfer: 0.2, Total: 37.8}},
				LatencyMS: lat(jit(33, 2), 51),
			},
		},
		Findings: []report.Finding{
			{
				Code: catalog.DependencyUnhealthy, Severity: report.Warn, Layer: "graph",
				Message:  "edge depends on unhealthy upstreams: users",
				Evidence: map[string]any{"unhealthy": []any{"users"}},
				Remediation: []string{
					"Fix the root cause reported for users first; edge should recover by itself.",
				},
			},
			{
				Code: catalog.GatewayNoHealthyUpstream, Severity: report.Fail, Layer: "http", Target: "203.0.113.10:443",
				Message:  "203.0.113.10:443 answered 503 \"no healthy upstream\" (Envoy): the proxy has no healthy endpoint for its route",
				Evidence: map[string]any{"status": 503.0, "server": "envoy", "product": "Envoy", "body": "no healthy upstream"},
				Remediation: []string{
					"Find the Envoy cluster behind this route and list its endpoints: curl -s localhost:15000/clusters | grep health_flags",
					"Check the upstream service the proxy routes to (here: users); once it passes its health checks Envoy routes to it again.",
					"If endpoints are healthy but marked failed, check the active health check path and port of the cluster.",
				},
			},
		},
	}

	users := healthyHTTP("users", "10.0.0.7", 0)
	users.URL = "http://users.internal:8080/health"
	users.Status = report.Unhealthy
	users.Tags = []string{"core"}
	users.Layers = report.Layers{DNS: report.Pass, TCP: report.LFail, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip}
	users.Targets = []report.Target{{Address: "10.0.0.7:8080", Status: report.Unhealthy,
		TCP: &report.TCP{Status: report.LFail, DurationMS: 0.2, Error: "connect: connection refused"}}}
	users.Findings = []report.Finding{{
		Code: catalog.TCPRefused, Severity: report.Fail, Layer: "tcp", Target: "10.0.0.7:8080", RootCause: true,
		Message:     "10.0.0.7:8080 refused the connection",
		Evidence:    map[string]any{"error": "connect: connection refused"},
		Remediation: []string{"Check that users is running and listening on port 8080: ss -ltnp 'sport = :8080'"},
	}}

	orders := healthyHTTP("orders", "10.0.0.11", 0)
	orders.Status = report.Degraded
	orders.DependsOn = []string{"db"}
	orders.Layers = report.Layers{DNS: report.Skip, TCP: report.LWarn, TLS: report.Skip, HTTP: report.Pass, Latency: report.Pass}
	orders.DNS = nil
	orders.Targets = []report.Target{
		{Address: "10.0.0.11:80", Status: report.Healthy, TCP: &report.TCP{Status: report.Pass, DurationMS: 0.4}, HTTP: httpOK(200, 15), LatencyMS: lat(jit(12, 3), 19)},
		{Address: "10.0.0.12:80", Status: report.Unhealthy, TCP: &report.TCP{Status: report.LFail, DurationMS: 0.3, Error: "connect: connection refused"}},
		{Address: "10.0.0.13:80", Status: report.Healthy, TCP: &report.TCP{Status: report.Pass, DurationMS: 0.5}, HTTP: httpOK(200, 16), LatencyMS: lat(jit(13, 1), 21)},
	}
	orders.Findings = []report.Finding{
		{Code: catalog.LoadReplicaDown, Severity: report.Warn, Layer: "tcp", RootCause: true,
			Message: "1 of 3 targets of orders failed: 10.0.0.12:80", Remediation: []string{"Look at 10.0.0.12:80 first."}},
		{Code: catalog.TCPRefused, Severity: report.Warn, Layer: "tcp", Target: "10.0.0.12:80", RootCause: true,
			Message: "10.0.0.12:80 refused the connection", Remediation: []string{"ss -ltnp 'sport = :80' on 10.0.0.12"}},
	}

	db := healthyHTTP("db", "10.0.0.30", jit(0.6, 2))
	db.URL = "tcp://db.internal:5432"
	db.Tags = []string{"storage"}
	db.Layers = report.Layers{DNS: report.Pass, TCP: report.Pass, TLS: report.Skip, HTTP: report.Skip, Latency: report.Pass}
	db.Targets[0].Address = "10.0.0.30:5432"
	db.Targets[0].HTTP = nil

	payments := healthyHTTP("payments", "10.0.0.40", 0)
	payments.URL = "https://payments.internal/health"
	payments.Status = report.Unhealthy
	payments.Tags = []string{"core", "pci"}
	payments.Layers = report.Layers{DNS: report.Pass, TCP: report.Pass, TLS: report.LFail, HTTP: report.Skip, Latency: report.Skip}
	payments.Targets = []report.Target{{Address: "10.0.0.40:443", Status: report.Unhealthy,
		TCP: &report.TCP{Status: report.Pass, DurationMS: 0.5},
		TLS: &report.TLS{Status: report.LFail, DurationMS: 4.2, ServerName: "payments.internal", Version: "TLS 1.2", Cert: cert("payments.internal", -3),
			Error: "x509: certificate has expired or is not yet valid"}}}
	payments.Findings = []report.Finding{{
		Code: catalog.TLSCertExpired, Severity: report.Fail, Layer: "tls", Target: "10.0.0.40:443", RootCause: true,
		Message:  "the certificate of payments.internal expired on 2026-11-21 (3 days ago)",
		Evidence: map[string]any{"not_after": "2026-11-21T12:00:00Z", "days_left": -3.0, "subject": "CN=payments.internal"},
		Remediation: []string{
			"Renew and deploy the certificate of payments.internal.",
			"Check what is served: openssl s_client -connect 10.0.0.40:443 -servername payments.internal </dev/null | openssl x509 -noout -dates",
		},
	}}

	search := healthyHTTP("search", "10.0.0.50", jit(180, 4))
	if round >= 6 {
		search.Status = report.Degraded
		search.Layers.Latency = report.LWarn
		search.Targets[0].LatencyMS = lat(420, 640)
		search.Findings = []report.Finding{{Code: catalog.LatencySlow, Severity: report.Warn, Layer: "latency", Target: "10.0.0.50:80", RootCause: true,
			Message: "p90 640ms is above max_latency 300ms", Remediation: []string{"Profile search."}}}
	}

	legacy := healthyHTTP("legacy-api", "10.0.0.60", jit(45, 2))
	legacy.Status = report.Degraded
	legacy.DependsOn = []string{"users"}
	legacy.Layers.HTTP = report.LWarn
	dep := t0.AddDate(0, -2, 0)
	sun := t0.AddDate(0, 0, 30)
	sunDays := 30
	legacy.Targets[0].HTTP.Deprecation = &report.Deprecation{Raw: fmt.Sprintf("@%d", dep.Unix()), Date: &dep, Link: "https://developer.example.com/deprecations/v1"}
	legacy.Targets[0].HTTP.Sunset = &report.Sunset{Raw: sun.Format(time.RFC1123), Date: &sun, DaysLeft: &sunDays}
	legacy.Findings = []report.Finding{
		{Code: catalog.APIDeprecated, Severity: report.Warn, Layer: "http", Target: "10.0.0.60:80", RootCause: true,
			Message: "legacy-api is deprecated since 2026-09-24", Remediation: []string{"Move callers to the v2 API."}},
		{Code: catalog.APISunsetScheduled, Severity: report.Warn, Layer: "http", Target: "10.0.0.60:80", RootCause: true,
			Message: "legacy-api will be turned off on 2026-12-24 (in 30 days)", Remediation: []string{"Plan the migration before 2026-12-24."}},
	}

	auth := healthyHTTP("auth", "10.0.0.70", jit(8, 1))
	auth.DependsOn = []string{"users"}
	cache := healthyHTTP("cache", "10.0.0.80", jit(0.9, 3))
	if round < 6 {
		cache.Status = report.Unhealthy
		cache.Layers.HTTP = report.LFail
		cache.Targets[0].HTTP.StatusCode = 500
		cache.Targets[0].HTTP.Status = report.LFail
		cache.Findings = []report.Finding{{Code: catalog.HTTPServerError, Severity: report.Fail, Layer: "http", RootCause: true,
			Message: "500 from cache", Remediation: []string{"Read the logs of cache."}}}
	}
	ledger := healthyHTTP("ledger-reporting-service-eu-west-1", "10.0.0.90", jit(22, 2))

	inventory := report.Upstream{
		Name: "inventory", URL: "http://inventory.internal/health", Status: report.Unhealthy,
		Layers: report.Layers{DNS: report.LFail, TCP: report.Skip, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip},
		DNS:    &report.DNS{Name: "inventory.internal", Resolver: "10.0.0.2:53", Rcode: "NXDOMAIN", DurationMS: 1.4},
		Findings: []report.Finding{{Code: catalog.DNSNXDomain, Severity: report.Fail, Layer: "dns", RootCause: true,
			Message: "inventory.internal does not exist (NXDOMAIN from 10.0.0.2:53)", Remediation: []string{"dig @10.0.0.2 inventory.internal A"}}},
	}

	ups := []report.Upstream{edge, users, orders, db, payments, search, legacy, auth, cache, ledger, inventory}
	if round >= 6 {
		ups = append(ups, healthyHTTP("billing", "10.0.0.95", 14))
	}
	r := report.Report{
		Schema: report.Schema, UpdocVersion: "0.1.0", StartedAt: t0, DurationMS: 812.4,
		RootCauses: []report.RootCause{
			{Upstream: "users", Code: catalog.TCPRefused, Severity: report.Fail, Target: "10.0.0.7:8080",
				Message: "10.0.0.7:8080 refused the connection", Affects: []string{"edge", "legacy-api", "auth"}},
			{Upstream: "payments", Code: catalog.TLSCertExpired, Severity: report.Fail, Target: "10.0.0.40:443",
				Message: "the certificate of payments.internal expired on 2026-11-21 (3 days ago)", Affects: []string{}},
			{Upstream: "inventory", Code: catalog.DNSNXDomain, Severity: report.Fail,
				Message: "inventory.internal does not exist (NXDOMAIN from 10.0.0.2:53)", Affects: []string{}},
		},
		Upstreams: ups,
	}
	for _, u := range ups {
		r.Summary.Total++
		switch u.Status {
		case report.Healthy:
			r.Summary.Healthy++
		case report.Degraded:
			r.Summary.Degraded++
		case report.Unhealthy:
			r.Summary.Unhealthy++
		}
		r.Status = report.WorstStatus(r.Status, u.Status)
	}
	return r
}

// mixedModel is a model at w×h that has seen six rounds of mixedReport.
func mixedModel(t testing.TB, w, h int) *model {
	t.Helper()
	m := newTestModel(t, w, h)
	for round := 1; round <= 6; round++ {
		feed(t, m, mixedReport(round))
	}
	return m
}

// bigReport has n upstreams, one in five unhealthy, one in seven degraded.
func bigReport(n int) report.Report {
	r := report.Report{Schema: report.Schema, StartedAt: t0, DurationMS: 2345, Status: report.Unhealthy}
	for i := range n {
		u := healthyHTTP(fmt.Sprintf("svc-%04d", i), fmt.Sprintf("10.1.%d.%d", i/250, i%250), float64(5+i%40))
		u.Tags = []string{fmt.Sprintf("team-%d", i%9)}
		switch {
		case i%5 == 0:
			u.Status = report.Unhealthy
			u.Layers.TCP = report.LFail
			u.Findings = []report.Finding{{Code: catalog.TCPRefused, Severity: report.Fail, Layer: "tcp", RootCause: true, Message: "refused"}}
		case i%7 == 0:
			u.Status = report.Degraded
			u.Layers.Latency = report.LWarn
			u.Findings = []report.Finding{{Code: catalog.LatencySlow, Severity: report.Warn, Layer: "latency", RootCause: true, Message: "slow"}}
		}
		r.Upstreams = append(r.Upstreams, u)
	}
	r.RootCauses = []report.RootCause{{Upstream: "svc-0000", Code: catalog.TCPRefused, Severity: report.Fail, Message: "refused", Affects: []string{"svc-0001"}}}
	return r
}

func names(m *model) []string {
	var out []string
	for _, ix := range m.rows {
		out = append(out, m.rep.Upstreams[ix].Name)
	}
	return out
}
