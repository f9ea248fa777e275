package catalog

import (
	"slices"
	"strings"
	"testing"
)

// referenceSteps renders e's steps as the catalogue did before templates
// were parsed once: three strings.Replacer passes over each step (timing
// commands, runbook, then every fill with its value computed up front).
func referenceSteps(e Entry, v Vars) []string {
	f := filler{v: v.complete()}
	pairs := make([]string, 0, 2*len(fills))
	for _, fl := range fills {
		pairs = append(pairs, fl.key, fl.value(&f))
	}
	r := strings.NewReplacer(pairs...)
	tr := timingReplacer(f.v.Scheme)
	pr := RunbookFor(v.Product).replacer()
	var out []string
	for _, t := range e.templates(v.Variant) {
		cond, body := splitCondition(t)
		if cond != "" && f.v.flag(cond) {
			continue
		}
		body = tr.Replace(body)
		step := r.Replace(pr.Replace(body))
		if v.LabCAFile && v.CAFile != "" && (strings.Contains(body, "{{CurlRequest}}") || strings.Contains(body, "{{CurlProxyRequest}}")) {
			step = withProseNote(step, labCANote)
		}
		out = append(out, noteStdinGraph(step))
	}
	return out
}

// stepVars are Vars that reach every branch of the fills: none, all, each
// scheme, IPv6 and loopback targets, the system and TCP resolvers, a
// proxy from the environment, the lab's CA file, no graph, and values
// that look like placeholders (which are never filled again).
func stepVars() []Vars {
	full, finding := fullVars(), findingVars()
	var out []Vars
	out = append(out, Vars{}, full, finding)
	for _, scheme := range []string{"tcp", "tls", "http", "https"} {
		v := finding
		v.Scheme = scheme
		out = append(out, v, Vars{Scheme: scheme})
	}
	v := finding
	v.URL, v.Host, v.Port, v.Path, v.Target, v.TargetHost, v.TargetPort = "https://[2001:db8::1]:8443/a?b=c&d", "", "", "", "[::1]:8443", "", ""
	v.ServerName, v.Resolver, v.ResolverServer, v.ResolverTCP = "", "tcp://127.0.0.1:5353", "127.0.0.1:5353", true
	out = append(out, v)
	v = finding
	v.Resolver, v.ResolverServer, v.Proxy, v.ProxyEnv, v.LabCAFile, v.NoGraph, v.DependsOn = "system", "", "", "HTTPS_PROXY", true, true, true
	v.Check, v.GraphCheck = "updoc check -f - --only users", ""
	out = append(out, v)
	v = finding
	v.Upstream, v.Host, v.Name, v.Status, v.Dependencies = "{{Host}}", "{{Port}}", "{{TimeOnce}}", "{{ProxyLogs}}", "{{Check}}"
	out = append(out, v)
	v = full
	v.Proxy, v.ProxyUser = "socks5h://127.0.0.1:1080", ""
	out = append(out, v)
	return out
}

// Parsing a template once gives, byte for byte, what the three Replacer
// passes give: every entry, variant, runbook and the Vars of stepVars —
// but for the single quotes that the machinery adds around a fact that
// is not a plain word where it stands in a command (placed), which the
// Replacers do not know.
func TestStepsAsTheReplacersFillThem(t *testing.T) {
	products := append(ProxyProducts(), "", "Unknown Proxy")
	slices.Sort(products)
	for _, product := range products {
		for i, v := range stepVars() {
			v.Product = product
			for _, e := range All() {
				for _, variant := range append([]string{""}, variantNames(e)...) {
					v.Variant = variant
					got, want := e.Steps(v), referenceSteps(e, v)
					if !slices.EqualFunc(got, want, sameButQuotes) {
						t.Errorf("%s %s, product %q, vars %d:\n got %q\nwant %q", e.Code, variant, product, i, got, want)
					}
				}
			}
		}
	}
}

// sameButQuotes: a and b are equal once their single quotes are removed.
func sameButQuotes(a, b string) bool {
	return strings.ReplaceAll(a, "'", "") == strings.ReplaceAll(b, "'", "")
}

// The fills fit the filler's memo.
func TestFillsFitTheMemo(t *testing.T) {
	var f filler
	if len(fills) > len(f.done) {
		t.Fatalf("%d fills, the filler remembers %d", len(fills), len(f.done))
	}
}

// parseFills matches as a Replacer: the longer key first, text that only
// looks like a placeholder left as it is.
func TestParseFills(t *testing.T) {
	f := filler{v: Vars{Resolver: "10.0.0.2:53", ResolverServer: "10.0.0.2:53", Host: "h"}}
	for in, want := range map[string]string{
		"":                                    "",
		"dig {{DigServer}} x":                 "dig @10.0.0.2 x",
		"{{DigServer}}":                       "@10.0.0.2",
		"{{{Host}}}{{Nope}}{{Host":            "{h}{{Nope}}{{Host",
		"a {{CheckDependencies}} b {{Check}}": "a updoc check --only DEPENDENCY b updoc check --only UPSTREAM",
	} {
		if got := f.render(parseFills(in)); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// Rendering a finding's steps allocates the steps and the values its
// steps use, not a Replacer per finding: tcp.refused's steps with the
// facts of a finding, once the templates are parsed.
func TestStepsAllocations(t *testing.T) {
	e, _ := Lookup(TCPRefused)
	v := findingVars()
	want := e.Steps(v)
	allocs := testing.AllocsPerRun(100, func() { e.Steps(v) })
	// One slice, one string per step that has a fill, and what the values
	// themselves take (url.Parse in complete, the joins of the fills).
	t.Logf("%.0f allocations for %d steps", allocs, len(want))
	if limit := float64(2*len(want) + 12); allocs > limit {
		t.Errorf("Steps allocates %.0f times for %d steps; want at most %.0f", allocs, len(want), limit)
	}
}
