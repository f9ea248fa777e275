package lab

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Timeout and Samples are the graph defaults of the lab: short, so that the
// demo (whose timeouts wait the whole Timeout) finishes in about two seconds.
const (
	Timeout = "1s"
	Samples = 5
)

// render builds the scenarios and the graph file from the started specs.
func (l *Lab) render(specs []*spec) ([]Scenario, []byte) {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }

	p("# updoc fault lab (SPEC §8): a small world of sick and healthy upstreams.\n")
	p("# Every server listens on 127.0.0.1 on a port picked when the lab started;\n")
	p("# nothing is ever sent anywhere else. The lab and this file's ports vanish when it stops.\n")
	p("#\n")
	p("# DNS: an authoritative server for %s. at %s (udp and tcp).\n", Zone, l.resolver)
	p("#   Every lab name resolves to 127.0.0.1 (A records only, hence ip_family: ipv4);\n")
	p("#   a name not in the zone is NXDOMAIN; every name under %s answers SERVFAIL.\n", BrokenZone)
	p("# TLS: https and tls upstreams verify against the lab's own CA (tls.ca_file).\n")
	p("# Each upstream's comment says what it is and the findings updoc should report.\n")
	p("version: 1\n")
	p("defaults:\n")
	p("  timeout: %s        # short, so that the timeout scenarios end quickly\n", Timeout)
	p("  resolvers: [%s]\n", q("udp://"+l.resolver))
	p("  samples: %d\n", Samples)
	p("  ip_family: ipv4    # the lab zone has A records only\n")
	p("upstreams:\n")

	scenarios := make([]Scenario, 0, len(specs))
	for i, s := range specs {
		sc := Scenario{
			Upstream:     s.name,
			Description:  s.description,
			Want:         s.want(),
			URL:          s.url(),
			Targets:      append([]string(nil), s.targets...),
			Resolvers:    append([]string(nil), s.resolvers...),
			DependsOn:    append([]string(nil), s.dependsOn...),
			NotRootCause: append([]string(nil), s.notRoot...),
			Affects:      append([]string(nil), s.affects...),
		}
		scenarios = append(scenarios, sc)

		if i > 0 {
			p("\n")
		}
		for _, c := range s.comment {
			p("  # %s\n", c)
		}
		p("  # expect: %s\n", expectLine(sc))
		p("  %s:\n", s.name)
		p("    url: %s\n", s.url())
		p("    description: %s\n", q(s.description))
		if len(s.dependsOn) > 0 {
			p("    depends_on: %s\n", flow(s.dependsOn))
		}
		if len(s.targets) > 0 {
			p("    targets: %s\n", flow(s.targets))
		}
		if len(s.resolvers) > 0 {
			p("    resolvers: %s\n", flow(s.resolvers))
		}
		if s.tlsCA {
			p("    tls:\n")
			p("      ca_file: %s\n", q(l.caFile))
		}
		if len(s.tags) > 0 {
			p("    tags: %s\n", flow(s.tags))
		}
	}
	return scenarios, b.Bytes()
}

// expectLine summarises a scenario's wants for the comment in Config.
func expectLine(s Scenario) string {
	if len(s.Want) == 0 {
		return "healthy, no findings"
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
	line := strings.Join(parts, "; ")
	if len(s.Affects) > 0 {
		line += "; root cause affecting " + strings.Join(s.Affects, ", ")
	}
	return line
}

// q quotes s as a YAML double-quoted scalar (the lab's strings are printable
// ASCII or UTF-8 text, for which Go's quoting is valid YAML).
func q(s string) string { return strconv.Quote(s) }

func flow(items []string) string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = q(it)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
