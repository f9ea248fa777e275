package graph

import (
	"slices"
	"strings"
	"testing"
)

func TestFromURLs(t *testing.T) {
	g, err := FromURLs([]string{
		"https://example.com:8443/health",
		"http://example.com/",
		"tcp://10.0.0.1:5432",
		"https://[2001:db8::1]/",
		"https://example.com/other",
		"tcp://10.0.0.2:5432",
		"tls://10.0.0.2:5432",
		"http://10.0.0.3/a",
		"http://10.0.0.3/b",
		"http://10.0.0.3/b",
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"example.com:8443", "example.com:80", "10.0.0.1", "[2001:db8::1]", "example.com:443",
		"tcp://10.0.0.2:5432", "tls://10.0.0.2:5432", "10.0.0.3:80/a", "10.0.0.3:80/b", "10.0.0.3:80/b-2"}; !slices.Equal(g.Names(), want) {
		t.Errorf("names = %v, want %v", g.Names(), want)
	}
	if !g.AdHoc || g.File != "" {
		t.Errorf("AdHoc = %v, File = %q; want an ad-hoc graph without a file", g.AdHoc, g.File)
	}
	for _, tt := range []struct{ urls, want []string }{
		// Same host and port, different paths: the path tells them apart.
		{[]string{"http://127.0.0.1:28080/health", "http://127.0.0.1:28080/500"},
			[]string{"127.0.0.1:28080/health", "127.0.0.1:28080/500"}},
		// Each level of the ladder in turn.
		{[]string{"http://h:8080/x", "https://h:8080/x", "http://h:8080/y", "http://h:8080/y?v=1", "http://u:pw@h:8080/y?v=2"},
			[]string{"http://h:8080/x", "https://h:8080", "http://h:8080/y", "http://h:8080/y?v=1", "http://u:[redacted]@h:8080/y?v=2"}},
		// Exact repeats are numbered after the briefest distinct name.
		{[]string{"http://a.example/x", "http://a.example/x", "http://a.example/x", "http://b.example/"},
			[]string{"a.example", "a.example-2", "a.example-3", "b.example"}},
	} {
		g, err := FromURLs(tt.urls)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(g.Names(), tt.want) {
			t.Errorf("FromURLs(%q) names = %q, want %q", tt.urls, g.Names(), tt.want)
		}
	}
	u := g.Upstreams[1]
	if u.URL.Host != "example.com:80" || u.RawURL != "http://example.com/" || u.Method != "GET" || !u.FollowRedirects ||
		u.MaxBody != 1<<20 || u.Expect.CertMinDays != 14 || u.IPFamily != "any" || len(u.Resolvers) != 1 || u.Timeout != DefaultTimeout || u.Samples != DefaultSamples {
		t.Errorf("upstream = %+v", u)
	}
	if g.Version != 1 || g.Dir == "" || g.Policy.Severity == nil {
		t.Errorf("graph = %+v", g)
	}

	_, err = FromURLs([]string{"https://ok.example.com", "example.com", "ftp://user:pw@x/", "tcp://db"})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		`argument 2 ("example.com"): missing scheme in "example.com"; write https://example.com or http://example.com`,
		`argument 3 ("ftp://user:[redacted]@x/"): unsupported scheme "ftp"`,
		`argument 4 ("tcp://db"): "tcp://db" needs a port for a tcp check, e.g. tcp://db:5432`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q\nlacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "pw@") || strings.Contains(msg, "argument 1") {
		t.Errorf("error %q leaks a password or blames a good argument", msg)
	}
	if _, err := FromURLs(nil); err == nil {
		t.Error("FromURLs(nil) succeeded")
	}
}
