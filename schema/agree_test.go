package schema_test

import (
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/schema"
)

// TestGraphSchemaAgreesWithTheDecoder: for values of every key, good and
// bad, the schema and the decoder (graph.Load) say the same — the shapes,
// patterns and enums of the schema are the decoder's.
func TestGraphSchemaAgreesWithTheDecoder(t *testing.T) {
	// Each line is set on an https:// upstream (which may set every key),
	// or replaces its url line when it starts with "url:", or replaces the
	// whole top level after the version when it starts with "policy:" or
	// "defaults:" (then with an upstream).
	tests := []struct {
		line string
		ok   bool
	}{
		{"url: https://api.example.com/healthz", true},
		{"url: HTTP://api.example.com", true},
		{"url: tcp://db.internal:5432", true},
		{"url: tls://mq.example.com:5671", true},
		{"url: ${API_URL}", true},
		{"url: https://probe:${PASS}@api.example.com", true},
		{"url: api.example.com", false},
		{"url: ftp://files.example.com", false},
		{"url: http:///healthz", false},
		{"url: tcp://db.internal", false},
		{"url: 5", false},
		{"method: M-SEARCH", true},
		{"method: GET POST", false},
		{"method: [GET]", false},
		{"headers: {X-A: b, X-N: 5, X-B: true}", true},
		{"headers:", true},
		{"headers: {\"bad name\": x}", false},
		{"headers: {X-A: [1]}", false},
		{"headers: [X-A]", false},
		{"body: x", true},
		{"body: 5", true},
		{"body: {a: b}", false},
		{"expect:", true},
		{"expect: {status: 200}", true},
		{"expect: {status: \"2xx\"}", true},
		{"expect: {status: \"200\"}", true},
		{"expect: {status: [200, \"3XX\"]}", true},
		{"expect: {status: []}", false},
		{"expect: {status: 700}", false},
		{"expect: {status: 99}", false},
		{"expect: {status: \"6xx\"}", false},
		{"expect: {status: ok}", false},
		{"expect: {body_contains: 5, body_regex: 'ok|UP'}", true},
		{"expect: {max_latency: 300ms, cert_min_days: 0}", true},
		{"expect: {max_latency: 300}", false},
		{"expect: {cert_min_days: -1}", false},
		{"expect: {cert_min_days: 1.5}", false},
		{"expect: {code: 200}", false},
		{"targets: [\"10.0.0.1:80\", \"[2001:db8::1]:443\", \"h.internal:8080\"]", true},
		{"targets:", true},
		{"targets: [\"10.0.0.1\"]", false},
		{"targets: [\"10.0.0.1:0\"]", false},
		{"targets: [\"10.0.0.1:65536\"]", false},
		{"resolvers: [system, \"1.1.1.1:53\", \"udp://10.0.0.2\", \"tcp://[2001:db8::53]:5353\", dns.internal, \"2001:db8::53\"]", true},
		{"resolvers: []", false},
		{"resolvers: [\"udp://1.1.1.1:fiftythree\"]", false},
		{"resolvers: [\"https://dns.example\"]", false},
		{"resolvers: system", false},
		{"timeout: 5s", true},
		{"timeout: 1m30s", true},
		{"timeout: 1.5h", true},
		{"timeout: 250us", true},
		{"timeout: 5", false},
		{"timeout: fast", false},
		{"timeout: -1s", false},
		{"timeout: 5 s", false},
		{"samples: 0", true},
		{"samples: 10", true},
		{"samples: -1", false},
		{"samples: ten", false},
		{"samples: 1.5", false},
		{"follow_redirects: false", true},
		{"follow_redirects: \"true\"", false},
		{"follow_redirects: yes", false},
		{"max_body: 4096", true},
		{"max_body: 512KiB", true},
		{"max_body: \"1 mb\"", true},
		{"max_body: 2G", true},
		{"max_body: 0", false},
		{"max_body: 1 lots", false},
		{"max_body: 1.5MiB", false},
		{"tls:", true},
		{"tls: {server_name: api.internal, insecure_skip_verify: true}", true},
		{"tls: {ca_file: certs/ca.pem, cert_file: certs/client.pem, key_file: certs/client.key}", true},
		{"tls: {cert_file: certs/client.pem}", false},
		{"tls: {key_file: certs/client.key}", false},
		{"tls: {server_name: \"\"}", false},
		{"tls: {insecure_skip_verify: 1}", false},
		{"tls: {verify: false}", false},
		{"ip_family: ipv6", true},
		{"ip_family: both", false},
		{"proxy: none", true},
		{"proxy: env", true},
		{"proxy: \"http://proxy.internal:3128\"", true},
		{"proxy: \"socks5h://bastion:1080\"", true},
		{"proxy: \"ftp://proxy:21\"", false},
		{"proxy: proxy.internal:3128", true}, // HOST:PORT alone is http://, as for curl
		{"proxy: \"http://proxy.internal:3128/path\"", false},
		{"tags: [edge, \"team/payments\", \"tier:1\"]", true},
		{"tags:", true},
		{"tags: [\"bad tag\"]", false},
		{"tags: edge", false},
		{"description: the public edge", true},
		{"description: [a]", false},
		{"depends_on: []", true},
		{"depends_on:", true},
		{"depends_on: api2", false},
		{"timout: 5s", false},
		{"policy: {severity: {api.deprecated: fail, latency.slow: ignore}}", true},
		{"policy:", true},
		{"policy: {severity: {api.deprecate: fail}}", false},
		{"policy: {severity: {api.deprecated: error}}", false},
		{"policy: {ignore: [api.deprecated]}", false},
		{"defaults: {timeout: 2s, expect: {status: 200}, tags: [prod]}", true},
		{"defaults:", true},
		{"defaults: {url: http://x}", false},
		{"defaults: {description: x}", false},
		{"defaults: {targets: [\"10.0.0.1:80\"]}", false},
	}
	env := func(name string) (string, bool) {
		return map[string]string{"API_URL": "https://api.example.com", "PASS": "pw"}[name], name == "API_URL" || name == "PASS"
	}
	for _, tt := range tests {
		var src string
		const api = "  api:\n    url: https://api.example.com/healthz\n"
		switch {
		case strings.HasPrefix(tt.line, "url:"):
			src = "version: 1\nupstreams:\n  api:\n    " + tt.line + "\n"
		case strings.HasPrefix(tt.line, "policy:"), strings.HasPrefix(tt.line, "defaults:"):
			src = "version: 1\n" + tt.line + "\nupstreams:\n" + api
		default:
			src = "version: 1\nupstreams:\n" + api + "    " + tt.line + "\n"
		}
		// The file sits in testdata/graphs: tls files are relative to it.
		_, loadErr := graph.Load("../testdata/graphs/agree.yaml", []byte(src), env)
		schemaErr := schema.ValidateGraph([]byte(src))
		if (loadErr == nil) != tt.ok {
			t.Errorf("%s: the decoder says %v, the test wants ok=%v", tt.line, loadErr, tt.ok)
		}
		if (schemaErr == nil) != tt.ok {
			t.Errorf("%s: the schema says %v, want ok=%v (the decoder says %v)", tt.line, schemaErr, tt.ok, loadErr)
		}
	}
}
