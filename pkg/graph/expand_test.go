package graph

import (
	"errors"
	"strings"
	"testing"
)

func TestEnvExpansion(t *testing.T) {
	lookup := env("HOST", "api.internal", "TOKEN", "abc123", "EMPTY", "", "PORT", "8443")
	tests := []struct {
		name, in, want string
		secret         bool
		err            string
	}{
		{name: "plain", in: "plain", want: "plain"},
		{name: "var", in: "${TOKEN}", want: "abc123", secret: true},
		{name: "embedded", in: "x-${TOKEN}-y", want: "x-abc123-y", secret: true},
		{name: "dollar dollar", in: "cost $$5", want: "cost $5"},
		{name: "dollar dollar brace", in: "$${TOKEN}", want: "${TOKEN}"},
		{name: "lone dollar", in: "a $b $", want: "a $b $"},
		{name: "empty var is set", in: "[${EMPTY}]", want: "[]", secret: true},
		{name: "unset", in: "${NOPE}", err: "environment variable NOPE is not set"},
		{name: "unterminated", in: "${TOKEN", err: `unterminated "${"`},
		{name: "bad name", in: "${1X}", err: `invalid variable reference "${1X}"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nupstreams:\n  api:\n    url: https://${HOST}:${PORT}/h\n    body: '" + tt.in + "'\n    headers:\n      X-Value: '" + tt.in + "'\n"
			g, err := loadString(t, src, lookup)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				var errs Errors
				errors.As(err, &errs)
				if len(errs) != 2 || errs[0].Line != 5 || errs[1].Line != 7 || !strings.HasPrefix(errs[0].Msg, "body: ") || !strings.HasPrefix(errs[1].Msg, "headers.X-Value: ") {
					t.Errorf("errors = %v, want one at body (line 5) and one at the header (line 7)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			u := g.Lookup("api")
			if u.RawURL != "https://api.internal:8443/h" || u.URL.Host != "api.internal:8443" {
				t.Errorf("url = %q %v", u.RawURL, u.URL)
			}
			if u.Body != tt.want || u.Headers[0].Value != tt.want {
				t.Errorf("body, header = %q, %q; want %q", u.Body, u.Headers[0].Value, tt.want)
			}
			if u.Headers[0].Secret != tt.secret {
				t.Errorf("Secret = %v, want %v", u.Headers[0].Secret, tt.secret)
			}
		})
	}
}

func TestUnsetVariableInURLIsNotLeaked(t *testing.T) {
	src := "version: 1\nupstreams:\n  api:\n    url: https://user:${PASS}@api.internal/${MISSING}\n"
	_, err := loadString(t, src, env("PASS", "topsecret"))
	if err == nil || !strings.Contains(err.Error(), "test.yaml:4:10: url: environment variable MISSING is not set") {
		t.Fatalf("err = %v", err)
	}
	src = "version: 1\nupstreams:\n  api:\n    url: ftp://user:${PASS}@api.internal/\n"
	_, err = loadString(t, src, env("PASS", "topsecret"))
	if err == nil || strings.Contains(err.Error(), "topsecret") || !strings.Contains(err.Error(), `"ftp://user:[redacted]@api.internal/"`) {
		t.Fatalf("err = %v, want the url quoted with its password hidden", err)
	}
}

// TestExpandedValuesNeverInErrors: an error about a value that contained
// ${VAR} shows the value as written and never the expanded value, even in
// what the URL parser quotes of it (SPEC §2).
func TestExpandedValuesNeverInErrors(t *testing.T) {
	lookup := env("SECRET_TOK", "hunter2", "MIXED", "HuNtEr2", "BAD_HEADER", "hunter2\nX-Evil: 1",
		"ESC", "ab%zzcd", "HOSTV", "hunter2_host!")
	tests := []struct {
		name, field, value string
		want               []string // substrings of the error
	}{
		{name: "url port", field: "url", value: "http://127.0.0.1:${SECRET_TOK}/",
			want: []string{`"http://127.0.0.1:${SECRET_TOK}/" is not a valid URL`, `invalid port ":${SECRET_TOK}" after host`}},
		{name: "url scheme", field: "url", value: "${SECRET_TOK}://127.0.0.1:1/",
			want: []string{`unsupported scheme "${SECRET_TOK}" in "${SECRET_TOK}://127.0.0.1:1/"`}},
		{name: "url scheme lower-cased by the parser", field: "url", value: "${MIXED}://127.0.0.1:1/",
			want: []string{`unsupported scheme "${MIXED}"`}},
		{name: "url port with literal digits", field: "url", value: "tcp://db.internal:54${SECRET_TOK}",
			want: []string{`"tcp://db.internal:54${SECRET_TOK}" is not a valid URL`, `":54${SECRET_TOK}"`}},
		{name: "url escape inside a value", field: "url", value: "http://127.0.0.1:1/${ESC}",
			want: []string{`invalid URL escape "${ESC}"`}},
		{name: "url host", field: "url", value: "http://${HOSTV}/",
			want: []string{`"http://${HOSTV}/"`}},
		{name: "url with unset var next to a set one", field: "url", value: "http://127.0.0.1:${SECRET_TOK}/${NOPE}",
			want: []string{"environment variable NOPE is not set"}},
		{name: "header line break", field: "headers", value: "{X-Token: \"${BAD_HEADER}\"}",
			want: []string{"headers.X-Token: a header value must not contain line breaks or NUL"}},
		{name: "header unset var", field: "headers", value: "{X-Token: \"${SECRET_TOK}-${NOPE}\"}",
			want: []string{"headers.X-Token: environment variable NOPE is not set"}},
		{name: "body unset var", field: "body", value: "\"{\\\"t\\\": \\\"${SECRET_TOK}\\\", \\\"u\\\": \\\"${NOPE}\\\"}\"",
			want: []string{"body: environment variable NOPE is not set"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nupstreams:\n  api:\n"
			if tt.field == "url" {
				src += "    url: \"" + tt.value + "\"\n"
			} else {
				src += "    url: http://127.0.0.1:1/\n    " + tt.field + ": " + tt.value + "\n"
			}
			_, err := loadString(t, src, lookup)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, leak := range []string{"hunter2", "HuNtEr2", "%zz", "X-Evil"} {
				if strings.Contains(strings.ToLower(msg), strings.ToLower(leak)) {
					t.Errorf("error shows the expanded value %q: %s", leak, msg)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error = %s\nwant it to contain %s", msg, w)
				}
			}
		})
	}
}
