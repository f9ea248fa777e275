package report

import (
	"time"

	"github.com/updoc/updoc/pkg/catalog"
)

// Fixed reports for the golden tests: every time and duration is a
// constant so the outputs are deterministic. Evidence uses JSON-native
// types (string, float64, bool, []any, map[string]any) so the JSON round
// trip compares equal.

var fixedStart = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func lat(p50, p90, p99 float64) *Latency {
	return &Latency{Samples: 10, Min: p50 * 0.8, P50: p50, P90: p90, P99: p99, Max: p99 * 1.1, Mean: (p50 + p90) / 2, Stddev: (p90 - p50) / 2}
}

func cert(subject string, days int) *Cert {
	return &Cert{
		Subject:   "CN=" + subject,
		SANs:      []string{subject},
		Issuer:    "CN=Lab CA",
		NotBefore: fixedStart.AddDate(0, 0, -90),
		NotAfter:  fixedStart.AddDate(0, 0, days),
		DaysLeft:  days,
	}
}

// healthyReport: two healthy upstreams, one HTTPS, one TCP-only.
func healthyReport() *Report {
	return &Report{
		Schema:       Schema,
		UpdocVersion: "0.1.0",
		StartedAt:    fixedStart,
		DurationMS:   48.6,
		Status:       Healthy,
		Summary:      Summary{Total: 2, Healthy: 2},
		Upstreams: []Upstream{
			{
				Name:   "api",
				URL:    "https://api.example.com/healthz",
				Status: Healthy,
				Layers: Layers{DNS: Pass, TCP: Pass, TLS: Pass, HTTP: Pass, Latency: Pass},
				DNS: &DNS{Name: "api.example.com", Resolver: "127.0.0.1:53", Rcode: "NOERROR",
					Addresses: []string{"10.0.0.5"}, DurationMS: 1.2,
					Queries: []DNSQuery{{Resolver: "127.0.0.1:53", Type: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.5"}, DurationMS: 1.2}}},
				Targets: []Target{{
					Address: "10.0.0.5:443",
					Status:  Healthy,
					TCP:     &TCP{Status: Pass, DurationMS: 0.3},
					TLS:     &TLS{Status: Pass, DurationMS: 12, ServerName: "api.example.com", SNI: "api.example.com", Version: "TLS 1.3", ALPN: "h2", Cert: cert("api.example.com", 87)},
					HTTP: &HTTP{Status: Pass, Method: "GET", URL: "https://api.example.com/healthz", StatusCode: 200,
						TimingsMS: Timings{DNS: 1.2, Connect: 0.3, TLS: 12, TTFB: 30.1, Transfer: 0.4, Total: 44}},
					LatencyMS: lat(4.2, 6.1, 9.8),
				}},
			},
			{
				Name:   "db",
				URL:    "tcp://db.internal:5432",
				Tags:   []string{"storage"},
				Status: Healthy,
				Layers: Layers{DNS: Skip, TCP: Pass, TLS: Skip, HTTP: Skip, Latency: Pass},
				Targets: []Target{
					{Address: "10.0.1.1:5432", Status: Healthy, TCP: &TCP{Status: Pass, DurationMS: 0.4}, LatencyMS: lat(0.5, 0.7, 0.9)},
					{Address: "10.0.1.2:5432", Status: Healthy, TCP: &TCP{Status: Pass, DurationMS: 0.6}, LatencyMS: lat(0.6, 0.8, 1.1)},
				},
			},
		},
	}
}

// mixedReport: users refuses connections and takes down gateway and edge;
// orders has a replica down and is slow; auth's certificate is expiring;
// legacy does not resolve; search is healthy.
func mixedReport() *Report {
	usersRemediation := []string{
		"Check that users is running and listening on port 8080: ss -ltnp 'sport = :8080'",
		"Check the service logs and its orchestrator (systemctl status, kubectl get pods) for crashes or restarts.",
		"If it listens on another port or address, fix the url or targets in updoc.yaml.",
	}
	return &Report{
		Schema:       Schema,
		UpdocVersion: "0.1.0",
		StartedAt:    fixedStart,
		DurationMS:   812.4,
		Status:       Unhealthy,
		Summary:      Summary{Total: 7, Healthy: 1, Degraded: 2, Unhealthy: 4},
		RootCauses: []RootCause{
			{Upstream: "users", Code: catalog.TCPRefused, Severity: Fail, Target: "10.0.0.7:8080",
				Message: "10.0.0.7:8080 refused the connection", Affects: []string{"gateway", "edge"}},
			{Upstream: "legacy", Code: catalog.DNSNXDomain, Severity: Fail,
				Message: "legacy.example.com does not exist: NXDOMAIN from 127.0.0.1:53"},
			{Upstream: "orders", Code: catalog.LoadReplicaDown, Severity: Warn,
				Message: "1 of 3 targets failed (10.0.0.13:80); 2 still serve"},
			{Upstream: "auth", Code: catalog.TLSCertExpiring, Severity: Warn, Target: "10.0.0.9:443",
				Message: "certificate for auth.example.com expires in 6 days (2026-11-30T12:00:00Z), under cert_min_days 14"},
		},
		Upstreams: []Upstream{
			{
				Name:      "edge",
				URL:       "https://edge.example.com/healthz",
				Status:    Unhealthy,
				DependsOn: []string{"gateway"},
				Layers:    Layers{DNS: Pass, TCP: Pass, TLS: Pass, HTTP: LFail, Latency: Skip},
				DNS:       &DNS{Name: "edge.example.com", Resolver: "127.0.0.1:53", Rcode: "NOERROR", Addresses: []string{"10.0.0.2"}, CNAMEChain: []string{"edge.example.com.", "lb.example.net."}, DurationMS: 0.8},
				Targets: []Target{{
					Address: "10.0.0.2:443", Status: Unhealthy,
					TCP:  &TCP{Status: Pass, DurationMS: 0.2},
					TLS:  &TLS{Status: Pass, DurationMS: 9.5, ServerName: "edge.example.com", SNI: "edge.example.com", Version: "TLS 1.3", ALPN: "h2", Cert: cert("edge.example.com", 61)},
					HTTP: &HTTP{Status: LFail, Method: "GET", URL: "https://edge.example.com/healthz", StatusCode: 502, Server: "envoy", BodyPrefix: "upstream connect error or disconnect/reset before headers", TimingsMS: Timings{DNS: 0.8, Connect: 0.2, TLS: 9.5, TTFB: 3.1, Transfer: 0.1, Total: 13.7}},
				}},
				Findings: []Finding{
					{Code: catalog.DependencyUnhealthy, Severity: Warn, Layer: "graph", Message: "depends on gateway, which is unhealthy (root cause: users tcp.refused)",
						Evidence: map[string]any{"dependency": "gateway", "path": []any{"edge", "gateway", "users"}}, Remediation: []string{"Fix users first: updoc check --only users"}},
					{Code: catalog.GatewayBadGateway, Severity: Fail, Layer: "http", Target: "10.0.0.2:443", Message: "10.0.0.2:443 answered 502 Bad Gateway (server: envoy) after 13.7ms",
						Evidence:    map[string]any{"status_code": 502.0, "server": "envoy", "headers": map[string]any{"server": "envoy", "x-envoy-upstream-service-time": "2"}},
						Remediation: []string{"The proxy could not reach its upstream; check gateway first: updoc check --only gateway", "Inspect the proxy logs for upstream connect errors."}},
				},
			},
			{
				Name:      "gateway",
				URL:       "http://gateway.internal:8000/health",
				Status:    Unhealthy,
				DependsOn: []string{"users", "orders"},
				Layers:    Layers{DNS: Pass, TCP: Pass, TLS: Skip, HTTP: LFail, Latency: Skip},
				DNS:       &DNS{Name: "gateway.internal", Resolver: "127.0.0.1:53", Rcode: "NOERROR", Addresses: []string{"10.0.0.3"}, DurationMS: 0.7},
				Targets: []Target{{
					Address: "10.0.0.3:8000", Status: Unhealthy,
					TCP:  &TCP{Status: Pass, DurationMS: 0.2},
					HTTP: &HTTP{Status: LFail, Method: "GET", URL: "http://gateway.internal:8000/health", StatusCode: 503, Server: "envoy", BodyPrefix: "no healthy upstream", TimingsMS: Timings{DNS: 0.7, Connect: 0.2, TTFB: 1.9, Transfer: 0.1, Total: 2.9}},
				}},
				Findings: []Finding{
					{Code: catalog.GatewayNoHealthyUpstream, Severity: Fail, Layer: "http", Target: "10.0.0.3:8000", Message: `10.0.0.3:8000 answered 503 "no healthy upstream" (Envoy): the proxy has no healthy endpoint for its route`,
						Evidence:    map[string]any{"status_code": 503.0, "product": "Envoy", "body_prefix": "no healthy upstream"},
						Remediation: []string{"Fix the upstreams behind the proxy first: users", "Check the proxy's cluster health: curl -s localhost:15000/clusters | grep health_flags"}},
					{Code: catalog.DependencyUnhealthy, Severity: Warn, Layer: "graph", Message: "depends on users, which is unhealthy",
						Evidence: map[string]any{"dependency": "users"}, Remediation: []string{"Fix users first: updoc check --only users"}},
				},
			},
			{
				Name:   "users",
				URL:    "http://users.internal:8080/health",
				Status: Unhealthy,
				Layers: Layers{DNS: Pass, TCP: LFail, TLS: Skip, HTTP: Skip, Latency: Skip},
				DNS:    &DNS{Name: "users.internal", Resolver: "127.0.0.1:53", Rcode: "NOERROR", Addresses: []string{"10.0.0.7"}, DurationMS: 0.9},
				Targets: []Target{{
					Address: "10.0.0.7:8080", Status: Unhealthy,
					TCP: &TCP{Status: LFail, DurationMS: 0.2, Error: "connection refused"},
				}},
				Findings: []Finding{
					{Code: catalog.TCPRefused, Severity: Fail, Layer: "tcp", Target: "10.0.0.7:8080", RootCause: true, Message: "10.0.0.7:8080 refused the connection",
						Evidence: map[string]any{"error": "connect: connection refused"}, Remediation: usersRemediation},
				},
			},
			{
				Name:   "orders",
				URL:    "http://orders.internal/health",
				Status: Degraded,
				Layers: Layers{DNS: Skip, TCP: LWarn, TLS: Skip, HTTP: Pass, Latency: LWarn},
				Targets: []Target{
					{Address: "10.0.0.11:80", Status: Healthy, TCP: &TCP{Status: Pass, DurationMS: 0.3},
						HTTP:      &HTTP{Status: Pass, Method: "GET", URL: "http://orders.internal/health", StatusCode: 200, TimingsMS: Timings{Connect: 0.3, TTFB: 5.2, Transfer: 0.2, Total: 5.7}},
						LatencyMS: lat(5.1, 6.0, 7.2)},
					{Address: "10.0.0.12:80", Status: Degraded, TCP: &TCP{Status: Pass, DurationMS: 0.4},
						HTTP:      &HTTP{Status: Pass, Method: "GET", URL: "http://orders.internal/health", StatusCode: 200, TimingsMS: Timings{Connect: 0.4, TTFB: 310.5, Transfer: 0.3, Total: 311.2}},
						LatencyMS: lat(305, 420.5, 612)},
					{Address: "10.0.0.13:80", Status: Unhealthy, TCP: &TCP{Status: LFail, DurationMS: 0.1, Error: "connection refused"}},
				},
				Findings: []Finding{
					{Code: catalog.TCPRefused, Severity: Warn, Layer: "tcp", Target: "10.0.0.13:80", Message: "10.0.0.13:80 refused the connection (other replicas serve)",
						Evidence: map[string]any{"error": "connect: connection refused"}, Remediation: []string{"Check the replica at 10.0.0.13: ss -ltnp 'sport = :80'"}},
					{Code: catalog.LoadReplicaDown, Severity: Warn, Layer: "tcp", RootCause: true, Message: "1 of 3 targets failed (10.0.0.13:80); 2 still serve",
						Evidence:    map[string]any{"failed": []any{"10.0.0.13:80"}, "passed": []any{"10.0.0.11:80", "10.0.0.12:80"}},
						Remediation: []string{"Restart or replace the failed replica 10.0.0.13:80.", "Check the load balancer removes failed replicas (health checks, outlier detection)."}},
					{Code: catalog.LatencySlow, Severity: Warn, Layer: "latency", Target: "10.0.0.12:80", RootCause: true, Message: "10.0.0.12:80 p90 420ms is above max_latency 300ms",
						Evidence: map[string]any{"p90_ms": 420.5, "max_latency_ms": 300.0}, Remediation: []string{"Profile 10.0.0.12:80: its p50 is 60× the other replica's."}},
				},
			},
			{
				Name:   "auth",
				URL:    "https://auth.example.com/health",
				Status: Degraded,
				Layers: Layers{DNS: Pass, TCP: Pass, TLS: LWarn, HTTP: Pass, Latency: Pass},
				DNS:    &DNS{Name: "auth.example.com", Resolver: "127.0.0.1:53", Rcode: "NOERROR", Addresses: []string{"10.0.0.9"}, DurationMS: 1.1},
				Targets: []Target{{
					Address: "10.0.0.9:443", Status: Degraded,
					TCP:       &TCP{Status: Pass, DurationMS: 0.3},
					TLS:       &TLS{Status: LWarn, DurationMS: 8.8, ServerName: "auth.example.com", SNI: "auth.example.com", Version: "TLS 1.2", Cert: cert("auth.example.com", 6)},
					HTTP:      &HTTP{Status: Pass, Method: "GET", URL: "https://auth.example.com/health", StatusCode: 204, TimingsMS: Timings{DNS: 1.1, Connect: 0.3, TLS: 8.8, TTFB: 4.4, Total: 14.6}},
					LatencyMS: lat(3.9, 4.8, 6.6),
				}},
				Findings: []Finding{
					{Code: catalog.TLSCertExpiring, Severity: Warn, Layer: "tls", Target: "10.0.0.9:443", RootCause: true,
						Message:     "certificate for auth.example.com expires in 6 days (2026-11-30T12:00:00Z), under cert_min_days 14",
						Evidence:    map[string]any{"subject": "CN=auth.example.com", "not_after": "2026-11-30T12:00:00Z", "days_left": 6.0, "issuer": "CN=Lab CA"},
						Remediation: []string{"Renew the certificate for auth.example.com and reload the server.", "Check it: openssl s_client -connect auth.example.com:443 -servername auth.example.com </dev/null | openssl x509 -noout -enddate"}},
				},
			},
			{
				Name:   "legacy",
				URL:    "http://legacy.example.com/ping",
				Status: Unhealthy,
				Layers: Layers{DNS: LFail, TCP: Skip, TLS: Skip, HTTP: Skip, Latency: Skip},
				DNS: &DNS{Name: "legacy.example.com", Resolver: "127.0.0.1:53", Rcode: "NXDOMAIN", DurationMS: 0.6,
					Queries: []DNSQuery{
						{Resolver: "127.0.0.1:53", Type: "A", Rcode: "NXDOMAIN", DurationMS: 0.6},
						{Resolver: "127.0.0.1:53", Type: "AAAA", Rcode: "NXDOMAIN", DurationMS: 0.5},
					}},
				Findings: []Finding{
					{Code: catalog.DNSNXDomain, Severity: Fail, Layer: "dns", RootCause: true, Message: "legacy.example.com does not exist: NXDOMAIN from 127.0.0.1:53",
						Evidence:    map[string]any{"name": "legacy.example.com", "rcode": "NXDOMAIN", "resolvers": []any{"127.0.0.1:53"}},
						Remediation: []string{"Check the name for typos: dig @127.0.0.1 -p 53 legacy.example.com A", "If the record was removed on purpose, remove legacy from updoc.yaml."}},
				},
			},
			{
				Name:   "search",
				URL:    "http://search.internal:9200/_cluster/health",
				Status: Healthy,
				Layers: Layers{DNS: Pass, TCP: Pass, TLS: Skip, HTTP: Pass, Latency: Pass},
				DNS:    &DNS{Name: "search.internal", Resolver: "127.0.0.1:53", Rcode: "NOERROR", Addresses: []string{"10.0.0.20"}, DurationMS: 0.5},
				Targets: []Target{{
					Address: "10.0.0.20:9200", Status: Healthy,
					TCP:       &TCP{Status: Pass, DurationMS: 0.2},
					HTTP:      &HTTP{Status: Pass, Method: "GET", URL: "http://search.internal:9200/_cluster/health", StatusCode: 200, TimingsMS: Timings{DNS: 0.5, Connect: 0.2, TTFB: 7.5, Transfer: 0.6, Total: 8.8}},
					LatencyMS: lat(7.4, 9.9, 12.5),
				}},
			},
		},
	}
}

// The secrets of secretReport.
const (
	secretToken = "s3cr3t-T0ken/42"
	secretAuth  = "Bearer abc.def.ghi"
)

// secretReport: a 401 whose URL, headers, body, evidence (nested) and
// remediation carry secrets.
func secretReport() *Report {
	u := "https://billing.example.com/v1/health?token=" + secretToken
	return &Report{
		Schema:       Schema,
		UpdocVersion: "0.1.0",
		StartedAt:    fixedStart,
		DurationMS:   120,
		Status:       Unhealthy,
		Summary:      Summary{Total: 1, Unhealthy: 1},
		RootCauses: []RootCause{{Upstream: "billing", Code: catalog.HTTPAuthFailed, Severity: Fail, Target: "10.0.0.30:443",
			Message: "10.0.0.30:443 answered 401 Unauthorized to GET " + u + " with Authorization: " + secretAuth}},
		Upstreams: []Upstream{{
			Name:        "billing",
			URL:         u,
			Description: "billing API (token " + secretToken + ")",
			Status:      Unhealthy,
			Layers:      Layers{DNS: Pass, TCP: Pass, TLS: Pass, HTTP: LFail, Latency: Skip},
			DNS:         &DNS{Name: "billing.example.com", Resolver: "127.0.0.1:53", Rcode: "NOERROR", Addresses: []string{"10.0.0.30"}, DurationMS: 0.9},
			Targets: []Target{{
				Address: "10.0.0.30:443", Status: Unhealthy,
				TCP: &TCP{Status: Pass, DurationMS: 0.3},
				TLS: &TLS{Status: Pass, DurationMS: 7.7, ServerName: "billing.example.com", SNI: "billing.example.com", Version: "TLS 1.3", Cert: cert("billing.example.com", 40)},
				HTTP: &HTTP{Status: LFail, Method: "GET", URL: u, StatusCode: 401, Error: "401 for token=" + secretToken,
					BodyPrefix: `{"error":"invalid token s3cr3t-T0ken%2F42"}`,
					Redirects:  []string{"https://billing.example.com/login?next=" + secretToken},
					TimingsMS:  Timings{DNS: 0.9, Connect: 0.3, TLS: 7.7, TTFB: 11.2, Transfer: 0.2, Total: 20.3}},
			}},
			Findings: []Finding{{
				Code: catalog.HTTPAuthFailed, Severity: Fail, Layer: "http", Target: "10.0.0.30:443", RootCause: true,
				Message: "10.0.0.30:443 answered 401 Unauthorized to GET " + u + " with Authorization: " + secretAuth,
				Evidence: map[string]any{
					"status_code": 401.0,
					"url":         u,
					"request_headers": map[string]any{
						"Authorization": secretAuth,
						"X-Token":       []any{secretToken, "other"},
					},
					"www_authenticate": `Bearer error="invalid_token"`,
				},
				Remediation: []string{
					"Check the credentials: curl -H 'Authorization: " + secretAuth + "' '" + u + "'",
					"Rotate the token if it leaked.",
				},
			}},
		}},
	}
}

// probeReport: one ad-hoc URL, as `updoc probe` builds it.
func probeReport() *Report {
	r := healthyReport()
	r.Upstreams = r.Upstreams[:1]
	r.Summary = Summary{Total: 1, Healthy: 1}
	return r
}

// cutShortReport: the run's deadline ended api's probe (unknown: nothing
// it finished failed) while db refused connections; api depends on db.
func cutShortReport() *Report {
	return &Report{
		Schema:       Schema,
		UpdocVersion: "0.1.0",
		StartedAt:    fixedStart,
		DurationMS:   500.2,
		Status:       Unhealthy,
		Summary:      Summary{Total: 3, Healthy: 1, Unknown: 1, Unhealthy: 1},
		RootCauses: []RootCause{{Upstream: "db", Code: catalog.TCPRefused, Severity: Fail, Target: "10.0.1.1:5432",
			Message: "10.0.1.1:5432 refused the connection", Affects: []string{"api"}}},
		Upstreams: []Upstream{
			{
				Name: "api", URL: "http://10.0.0.5:8080/healthz", Status: Unknown, DependsOn: []string{"db"},
				Layers:  Layers{DNS: Skip, TCP: Pass, TLS: Skip, HTTP: Skip, Latency: Skip},
				Targets: []Target{{Address: "10.0.0.5:8080", Status: Unknown, TCP: &TCP{Status: Pass, DurationMS: 0.3}}},
				Findings: []Finding{{
					Code: catalog.RunDeadlineExceeded, Severity: Fail, Layer: catalog.LayerRun,
					Message:     "the run deadline was exceeded before api finished (tcp 1/1 targets, http 0/1, latency 0/1)",
					Evidence:    map[string]any{"finished": "tcp 1/1 targets, http 0/1, latency 0/1", "error": "context deadline exceeded"},
					Remediation: []string{"Re-run this upstream alone with more time: updoc check --only api --deadline 120s"},
				}},
			},
			{
				Name: "db", URL: "tcp://10.0.1.1:5432", Status: Unhealthy, DependsOn: []string{},
				Layers:  Layers{DNS: Skip, TCP: LFail, TLS: Skip, HTTP: Skip, Latency: Skip},
				Targets: []Target{{Address: "10.0.1.1:5432", Status: Unhealthy, TCP: &TCP{Status: LFail, DurationMS: 0.1, Error: "connection refused"}}},
				Findings: []Finding{{
					Code: catalog.TCPRefused, Severity: Fail, Layer: catalog.LayerTCP, Target: "10.0.1.1:5432", RootCause: true,
					Message:     "10.0.1.1:5432 refused the connection",
					Evidence:    map[string]any{"error": "connect: connection refused"},
					Remediation: []string{"Confirm from this machine: nc -vz 10.0.1.1 5432"},
				}},
			},
			{
				Name: "web", URL: "http://10.0.0.6/", Status: Healthy, DependsOn: []string{},
				Layers: Layers{DNS: Skip, TCP: Pass, TLS: Skip, HTTP: Pass, Latency: Skip},
				Targets: []Target{{Address: "10.0.0.6:80", Status: Healthy, TCP: &TCP{Status: Pass, DurationMS: 0.2},
					HTTP: &HTTP{Status: Pass, Method: "GET", URL: "http://10.0.0.6/", StatusCode: 200, TimingsMS: Timings{Connect: 0.2, TTFB: 1.1, Transfer: 0.1, Total: 1.4}}}},
			},
		},
	}
}
