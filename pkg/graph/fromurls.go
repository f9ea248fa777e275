package graph

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// FromURLs builds the graph for `updoc probe URL...`: one upstream per URL,
// with the built-in defaults, named as briefly as tells it apart from the
// others: its host ("example.com"), else host and port ("example.com:8443"),
// else with the scheme ("tcp://example.com:5432"), else host, port and path
// ("example.com:8443/health"), else with the scheme
// ("https://example.com:8443/health"), else the whole URL (query included,
// password hidden); an exact repeat gets "-2", "-3", .... Every bad argument
// is reported, each naming the argument.
func FromURLs(urls []string) (*Graph, error) {
	if len(urls) == 0 {
		return nil, errors.New("no URL given; e.g. updoc probe https://api.example.com/healthz")
	}
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	g := &Graph{AdHoc: true, Dir: wd, Version: 1, Policy: Policy{Severity: map[string]PolicyAction{}}}
	var errs []error
	var candidates [][]string
	for i, raw := range urls {
		u, problem := ParseURL(raw, redactURL(raw))
		if problem != "" {
			errs = append(errs, fmt.Errorf("argument %d (%s): %s", i+1, strconv.Quote(redactURL(raw)), problem))
			continue
		}
		up := builtin()
		up.URL = u
		up.RawURL = raw
		g.Upstreams = append(g.Upstreams, up)
		candidates = append(candidates, nameCandidates(raw, u))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	used := map[string]bool{}
	for i, up := range g.Upstreams {
		name := shortestUnique(candidates, i)
		base := name
		for n := 2; used[name]; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
		used[name] = true
		up.Name = name
	}
	return g, nil
}

// nameCandidates lists the names of one URL from the briefest to the fullest.
func nameCandidates(raw string, u *url.URL) []string {
	host := u.Hostname()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	hostPort := host + ":" + u.Port()
	withScheme := u.Scheme + "://" + hostPort
	path := u.EscapedPath()
	return []string{host, hostPort, withScheme, hostPort + path, withScheme + path, redactURL(raw)}
}

// shortestUnique picks the first candidate of URL i that no other URL has
// at the same level (the fullest one when even that is shared). Exact
// repeats of URL i are left out of the comparison: they are told apart by
// "-2", "-3", ... afterwards.
func shortestUnique(candidates [][]string, i int) string {
	mine := candidates[i]
	full := len(mine) - 1
	for level, name := range mine {
		unique := true
		for j, other := range candidates {
			if j != i && other[full] != mine[full] && other[level] == name {
				unique = false
				break
			}
		}
		if unique {
			return name
		}
	}
	return mine[full]
}
