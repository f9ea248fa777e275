package graph

import (
	"slices"
	"strings"
	"testing"
)

// Each switch lands on the key it stands for, on the URLs whose scheme
// uses that key only.
func TestFromURLsWithMapsSwitchesToKeys(t *testing.T) {
	body := "x=1"
	g, err := FromURLsWith([]string{"https://api.example/", "tcp://10.0.0.1:5432", "http://plain.example/"}, Request{
		Headers:    []string{"X-A: 1", "Authorization: Bearer t", "x-a: 2"},
		Body:       &body,
		Resolvers:  []string{"127.0.0.1:5353", "system"},
		Insecure:   true,
		ServerName: "api.internal",
		Proxy:      "env",
		Env: func(k string) (string, bool) {
			return map[string]string{"https_proxy": "http://p:3128"}[k], k == "https_proxy"
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	api, db, plain := g.Upstreams[0], g.Upstreams[1], g.Upstreams[2]
	if api.Method != "POST" || api.Body != body || api.Samples != 0 || !api.TLS.InsecureSkipVerify || api.TLS.ServerName != "api.internal" || api.Proxy.Mode != ProxyFromEnv {
		t.Errorf("api = %+v", api)
	}
	if want := []Header{{"Authorization", "Bearer t", true, ""}, {"x-a", "2", false, ""}}; !slices.Equal(api.Headers, want) {
		t.Errorf("api headers = %v, want %v", api.Headers, want)
	}
	if api.Proxy.Env.HTTPS.Value != "http://p:3128" {
		t.Errorf("api proxy env = %+v", api.Proxy.Env)
	}
	if db.Method != DefaultMethod || len(db.Headers) != 0 || db.Body != "" || db.TLS.InsecureSkipVerify || db.TLS.ServerName != "" || db.Proxy.Mode != ProxyNone || db.Samples != DefaultSamples {
		t.Errorf("tcp upstream took request switches: %+v", db)
	}
	if plain.TLS.ServerName != "" || !plain.TLS.InsecureSkipVerify {
		t.Errorf("http upstream: tls %+v; want -k (for redirects) and no --server-name", plain.TLS)
	}
	for _, u := range g.Upstreams {
		if len(u.Resolvers) != 2 || u.Resolvers[0].Addr != "127.0.0.1:5353" || u.Resolvers[1].Kind != ResolverSystem {
			t.Errorf("%s resolvers = %v", u.Name, u.Resolvers)
		}
	}
	// A later switch that names the method GET keeps the samples.
	g, err = FromURLsWith([]string{"https://api.example/"}, Request{Method: "GET", Body: &body})
	if err != nil || g.Upstreams[0].Samples != DefaultSamples {
		t.Fatalf("GET with a body: %v, samples %d", err, g.Upstreams[0].Samples)
	}
}

// An international host name is probed in its ASCII form and named in its
// own; the description says both.
func TestFromURLsIDN(t *testing.T) {
	g, err := FromURLs([]string{"https://user@Bücher.example:8443/a?b=ü"})
	if err != nil {
		t.Fatal(err)
	}
	u := g.Upstreams[0]
	if u.URL.Host != "xn--bcher-kva.example:8443" || u.RawURL != "https://user@xn--bcher-kva.example:8443/a?b=ü" ||
		u.Name != "bücher.example" || !strings.Contains(u.Description, "xn--bcher-kva.example is the international name bücher.example") {
		t.Errorf("host %q, raw %q, name %q, description %q", u.URL.Host, u.RawURL, u.Name, u.Description)
	}
}
