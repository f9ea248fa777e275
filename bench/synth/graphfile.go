package synth

import (
	"fmt"
	"strings"
)

// Upstream is one upstream of a generated graph file.
type Upstream struct {
	Name      string
	URL       string
	DependsOn []string
}

// Defaults are the defaults: block of a generated graph file. A zero field
// is left out (updoc's own default applies).
type Defaults struct {
	Timeout   string   // "5s"
	Resolvers []string // "127.0.0.1:5353"
	Samples   *int
}

// GraphFile returns a graph file (SPEC §2) holding ups in order.
func GraphFile(d Defaults, ups []Upstream) []byte {
	var b strings.Builder
	b.Grow(len(ups) * 80)
	b.WriteString("version: 1\n")
	if d.Timeout != "" || len(d.Resolvers) > 0 || d.Samples != nil {
		b.WriteString("defaults:\n")
		if d.Timeout != "" {
			fmt.Fprintf(&b, "  timeout: %s\n", d.Timeout)
		}
		if len(d.Resolvers) > 0 {
			fmt.Fprintf(&b, "  resolvers: [%s]\n", quoteAll(d.Resolvers))
		}
		if d.Samples != nil {
			fmt.Fprintf(&b, "  samples: %d\n", *d.Samples)
		}
	}
	b.WriteString("upstreams:\n")
	for _, u := range ups {
		fmt.Fprintf(&b, "  %s:\n    url: %q\n", u.Name, u.URL)
		if len(u.DependsOn) > 0 {
			fmt.Fprintf(&b, "    depends_on: [%s]\n", quoteAll(u.DependsOn))
		}
	}
	return []byte(b.String())
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// Name is the name of the i-th generated upstream (0-based): "u00000".
func Name(i int) string { return fmt.Sprintf("u%05d", i) }

// Flat returns n upstreams without dependencies; url gives the i-th's URL.
func Flat(n int, url func(i int) string) []Upstream {
	ups := make([]Upstream, n)
	for i := range ups {
		ups[i] = Upstream{Name: Name(i), URL: url(i)}
	}
	return ups
}

// Chain returns n upstreams where each depends on the next: u00000 → u00001
// → … → the last one, the bottom of the chain.
func Chain(n int, url func(i int) string) []Upstream {
	ups := Flat(n, url)
	for i := 0; i+1 < n; i++ {
		ups[i].DependsOn = []string{Name(i + 1)}
	}
	return ups
}

// SharedHost is a URL function for upstreams that share one host name and
// spread over the given ports, as issue 11 measured: the i-th upstream is
// http://HOST:PORTS[i%len]/health/i.
func SharedHost(host string, ports []int) func(i int) string {
	return func(i int) string {
		return fmt.Sprintf("http://%s:%d/health/%d", host, ports[i%len(ports)], i)
	}
}
