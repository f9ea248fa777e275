package graph

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
)

// Secrets returns the secret values of the graph, for redaction (SPEC §2):
// the values of secret headers (Header.Secret) and, of a credential such
// as "Bearer TOKEN" or "Basic BASE64", the credential on its own and, for
// Basic, its decoded user:password and password; of a Cookie, each
// name=value and each value; the passwords of the url and of the proxies
// (the key's and the environment's), with the user:password and its base64
// that Basic authentication sends; and every value a ${VAR} reference
// expanded to, in a url, a header or a body (the upstream's own or that of
// defaults:). A derived piece shorter than 4 bytes is left out: it would
// redact common text. Non-empty, longest first, without duplicates.
func (g *Graph) Secrets() []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	addPiece := func(s string) {
		if len(s) >= minSecretPiece {
			add(s)
		}
	}
	for _, u := range g.Upstreams {
		for _, h := range u.Headers {
			if !h.Secret {
				continue
			}
			add(h.Value)
			credentialPieces(h.Value, addPiece)
			if strings.EqualFold(h.Name, "cookie") {
				cookiePieces(h.Value, addPiece)
			}
		}
		for _, withPassword := range []*url.URL{u.URL, u.Proxy.URL, u.Proxy.Env.HTTP.URL, u.Proxy.Env.HTTPS.URL, u.Proxy.Env.All.URL} {
			if withPassword != nil && withPassword.User != nil {
				// An empty password is no secret: "user:" would blank the
				// user name out of every URL that shows it.
				if p, ok := withPassword.User.Password(); ok && p != "" {
					add(p)
					userPass := withPassword.User.Username() + ":" + p
					addPiece(userPass)
					addPiece(base64.StdEncoding.EncodeToString([]byte(userPass)))
				}
			}
		}
		for _, s := range u.expanded {
			add(s)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// minSecretPiece is the shortest piece of a secret (a cookie's value, a
// decoded password) redacted on its own.
const minSecretPiece = 4

// credentialPieces passes to add the pieces of an Authorization-style
// value "SCHEME CREDENTIAL": the credential and, for Basic, the decoded
// user:password and password.
func credentialPieces(v string, add func(string)) {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return
	}
	cred = strings.TrimSpace(cred)
	add(cred)
	if !strings.EqualFold(scheme, "basic") {
		return
	}
	dec, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		if dec, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(cred, "=")); err != nil {
			return
		}
	}
	add(string(dec))
	if _, pw, ok := strings.Cut(string(dec), ":"); ok {
		add(pw)
	}
}

// cookiePieces passes to add each name=value of a Cookie header and each
// value on its own.
func cookiePieces(v string, add func(string)) {
	for _, pair := range strings.Split(v, ";") {
		pair = strings.TrimSpace(pair)
		add(pair)
		if _, val, ok := strings.Cut(pair, "="); ok {
			add(strings.Trim(strings.TrimSpace(val), `"`))
		}
	}
}

// isSecretHeader reports whether a header's value is secret whatever it is:
// Authorization, Cookie, Proxy-Authorization.
func isSecretHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "cookie", "proxy-authorization":
		return true
	}
	return false
}
