package graph

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// FromURLs builds the graph for `updoc probe URL...`: one upstream per URL,
// named after its host ("https://example.com:8443/x" → "example.com"; a
// repeated name gets "-2", "-3", ...), with the built-in defaults. Every bad
// argument is reported, each naming the argument.
func FromURLs(urls []string) (*Graph, error) {
	if len(urls) == 0 {
		return nil, errors.New("no URL given; e.g. updoc probe https://api.example.com/healthz")
	}
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	g := &Graph{Dir: wd, Version: 1, Policy: Policy{Severity: map[string]string{}}}
	used := map[string]bool{}
	var errs []error
	for i, raw := range urls {
		u, problem := ParseURL(raw, redactURL(raw))
		if problem != "" {
			errs = append(errs, fmt.Errorf("argument %d (%s): %s", i+1, strconv.Quote(redactURL(raw)), problem))
			continue
		}
		base := nameFromHost(u.Hostname())
		name := base
		for n := 2; used[name]; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
		used[name] = true
		up := build(settings{}, wd)
		up.Name = name
		up.URL = u
		up.RawURL = raw
		up.DependsOn = []string{}
		g.Upstreams = append(g.Upstreams, up)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return g, nil
}

// nameFromHost turns a host into a valid upstream name.
func nameFromHost(host string) string {
	var b strings.Builder
	for _, r := range strings.TrimSuffix(host, ".") {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		return "upstream"
	}
	return name
}
