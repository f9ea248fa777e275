package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/updoc/updoc/internal/textfmt"
)

// JUnit XML (SPEC §7): one <testsuite> per run inside <testsuites>, one
// <testcase> per upstream; unhealthy and unknown upstreams get a
// <failure>, degraded ones pass with their warnings in <system-out> — or
// fail too with --fail-on degraded (JUnitOptions.FailOnDegraded). The
// testsuite's own <system-out> names the dependencies not probed.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
	// SystemOut names the dependencies the run did not probe.
	SystemOut *junitText `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// junitText is element text written as CDATA, readable in the file.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

// WriteJUnit writes r as JUnit XML with the XML header. A failure's message
// is the root-cause code behind the upstream (a dependency's code when the
// upstream only suffers from it) and its type the upstream's own worst code;
// the body lists every finding with evidence and remediation.
func WriteJUnit(w io.Writer, r *Report) error {
	return WriteJUnitWith(w, r, JUnitOptions{})
}

// JUnitOptions tune the JUnit output.
type JUnitOptions struct {
	// FailOnDegraded makes degraded upstreams failures too (--fail-on
	// degraded), so that a job the exit code turns red never shows a green
	// report.
	FailOnDegraded bool
}

// WriteJUnitWith is WriteJUnit with options.
func WriteJUnitWith(w io.Writer, r *Report, o JUnitOptions) error {
	r = Normalize(r)
	secs := fmtSeconds(r.DurationMS)
	suite := junitSuite{
		Name:      "updoc",
		Tests:     len(r.Upstreams),
		Time:      secs,
		Timestamp: r.StartedAt.UTC().Format(time.RFC3339),
		Properties: []junitProperty{
			{Name: "schema", Value: r.Schema},
			{Name: "updoc_version", Value: r.UpdocVersion},
			{Name: "status", Value: statusWord(r.Status)},
		},
	}
	downBy := takenDownBy(r)
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		c := junitCase{ClassName: "updoc.upstream", Name: u.Name, Time: fmtSeconds(upstreamMS(u))}
		switch u.Status {
		case Unhealthy:
			suite.Failures++
			code, rootCode := "", ""
			if k := u.PrimaryFinding(); k >= 0 {
				code = u.Findings[k].Code
				rootCode = code
				if !u.Findings[k].RootCause {
					if rc := downBy[u.Name]; rc != nil {
						rootCode = rc.Code
					}
				}
			}
			c.Failure = &junitFailure{Message: rootCode, Type: code, Body: xmlSafe(findingsText(downBy, u, nil))}
		case Unknown:
			// A probe cut short is not a pass (SPEC §5: unknown counts as
			// unhealthy for exit codes): a failure naming the run.* code.
			suite.Failures++
			code := ""
			if k := u.PrimaryFinding(); k >= 0 {
				code = u.Findings[k].Code
			}
			c.Failure = &junitFailure{Message: code, Type: code, Body: xmlSafe(findingsText(downBy, u, nil))}
		case Degraded:
			if o.FailOnDegraded {
				suite.Failures++
				code := ""
				if k := u.PrimaryFinding(); k >= 0 {
					code = u.Findings[k].Code
				}
				c.Failure = &junitFailure{Message: code, Type: code, Body: xmlSafe(findingsText(downBy, u, nil))}
				break
			}
			c.SystemOut = &junitText{xmlSafe(findingsText(downBy, u, func(f *Finding) bool { return f.Severity != Fail }))}
		}
		suite.Cases = append(suite.Cases, c)
	}
	if len(r.NotProbed) > 0 {
		suite.SystemOut = &junitText{xmlSafe(notProbedText(r.NotProbed))}
	}
	doc := junitSuites{Name: "updoc", Tests: suite.Tests, Failures: suite.Failures, Time: secs, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// xmlSafe replaces the characters XML 1.0 cannot carry (most C0 controls,
// surrogates, U+FFFE/U+FFFF) with U+FFFD, as CDATA sections get no escaping.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// fmtSeconds formats milliseconds as seconds with millisecond precision.
func fmtSeconds(ms float64) string {
	return strconv.FormatFloat(ms/1000, 'f', 3, 64)
}

// upstreamMS is how long an upstream's probe took: the measured duration
// when the producer set it, else an estimate from its layers (its DNS lookup
// plus the slowest target, plus the latency samples).
func upstreamMS(u *Upstream) float64 {
	if u.DurationMS > 0 {
		return u.DurationMS
	}
	ms := 0.0
	if u.DNS != nil {
		ms += u.DNS.DurationMS
	}
	slowest := 0.0
	for _, t := range u.Targets {
		tm := 0.0
		switch {
		case t.HTTP != nil && t.HTTP.TimingsMS.Total > 0:
			tm = t.HTTP.TimingsMS.Total
		default:
			if t.TCP != nil {
				tm += t.TCP.DurationMS
			}
			if t.TLS != nil {
				tm += t.TLS.DurationMS
			}
		}
		if l := t.LatencyMS; l != nil {
			tm += float64(l.Samples) * l.Mean
		}
		slowest = max(slowest, tm)
	}
	return ms + slowest
}

// takenDownBy maps each upstream a failing root cause affects to the root
// cause that takes it down: the first (most affecting) whose Affects lists
// it. Built once per report: asked per upstream by scanning every root
// cause, a JUnit report of 50,000 upstreams took seconds (issue 11).
func takenDownBy(r *Report) map[string]*RootCause {
	out := map[string]*RootCause{}
	for i := range r.RootCauses {
		rc := &r.RootCauses[i]
		if rc.Severity != Fail && rc.Severity != "" {
			continue
		}
		for _, a := range rc.Affects {
			if _, ok := out[a]; !ok {
				out[a] = rc
			}
		}
	}
	return out
}

// findingsText is the plain-text account of u's findings (those keep
// accepts, all when keep is nil), most important first, after the root
// cause that takes it down (downBy: takenDownBy).
func findingsText(downBy map[string]*RootCause, u *Upstream, keep func(*Finding) bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s is %s (%s)\n", u.Name, statusWord(u.Status), u.URL)
	if rc := downBy[u.Name]; rc != nil && rc.Upstream != u.Name {
		fmt.Fprintf(&b, "caused by %s: %s — %s\n", rc.Upstream, rc.Code, textfmt.OneLine(rc.Message))
	}
	for _, k := range u.SortedFindings() {
		f := &u.Findings[k]
		if keep != nil && !keep(f) {
			continue
		}
		b.WriteString("\n")
		fmt.Fprintf(&b, "[%s] %s", f.Severity, f.Code)
		if f.Layer != "" {
			fmt.Fprintf(&b, " (layer %s)", f.Layer)
		}
		if f.Target != "" {
			fmt.Fprintf(&b, " target %s", f.Target)
		}
		if f.RootCause {
			b.WriteString(" root cause")
		}
		fmt.Fprintf(&b, "\n  %s\n", textfmt.OneLine(f.Message))
		if ev := EvidencePairs(f.Evidence); len(ev) > 0 {
			fmt.Fprintf(&b, "  evidence: %s\n", strings.Join(ev, " "))
		}
		if len(f.Remediation) > 0 {
			b.WriteString("  remediation:\n")
			for i, s := range f.Remediation {
				prose, command := splitStep(s)
				fmt.Fprintf(&b, "    %d. %s\n", i+1, prose)
				if command != "" {
					fmt.Fprintf(&b, "       %s\n", command)
				}
			}
		}
	}
	return b.String()
}

// notProbedText is a line per dependency the run left out: "web depends
// on api — not probed; add --with-deps".
func notProbedText(missing []NotProbed) string {
	var b strings.Builder
	for _, m := range missing {
		fmt.Fprintf(&b, "%s %s on %s — not probed; add --with-deps\n",
			textfmt.ListSome(m.NeededBy, 3), textfmt.Noun(len(m.NeededBy), "depends", "depend"), m.Upstream)
	}
	return b.String()
}
