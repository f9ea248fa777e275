package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	for name, mk := range fixtures() {
		t.Run(name, func(t *testing.T) {
			r := mk()
			var b bytes.Buffer
			if err := WriteJSON(&b, r); err != nil {
				t.Fatal(err)
			}
			doc := Document{Report: &Report{}}
			dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&doc); err != nil {
				t.Fatal(err)
			}
			back := *doc.Report
			if want := Normalize(r); !reflect.DeepEqual(&back, want) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", back, *want)
			}
			if got, want := len(doc.RootCauseGroups), len(r.RootCauseGroups()); got != want || (got > 0 && doc.RootCauseGroups[0].Code != r.RootCauseGroups()[0].Code) {
				t.Errorf("root_cause_groups: %+v, want %d groups like %+v", doc.RootCauseGroups, want, r.RootCauseGroups())
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

// The JSON written in parts (each upstream on its own) is byte for byte
// the document encoded at once, indented and on one line; also with
// strings that look like the key it is spliced at, and with no upstreams.
func TestJSONInPartsIsTheWholeDocument(t *testing.T) {
	tricky := mixedReport()
	tricky.Upstreams[0].Findings = append(tricky.Upstreams[0].Findings, Finding{
		Code: "http.server_error", Message: "\n  \"upstreams\": [] and \"upstreams\":[]",
		Evidence: map[string]any{"upstreams": []string{}},
	})
	reports := map[string]*Report{
		"healthy": healthyReport(), "mixed": mixedReport(), "secret": secretReport(), "probe": probeReport(),
		"cut short": cutShortReport(), "dead targets": deadTargetReport(40),
		"many dead targets": deadTargetReport(10 * upstreamsChunk), "tricky": tricky, "empty": {}, "nil": nil,
	}
	for name, r := range reports {
		for _, indent := range []string{"  ", ""} {
			var want bytes.Buffer
			n := Normalize(r)
			enc := json.NewEncoder(&want)
			enc.SetIndent("", indent)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(Document{n, groupsForJSON(n)}); err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := writeJSON(&got, r, indent); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s, indent %q: written in parts:\n%s\nwant:\n%s", name, indent, got.String(), want.String())
			}
		}
	}
}

// The JSON document lists the first AffectsShown upstreams a root cause
// (and its group) affects, with affects_total when there are more; the
// groups are folded from the whole lists; the report itself keeps them
// whole (the table counts them all).
func TestJSONAffectsAreBounded(t *testing.T) {
	r := deadTargetReport(2)
	var above []string
	for i := range 25 {
		above = append(above, fmt.Sprintf("app%02d", i))
	}
	r.RootCauses[0].Affects = above      // takes down 25
	r.RootCauses[1].Affects = above[20:] // 5 of them again
	r.RootCauses = append(r.RootCauses, RootCause{Upstream: "db", Code: "http.unavailable", Severity: Fail,
		Message: "db answered 503", Affects: above[:3]})
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		RootCauses []map[string]any `json:"root_causes"`
		Groups     []map[string]any `json:"root_cause_groups"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	check := func(what string, m map[string]any, shown int, total any) {
		t.Helper()
		if got := len(m["affects"].([]any)); got != shown {
			t.Errorf("%s: affects lists %d; want %d", what, got, shown)
		}
		if got, ok := m["affects_total"]; got != total || ok != (total != nil) {
			t.Errorf("%s: affects_total %v (present %v); want %v", what, got, ok, total)
		}
	}
	check("root cause 1", doc.RootCauses[0], AffectsShown, float64(25))
	check("root cause 2", doc.RootCauses[1], 5, nil)
	check("root cause 3", doc.RootCauses[2], 3, nil)
	check("the refused group", doc.Groups[0], AffectsShown, float64(25))
	check("the 503 group", doc.Groups[1], 3, nil)
	if got := doc.RootCauses[0]["affects"].([]any); got[0] != "app00" || got[9] != "app09" {
		t.Errorf("affects %v; want the first ten, app00 … app09", got)
	}
	if len(r.RootCauses[0].Affects) != 25 || r.RootCauses[0].AffectsTotal != 0 {
		t.Errorf("the report's own root cause changed: %d affects, total %d", len(r.RootCauses[0].Affects), r.RootCauses[0].AffectsTotal)
	}
}

// The upstreams are the same bytes whether one goroutine encodes them or
// several do, chunk by chunk, and they are written in order.
func TestUpstreamsEncodedAcrossCoresAreInOrder(t *testing.T) {
	ups := deadTargetReport(5*upstreamsChunk + 7).Upstreams
	for i := range ups {
		ups[i].DurationMS = float64(i) // every element differs
	}
	for _, l := range []upstreamsLayout{{"    ", "  ", ",\n    "}, {"", "", ","}} {
		var want bytes.Buffer
		if err := encodeUpstreams(&want, ups, l, 1); err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{2, 3, 8, 100} {
			var got bytes.Buffer
			if err := encodeUpstreams(&got, ups, l, workers); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%d workers, indent %q: not the bytes one goroutine writes", workers, l.indent)
			}
		}
	}
}

// failingWriter fails its writes from the n-th on (0-based).
type failingWriter struct{ n, writes int }

var errWriteFailed = errors.New("write failed")

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes > w.n {
		return 0, errWriteFailed
	}
	return len(p), nil
}

// A write that fails ends the encoding: its error is returned, nothing more
// is written, and encodeUpstreams returns (it waits for the goroutines it
// started, so returning means none is left).
func TestUpstreamsEncodingStopsAtAFailedWrite(t *testing.T) {
	ups := deadTargetReport(20 * upstreamsChunk).Upstreams
	l := upstreamsLayout{"    ", "  ", ",\n    "}
	for _, workers := range []int{1, 2, 4} {
		for _, n := range []int{0, 1, 5} {
			w := &failingWriter{n: n}
			if err := encodeUpstreams(w, ups, l, workers); !errors.Is(err, errWriteFailed) {
				t.Errorf("%d workers, failing from write %d: err %v, want %v", workers, n, err, errWriteFailed)
			}
			if w.writes != n+1 {
				t.Errorf("%d workers, failing from write %d: %d writes, want %d", workers, n, w.writes, n+1)
			}
		}
	}
}

// Normalize replaces each nil slice and map the schema shows as an array
// or object with an empty one, wherever it sits, and leaves the report it
// is given as it was.
func TestNormalizeFillsEveryNilAndLeavesTheReport(t *testing.T) {
	nils := func() *Report {
		return &Report{Upstreams: []Upstream{
			{Name: "a", DNS: &DNS{Queries: []DNSQuery{{}}},
				Targets:  []Target{{TLS: &TLS{Cert: &Cert{}}}},
				Findings: []Finding{{Code: "tcp.refused"}}},
			{Name: "b", DNS: &DNS{}},
			{Name: "c"},
		}}
	}
	r := nils()
	n := Normalize(r)
	if !reflect.DeepEqual(r, nils()) {
		t.Errorf("Normalize changed the report it was given: %+v", r)
	}
	a, b, c := n.Upstreams[0], n.Upstreams[1], n.Upstreams[2]
	for what, isNil := range map[string]bool{
		"depends_on":                 a.DependsOn == nil,
		"dns.addresses":              a.DNS.Addresses == nil,
		"dns.cname_chain":            a.DNS.CNAMEChain == nil,
		"dns.queries[0].addresses":   a.DNS.Queries[0].Addresses == nil,
		"dns.queries[0].cname_chain": a.DNS.Queries[0].CNAMEChain == nil,
		"targets[0].tls.cert.sans":   a.Targets[0].TLS.Cert.SANs == nil,
		"findings[0].remediation":    a.Findings[0].Remediation == nil,
		"findings[0].evidence":       a.Findings[0].Evidence == nil,
		"b: dns.queries":             b.DNS.Queries == nil,
		"c: targets":                 c.Targets == nil,
		"c: findings":                c.Findings == nil,
		"root_causes":                n.RootCauses == nil,
	} {
		if isNil {
			t.Errorf("%s is nil after Normalize", what)
		}
	}
}

// The JSON document holds no raw C1 or bidi control, whatever the report
// holds (issue 12: `cat report.json` in a terminal or a CI log): they are
// \uXXXX escapes, which decode to the same text.
func TestJSONEscapesC1AndBidi(t *testing.T) {
	msg := "CN=\u009b2J \u202eevil\u2066 \u200f ok"
	r := &Report{Upstreams: []Upstream{{Name: "a", Findings: []Finding{{Code: "tcp.refused", Message: msg, Evidence: map[string]any{"subject": msg}}}}}}
	for _, write := range []func(io.Writer, *Report) error{WriteJSON, WriteJSONLine} {
		var b bytes.Buffer
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"\u009b", "\u202e", "\u2066", "\u200f"} {
			if strings.Contains(b.String(), c) {
				t.Fatalf("raw %q in %s", c, b.String())
			}
		}
		if !strings.Contains(b.String(), `\u009b2J \u202eevil`) {
			t.Errorf("not escaped as \\uXXXX: %s", b.String())
		}
		var back Report
		if err := json.Unmarshal(b.Bytes(), &Document{Report: &back}); err != nil || back.Upstreams[0].Findings[0].Message != msg {
			t.Errorf("decodes to %q (%v), want %q", back.Upstreams[0].Findings[0].Message, err, msg)
		}
	}
}
