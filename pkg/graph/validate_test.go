package graph

import (
	"strings"
	"testing"
)

func TestResolversAndTargets(t *testing.T) {
	tests := []struct {
		in, want, problem string
	}{
		{in: "system", want: "system"},
		{in: "1.1.1.1", want: "1.1.1.1:53"},
		{in: "1.1.1.1:5353", want: "1.1.1.1:5353"},
		{in: "udp://1.1.1.1:53", want: "1.1.1.1:53"},
		{in: "tcp://1.1.1.1", want: "tcp://1.1.1.1:53"},
		{in: "[2001:db8::1]", want: "[2001:db8::1]:53"},
		{in: "[2001:db8::1]:54", want: "[2001:db8::1]:54"},
		{in: "2001:db8::1", want: "[2001:db8::1]:53"},
		{in: "udp://[::1]:5353", want: "[::1]:5353"},
		{in: "ns1.example.com", want: "ns1.example.com:53"},
		{in: "https://1.1.1.1", problem: `unsupported scheme "https"`},
		{in: "1.1.1.1:0", problem: `invalid port "0"`},
		{in: "bad host!", problem: "want only HOST"},
		{in: "[1.1.1.1]", problem: "brackets hold an IPv6 address"},
		{in: "", problem: "no host"},
		{in: "SYSTEM", problem: `write "system" in lower case`},
	}
	for _, tt := range tests {
		r, problem := ParseResolver(tt.in)
		if tt.problem != "" {
			if !strings.Contains(problem, tt.problem) {
				t.Errorf("ParseResolver(%q) problem = %q, want %q", tt.in, problem, tt.problem)
			}
			continue
		}
		if problem != "" || r.String() != tt.want {
			t.Errorf("ParseResolver(%q) = %v, %q; want %v", tt.in, r, problem, tt.want)
		}
	}
	for in, want := range map[string]string{
		"10.0.0.1:80":      "",
		"[::1]:443":        "",
		"db.internal:5432": "",
		"10.0.0.1":         "has no port",
		"10.0.0.1:":        `has an invalid port ""`,
		":80":              "has no host",
		"::1:80":           "is not HOST:PORT",
		"10.0.0.1:65536":   `has an invalid port "65536"`,
		"bad_host!:80":     `has an invalid host "bad_host!"`,
	} {
		if got := checkHostPort(in); got != want && !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("checkHostPort(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct{ in, host, problem string }{
		{in: "http://a.internal/x", host: "a.internal:80"},
		{in: "https://a.internal", host: "a.internal:443"},
		{in: "HTTPS://A.internal:8443/x", host: "A.internal:8443"},
		{in: "https://[2001:db8::1]/", host: "[2001:db8::1]:443"},
		{in: "tcp://10.0.0.1:5432", host: "10.0.0.1:5432"},
		{in: "tls://[::1]:443", host: "[::1]:443"},
		{in: "tls://x.internal", problem: `"tls://x.internal" needs a port for a tls check, e.g. tls://x.internal:443`},
		{in: "tcp://[::1]", problem: `needs a port for a tcp check, e.g. tcp://[::1]:5432`},
		{in: "example.com", problem: `missing scheme in "example.com"; write https://example.com or http://example.com`},
		{in: "localhost:8080", problem: "missing scheme"},
		{in: "ws://x", problem: `unsupported scheme "ws"`},
		{in: "http://:80/", problem: "has no host"},
		{in: "http://x:0/", problem: `invalid port "0"`},
		{in: "http://x:/", problem: "empty port"},
		{in: "http://x_y!/", problem: "invalid host name"},
	}
	for _, tt := range tests {
		u, problem := ParseURL(tt.in, tt.in)
		if tt.problem != "" {
			if !strings.Contains(problem, tt.problem) {
				t.Errorf("ParseURL(%q) problem = %q, want %q", tt.in, problem, tt.problem)
			}
			continue
		}
		if problem != "" || u.Host != tt.host {
			t.Errorf("ParseURL(%q) = %v, %q; want host %q", tt.in, u, problem, tt.host)
		}
	}
}

// A url's host name keeps to the DNS limits (253 bytes, labels of 63) and
// an international one is told its ASCII form, in a graph file as on the
// command line.
func TestURLHostNameLimits(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	tests := []struct{ url, problem string }{
		{"https://" + label63 + ".example/", ""},
		{"https://" + label63 + "a.example/", "is 64 bytes long; DNS allows at most 63 per label"},
		{"https://" + strings.Repeat("abcdefghi.", 25) + "abc/", ""}, // 253 bytes
		{"https://" + strings.Repeat("abcdefghi.", 25) + "abcd/", "the host name is 254 bytes long; DNS allows at most 253"},
		{"https://" + strings.Repeat("abcdefghi.", 25) + "abc./", ""}, // the final dot is not counted
		{"https://bücher.example/", `invalid host name "bücher.example"; write an international name in its ASCII form: "xn--bcher-kva.example"`},
	}
	for _, tt := range tests {
		_, problem := ParseURL(tt.url, tt.url)
		if tt.problem == "" && problem != "" || !strings.Contains(problem, tt.problem) {
			t.Errorf("ParseURL(%q) problem = %q, want %q", tt.url, problem, tt.problem)
		}
	}
}

// Every other host a graph or a flag names keeps to the DNS limits too: a
// target, a resolver, a proxy, --server-name.
func TestOtherHostNameLimits(t *testing.T) {
	label64 := strings.Repeat("a", 64) + ".example"
	name254 := strings.Repeat("abcdefghi.", 25) + "abcd"
	for _, tt := range []struct{ src, want string }{
		{"    targets: [\"" + label64 + ":80\"]\n", "is too long for DNS: the host name's label"},
		{"    targets: [\"" + name254 + ":80\"]\n", "is too long for DNS: the host name is 254 bytes long; DNS allows at most 253"},
		{"    resolvers: [\"" + label64 + "\"]\n", "is not a valid resolver: the host name's label"},
		{"    resolvers: [\"udp://" + name254 + ":53\"]\n", "is not a valid resolver: the host name is 254 bytes long"},
		{"    proxy: http://" + label64 + ":3128\n", "no valid proxy host"},
	} {
		_, err := loadString(t, "version: 1\nupstreams:\n  api:\n    url: http://api.example.com/\n"+tt.src, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", strings.TrimSpace(tt.src)[:30], err, tt.want)
		}
	}
	for _, name := range []string{label64, name254} {
		body := ""
		_, err := Request{ServerName: name, Body: &body}.switches(".")
		if err == nil || !strings.Contains(err.Error(), "--server-name") {
			t.Errorf("--server-name %s...: err = %v, want it refused", name[:20], err)
		}
	}
}
