package graph

import (
	"regexp"
	"slices"
	"time"
)

// The graph file's keys, each declared once (SPEC §2). The decoder derives
// from these tables everything it knows about keys: which keys a mapping
// allows and which "did you mean" picks from, the hints for a key in the
// wrong place (a key of expect: or tls: one level too high, an upstream's
// key in defaults: or at the top level), which upstreams may set a key (the
// scheme rules), how a value is decoded, and how the built-in defaults,
// defaults: and the upstream's own keys make its Upstream (build).
//
// Adding a key takes three edits: its entry here (name, where it may
// appear, the schemes that use it, a one-line description, how its value
// decodes and where it goes in the Upstream), its field in Upstream
// (types.go), and its default in builtin (defaults.go).

// A key is one key of the graph file.
type key struct {
	name string
	// doc says in one line what the key is: the description the JSON
	// Schema of the graph file gives it. Defaults are not repeated here;
	// they live in defaults.go only.
	doc string
	// in says where the key may appear. The keys of a block (expect, tls,
	// policy) appear where their block does: their in is 0.
	in place
	// schemes are the schemes of the upstreams that use the key; nil: every
	// scheme. An upstream of another scheme that sets the key is an error
	// (keys set in defaults: are not checked: they apply to the upstreams
	// that use them). A block's are those of its keys together (usedBy).
	schemes []Scheme
	// keys are the keys of a block (expect, tls, policy, defaults); for
	// upstreams, whose entries the file names, the keys of each entry.
	keys []*key
	// decode reads a leaf's value, reporting every problem at its place in
	// the file; path names the key in messages ("defaults.expect.status").
	// ok is false when the value is unusable. nil for a block and for the
	// top-level keys, which decode.go reads itself.
	decode func(d *decoder, p pair, path string) (v any, ok bool)
	// apply sets a decoded value on an upstream. build calls it with the
	// value of defaults:, then with the upstream's own: most keys replace,
	// headers merge by name.
	apply func(u *Upstream, v any)
	// check validates a block once its keys are decoded (tls: cert_file
	// and key_file go together); nil: nothing to check.
	check func(d *decoder, path string, set settings)
}

// place is where in the graph file a key may appear.
type place uint8

const (
	atTop      place = 1 << iota // the top level
	inDefaults                   // defaults:
	inUpstream                   // upstreams.NAME:
)

// shared keys are set on an upstream, or in defaults: for every upstream.
const shared = inDefaults | inUpstream

// The schemes of the upstreams that use a key (key.schemes).
var (
	// httpSchemes: the key shapes the HTTP request or judges its answer.
	httpSchemes = []Scheme{SchemeHTTP, SchemeHTTPS}
	// tlsSchemes: the key configures the TLS handshake.
	tlsSchemes = []Scheme{SchemeHTTPS, SchemeTLS}
	// tlsTrustSchemes use tls.ca_file and tls.insecure_skip_verify: SPEC
	// §2 allows them on http:// upstreams too, for redirects to https.
	tlsTrustSchemes = []Scheme{SchemeHTTP, SchemeHTTPS, SchemeTLS}
)

// leafKey declares a key that holds a value: decode reads it from the file
// (T is the decoded value), apply sets it on an upstream.
func leafKey[T any](name string, in place, schemes []Scheme, doc string,
	decode func(*decoder, pair, string) (T, bool), apply func(*Upstream, T)) *key {
	return &key{
		name: name, in: in, schemes: schemes, doc: doc,
		decode: func(d *decoder, p pair, path string) (any, bool) { return decode(d, p, path) },
		apply:  func(u *Upstream, v any) { apply(u, v.(T)) },
	}
}

// topKeys are the keys of the top level of the graph file.
var topKeys = []*key{versionKey, defaultsKey, policyKey, upstreamsKey}

var (
	versionKey  = &key{name: "version", in: atTop, doc: "The version of the graph file format: 1."}
	defaultsKey = &key{name: "defaults", in: atTop, keys: upstreamKeys,
		doc: "Settings for every upstream that does not set them itself."}
	policyKey = &key{name: "policy", in: atTop, keys: []*key{severityKey},
		doc: "Changes to the severity of cause codes."}
	severityKey = &key{name: "severity",
		doc: "Cause code → warn, fail or ignore: the severity its findings get, or none."}
	upstreamsKey = &key{name: "upstreams", in: atTop, keys: upstreamKeys,
		doc: "The upstreams to probe, by name (letters, digits, '.', '_' and '-')."}
)

// upstreamKeys are the keys of an upstream, in the order messages list
// them; those with inDefaults may also be set in defaults:.
var upstreamKeys = []*key{
	urlKey,
	dependsOnKey,
	leafKey("method", shared, httpSchemes, "The HTTP method of the request.",
		(*decoder).method, func(u *Upstream, v string) { u.Method = v }),
	leafKey("headers", shared, httpSchemes, "Request headers by name; ${VAR} expands. Those of defaults: and of the upstream merge by name, case-insensitively; the upstream's win.",
		(*decoder).headers, func(u *Upstream, v []Header) { u.Headers = mergeHeaders(u.Headers, v) }),
	leafKey("body", shared, httpSchemes, "The request body; ${VAR} expands.",
		(*decoder).body, func(u *Upstream, v requestBody) { u.Body, u.BodyWritten = v.value, v.written }),
	expectKey,
	targetsKey,
	leafKey("resolvers", shared, nil, `The DNS resolvers to ask: "system", HOST, HOST:PORT, udp://HOST:PORT or tcp://HOST:PORT.`,
		(*decoder).resolvers, func(u *Upstream, v []Resolver) { u.Resolvers = slices.Clone(v) }),
	timeoutKey,
	samplesKey,
	leafKey("follow_redirects", shared, httpSchemes, "Whether the request follows redirects.",
		(*decoder).boolean, func(u *Upstream, v bool) { u.FollowRedirects = v }),
	leafKey("max_body", shared, httpSchemes, `How much of an answer's body is read: bytes, or a size like "512KiB"; the rest is not read.`,
		(*decoder).size, func(u *Upstream, v int64) { u.MaxBody = v }),
	tlsKey,
	leafKey("ip_family", shared, nil, "Which addresses of the host to probe: any, ipv4 or ipv6.",
		(*decoder).ipFamily, func(u *Upstream, v string) { u.IPFamily = IPFamily(v) }),
	proxyKey,
	leafKey("tags", shared, nil, "Labels to select upstreams by (--tags); the upstream's replace those of defaults:.",
		(*decoder).tags, func(u *Upstream, v []string) { u.Tags = slices.Clone(v) }),
	leafKey("description", inUpstream, nil, "What the upstream is, for the people who read the reports.",
		(*decoder).str, func(u *Upstream, v string) { u.Description = v }),
}

// The keys the decoder and WithRunSettings name.
var (
	urlKey = leafKey("url", inUpstream, nil, "What to probe: an http://, https://, tcp://HOST:PORT or tls://HOST:PORT url; ${VAR} expands.",
		(*decoder).url, func(u *Upstream, v parsedURL) { u.URL, u.RawURL, u.URLWritten = v.url, v.raw, v.written })
	dependsOnKey = leafKey("depends_on", inUpstream, nil, "The upstreams this one needs: a failure there explains one here.",
		(*decoder).dependsOn, func(u *Upstream, v []dep) { u.DependsOn = depNames(v) })
	timeoutKey = leafKey("timeout", shared, nil, "The timeout of each operation: one DNS query, connect, TLS handshake or HTTP exchange.",
		(*decoder).duration, func(u *Upstream, v time.Duration) { u.Timeout = v })
	targetsKey = leafKey("targets", inUpstream, nil, `The replicas to probe instead of the resolved addresses, as HOST:PORT ("10.0.0.11:80").`,
		(*decoder).targets, func(u *Upstream, v []string) { u.Targets = v })
	proxyKey = leafKey("proxy", shared, httpSchemes, `How to reach the upstream: none (directly), env (the proxy HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY name, as curl reads them) or a proxy URL "http://HOST:PORT", "socks5://HOST:PORT". Not used with targets.`,
		(*decoder).proxy, func(u *Upstream, v Proxy) { u.Proxy.Mode, u.Proxy.URL = v.Mode, v.URL })
	samplesKey = leafKey("samples", shared, nil, "How many latency samples to take per target; 0 turns the latency layer off. An upstream whose method writes (not GET, HEAD or OPTIONS) takes none unless it sets samples itself.",
		(*decoder).samples, func(u *Upstream, v int) { u.Samples = v })
)

var expectKey = &key{name: "expect", in: shared, doc: "What a healthy answer looks like.", keys: []*key{
	leafKey("status", 0, httpSchemes, `The statuses a healthy answer has, before redirects are followed: codes (200) or ranges ("2xx").`,
		(*decoder).status, func(u *Upstream, v []StatusRange) { u.Expect.Status = slices.Clone(v) }),
	leafKey("body_contains", 0, httpSchemes, "Text a healthy answer's body contains.",
		(*decoder).str, func(u *Upstream, v string) { u.Expect.BodyContains = v }),
	leafKey("body_regex", 0, httpSchemes, "A regular expression (Go RE2 syntax) a healthy answer's body matches.",
		(*decoder).pattern, func(u *Upstream, v *regexp.Regexp) { u.Expect.BodyRegex = v }),
	leafKey("max_latency", 0, nil, "The p90 latency above which latency.slow is reported; unset: no such check.",
		(*decoder).duration, func(u *Upstream, v time.Duration) { u.Expect.MaxLatency = v }),
	leafKey("cert_min_days", 0, nil, "Days of certificate validity left below which tls.cert_expiring is reported.",
		(*decoder).certMinDays, func(u *Upstream, v int) { u.Expect.CertMinDays = v }),
}}

var tlsKey = &key{name: "tls", in: shared, doc: "How to do the TLS handshake.", check: (*decoder).certAndKey, keys: []*key{
	leafKey("server_name", 0, tlsSchemes, "The server name to send (SNI) and verify the certificate against, instead of the url's host.",
		(*decoder).serverName, func(u *Upstream, v string) { u.TLS.ServerName = v }),
	leafKey("ca_file", 0, tlsTrustSchemes, "A PEM file of the CA certificates to trust instead of the system's; relative to the graph file.",
		(*decoder).tlsFile, func(u *Upstream, v string) { u.TLS.CAFile = v }),
	certFileKey,
	keyFileKey,
	leafKey("insecure_skip_verify", 0, tlsTrustSchemes, "Accept the server's certificate without verifying it.",
		(*decoder).boolean, func(u *Upstream, v bool) { u.TLS.InsecureSkipVerify = v }),
}}

var (
	certFileKey = leafKey("cert_file", 0, tlsSchemes, "A PEM client certificate to present (with key_file); relative to the graph file.",
		(*decoder).tlsFile, func(u *Upstream, v string) { u.TLS.CertFile = v })
	keyFileKey = leafKey("key_file", 0, tlsSchemes, "The PEM private key of cert_file; relative to the graph file.",
		(*decoder).tlsFile, func(u *Upstream, v string) { u.TLS.KeyFile = v })
)

// names lists the names of the keys that may appear at pl (0: all of
// them), in declaration order: the allowed keys of a mapping.
func names(keys []*key, pl place) []string {
	var out []string
	for _, k := range keys {
		if pl == 0 || k.in&pl != 0 {
			out = append(out, k.name)
		}
	}
	return out
}

// find returns the key called name among keys, or nil.
func find(keys []*key, name string) *key {
	for _, k := range keys {
		if k.name == name {
			return k
		}
	}
	return nil
}

// blockHolding returns the block among keys one of whose keys is called
// name, or nil.
func blockHolding(keys []*key, name string) *key {
	for _, k := range keys {
		if k.keys != nil && find(k.keys, name) != nil {
			return k
		}
	}
	return nil
}

// leaves lists the keys that hold values among keys and in their blocks.
func leaves(keys []*key) []*key {
	var out []*key
	for _, k := range keys {
		if k.keys != nil {
			out = append(out, leaves(k.keys)...)
		} else {
			out = append(out, k)
		}
	}
	return out
}

// usedBy returns the schemes of the upstreams that use k, nil for every
// scheme: a leaf's own, a block's those of its keys together.
func (k *key) usedBy() []Scheme {
	if k.keys == nil {
		return k.schemes
	}
	var out []Scheme
	for _, c := range k.keys {
		used := c.usedBy()
		if used == nil {
			return nil
		}
		for _, s := range used {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}
