package graph

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
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
	for i, arg := range urls {
		raw, idn, problem := asciiHostURL(arg)
		if problem == "" {
			var u *url.URL
			if u, problem = ParseURL(raw, redactURL(raw)); problem == "" {
				up := builtin()
				up.URL = u
				up.RawURL = raw
				names := nameCandidates(raw, u)
				if idn != nil {
					up.Description = idn.String()
					for j := range names {
						names[j] = strings.Replace(names[j], idn.ascii, idn.unicode, 1)
					}
				}
				g.Upstreams = append(g.Upstreams, up)
				candidates = append(candidates, names)
				continue
			}
			if idn != nil {
				problem += " (" + idn.String() + ")"
			}
		}
		errs = append(errs, fmt.Errorf("argument %d (%s): %s", i+1, strconv.Quote(redactURL(arg)), problem))
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

// idnHost is an international host name of the command line and the
// ASCII (IDNA, punycode) form it is probed by.
type idnHost struct{ unicode, ascii string }

func (h *idnHost) String() string {
	return fmt.Sprintf("%s is the international name %s", h.ascii, h.unicode)
}

// asciiHostURL returns arg with its host name in ASCII: an international
// name (bücher.example) becomes its IDNA form (xn--bcher-kva.example), as
// browsers and curl send it; idn is nil when the host was ASCII already.
// problem is "" unless the host is not a valid international name.
func asciiHostURL(arg string) (raw string, idn *idnHost, problem string) {
	scheme, rest, ok := strings.Cut(arg, "://")
	if !ok || isASCII(arg) {
		return arg, nil, ""
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority := rest[:end]
	at := strings.LastIndex(authority, "@") + 1
	hostPort := authority[at:]
	host := hostPort
	if i := strings.LastIndex(hostPort, ":"); i >= 0 && !strings.Contains(hostPort, "]") {
		host = hostPort[:i]
	}
	if isASCII(host) {
		return arg, nil, ""
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil {
		return "", nil, fmt.Sprintf("the host %q is not a valid international domain name: %v", host, err)
	}
	unicode, err := idna.Lookup.ToUnicode(ascii) // its canonical form: lower case
	if err != nil {
		unicode = host
	}
	raw = scheme + "://" + authority[:at] + ascii + hostPort[len(host):] + rest[end:]
	return raw, &idnHost{unicode: unicode, ascii: ascii}, ""
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
