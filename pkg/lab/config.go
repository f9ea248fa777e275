package lab

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
)

// Timeout and Samples are the graph defaults of the lab: short, so that the
// demo (whose timeouts wait the whole Timeout) finishes in about two seconds.
const (
	Timeout = "1s"
	Samples = 5
)

// render builds the scenarios and both graph files (Config and
// PrintedConfig) from the started specs.
func (l *Lab) render(specs []*spec) ([]Scenario, []byte, []byte) {
	scenarios := make([]Scenario, 0, len(specs))
	for _, s := range specs {
		scenarios = append(scenarios, Scenario{
			Upstream:     s.name,
			Description:  s.description,
			Want:         s.want(),
			URL:          s.url(),
			Targets:      append([]string(nil), s.targets...),
			Resolvers:    append([]string(nil), s.resolvers...),
			DependsOn:    append([]string(nil), s.dependsOn...),
			NotRootCause: append([]string(nil), s.notRoot...),
			Affects:      append([]string(nil), s.affects...),
		})
	}
	return scenarios, l.graphFile(specs, scenarios, true), l.graphFile(specs, scenarios, false)
}

// graphFile writes the lab's graph. withCAFile gives the https and tls
// upstreams tls.ca_file, the lab CA's temporary file: the graph the demo
// runs. Without it the graph names no file of the lab, so that it stays
// valid after the lab stops: the one --print-config shows.
//
// Comments are prose, never "word: value" lines that a reader could take
// for a key left commented out.
func (l *Lab) graphFile(specs []*spec, scenarios []Scenario, withCAFile bool) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("# The graph of the updoc fault lab, a small world of sick and healthy upstreams.\n")
	p("# Every server listens on 127.0.0.1 on a port picked when the lab started, and\n")
	p("# nothing is ever sent anywhere else. The ports live only as long as that lab.\n")
	if !withCAFile {
		p("# The lab that printed this file has stopped, so its ports are closed now.\n")
		p("# To see these upstreams diagnosed, run `updoc demo` (or `updoc demo --only NAME -v`),\n")
		p("# which starts a fresh lab on new ports and checks this same graph against it.\n")
	}
	p("#\n")
	p("# The lab's DNS server is authoritative for %s. at %s (udp and tcp).\n", Zone, l.resolver)
	p("# Every lab name resolves to 127.0.0.1 (A records only, hence ip_family ipv4);\n")
	p("# a name not in the zone is NXDOMAIN, and every name under %s answers SERVFAIL.\n", BrokenZone)
	if withCAFile {
		p("# The https and tls upstreams trust the lab's own CA, made in memory for this run;\n")
		p("# tls.ca_file is a temporary copy of it, removed when the lab stops.\n")
	} else {
		p("# The https and tls upstreams trust the lab's own CA, made in memory for each run.\n")
		p("# `updoc demo` gives it to them as tls.ca_file, a temporary file removed when the lab\n")
		p("# stops; this copy leaves tls.ca_file out, since that file no longer exists.\n")
	}
	p("# Above each upstream, a comment says what it is and what updoc should report.\n")
	p("version: 1\n")
	p("defaults:\n")
	p("  timeout: %s        # short, so that the timeout scenarios end quickly\n", Timeout)
	p("  resolvers: [%s]\n", q("udp://"+l.resolver))
	p("  samples: %d\n", Samples)
	p("  ip_family: ipv4    # the lab zone has A records only\n")
	p("# The policy changes what a cause code counts for; here the orders API's announced\n")
	p("# Sunset is a planned migration, not a warning.\n")
	p("policy:\n")
	p("  severity:\n")
	p("    %s: ignore\n", catalog.APISunsetScheduled)
	p("upstreams:\n")

	for i, s := range specs {
		if i > 0 {
			p("\n")
		}
		for _, c := range s.comment {
			p("  # %s\n", c)
		}
		p("  # %s\n", expectLine(scenarios[i]))
		p("  %s:\n", s.name)
		p("    url: %s\n", s.url())
		p("    description: %s\n", q(s.description))
		if len(s.dependsOn) > 0 {
			p("    depends_on: %s\n", flow(s.dependsOn))
		}
		if s.method != "" {
			p("    method: %s\n", s.method)
		}
		if len(s.headers) > 0 {
			p("    headers:\n")
			for _, h := range s.headers {
				p("      %s: %s\n", h[0], q(h[1]))
			}
		}
		if s.body != "" {
			p("    body: %s\n", singleQuoted(s.body))
		}
		if len(s.expectStatus) > 0 || s.bodyContains != "" {
			p("    expect:\n")
			if len(s.expectStatus) > 0 {
				codes := make([]string, len(s.expectStatus))
				for i, c := range s.expectStatus {
					codes[i] = strconv.Itoa(c)
				}
				p("      status: [%s]\n", strings.Join(codes, ", "))
			}
			if s.bodyContains != "" {
				p("      body_contains: %s\n", singleQuoted(s.bodyContains))
			}
		}
		if len(s.targets) > 0 {
			p("    targets: %s\n", flow(s.targets))
		}
		if len(s.resolvers) > 0 {
			p("    resolvers: %s\n", flow(s.resolvers))
		}
		if s.tlsCA && withCAFile {
			p("    tls:\n")
			p("      ca_file: %s\n", q(l.caFile))
		}
		if len(s.tags) > 0 {
			p("    tags: %s\n", flow(s.tags))
		}
	}
	return b.Bytes()
}

// expectLine says, as prose, what updoc should report for a scenario: the
// comment right above its upstream in the graph files.
func expectLine(s Scenario) string {
	if len(s.Want) == 0 {
		return "updoc should find it healthy, with no findings."
	}
	parts := make([]string, 0, len(s.Want))
	for _, w := range s.Want {
		where := string(w.Layer)
		if w.Target != "" {
			where += " " + w.Target
		}
		part := fmt.Sprintf("%s (%s, %s)", w.Code, w.Severity, where)
		for _, c := range s.NotRootCause {
			if c == w.Code {
				part += " not a root cause"
			}
		}
		parts = append(parts, part)
	}
	line := "updoc should report " + strings.Join(parts, "; ")
	if len(s.Affects) > 0 {
		line += "; a root cause affecting " + strings.Join(s.Affects, ", ")
	}
	return line + "."
}

// q quotes s as a YAML double-quoted scalar (the lab's strings are printable
// ASCII or UTF-8 text, for which Go's quoting is valid YAML).
func q(s string) string { return strconv.Quote(s) }

// singleQuoted quotes s as a YAML single-quoted scalar, which keeps JSON's
// double quotes readable.
func singleQuoted(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func flow(items []string) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = q(it)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
