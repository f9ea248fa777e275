package graph

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestParseProxyURL(t *testing.T) {
	for _, tt := range []struct {
		in, want, problem string
	}{
		{in: "http://proxy.corp:3128", want: "http://proxy.corp:3128"},
		{in: "proxy.corp:3128", want: "http://proxy.corp:3128"},
		{in: "proxy.corp", want: "http://proxy.corp:1080"},
		{in: "http://u:p@10.0.0.1:8080/", want: "http://u:p@10.0.0.1:8080"},
		{in: "socks5://127.0.0.1", want: "socks5://127.0.0.1:1080"},
		{in: "socks5h://[::1]:9050", want: "socks5h://[::1]:9050"},
		{in: "https://proxy.corp:443", problem: `unsupported proxy scheme "https"`},
		{in: "socks4://proxy.corp", problem: `unsupported proxy scheme "socks4"`},
		{in: "http://:3128", problem: "no valid proxy host"},
		{in: "http://proxy.corp:99999", problem: `invalid port "99999"`},
		{in: "http://proxy.corp:3128/path", problem: "no path"},
		// An unescaped '#' in a password would make host "alice" and show
		// the password as a fragment.
		{in: "http://alice:2024#Winter!@127.0.0.1:3128", problem: "write a '#' in its user name or password as %23"},
		{in: "http://alice:2024%23Winter!@127.0.0.1:3128", want: "http://alice:2024%23Winter%21@127.0.0.1:3128"},
	} {
		u, problem := ParseProxyURL(tt.in)
		if tt.problem != "" {
			if !strings.Contains(problem, tt.problem) {
				t.Errorf("ParseProxyURL(%q) problem %q, want …%s", tt.in, problem, tt.problem)
			}
			continue
		}
		if problem != "" || u.String() != tt.want {
			t.Errorf("ParseProxyURL(%q) = %v, %q; want %s", tt.in, u, problem, tt.want)
		}
	}
}

// The environment as curl reads it: lower case first, http_proxy in lower
// case only.
func TestReadProxyEnv(t *testing.T) {
	e := ReadProxyEnv(env("HTTP_PROXY", "http://upper:1", "https_proxy", "http://lower:2", "HTTPS_PROXY", "http://upper:2",
		"ALL_PROXY", "socks5h://all:3", "NO_PROXY", "internal.test", "no_proxy", ""))
	if e.HTTP.IsSet() || e.UpperHTTP.Name != "HTTP_PROXY" {
		t.Errorf("HTTP = %+v, UpperHTTP = %+v: HTTP_PROXY must not be read", e.HTTP, e.UpperHTTP)
	}
	if e.HTTPS.Name != "https_proxy" || e.HTTPS.URL.Host != "lower:2" {
		t.Errorf("HTTPS = %+v", e.HTTPS)
	}
	if e.All.Name != "ALL_PROXY" || e.All.URL.Scheme != "socks5h" || e.No.Name != "NO_PROXY" {
		t.Errorf("All = %+v No = %+v (an empty no_proxy is unset)", e.All, e.No)
	}
	if got := e.Names(); !slices.Equal(got, []string{"https_proxy", "ALL_PROXY", "NO_PROXY", "HTTP_PROXY"}) {
		t.Errorf("Names = %v", got)
	}
}

func TestProxyFor(t *testing.T) {
	pe := ReadProxyEnv(env("http_proxy", "http://h:1", "HTTPS_PROXY", "http://s:2", "ALL_PROXY", "socks5://a:3",
		"NO_PROXY", "internal.test, .corp.test,10.0.0.0/8,::1"))
	onlyAll := ReadProxyEnv(env("ALL_PROXY", "socks5://a:3", "HTTP_PROXY", "http://ignored:1"))
	key, _ := ParseProxyURL("http://key:4")
	for _, tt := range []struct {
		name   string
		p      Proxy
		target string
		want   string // proxy host:port and source; "" direct
	}{
		{"none", Proxy{Mode: ProxyNone, Env: pe}, "https://api.test/", ""},
		{"key", Proxy{Mode: ProxyURL, URL: key, Env: pe}, "https://internal.test/", "key:4 proxy"},
		{"env http", Proxy{Mode: ProxyFromEnv, Env: pe}, "http://api.test/", "h:1 http_proxy"},
		{"env https", Proxy{Mode: ProxyFromEnv, Env: pe}, "https://api.test/", "s:2 HTTPS_PROXY"},
		{"env all", Proxy{Mode: ProxyFromEnv, Env: onlyAll}, "http://api.test/", "a:3 ALL_PROXY"},
		{"no_proxy host", Proxy{Mode: ProxyFromEnv, Env: pe}, "https://internal.test:8443/", ""},
		{"no_proxy subdomain", Proxy{Mode: ProxyFromEnv, Env: pe}, "https://a.internal.test/", ""},
		{"no_proxy not a suffix", Proxy{Mode: ProxyFromEnv, Env: pe}, "https://notinternal.test/", "s:2 HTTPS_PROXY"},
		{"no_proxy leading dot", Proxy{Mode: ProxyFromEnv, Env: pe}, "https://x.corp.test/", ""},
		{"no_proxy cidr", Proxy{Mode: ProxyFromEnv, Env: pe}, "http://10.1.2.3:8080/", ""},
		{"no_proxy ipv6", Proxy{Mode: ProxyFromEnv, Env: pe}, "http://[::1]:8080/", ""},
		{"no_proxy other ip", Proxy{Mode: ProxyFromEnv, Env: pe}, "http://192.0.2.1/", "h:1 http_proxy"},
		{"no_proxy star", Proxy{Mode: ProxyFromEnv, Env: ReadProxyEnv(env("https_proxy", "http://s:2", "no_proxy", "*"))}, "https://a.test/", ""},
	} {
		target, _ := url.Parse(tt.target)
		got := ""
		if c := tt.p.For(target); c != nil {
			got = c.URL.Host + " " + c.Source
		}
		if got != tt.want {
			t.Errorf("%s: For(%s) = %q, want %q", tt.name, tt.target, got, tt.want)
		}
	}
}

func TestProxyKey(t *testing.T) {
	const head = "version: 1\nupstreams:\n  a:\n    url: https://a.test\n"
	g := mustLoad(t, "version: 1\ndefaults: {proxy: env}\nupstreams:\n  a: {url: https://a.test, proxy: \"http://u:pw@p.test:3128\"}\n  b: {url: https://b.test}\n  c: {url: https://c.test, proxy: none}\n",
		env("HTTPS_PROXY", "http://e:secret@e.test:8080"))
	a, b, c := g.Upstreams[0], g.Upstreams[1], g.Upstreams[2]
	if a.Proxy.Mode != ProxyURL || a.Proxy.URL.String() != "http://u:pw@p.test:3128" || b.Proxy.Mode != ProxyFromEnv || c.Proxy.Mode != ProxyNone {
		t.Errorf("modes: a %+v, b %+v, c %+v", a.Proxy, b.Proxy, c.Proxy)
	}
	// The environment is kept whatever the mode: a direct connection's
	// failure names what is set.
	if c.Proxy.Env.HTTPS.Name != "HTTPS_PROXY" {
		t.Errorf("c's Env = %+v", c.Proxy.Env)
	}
	if s := g.Secrets(); !slices.Contains(s, "pw") || !slices.Contains(s, "secret") {
		t.Errorf("Secrets = %v, want the proxies' passwords", s)
	}
	if d := mustLoad(t, head, env()); d.Upstreams[0].Proxy.Mode != DefaultProxy {
		t.Errorf("default = %+v", d.Upstreams[0].Proxy)
	}

	for _, tt := range []struct {
		name, src string
		env       func(string) (string, bool)
		want      string
	}{
		{"bad value", head + "    proxy: ftp://p.test\n", env(),
			`test.yaml:5:12: proxy: want none, env or a proxy URL like http://HOST:PORT or socks5://HOST:PORT; "ftp://p.test": unsupported proxy scheme "ftp"`},
		{"bad env value", head + "    proxy: env\n", env("https_proxy", "https://u:hidden@p.test"),
			`test.yaml:5:12: proxy: env: https_proxy="https://u:[redacted]@p.test" is not a proxy URL: unsupported proxy scheme "https"`},
		{"with targets", head + "    proxy: env\n    targets: [\"10.0.0.1:443\"]\n", env(),
			`test.yaml:5:5: proxy: upstream "a" has targets, which are connected to directly; remove proxy or targets`},
		{"on tcp", "version: 1\nupstreams:\n  a: {url: \"tcp://a.test:5432\", proxy: env}\n", env(),
			`test.yaml:3:33: proxy: "a" is a tcp:// upstream, which sends no HTTP request`},
	} {
		_, err := loadString(t, tt.src, tt.env)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v\nwant %s…", tt.name, err, tt.want)
		}
	}
}
