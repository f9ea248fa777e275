package graph

import (
	"encoding/pem"
	"fmt"
	"net/url"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/internal/safefile"
	"github.com/updoc/updoc/internal/suggest"
)

// The decoders of the keys whose values need more than their shape
// (shapes.go): each takes the key's pair and its path in messages, reports
// every problem at its place in the file, and returns the value for the
// key's apply (schema.go) with ok false when the value is unusable.

// Names, tags and HTTP tokens are checked byte by byte (no regexp: nothing
// is compiled before main, and a name is checked for every upstream).

// validName: an upstream name, ASCII letters, digits and . _ - (not empty).
func validName(s string) bool { return asciiWordOf(s, "._-") }

// validTag: a tag, ASCII letters, digits and . _ : / - (not empty).
func validTag(s string) bool { return asciiWordOf(s, "._:/-") }

// isToken: an HTTP token (RFC 9110 §5.6.2), as a method or a header name.
func isToken(s string) bool { return asciiWordOf(s, "!#$%&'*+.^_`|~-") }

// asciiWordOf reports whether s is not empty and each of its bytes is an
// ASCII letter, an ASCII digit or one of extra (ASCII).
func asciiWordOf(s, extra string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(extra, c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// statusClass returns the first digit of a status class written "2xx"
// (1-5, x in either case), ok false for anything else.
func statusClass(s string) (digit int, ok bool) {
	if len(s) != 3 || s[0] < '1' || s[0] > '5' || !strings.EqualFold(s[1:], "xx") {
		return 0, false
	}
	return int(s[0] - '0'), true
}

// ipFamilies are the values of ip_family.
var ipFamilies = []string{string(IPFamilyAny), string(IPFamilyV4), string(IPFamilyV6)}

// parsedURL is a decoded url: the URL and the text it was parsed from (after
// ${VAR} expansion).
type parsedURL struct {
	url *url.URL
	raw string
	// written is the url as the file wrote it when it holds ${VAR}
	// references ("" otherwise).
	written string
}

func (d *decoder) url(p pair, path string) (parsedURL, bool) {
	s, ok := d.str(p, path)
	if !ok {
		return parsedURL{}, false
	}
	expanded, subs, ok := d.expandAt(at(p), path, s)
	if !ok {
		return parsedURL{}, false
	}
	// Messages quote the url as written (before expansion, password hidden),
	// and what the parser quotes of the expanded url has every expanded
	// value put back as its ${VAR}, so that no value from the environment
	// reaches them (SPEC §2).
	u, problem := parseURL(expanded, redactURL(s), subs.scrub, subs.scrubQuoted)
	if problem != "" {
		d.errorf(at(p), "%s: %s", path, problem)
		return parsedURL{}, false
	}
	out := parsedURL{url: u, raw: expanded}
	if subs != nil {
		out.written = s
	}
	return out, true
}

// dep is one depends_on entry and where it stands.
type dep struct {
	name string
	node *yaml.Node
}

// dependsOn decodes depends_on. The entries that are strings are kept even
// when others are not, so that checkDeps checks them too.
func (d *decoder) dependsOn(p pair, path string) ([]dep, bool) {
	names, nodes, _ := d.strList(p, path, "[users, orders]")
	var out []dep
	for i, n := range names {
		out = append(out, dep{n, nodes[i]})
	}
	return out, true
}

func depNames(deps []dep) []string {
	out := []string{}
	for _, dp := range deps {
		out = append(out, dp.name)
	}
	return out
}

// targets decodes targets: the valid entries, every other one reported.
func (d *decoder) targets(p pair, path string) ([]string, bool) {
	list, nodes, _ := d.strList(p, path, `["10.0.0.11:80", "10.0.0.12:80"]`)
	var out []string
	seen := map[string]int{}
	for i, t := range list {
		if problem := checkHostPort(t); problem != "" {
			d.errorf(nodes[i], "%s[%d]: %q %s; want HOST:PORT with a port 1-65535, e.g. \"10.0.0.11:80\"", path, i, t, problem)
			continue
		}
		if j, dup := seen[t]; dup {
			d.errorf(nodes[i], "%s[%d]: %q is listed twice (also %s[%d])", path, i, t, path, j)
			continue
		}
		seen[t] = i
		out = append(out, t)
	}
	return out, true
}

func (d *decoder) method(p pair, path string) (string, bool) {
	m, ok := d.str(p, path)
	if ok && !isToken(m) {
		d.errorf(at(p), "%s: want an HTTP method like GET, HEAD or POST, got %q", path, m)
		return "", false
	}
	return m, ok
}

// headers decodes a mapping of header names to values: ${VAR} expands in
// the values, and a value that came from one is Secret.
func (d *decoder) headers(p pair, path string) ([]Header, bool) {
	out := []Header{}
	for _, h := range d.entries(p.v, mapCtx{path: path, where: path, noun: "header", fold: true}) {
		if !isToken(h.name) {
			d.errorf(h.k, "%s: %q is not a valid header name (letters, digits and !#$%%&'*+.^_`|~-, no spaces or colons)", path, h.name)
			continue
		}
		hp := path + "." + h.name
		v, ok := d.str(h, hp)
		if !ok {
			continue
		}
		written := v
		v, subs, ok := d.expandAt(at(h), hp, v)
		if !ok {
			continue
		}
		if subs == nil {
			written = ""
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			d.errorf(at(h), "%s: a header value must not contain line breaks or NUL", hp)
			continue
		}
		out = append(out, Header{Name: h.name, Value: v, Secret: isSecretHeader(h.name) || subs != nil, Written: written})
	}
	return out, true
}

// mergeHeaders returns base without the headers that over names (in any
// letter case), then over: how an upstream's headers merge into those of
// defaults:. The result is a new slice.
func mergeHeaders(base, over []Header) []Header {
	out := make([]Header, 0, len(base)+len(over))
	for _, h := range base {
		if !slices.ContainsFunc(over, func(o Header) bool { return strings.EqualFold(o.Name, h.Name) }) {
			out = append(out, h)
		}
	}
	return append(out, over...)
}

// requestBody is the request body, and as the file wrote it when ${VAR}
// references expanded in it ("" otherwise).
type requestBody struct {
	value, written string
}

// body decodes the request body: a string in which ${VAR} expands.
func (d *decoder) body(p pair, path string) (requestBody, bool) {
	b, ok := d.str(p, path)
	if !ok {
		return requestBody{}, false
	}
	out := requestBody{written: b}
	var subs substitutions
	out.value, subs, ok = d.expandAt(at(p), path, b)
	if subs == nil {
		out.written = ""
	}
	return out, ok
}

const statusWant = `want status codes 100-599 or ranges "1xx".."5xx"`

// status decodes expect.status: a status or range, or a list of them.
func (d *decoder) status(p pair, path string) ([]StatusRange, bool) {
	v := resolve(p.v)
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = v.Content
		if len(items) == 0 {
			d.errorf(at(p), "%s: the list is empty; %s, e.g. [200, 204] or [\"2xx\"]", path, statusWant)
			return nil, false
		}
	}
	var out []StatusRange
	ok := true
	for _, e := range items {
		e = resolve(e)
		r, good := parseStatus(e)
		if !good {
			if e.Kind == yaml.ScalarNode && e.Tag == "!!int" {
				d.errorf(atNode(e, p.k), "%s: %s is not an HTTP status; %s", path, e.Value, statusWant)
			} else {
				d.errorf(atNode(e, p.k), "%s: %s, got %s", path, statusWant, describe(e))
			}
			ok = false
			continue
		}
		out = append(out, r)
	}
	if !ok {
		return nil, false
	}
	return out, true
}

func parseStatus(e *yaml.Node) (StatusRange, bool) {
	if e.Kind != yaml.ScalarNode {
		return StatusRange{}, false
	}
	if e.Tag == "!!int" || e.Tag == "!!str" {
		if d, ok := statusClass(e.Value); ok && e.Tag == "!!str" {
			lo := d * 100
			return StatusRange{Lo: lo, Hi: lo + 99}, true
		}
		if n, err := strconv.Atoi(e.Value); err == nil && n >= 100 && n <= 599 {
			return StatusRange{Lo: n, Hi: n}, true
		}
	}
	return StatusRange{}, false
}

// pattern decodes a regular expression in Go's RE2 syntax.
func (d *decoder) pattern(p pair, path string) (*regexp.Regexp, bool) {
	s, ok := d.str(p, path)
	if !ok {
		return nil, false
	}
	re, err := regexp.Compile(s)
	if err != nil {
		msg := err.Error()
		if se, ok := err.(*syntax.Error); ok {
			msg = fmt.Sprintf("%s in `%s`", se.Code, se.Expr)
		}
		d.errorf(at(p), "%s: invalid regular expression: %s (Go RE2 syntax)", path, msg)
		return nil, false
	}
	return re, true
}

func (d *decoder) certMinDays(p pair, path string) (int, bool) {
	n, ok := d.integer(p, path, 0, "a whole number of days, 0 or more")
	return int(n), ok
}

func (d *decoder) samples(p pair, path string) (int, bool) {
	n, ok := d.integer(p, path, 0, "a whole number of latency samples, 0 or more (0 turns the latency layer off)")
	return int(n), ok
}

func (d *decoder) resolvers(p pair, path string) ([]Resolver, bool) {
	list, nodes, ok := d.strList(p, path, `[system, "1.1.1.1:53"]`)
	if !ok {
		return nil, false
	}
	if len(list) == 0 {
		d.errorf(at(p), "%s: the list is empty; use [system] or name at least one resolver like \"1.1.1.1:53\"", path)
		return nil, false
	}
	var out []Resolver
	for i, r := range list {
		res, problem := ParseResolver(r)
		if problem != "" {
			d.errorf(nodes[i], "%s[%d]: %q is not a valid resolver: %s; want \"system\", HOST, HOST:PORT, udp://HOST:PORT or tcp://HOST:PORT", path, i, r, problem)
			ok = false
			continue
		}
		out = append(out, res)
	}
	return out, ok
}

func (d *decoder) ipFamily(p pair, path string) (string, bool) {
	f, ok := d.str(p, path)
	if ok && !slices.Contains(ipFamilies, f) {
		d.errorf(at(p), "%s: want any, ipv4 or ipv6, got %q%s", path, f, suggest.DidYouMean(f, ipFamilies))
		return "", false
	}
	return f, ok
}

// tags decodes tags: the valid tags once each, every invalid one reported.
func (d *decoder) tags(p pair, path string) ([]string, bool) {
	list, nodes, ok := d.strList(p, path, "[storage, critical]")
	if !ok {
		return nil, false
	}
	out := []string{}
	for i, t := range list {
		if !validTag(t) {
			d.errorf(nodes[i], "%s[%d]: invalid tag %q%s: use ASCII letters, digits and . _ : / -", path, i, t, notASCII(t))
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, true
}

// notASCII names the first character of s that is not ASCII, as part of
// a message (" (\"é\" is not ASCII)"), or is "" when s is ASCII.
func notASCII(s string) string {
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return fmt.Sprintf(" (%q is not ASCII)", string(r))
		}
	}
	return ""
}

// nonEmpty decodes a string that must not be empty.
func (d *decoder) nonEmpty(p pair, path string) (string, bool) {
	s, ok := d.str(p, path)
	if ok && s == "" {
		d.errorf(at(p), "%s: must not be empty", path)
		return "", false
	}
	return s, ok
}

// serverName decodes tls.server_name: a host name or an IP address, as a
// url's host is checked. It is sent as SNI and pasted into remediation
// commands (openssl s_client -servername NAME), so nothing else passes.
func (d *decoder) serverName(p pair, path string) (string, bool) {
	s, ok := d.nonEmpty(p, path)
	if !ok {
		return "", false
	}
	if problem := checkServerName(s); problem != "" {
		d.errorf(at(p), "%s: %q %s", path, s, problem)
		return "", false
	}
	return s, true
}

// tlsFile decodes the path of a TLS file (ca_file, cert_file, key_file),
// relative to the graph file's directory, into an absolute path. A file
// that cannot be opened now is reported here rather than as a certificate
// problem when probing.
func (d *decoder) tlsFile(p pair, path string) (string, bool) {
	s, ok := d.nonEmpty(p, path)
	if !ok {
		return "", false
	}
	file := absPath(d.dir, s)
	data, err := safefile.Read(file, safefile.PEMLimit)
	if err != nil {
		d.errorf(at(p), "%s: %s", path, tlsFileProblem(file, err))
	} else if problem := pemProblem(data, strings.HasSuffix(path, "key_file")); problem != "" {
		d.errorf(at(p), "%s: %s %s", path, file, problem)
	}
	return file, true
}

// pemProblem says what is wrong with the contents of a TLS file, "" when
// nothing: it must hold a PEM certificate (ca_file, cert_file) or a PEM
// private key (key_file, wantKey). A file that holds neither is the
// graph's mistake, found here — not a handshake that fails later and is
// blamed on the server.
func pemProblem(data []byte, wantKey bool) string {
	found := map[bool]bool{} // is a key → seen
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			break
		}
		found[strings.HasSuffix(b.Type, "PRIVATE KEY")] = true
	}
	switch {
	case wantKey && !found[true]:
		return "holds no PEM private key (-----BEGIN PRIVATE KEY-----); name the key of the client certificate"
	case !wantKey && !found[false]:
		return "holds no PEM certificate (-----BEGIN CERTIFICATE-----); name a PEM file of certificates"
	}
	return ""
}

// tlsFileProblem says why the TLS file at file cannot be used (err from
// safefile) and what to do.
func tlsFileProblem(file string, err error) string {
	problem, ok := fileProblem(err, "a PEM file", "name a PEM file")
	if !ok {
		problem += " (a relative path is relative to the graph file's directory)"
	}
	return "cannot read " + file + ": " + problem
}

// certAndKey checks a tls block: cert_file and key_file go together.
func (d *decoder) certAndKey(path string, set settings) {
	cert, key := set.of(certFileKey), set.of(keyFileKey)
	switch {
	case cert.ok && !key.ok:
		d.errorf(cert.at, "%s: %s needs %s too (a client certificate and its private key go together)", path, certFileKey.name, keyFileKey.name)
	case key.ok && !cert.ok:
		d.errorf(key.at, "%s: %s needs %s too (a client certificate and its private key go together)", path, keyFileKey.name, certFileKey.name)
	}
}

// proxy decodes the proxy key: none, env or a proxy URL. With env, the
// environment's proxy variables must name proxies updoc can use.
func (d *decoder) proxy(p pair, path string) (Proxy, bool) {
	s, ok := d.str(p, path)
	if !ok {
		return Proxy{}, false
	}
	switch ProxyMode(s) {
	case ProxyNone:
		return Proxy{Mode: ProxyNone}, true
	case ProxyFromEnv:
		for _, v := range ReadProxyEnv(d.env).proxies() {
			if _, problem := ParseProxyURL(v.Value); v.IsSet() && problem != "" {
				d.errorf(at(p), "%s: env: %s=%q is not a proxy URL: %s",
					path, v.Name, redactURL(v.Value), problem)
				ok = false
			}
		}
		return Proxy{Mode: ProxyFromEnv}, ok
	}
	u, problem := ParseProxyURL(s)
	if problem != "" {
		d.errorf(at(p), "%s: want none, env or a proxy URL like http://HOST:PORT or socks5://HOST:PORT; %q: %s",
			path, redactURL(s), problem)
		return Proxy{}, false
	}
	return Proxy{Mode: ProxyURL, URL: u}, true
}
