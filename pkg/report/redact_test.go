package report

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

func TestRedactEverywhere(t *testing.T) {
	secrets := []string{secretToken, secretAuth}
	r := secretReport()
	Sanitize(r, secrets)
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
	Sanitize(r, []string{"", secretToken, secretAuth})
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
	Sanitize(r4, []string{"pass", "unhealthy", "tcp", "fail", "listening"})
	if u := r4.Upstream("users"); u.Status != Unhealthy || u.Layers.DNS != Pass || u.Findings[0].Code != "tcp.refused" ||
		u.Findings[0].Layer != "tcp" || u.Findings[0].Severity != Fail || r4.RootCauses[0].Code != "tcp.refused" {
		t.Errorf("vocabulary redacted: %+v", u)
	}
	if u := r4.Upstream("users"); u.Targets[0].TCP.Error != "connection refused" || !strings.Contains(u.Findings[0].Remediation[0], "[redacted]") {
		t.Errorf("free text not redacted: %+v", u.Findings[0])
	}
	// Longest first: a secret containing another is redacted whole.
	got := redactString("key=abcdef", []string{"abc", "abcdef"})
	if got != "key=[redacted]" {
		t.Errorf("longest first: %q", got)
	}
	// No secrets: nothing changes.
	r2 := mixedReport()
	Sanitize(r2, nil)
	if !reflect.DeepEqual(r2, mixedReport()) {
		t.Error("Sanitize with no secrets changed the report")
	}
	Sanitize(nil, []string{"x"})
	// An error value in evidence becomes its redacted text.
	r3 := &Report{Upstreams: []Upstream{{Findings: []Finding{{Evidence: map[string]any{"err": errors.New("dial with pw hunter2"), "kind": errString("pw hunter2")}}}}}}
	Sanitize(r3, []string{"hunter2"})
	if got := r3.Upstreams[0].Findings[0].Evidence["err"]; got != "dial with pw [redacted]" {
		t.Errorf("error evidence = %#v", got)
	}
	if got := r3.Upstreams[0].Findings[0].Evidence["kind"]; got != errString("pw [redacted]") {
		t.Errorf("string-kinded error evidence = %#v", got)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// TestRedactDerivedForms: a secret is redacted in any letter case and in
// the forms an upstream or an error message gives it (SPEC §2).
func TestRedactDerivedForms(t *testing.T) {
	const secret = `Tok"en<&>/+ü 42`
	for _, form := range []string{
		secret,
		`TOK"EN<&>/+Ü 42`, `tok"en<&>/+ü 42`, // other letter case, Unicode too
		`Tok%22en%3C%26%3E%2F%2B%C3%BC+42`, `tok%22en%3c%26%3e%2f%2b%c3%bc+42`, // query-escaped, lower-case hex
		`Tok%22en%3C&%3E%2F+%C3%BC%2042`,                                               // path-escaped
		`Tok\"en\u003c\u0026\u003e/+ü 42`, `Tok\"en<&>/+ü 42`, `Tok\"en<&>/+\u00fc 42`, // JSON, Go %q
		`Tok&#34;en&lt;&amp;&gt;/+ü 42`, `Tok&quot;en&lt;&amp;&gt;/+ü 42`, // HTML
		"VG9rImVuPCY+Lyvw", // base64 of its first 12 bytes: not a form
	} {
		got := redactString("before "+form+" after", []string{secret})
		want := "before [redacted] after"
		if form == "VG9rImVuPCY+Lyvw" {
			want = "before " + form + " after"
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", form, got, want)
		}
	}
	b64 := base64.StdEncoding.EncodeToString([]byte(secret))
	if got := redactString("auth "+b64, []string{secret}); got != "auth [redacted]" {
		t.Errorf("base64: %q", got)
	}
	// An upstream that decoded the secret from a query: + is a space.
	if got := redactString("a b%41", []string{"a+b%2541"}); got != "[redacted]" {
		t.Errorf("unescaped: %q", got)
	}
	// The Kelvin sign and the long s fold with k and s; İ and ı with i.
	if got := redactString("\u212Aey-\u017Fecret İd ıd", []string{"key-secret", "id", "ID"}); got != "[redacted] [redacted] [redacted]" {
		t.Errorf("Unicode folding: %q", got)
	}
	// Overlapping and adjacent secrets: one [redacted] for the stretch.
	if got := redactString("xxabcdefyy abcabc", []string{"abcd", "cdef", "abc"}); got != "xx[redacted]yy [redacted]" {
		t.Errorf("overlaps: %q", got)
	}
	// Invalid UTF-8 around and in a secret.
	if got := redactString("\xff\xfeS\xffCRET\xff", []string{"s\xffcret"}); got != "\xff\xfe[redacted]\xff" {
		t.Errorf("invalid UTF-8: %q", got)
	}
	// A string without a secret is returned as it is, not copied.
	s := strings.Repeat("no secret here ", 10)
	if got := redactString(s, []string{"hunter2"}); unsafe.StringData(got) != unsafe.StringData(s) {
		t.Error("a string without a secret was copied")
	}
}

// TestRedactManySecretsOnePass: the matcher reads each byte of a text a
// bounded number of times however many secrets share a prefix (no
// quadratic rescanning), counted as automaton steps.
func TestRedactManySecretsOnePass(t *testing.T) {
	var secrets []string
	for i := range 200 {
		secrets = append(secrets, strings.Repeat("a", 100)+fmt.Sprint(i))
	}
	text := strings.Repeat("a", 100_000) + "."
	m := newRedactor(secrets).m
	steps := 0
	m.onStep = func() { steps++ }
	if spans := m.find(text); spans != nil {
		t.Fatalf("found %v in a text without a secret", spans)
	}
	if steps > 3*len(text) {
		t.Errorf("%d automaton steps for %d bytes: not linear", steps, len(text))
	}
}

// TestRedactCutSecret: a text cut in the middle of a secret (a body
// prefix, a quote that ends in "…") does not show what it kept of it; a
// shorter beginning, or one not at the end, is left alone; and so is a
// short text that may not have been cut — a name, a key — however it
// ends (QA: an upstream "shop" beside a secret "shopping-key-77" was
// "[redacted]", and two such names broke serve's /metrics).
func TestRedactCutSecret(t *testing.T) {
	secrets := []string{"s3cret-token-42", "shopping-key-77"}
	body := strings.Repeat("x", minCutText)
	for text, want := range map[string]string{
		body + `{"token": "s3cret-to`: body + `{"token": "[redacted]`,
		`{"token": "S3CRET-TO…`:       `{"token": "[redacted]…`,
		`ends with s3c`:               `ends with s3c`,
		`s3cret-to is not cut`:        `s3cret-to is not cut`,
		`shop`:                        `shop`,
		`shopping`:                    `shopping`,
		`body`:                        `body`,
	} {
		if got := redactString(text, secrets); got != want {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
}
