package graph

import (
	"net/url"
	"slices"
	"strings"
)

// Secrets returns the secret values of the graph, for redaction (SPEC §2):
// the values of secret headers (Header.Secret) and, of an "Authorization:
// Bearer TOKEN", the credential on its own; the passwords of the url and
// of the proxies (the key's and the environment's); and every value
// a ${VAR} reference expanded to, in a url, a header or a body (the
// upstream's own or that of defaults:). Non-empty, longest first, without
// duplicates.
func (g *Graph) Secrets() []string {
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, u := range g.Upstreams {
		for _, h := range u.Headers {
			if h.Secret {
				add(h.Value)
				// "Bearer TOKEN": also hide the credential on its own.
				if strings.EqualFold(h.Name, "authorization") || strings.EqualFold(h.Name, "proxy-authorization") {
					if _, cred, ok := strings.Cut(h.Value, " "); ok && len(strings.TrimSpace(cred)) >= 4 {
						add(strings.TrimSpace(cred))
					}
				}
			}
		}
		for _, withPassword := range []*url.URL{u.URL, u.Proxy.URL, u.Proxy.Env.HTTP.URL, u.Proxy.Env.HTTPS.URL, u.Proxy.Env.All.URL} {
			if withPassword != nil && withPassword.User != nil {
				if p, ok := withPassword.User.Password(); ok {
					add(p)
				}
			}
		}
		for _, s := range u.expanded {
			add(s)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// isSecretHeader reports whether a header's value is secret whatever it is:
// Authorization, Cookie, Proxy-Authorization.
func isSecretHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "cookie", "proxy-authorization":
		return true
	}
	return false
}
