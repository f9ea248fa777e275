package graph

import (
	"slices"
	"testing"
)

func TestSecretHeaders(t *testing.T) {
	src := `version: 1
defaults:
  headers:
    cookie: session=abc
upstreams:
  api:
    url: https://u:pw@api.internal
    headers:
      AUTHORIZATION: Basic dXNlcjpwYXNz
      Proxy-Authorization: ""
      X-Api-Key: ${KEY}
      X-Trace: on
`
	g := mustLoad(t, src, env("KEY", "k-123"))
	secret := map[string]bool{}
	for _, h := range g.Lookup("api").Headers {
		secret[h.Name] = h.Secret
	}
	want := map[string]bool{"cookie": true, "AUTHORIZATION": true, "Proxy-Authorization": true, "X-Api-Key": true, "X-Trace": false}
	for k, v := range want {
		if secret[k] != v {
			t.Errorf("header %s Secret = %v, want %v", k, secret[k], v)
		}
	}
	got := g.Secrets()
	// With the decoded Basic credential, and the url's user:password and
	// its base64.
	wantS := []string{"Basic dXNlcjpwYXNz", "dXNlcjpwYXNz", "session=abc", "user:pass", "dTpwdw==", "k-123", "pass", "u:pw", "pw"}
	if !slices.Equal(got, wantS) {
		t.Errorf("Secrets() = %q, want %q", got, wantS)
	}
}

// TestSecretsIncludeExpandedValues: every value a ${VAR} reference expanded
// to — in the url, a header or the body, the upstream's own or that of
// defaults: — is a secret, on its own, even inside a longer value (SPEC §2).
func TestSecretsIncludeExpandedValues(t *testing.T) {
	src := `version: 1
defaults:
  body: '{"id": "${PROBE}"}'
upstreams:
  api:
    url: https://${HOST}/v1/${PATH_TOKEN}?k=${QUERY_KEY}
    headers:
      X-Key: key=${HEADER_KEY}
      X-Empty: "${EMPTY}"
  other:
    url: http://other.internal
    body: ${BODY_TOKEN}
`
	g := mustLoad(t, src, env("HOST", "api.internal", "PATH_TOKEN", "path-tok-1", "QUERY_KEY", "qk-2",
		"HEADER_KEY", "hk-3", "PROBE", "probe-4", "BODY_TOKEN", "body-tok-5", "EMPTY", ""))
	// Longest first, in the order found among equals; the header's whole
	// value (it came from ${VAR}) and the value on its own; no empty value,
	// probe-4 once though both upstreams send it.
	want := []string{"api.internal", "path-tok-1", "body-tok-5", "key=hk-3", "probe-4", "qk-2", "hk-3"}
	if got := g.Secrets(); !slices.Equal(got, want) {
		t.Errorf("Secrets() = %q\nwant %q", got, want)
	}
	// A graph without ${VAR} has no such secrets.
	if got := mustLoad(t, "version: 1\nupstreams:\n  a: {url: http://a, body: plain}\n", env()).Secrets(); len(got) != 0 {
		t.Errorf("Secrets() = %q, want none", got)
	}
}

// TestSecretsDerivedForms: what an upstream may echo of a credential is
// secret too — a cookie's value without its name, a Basic credential's
// user:password and password (decoded), and the base64 credential a url's
// userinfo (or a proxy's) is sent as (SPEC §2).
func TestSecretsDerivedForms(t *testing.T) {
	src := `version: 1
upstreams:
  api:
    url: http://alice:pa55word@api.internal/
    proxy: http://proxyuser:proxypw1@proxy.internal:3128
    headers:
      Cookie: "sid=c00kie-1; theme=dark; x=ab"
      Authorization: Basic Ym9iOmh1bnRlcjI=
  other:
    url: http://other.internal/
    headers:
      Proxy-Authorization: basic Y2Fyb2w6c2VjcmV0LXB3
      X-Token: ${TOKEN}
`
	g := mustLoad(t, src, env("TOKEN", "Basic ZGF2ZTp0b2tlbi1wdw=="))
	got := g.Secrets()
	for _, want := range []string{
		"sid=c00kie-1; theme=dark; x=ab", "c00kie-1", "sid=c00kie-1", "dark", "theme=dark", "x=ab", // cookies
		"Basic Ym9iOmh1bnRlcjI=", "Ym9iOmh1bnRlcjI=", "bob:hunter2", "hunter2", // Authorization: Basic
		"carol:secret-pw", "secret-pw", // Proxy-Authorization, any case of "Basic"
		"pa55word", "alice:pa55word", "YWxpY2U6cGE1NXdvcmQ=", // the url's userinfo
		"proxypw1", "proxyuser:proxypw1", "cHJveHl1c2VyOnByb3h5cHcx", // the proxy's
		"Basic ZGF2ZTp0b2tlbi1wdw==", "dave:token-pw", "token-pw", // a ${VAR} value that is a Basic credential
	} {
		if !slices.Contains(got, want) {
			t.Errorf("Secrets() lacks %q: %q", want, got)
		}
	}
	// A piece shorter than 4 bytes would redact common text: not on its own.
	for _, short := range []string{"ab", "x"} {
		if slices.Contains(got, short) {
			t.Errorf("Secrets() holds the short piece %q", short)
		}
	}
}

// A URL with an empty password ("monitor:@") has no secret: "monitor:"
// would blank the user name out of every URL that shows it.
func TestEmptyPasswordIsNoSecret(t *testing.T) {
	g := mustLoad(t, "version: 1\nupstreams:\n  api:\n    url: http://monitor:@api.internal/\n    proxy: http://probe:@proxy.internal:3128\n", env())
	if got := g.Secrets(); len(got) != 0 {
		t.Errorf("Secrets() = %q, want none", got)
	}
}
