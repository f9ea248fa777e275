package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/updoc/updoc/internal/textfmt"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "../../testdata/golden"

type renderFunc func(*bytes.Buffer, *Report) error

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./pkg/report -update and review the diff)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func fixtures() map[string]func() *Report {
	return map[string]func() *Report{
		"healthy": healthyReport,
		"mixed":   mixedReport,
		"secret": func() *Report {
			r := secretReport()
			Redact(r, []string{secretToken, secretAuth})
			return r
		},
	}
}

func renderers() map[string]renderFunc {
	return map[string]renderFunc{
		"json": func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) },
		"txt":  func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{}) },
		"xml":  func(b *bytes.Buffer, r *Report) error { return WriteJUnit(b, r) },
		"md":   func(b *bytes.Buffer, r *Report) error { return WriteMarkdown(b, r) },
	}
}

func TestGolden(t *testing.T) {
	for name, mk := range fixtures() {
		for ext, render := range renderers() {
			t.Run(name+"."+ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := render(&b, mk()); err != nil {
					t.Fatal(err)
				}
				golden(t, "report-"+name+"."+ext, b.Bytes())
			})
		}
	}
}

// TestGoldenTableVariants covers the table options: widths, verbose,
// colour, waterfall and the GitHub annotations.
func TestGoldenTableVariants(t *testing.T) {
	cases := []struct {
		file   string
		report func() *Report
		render func(*bytes.Buffer, *Report) error
	}{
		{"report-mixed-80.txt", mixedReport, func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{Width: 80}) }},
		{"report-mixed-120.txt", mixedReport, func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{Width: 120}) }},
		{"report-mixed-verbose.txt", mixedReport, func(b *bytes.Buffer, r *Report) error {
			return WriteTable(b, r, TableOptions{Verbose: true, Width: 100})
		}},
		{"report-mixed-color.txt", mixedReport, func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{Color: true}) }},
		{"report-mixed-github.txt", mixedReport, func(b *bytes.Buffer, r *Report) error { return WriteGitHub(b, r, TableOptions{}) }},
		{"report-healthy-verbose.txt", healthyReport, func(b *bytes.Buffer, r *Report) error { return WriteTable(b, r, TableOptions{Verbose: true}) }},
		{"report-probe-waterfall.txt", probeReport, func(b *bytes.Buffer, r *Report) error {
			return WriteTable(b, r, TableOptions{Waterfall: true, Width: 80})
		}},
		{"report-mixed-waterfall.txt", mixedReport, func(b *bytes.Buffer, r *Report) error {
			return WriteTable(b, r, TableOptions{Waterfall: true, Width: 80})
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.render(&b, c.report()); err != nil {
				t.Fatal(err)
			}
			golden(t, c.file, b.Bytes())
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for name, mk := range fixtures() {
		t.Run(name, func(t *testing.T) {
			r := mk()
			var b bytes.Buffer
			if err := WriteJSON(&b, r); err != nil {
				t.Fatal(err)
			}
			var back Report
			dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&back); err != nil {
				t.Fatal(err)
			}
			if want := Normalize(r); !reflect.DeepEqual(&back, want) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", back, *want)
			}
			if dec.More() {
				t.Error("more than one JSON document")
			}
		})
	}
}

func TestJSONShape(t *testing.T) {
	// A report with every slice and map left nil.
	r := &Report{
		Upstreams: []Upstream{{
			Name: "a", Status: Unhealthy,
			DNS:      &DNS{Queries: []DNSQuery{{}}},
			Targets:  []Target{{Address: "x:1", TLS: &TLS{Cert: &Cert{}}}},
			Findings: []Finding{{Code: "tcp.refused", Severity: Fail}},
		}},
		RootCauses: []RootCause{{Upstream: "a", Code: "tcp.refused"}},
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasSuffix(out, "}\n") || strings.HasSuffix(out, "\n\n") {
		t.Errorf("want one trailing newline, got %q", out[len(out)-3:])
	}
	if !strings.HasPrefix(out, "{\n  \"schema\": \"updoc.report/v1\",") {
		t.Errorf("want 2-space indent and the schema first, got %q", out[:40])
	}
	for _, key := range []string{"root_causes", "affects", "upstreams", "depends_on", "targets", "findings",
		"remediation", "addresses", "cname_chain", "queries", "sans"} {
		if strings.Contains(out, `"`+key+`": null`) {
			t.Errorf("%s is null, want []", key)
		}
	}
	if strings.Contains(out, `"evidence": null`) || !strings.Contains(out, `"evidence": {}`) {
		t.Error("evidence must be {} when empty")
	}
	// Walk the document: no null where the schema has an array or object.
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["summary"].(map[string]any)["unhealthy"].(float64) != 1 || doc["status"] != "unhealthy" {
		t.Errorf("summary/status not derived: %v %v", doc["summary"], doc["status"])
	}
	// The caller's report is untouched.
	if r.Upstreams[0].DependsOn != nil || r.Upstreams[0].Findings[0].Evidence != nil || r.Schema != "" {
		t.Error("WriteJSON modified its argument")
	}
	// Nil report and empty report render too.
	b.Reset()
	if err := WriteJSON(&b, &Report{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"upstreams": []`) || !strings.Contains(b.String(), `"root_causes": []`) {
		t.Errorf("empty report: %s", b.String())
	}
}

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

func TestNoColorNoEscapes(t *testing.T) {
	for name, mk := range fixtures() {
		for _, o := range []TableOptions{{}, {Verbose: true, Waterfall: true}, {Width: 80, Verbose: true}} {
			var b bytes.Buffer
			if err := WriteTable(&b, mk(), o); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), "\x1b") {
				t.Errorf("%s %+v: escape code with Color=false", name, o)
			}
			b.Reset()
			if err := WriteGitHub(&b, mk(), o); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), "\x1b") {
				t.Errorf("%s %+v: escape code in github output", name, o)
			}
		}
	}
	var b bytes.Buffer
	if err := WriteTable(&b, mixedReport(), TableOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{ansiRed + "unhealthy", ansiYellow + "degraded", ansiGreen + "healthy"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Color=true: missing %q", want)
		}
	}
}

func TestTableFitsWidth(t *testing.T) {
	for name, mk := range fixtures() {
		for _, width := range []int{40, 60, 80, 100, 120, 200} {
			for _, o := range []TableOptions{{Width: width}, {Width: width, Verbose: true, Waterfall: true}, {Width: width, Color: true, Verbose: true}} {
				var b bytes.Buffer
				if err := WriteTable(&b, mk(), o); err != nil {
					t.Fatal(err)
				}
				for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
					if n := textfmt.Width(line); n > width {
						t.Errorf("%s %+v line %d is %d columns: %q", name, o, i+1, n, line)
					}
					if strings.HasSuffix(line, " ") {
						t.Errorf("%s %+v line %d has trailing spaces: %q", name, o, i+1, line)
					}
				}
			}
		}
	}
}

func TestTableContent(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, mixedReport(), TableOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "updoc: UNHEALTHY — 7 upstreams: 1 healthy, 2 degraded, 4 unhealthy in 812ms") {
		t.Errorf("header line = %q", lines[0])
	}
	rc := strings.Index(out, "ROOT CAUSES")
	up := strings.Index(out, "UPSTREAM")
	if rc < 0 || up < 0 || rc > up {
		t.Errorf("root causes must lead the upstream table:\n%s", out)
	}
	for _, want := range []string{"takes down 2 upstreams: gateway, edge", "+1 more", "+2 more", "ok · HTTP 200 · p50 7.4ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	// The gateway row shows its fail finding, not dependency.unhealthy.
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "gateway ") && !strings.Contains(l, "gateway.no_healthy_upstream") {
			t.Errorf("gateway row = %q", l)
		}
	}
}

func TestGitHubAnnotations(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGitHub(&b, mixedReport(), TableOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if !strings.HasPrefix(lines[0], "::error title=updoc tcp.refused (users)::10.0.0.7%3A8080") &&
		!strings.HasPrefix(lines[0], "::error title=updoc tcp.refused (users)::10.0.0.7:8080 refused the connection%0ANext step") {
		t.Errorf("first annotation = %q", lines[0])
	}
	var errs, warns int
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "::error "):
			errs++
		case strings.HasPrefix(l, "::warning "):
			warns++
		}
	}
	if errs != 4 || warns != 6 {
		t.Errorf("errors %d warnings %d, want 4 and 6", errs, warns)
	}
	if !strings.Contains(b.String(), "UPSTREAM") {
		t.Error("the table must follow the annotations")
	}
	if got := ghProperty("a:b,c%d\ne"); got != "a%3Ab%2Cc%25d%0Ae" {
		t.Errorf("ghProperty = %q", got)
	}
	if got := ghData("50% a:b,c\r\n"); got != "50%25 a:b,c%0D%0A" {
		t.Errorf("ghData = %q", got)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	r := mixedReport()
	r.Upstreams[2].Findings[0].Message = "a|b <script> *x*"
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, `a\|b &lt;script&gt; \*x\*`) {
		t.Errorf("cell not escaped:\n%s", out)
	}
	// Every table row has the same number of unescaped pipes as its header.
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| Upstream") {
			if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 7 {
				t.Errorf("header has %d pipes", n)
			}
		}
		if strings.HasPrefix(l, "| users") {
			if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 7 {
				t.Errorf("row %q has %d cell separators, want 7", l, n)
			}
		}
	}
}

func TestRedactEverywhere(t *testing.T) {
	secrets := []string{secretToken, secretAuth}
	r := secretReport()
	Redact(r, secrets)
	outputs := map[string]func(*bytes.Buffer) error{
		"json":  func(b *bytes.Buffer) error { return WriteJSON(b, r) },
		"table": func(b *bytes.Buffer) error { return WriteTable(b, r, TableOptions{}) },
		"verbose": func(b *bytes.Buffer) error {
			return WriteTable(b, r, TableOptions{Verbose: true, Waterfall: true, Color: true, Width: 200})
		},
		"junit":    func(b *bytes.Buffer) error { return WriteJUnit(b, r) },
		"markdown": func(b *bytes.Buffer) error { return WriteMarkdown(b, r) },
		"github":   func(b *bytes.Buffer) error { return WriteGitHub(b, r, TableOptions{Verbose: true}) },
	}
	// Forms a secret may take in an output: as is, URL-escaped, JSON- or
	// Markdown-escaped pieces.
	needles := []string{secretToken, secretAuth, "s3cr3t", "abc.def.ghi", "T0ken%2F42"}
	for name, render := range outputs {
		var b bytes.Buffer
		if err := render(&b); err != nil {
			t.Fatal(err)
		}
		for _, n := range needles {
			if strings.Contains(b.String(), n) {
				t.Errorf("%s output contains secret %q", name, n)
			}
		}
		if !strings.Contains(b.String(), "[redacted]") {
			t.Errorf("%s output has no [redacted]", name)
		}
	}
}

func TestRedactDetails(t *testing.T) {
	r := secretReport()
	orig := secretReport()
	Redact(r, []string{"", secretToken, secretAuth})
	u := r.Upstreams[0]
	if u.URL != "https://billing.example.com/v1/health?token=[redacted]" {
		t.Errorf("URL = %q", u.URL)
	}
	if got := u.Targets[0].HTTP.BodyPrefix; got != `{"error":"invalid token [redacted]"}` {
		t.Errorf("URL-escaped secret not redacted: %q", got)
	}
	hdr := u.Findings[0].Evidence["request_headers"].(map[string]any)
	if hdr["Authorization"] != "[redacted]" || hdr["X-Token"].([]any)[0] != "[redacted]" {
		t.Errorf("nested evidence = %v", hdr)
	}
	if u.Findings[0].Evidence["status_code"] != 401.0 {
		t.Errorf("non-string evidence changed: %v", u.Findings[0].Evidence["status_code"])
	}
	if !u.Targets[0].TLS.Cert.NotAfter.Equal(orig.Upstreams[0].Targets[0].TLS.Cert.NotAfter) || !r.StartedAt.Equal(orig.StartedAt) {
		t.Error("times changed")
	}
	// Schema vocabulary survives a secret that happens to match it.
	r4 := mixedReport()
	Redact(r4, []string{"pass", "unhealthy", "tcp", "fail", "listening"})
	if u := r4.Upstream("users"); u.Status != Unhealthy || u.Layers.DNS != Pass || u.Findings[0].Code != "tcp.refused" ||
		u.Findings[0].Layer != "tcp" || u.Findings[0].Severity != Fail || r4.RootCauses[0].Code != "tcp.refused" {
		t.Errorf("vocabulary redacted: %+v", u)
	}
	if u := r4.Upstream("users"); u.Targets[0].TCP.Error != "connection refused" || !strings.Contains(u.Findings[0].Remediation[0], "[redacted]") {
		t.Errorf("free text not redacted: %+v", u.Findings[0])
	}
	// Longest first: a secret containing another is redacted whole.
	got := RedactString("key=abcdef", []string{"abc", "abcdef"})
	if got != "key=[redacted]" {
		t.Errorf("longest first: %q", got)
	}
	// No secrets: nothing changes.
	r2 := mixedReport()
	Redact(r2, nil)
	if !reflect.DeepEqual(r2, mixedReport()) {
		t.Error("Redact with no secrets changed the report")
	}
	Redact(nil, []string{"x"})
	// An error value in evidence becomes its redacted text.
	r3 := &Report{Upstreams: []Upstream{{Findings: []Finding{{Evidence: map[string]any{"err": errors.New("dial with pw hunter2"), "kind": errString("pw hunter2")}}}}}}
	Redact(r3, []string{"hunter2"})
	if got := r3.Upstreams[0].Findings[0].Evidence["err"]; got != "dial with pw [redacted]" {
		t.Errorf("error evidence = %#v", got)
	}
	if got := r3.Upstreams[0].Findings[0].Evidence["kind"]; got != errString("pw [redacted]") {
		t.Errorf("string-kinded error evidence = %#v", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestUpstreamLookupAndRanks(t *testing.T) {
	r := mixedReport()
	if u := r.Upstream("orders"); u == nil || u.Name != "orders" {
		t.Errorf("Upstream(orders) = %v", u)
	}
	if r.Upstream("nope") != nil {
		t.Error("Upstream(nope) != nil")
	}
	if !(StatusRank(Healthy) < StatusRank(Degraded) && StatusRank(Degraded) < StatusRank(Unhealthy)) {
		t.Error("StatusRank order")
	}
	if WorstStatus("", Healthy) != Healthy || WorstStatus(Degraded, Healthy) != Degraded {
		t.Error("WorstStatus")
	}
	if k := r.Upstream("edge").PrimaryFinding(); r.Upstream("edge").Findings[k].Code != "gateway.bad_gateway" {
		t.Error("PrimaryFinding must prefer the fail finding over dependency.unhealthy")
	}
}

func TestWrapTruncate(t *testing.T) {
	if got := textfmt.Truncate("gateway.no_healthy_upstream", 10); got != "gateway.n…" || utf8.RuneCountInString(got) != 10 {
		t.Errorf("truncate = %q", got)
	}
	lines := wrap("one two three four five six seven", 9, 2)
	if len(lines) != 2 || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("wrap = %q", lines)
	}
	for _, l := range wrap("averyveryverylongword x", 5, 0) {
		if textfmt.Width(l) > 5 {
			t.Errorf("wrap line %q too wide", l)
		}
	}
}

func TestJSONLineIsTheSameDocumentOnOneLine(t *testing.T) {
	for name, mk := range fixtures() {
		t.Run(name, func(t *testing.T) {
			r := mk()
			var pretty, line bytes.Buffer
			if err := WriteJSON(&pretty, r); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSONLine(&line, r); err != nil {
				t.Fatal(err)
			}
			if n := bytes.Count(line.Bytes(), []byte("\n")); n != 1 || !bytes.HasSuffix(line.Bytes(), []byte("\n")) {
				t.Fatalf("want exactly one trailing newline, got %d newlines", n)
			}
			var a, b any
			if err := json.Unmarshal(pretty.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(line.Bytes(), &b); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) {
				t.Error("the one-line document differs from the indented one")
			}
		})
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

func TestImpactPhraseFollowsTheDependentsStatus(t *testing.T) {
	r := &Report{Upstreams: []Upstream{
		{Name: "db", Status: Unhealthy}, {Name: "orders", Status: Unhealthy},
		{Name: "edge", Status: Degraded}, {Name: "users", Status: Degraded}, {Name: "api", Status: Healthy},
	}}
	tests := []struct {
		affects []string
		want    string
	}{
		{nil, ""},
		{[]string{"orders", "edge", "users"}, "takes down 1 upstream: orders; degrades 2: edge, users"},
		{[]string{"edge"}, "degrades 1 upstream: edge"},
		{[]string{"api"}, "api depends on it but is still healthy"},
		{[]string{"orders", "api"}, "takes down 1 upstream: orders; api depends on it but is still healthy"},
	}
	for _, tt := range tests {
		if got := r.ImpactPhrase(RootCause{Upstream: "db", Affects: tt.affects}); got != tt.want {
			t.Errorf("affects %v: %q, want %q", tt.affects, got, tt.want)
		}
	}
}

// TestWaterfallErrorPrefixNotDoubled: an error that already names its layer
// ("tls: ...") is not prefixed again in the waterfall head.
func TestWaterfallErrorPrefixNotDoubled(t *testing.T) {
	for _, tt := range []struct {
		target Target
		want   string
	}{
		{Target{Address: "127.0.0.1:1", TCP: &TCP{Status: Pass, DurationMS: 0.1},
			TLS: &TLS{Status: LFail, DurationMS: 0.2, Error: "tls: first record does not look like a TLS handshake"}},
			"(tls: first record does not look like a TLS handshake)"},
		{Target{Address: "127.0.0.1:1", TCP: &TCP{Status: LFail, DurationMS: 0.1, Error: "connection refused"}},
			"(tcp: connection refused)"},
		{Target{Address: "127.0.0.1:1", TCP: &TCP{Status: Pass, DurationMS: 0.1},
			HTTP: &HTTP{Status: LFail, Error: "net/http: timeout awaiting response headers", TimingsMS: Timings{Connect: 0.1, Total: 5000}}},
			"(net/http: timeout awaiting response headers)"},
	} {
		r := &Report{Schema: Schema, Status: Unhealthy, Upstreams: []Upstream{{
			Name: "api", URL: "https://127.0.0.1:1/", Status: Unhealthy, Targets: []Target{tt.target}, Findings: []Finding{},
		}}}
		var b bytes.Buffer
		if err := WriteTable(&b, r, TableOptions{Waterfall: true, Width: 200}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, tt.want) || strings.Contains(out, "tls: tls:") || strings.Contains(out, "http: net/http:") {
			t.Errorf("waterfall:\n%s\nwant it to contain %q, without a doubled prefix", out, tt.want)
		}
	}
}

// Finding's MarshalJSON lists the fields by hand: it must keep up with the struct.
func TestFindingJSONHasEveryField(t *testing.T) {
	b, err := json.Marshal(Finding{Code: "c", Target: "t", Evidence: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if n := reflect.TypeOf(Finding{}).NumField(); len(m) != n {
		t.Fatalf("JSON has %d keys, Finding has %d fields: %s", len(m), n, b)
	}
	b, _ = json.Marshal(Finding{})
	if !strings.Contains(string(b), `"target":null`) {
		t.Fatalf("an empty target must be null: %s", b)
	}
}
