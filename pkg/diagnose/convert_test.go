package diagnose

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func TestHTTPReportFacts(t *testing.T) {
	// "x" + 300 × "é" (2 bytes each): byte 512 is the first half of an "é".
	body := "x" + strings.Repeat("é", 300)
	tr := httpOK("10.0.0.7:8080", 200)
	tr.HTTP.Body = []byte(body)
	tr.HTTP.Header = http.Header{"Server": {"gunicorn"}}
	tr.HTTP.URL = "http://bob:s3cret@users.internal:8080/health"
	tr.HTTP.Timings = probe.Timings{DNS: 1234 * time.Microsecond, Connect: 250 * time.Microsecond, TTFB: 12345 * time.Microsecond, Transfer: 49 * time.Microsecond, Total: 13900 * time.Microsecond}
	up := node("users", "http://bob:s3cret@users.internal:8080/health")
	rep := run(graphOf(up), probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr}})
	u := upstreamOf(t, rep, "users")
	if u.URL != "http://bob:[redacted]@users.internal:8080/health" {
		t.Errorf("url %q", u.URL)
	}
	h := u.Targets[0].HTTP
	if h.URL != "http://bob:[redacted]@users.internal:8080/health" || h.Server != "gunicorn" || h.StatusCode != 200 || h.Status != report.Pass {
		t.Errorf("http %+v", h)
	}
	if (h.TimingsMS != report.Timings{DNS: 1.234, Connect: 0.25, TTFB: 12.345, Transfer: 0.049, Total: 13.9}) {
		t.Errorf("timings %+v", h.TimingsMS)
	}
	if len(h.BodyPrefix) > 512 || !strings.HasPrefix(h.BodyPrefix, "xéé") || strings.ContainsRune(h.BodyPrefix, '\uFFFD') {
		t.Errorf("body prefix (%d bytes) %q", len(h.BodyPrefix), h.BodyPrefix)
	}
	if len(h.BodyPrefix) != 511 { // "x" + 255 × "é" = 511 bytes: the half rune at byte 512 is dropped
		t.Errorf("body prefix is %d bytes, want 511", len(h.BodyPrefix))
	}
	if rep.DurationMS != 812.4 || rep.Schema != report.Schema || rep.UpdocVersion != "0.1.0-test" {
		t.Errorf("report header %+v", rep)
	}
}

func TestBodyPrefixInvalidUTF8(t *testing.T) {
	if got := bodyPrefix([]byte{'o', 'k', 0xff}); got != "ok\uFFFD" {
		t.Errorf("bodyPrefix = %q", got)
	}
	if got := bodyPrefix(nil); got != "" {
		t.Errorf("bodyPrefix(nil) = %q", got)
	}
}

// The http layer dials the resolved address, so its own dns phase is 0: the
// dns layer's time stands in for it, and counts in the total.
func TestHTTPTimingsTakeTheDNSLayerTime(t *testing.T) {
	tr := httpOK("10.0.0.7:8080", 200)
	tr.HTTP.Timings = probe.Timings{Connect: 250 * time.Microsecond, TTFB: 2 * time.Millisecond, Total: 2250 * time.Microsecond}
	res := probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr},
		DNS: &probe.DNSResult{Name: "users.internal", Addresses: []string{"10.0.0.7"}, Duration: 1500 * time.Microsecond,
			Queries: []probe.DNSQuery{{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "10.0.0.53:53"}, Server: "10.0.0.53:53", QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.7"}}}}}
	rep := run(graphOf(node("users", "http://users.internal:8080/health")), res)
	got := upstreamOf(t, rep, "users").Targets[0].HTTP.TimingsMS
	if got.DNS != 1.5 || got.Total != 3.75 {
		t.Errorf("timings %+v, want dns 1.5 and total 3.75", got)
	}
}

func TestUpstreamDurationIsReported(t *testing.T) {
	res := probe.Result{Upstream: "users", Duration: 42500 * time.Microsecond, Targets: []probe.TargetResult{httpOK("10.0.0.7:8080", 200)}}
	rep := run(graphOf(node("users", "http://10.0.0.7:8080/health")), res)
	if got := upstreamOf(t, rep, "users").DurationMS; got != 42.5 {
		t.Errorf("duration_ms %v, want 42.5", got)
	}
}

func TestLatencyStatsNearestRank(t *testing.T) {
	// 1..20 ms, shuffled.
	v := []float64{7, 3, 20, 1, 15, 9, 12, 5, 18, 2, 11, 4, 16, 8, 19, 6, 14, 10, 17, 13}
	st := latencyStats(msDurations(v...))
	want := report.Latency{Samples: 20, Min: 1, P50: 10, P90: 18, P99: 20, Max: 20, Mean: 10.5, Stddev: 5.766}
	if *st != want {
		t.Errorf("stats %+v, want %+v", *st, want)
	}
	// Population stddev of {1,2,3,4} = 1.118.
	st = latencyStats(msDurations(4, 1, 3, 2))
	if (*st != report.Latency{Samples: 4, Min: 1, P50: 2, P90: 4, P99: 4, Max: 4, Mean: 2.5, Stddev: 1.118}) {
		t.Errorf("stats %+v", *st)
	}
	// Loopback phases take microseconds: rounded to the microsecond, not to 0.
	st = latencyStats(msDurations(0.0404, 0.0596))
	if st.Min != 0.04 || st.Max != 0.06 || st.P50 != 0.04 || st.Mean != 0.05 {
		t.Errorf("rounding %+v", *st)
	}
	if latencyStats(nil) != nil {
		t.Error("no samples must give nil")
	}
	// In the report.
	tr := httpOK("10.0.0.7:8080", 200)
	tr.Latency = &probe.LatencyResult{Samples: msSamples(v...)}
	rep := run(graphOf(node("u", "http://u/")), probe.Result{Upstream: "u", Targets: []probe.TargetResult{tr}})
	if got := upstreamOf(t, rep, "u").Targets[0].LatencyMS; got == nil || *got != want {
		t.Errorf("latency_ms %+v", got)
	}
	if l := upstreamOf(t, rep, "u").Layers.Latency; l != report.Pass {
		t.Errorf("latency layer %s", l)
	}
}

func TestJSONHasNoNullLists(t *testing.T) {
	g := graphOf(node("users", "http://users.internal:8080/health"))
	rep := run(g, probe.Result{Upstream: "users", DNS: dnsOK("users.internal", "10.0.0.7"), Targets: []probe.TargetResult{refusedTarget("10.0.0.7:8080")}})
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, k := range []string{`"depends_on":null`, `"targets":null`, `"findings":null`, `"root_causes":null`, `"affects":null`,
		`"addresses":null`, `"cname_chain":null`, `"remediation":null`, `"evidence":null`} {
		if strings.Contains(s, k) {
			t.Errorf("JSON has %s", k)
		}
	}
	mustContain(t, "json", s, `"schema":"updoc.report/v1"`, `"duration_ms":812.4`,
		`"layers":{"dns":"pass","tcp":"fail","tls":"skip","http":"skip","latency":"skip"}`,
		`"dns":{"name":"users.internal","resolver":"127.0.0.1:53","rcode":"NOERROR","addresses":["10.0.0.7"],"cname_chain":[],"duration_ms":0.9`,
		`"tcp":{"status":"fail","duration_ms":0.1,"error":"connection refused"}`,
		`"evidence":{"error":"connect: connection refused"}`,
		`"remediation":["Confirm from this machine: nc -vz 10.0.0.7 8080"`,
	)
	if testing.Verbose() {
		out, _ := json.MarshalIndent(rep, "", "  ")
		t.Logf("%s", out)
	}
}

// Each target that names a host carries its own resolution and the address
// dialled in the report.
func TestTargetNamesInTheReport(t *testing.T) {
	up := node("svc", "http://example.invalid:28080/ok")
	up.Targets = []string{"h.test:28080", "127.0.0.1:28081"}
	named := httpOK("127.0.0.1:28080", 200)
	named.Address, named.Name, named.Dial, named.DNS = "h.test:28080", "h.test", "127.0.0.1:28080", dnsOK("h.test", "127.0.0.1")
	literal := httpOK("127.0.0.1:28081", 200)
	rep := run(graphOf(up), probe.Result{Upstream: "svc", Targets: []probe.TargetResult{named, literal}})
	ts := upstreamOf(t, rep, "svc").Targets
	if ts[0].Dial != "127.0.0.1:28080" || ts[0].DNS == nil || ts[0].DNS.Name != "h.test" || !slices.Equal(ts[0].DNS.Addresses, []string{"127.0.0.1"}) {
		t.Errorf("named target: dial %q dns %+v", ts[0].Dial, ts[0].DNS)
	}
	if ts[1].Dial != "" || ts[1].DNS != nil {
		t.Errorf("an IP target has no dial or dns of its own: %+v", ts[1])
	}
}

// The dns object's resolver and rcode describe the answer the addresses
// came from, not a resolver that did not answer (listed first).
func TestDNSReportNamesTheResolverThatAnswered(t *testing.T) {
	dead, deadServer := nameserver("127.0.0.1:5354")
	live, liveServer := nameserver("127.0.0.1:5353")
	noAnswer := errors.New("read udp 127.0.0.1:5354: connection refused")
	res := &probe.DNSResult{Name: "api.example.com", Addresses: []string{"10.0.0.7"}, Queries: []probe.DNSQuery{
		{Resolver: dead, Server: deadServer, QType: "A", Err: noAnswer},
		{Resolver: dead, Server: deadServer, QType: "AAAA", Err: noAnswer},
		{Resolver: live, Server: liveServer, QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.7"}},
		{Resolver: live, Server: liveServer, QType: "AAAA", Rcode: "NOERROR"},
	}}
	rep := run(graphOf(node("api", "http://api.example.com/")), probe.Result{Upstream: "api", DNS: res,
		Targets: []probe.TargetResult{httpOK("10.0.0.7:80", 200)}})
	d := upstreamOf(t, rep, "api").DNS
	if d == nil || d.Resolver != "127.0.0.1:5353" || d.Rcode != "NOERROR" || len(d.Queries) != 4 {
		t.Errorf("dns = %+v; want the resolver that answered (127.0.0.1:5353, NOERROR) and every query", d)
	}
}
