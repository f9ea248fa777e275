package report

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

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
