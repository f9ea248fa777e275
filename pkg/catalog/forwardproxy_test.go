package catalog

import (
	"strings"
	"testing"
)

// Every curl step of an upstream reached through a proxy goes through it —
// as an HTTP proxy (-x), SOCKS5 resolving there or here, or the variable
// it came from — with the password never shown, and never maps the url's
// host to the proxy's address (--resolve, --connect-to). Without a proxy
// they connect to the target probed.
func TestCurlStepsGoThroughTheProxy(t *testing.T) {
	base := Vars{Upstream: "api", URL: "http://internal.corp:9701/", Target: "127.0.0.1:3128"}
	for _, tc := range []struct {
		name string
		v    func(Vars) Vars
		want string
	}{
		{"http proxy", func(v Vars) Vars { v.Proxy = "http://127.0.0.1:3128"; return v }, "-x http://127.0.0.1:3128 "},
		{"with credentials", func(v Vars) Vars { v.Proxy, v.ProxyUser = "http://127.0.0.1:3128", "alice"; return v }, "-x http://127.0.0.1:3128 -U alice "},
		{"socks5h", func(v Vars) Vars { v.Proxy = "socks5h://127.0.0.1:1080"; return v }, "--socks5-hostname 127.0.0.1:1080 "},
		{"socks5", func(v Vars) Vars { v.Proxy = "socks5://127.0.0.1:1080"; return v }, "--socks5 127.0.0.1:1080 "},
		{"from a variable", func(v Vars) Vars { v.Proxy, v.ProxyEnv = "http://127.0.0.1:3128", "http_proxy"; return v }, `-x "$http_proxy" `},
		{"direct", func(v Vars) Vars { return v }, "--resolve internal.corp:9701:127.0.0.1 "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.v(base)
			proxied := v.Proxy != ""
			n := 0
			for _, e := range All() {
				for _, step := range allSteps(e, v) {
					if !strings.Contains(step, "curl ") || strings.Contains(step, "ORIGIN_IP") {
						continue
					}
					n++
					if !proxied && strings.Contains(step, "PROXY_URL") {
						continue // a variant for proxied upstreams only
					}
					if strings.Contains(step, "internal.corp:9701/") && !strings.Contains(step, tc.want) && !(!proxied && strings.Contains(step, "--connect-to internal.corp:9701:127.0.0.1:3128 ")) {
						t.Errorf("%s: %q lacks %q", e.Code, step, tc.want)
					}
					if proxied && (strings.Contains(step, "--resolve") || strings.Contains(step, "--connect-to")) {
						t.Errorf("%s: %q bypasses the proxy", e.Code, step)
					}
				}
			}
			if n < 20 {
				t.Errorf("only %d curl steps", n)
			}
		})
	}
}

// allSteps are e's generic steps and those of each of its variants.
func allSteps(e Entry, v Vars) []string {
	out := e.Steps(v)
	for _, variant := range e.Variants {
		v.Variant = variant.Name
		out = append(out, e.Steps(v)...)
	}
	return out
}
