package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

func TestJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, mixedReport()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Error("missing XML header")
	}
	var doc struct {
		Suites []struct {
			Name      string `xml:"name,attr"`
			Tests     int    `xml:"tests,attr"`
			Failures  int    `xml:"failures,attr"`
			Time      string `xml:"time,attr"`
			Timestamp string `xml:"timestamp,attr"`
			Cases     []struct {
				ClassName string `xml:"classname,attr"`
				Name      string `xml:"name,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("want 1 testsuite, got %d", len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Name != "updoc" || s.Tests != 7 || s.Failures != 4 || s.Time != "0.812" || s.Timestamp != "2026-11-24T12:00:00Z" {
		t.Errorf("suite = %+v", s)
	}
	failures := 0
	for _, c := range s.Cases {
		if c.ClassName != "updoc.upstream" {
			t.Errorf("classname %q", c.ClassName)
		}
		if c.Failure != nil {
			failures++
		}
		switch c.Name {
		case "gateway":
			if c.Failure == nil || c.Failure.Message != "tcp.refused" || c.Failure.Type != "gateway.no_healthy_upstream" {
				t.Errorf("gateway failure = %+v", c.Failure)
			}
		case "users":
			if c.Failure == nil || c.Failure.Message != "tcp.refused" || !strings.Contains(c.Failure.Body, "ss -ltnp") {
				t.Errorf("users failure = %+v", c.Failure)
			}
		case "auth":
			if c.Failure != nil || !strings.Contains(c.SystemOut, "tls.cert_expiring") {
				t.Errorf("auth (degraded) = %+v", c)
			}
		case "search":
			if c.Failure != nil || c.SystemOut != "" {
				t.Errorf("search (healthy) = %+v", c)
			}
		}
	}
	if failures != s.Failures {
		t.Errorf("failures attr %d, failure elements %d", s.Failures, failures)
	}
}

func TestJUnitOddText(t *testing.T) {
	r := mixedReport()
	f := &r.Upstreams[2].Findings[0]
	f.Message = "bad ]]> cdata \x00\x1b[31m <tag> & \"q\""
	f.Remediation = []string{"]]]]>>"}
	r.Upstreams[2].Name = `us"ers<&>`
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Body string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("invalid XML: %v\n%s", err, b.String())
	}
	c := doc.Suites[0].Cases[2]
	if c.Name != `us"ers<&>` || !strings.Contains(c.Failure.Body, "bad ]]> cdata \uFFFD\uFFFD[31m <tag> & \"q\"") ||
		!strings.Contains(c.Failure.Body, "]]]]>>") {
		t.Errorf("case = %q %q", c.Name, c.Failure.Body)
	}
}

func TestJUnitTimeIsTheMeasuredDuration(t *testing.T) {
	u := &Upstream{Name: "a", DurationMS: 1234.5, Targets: []Target{{TCP: &TCP{DurationMS: 1}}}}
	if got := upstreamMS(u); got != 1234.5 {
		t.Errorf("measured: %v", got)
	}
	u.DurationMS = 0
	if got := upstreamMS(u); got != 1 {
		t.Errorf("estimated: %v", got)
	}
}

// TestJUnitFailOnDegraded: with --fail-on degraded the degraded upstreams
// are failures, so a job the exit code turns red never shows a green
// report; without it they pass with their warnings.
func TestJUnitFailOnDegraded(t *testing.T) {
	type junitDoc struct {
		Failures int `xml:"failures,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
			} `xml:"failure"`
		} `xml:"testsuite>testcase"`
	}
	for _, tt := range []struct {
		failOnDegraded bool
		failures       int
	}{{false, 4}, {true, 6}} {
		var b bytes.Buffer
		if err := WriteJUnitWith(&b, mixedReport(), JUnitOptions{FailOnDegraded: tt.failOnDegraded}); err != nil {
			t.Fatal(err)
		}
		var doc junitDoc
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Failures != tt.failures {
			t.Errorf("FailOnDegraded=%v: %d failures, want %d", tt.failOnDegraded, doc.Failures, tt.failures)
		}
		for _, c := range doc.Cases {
			if c.Name == "auth" && (c.Failure != nil) != tt.failOnDegraded {
				t.Errorf("FailOnDegraded=%v: degraded auth failure = %+v", tt.failOnDegraded, c.Failure)
			}
			if c.Name == "auth" && c.Failure != nil && c.Failure.Message != "tls.cert_expiring" {
				t.Errorf("auth failure message %q, want its code", c.Failure.Message)
			}
		}
	}
}

// The dependencies --only left out are named in the testsuite's
// system-out, as the table and Markdown name them (QA B7: JUnit said
// nothing of them).
func TestJUnitNamesTheDependenciesNotProbed(t *testing.T) {
	r := mixedReport()
	r.NotProbed = []NotProbed{{Upstream: "db", NeededBy: []string{"users", "orders"}}}
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			SystemOut string `xml:"system-out"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Suites) != 1 || !strings.Contains(doc.Suites[0].SystemOut, "users, orders depend on db — not probed; add --with-deps") {
		t.Errorf("testsuite system-out %+v:\n%s", doc.Suites, b.String())
	}
}
