package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestWaterfallErrorPrefixNotDoubled: an error that already names its layer
// ("tls: ...") is not prefixed again in the waterfall head.
func TestWaterfallErrorPrefixNotDoubled(t *testing.T) {
	for _, tt := range []struct {
		target Target
		want   string
	}{
		{Target{Address: "127.0.0.1:1", TCP: &TCP{Status: Pass, DurationMS: 0.1},
			TLS: &TLS{Status: LFail, DurationMS: 0.2, Error: "tls: first record does not look like a TLS handshake"}},
			"(tls: first record does not look like a TLS handshake)"},
		{Target{Address: "127.0.0.1:1", TCP: &TCP{Status: LFail, DurationMS: 0.1, Error: "connection refused"}},
			"(tcp: connection refused)"},
		{Target{Address: "127.0.0.1:1", TCP: &TCP{Status: Pass, DurationMS: 0.1},
			HTTP: &HTTP{Status: LFail, Error: "net/http: timeout awaiting response headers", TimingsMS: Timings{Connect: 0.1, Total: 5000}}},
			"(net/http: timeout awaiting response headers)"},
	} {
		r := &Report{Schema: Schema, Status: Unhealthy, Upstreams: []Upstream{{
			Name: "api", URL: "https://127.0.0.1:1/", Status: Unhealthy, Targets: []Target{tt.target}, Findings: []Finding{},
		}}}
		var b bytes.Buffer
		if err := WriteTable(&b, r, TableOptions{Waterfall: true, Width: 200}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, tt.want) || strings.Contains(out, "tls: tls:") || strings.Contains(out, "http: net/http:") {
			t.Errorf("waterfall:\n%s\nwant it to contain %q, without a doubled prefix", out, tt.want)
		}
	}
}
