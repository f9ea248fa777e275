package graph

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/pkg/catalog"
)

// Keys accepted in each mapping of the graph file.
var (
	topKeys      = []string{"version", "defaults", "policy", "upstreams"}
	upstreamKeys = []string{"url", "depends_on", "method", "headers", "body", "expect", "targets", "resolvers",
		"timeout", "samples", "follow_redirects", "max_body", "tls", "ip_family", "tags", "description"}
	defaultsKeys = []string{"method", "headers", "body", "expect", "resolvers",
		"timeout", "samples", "follow_redirects", "max_body", "tls", "ip_family", "tags"}
	expectKeys = []string{"status", "body_contains", "body_regex", "max_latency", "cert_min_days"}
	tlsKeys    = []string{"server_name", "ca_file", "cert_file", "key_file", "insecure_skip_verify"}
	policyKeys = []string{"severity"}
)

// Built-in defaults, applied when neither the upstream nor defaults sets a key.
const (
	DefaultMethod      = "GET"
	DefaultMaxBody     = 1 << 20
	DefaultCertMinDays = 14
	DefaultIPFamily    = "any"
	DefaultTimeout     = 5 * time.Second
	DefaultSamples     = 10
)

// DefaultStatus is expect.status when neither the upstream nor defaults
// sets it: 2xx and 3xx (the status before redirects are followed).
func DefaultStatus() []StatusRange { return []StatusRange{{200, 299}, {300, 399}} }

var (
	nameRE   = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	tagRE    = regexp.MustCompile(`^[A-Za-z0-9._:/-]+$`)
	tokenRE  = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
	statusRE = regexp.MustCompile(`^([1-5])[xX][xX]$`)
)

type decoder struct {
	file string
	dir  string // where relative TLS file paths resolve (Graph.Dir)
	env  func(string) (string, bool)
	errs Errors
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, n.Column
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// describe names a node's value for "got ..." in messages.
func describe(n *yaml.Node) string {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "an empty value"
		case "!!str":
			return strconv.Quote(n.Value)
		}
		return n.Value
	}
	return "an unexpected YAML node"
}

type pair struct {
	key  string
	k, v *yaml.Node
}

// mapCtx describes a mapping for pairs: where it is (for messages), which
// keys it allows (nil = any), and what its keys are.
type mapCtx struct {
	path    string // "upstreams.users", "expect", "" (top level)
	where   string // "upstream \"users\"", "defaults", "the top level"
	allowed []string
	noun    string // "key", "upstream", "header", "cause code"
	fold    bool   // keys compare case-insensitively
}

// pairs checks that n is a mapping (an empty value counts as an empty
// mapping), reports duplicate and unknown keys, and returns the remaining
// key/value pairs in order.
func (d *decoder) pairs(n *yaml.Node, c mapCtx) []pair {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		what := "a mapping"
		if c.noun == "upstream" {
			what = "a mapping of upstream names to their settings"
		}
		if c.path == "" {
			d.errorf(n, "want %s, got %s", what, describe(n))
		} else {
			d.errorf(n, "%s: want %s, got %s", c.path, what, describe(n))
		}
		return nil
	}
	noun := c.noun
	if noun == "" {
		noun = "key"
	}
	seen := map[string]*yaml.Node{}
	var out []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "keys must be plain strings (%s), got %s", c.loc(), describe(k))
			continue
		}
		key := k.Value
		if key == "<<" && k.Tag == "!!merge" {
			d.errorf(k, "YAML merge keys (<<) are not supported; put shared settings under defaults:")
			continue
		}
		id := key
		if c.fold {
			id = strings.ToLower(key)
		}
		if first, dup := seen[id]; dup {
			if c.fold && first.Value != key {
				d.errorf(k, "duplicate %s %q %s (first defined at line %d as %q; %s names are case-insensitive)", noun, key, c.loc(), first.Line, first.Value, noun)
			} else {
				d.errorf(k, "duplicate %s %q %s (first defined at line %d)", noun, key, c.loc(), first.Line)
			}
			continue
		}
		seen[id] = k
		if c.allowed != nil && !slices.Contains(c.allowed, key) {
			d.unknownKey(k, v, key, c)
			continue
		}
		out = append(out, pair{key, k, v})
	}
	return out
}

var keyHomes = func() map[string]string {
	m := map[string]string{}
	for _, k := range expectKeys {
		m[k] = "expect"
	}
	for _, k := range tlsKeys {
		m[k] = "tls"
	}
	return m
}()

func (c mapCtx) loc() string {
	if c.path == "" {
		return "at the top level"
	}
	return "in " + c.where
}

func (d *decoder) unknownKey(k, v *yaml.Node, key string, c mapCtx) {
	allowed := strings.Join(c.allowed, ", ")
	switch {
	case c.where == "defaults" && slices.Contains(upstreamKeys, key):
		d.errorf(k, "%q cannot be set in defaults; set it on each upstream (allowed in defaults: %s)", key, allowed)
		return
	case c.path == "" && slices.Contains(upstreamKeys, key):
		d.errorf(k, "unknown key %q at the top level; settings shared by every upstream go under defaults:, per-upstream ones under upstreams.NAME (allowed keys here: %s)", key, allowed)
		return
	case c.path == "" && resolve(v).Kind == yaml.MappingNode && Suggest(key, c.allowed) == "":
		for _, p := range d.quietPairs(v) {
			if p.key == "url" {
				d.errorf(k, "unknown key %q at the top level; it looks like an upstream: move it under upstreams: (allowed keys here: %s)", key, allowed)
				return
			}
		}
	}
	if home, ok := keyHomes[key]; ok && home != c.path && (slices.Equal(c.allowed, upstreamKeys) || slices.Equal(c.allowed, defaultsKeys)) {
		d.errorf(k, "unknown key %q %s; it belongs under %s: (allowed keys here: %s)", key, c.loc(), home, allowed)
		return
	}
	d.errorf(k, "unknown key %q %s%s; allowed keys: %s", key, c.loc(), didYouMean(key, c.allowed), allowed)
}

// quietPairs lists a mapping's scalar keys without reporting anything.
func (d *decoder) quietPairs(n *yaml.Node) []pair {
	n = resolve(n)
	var out []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolve(n.Content[i]); k.Kind == yaml.ScalarNode {
			out = append(out, pair{k.Value, k, n.Content[i+1]})
		}
	}
	return out
}

// at picks the node to report a value error at: the value, or its key when
// the value is empty (an empty value has no useful position of its own).
func at(p pair) *yaml.Node {
	if v := resolve(p.v); v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" {
		return p.k
	}
	return p.v
}

// ---- scalar decoders ----

func (d *decoder) str(p pair, path string) (string, bool) {
	v := resolve(p.v)
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		d.errorf(at(p), "%s: want a string, got %s", path, describe(v))
		return "", false
	}
	return v.Value, true
}

func (d *decoder) boolean(p pair, path string) (bool, bool) {
	v := resolve(p.v)
	if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
		var b bool
		if err := v.Decode(&b); err == nil {
			return b, true
		}
	}
	d.errorf(at(p), "%s: want true or false, got %s", path, describe(v))
	return false, false
}

func (d *decoder) integer(p pair, path string, minimum int64, want string) (int64, bool) {
	v := resolve(p.v)
	if v.Kind == yaml.ScalarNode && v.Tag == "!!int" {
		var i int64
		if err := v.Decode(&i); err == nil {
			if i < minimum {
				d.errorf(at(p), "%s: want %s, got %d", path, want, i)
				return 0, false
			}
			return i, true
		}
	}
	d.errorf(at(p), "%s: want %s, got %s", path, want, describe(v))
	return 0, false
}

func (d *decoder) duration(p pair, path string) (time.Duration, bool) {
	v := resolve(p.v)
	if v.Kind == yaml.ScalarNode && v.Tag == "!!int" {
		d.errorf(at(p), "%s: want a duration like 5s, got %s (add a unit: %ss or %sms)", path, v.Value, v.Value, v.Value)
		return 0, false
	}
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		d.errorf(at(p), "%s: want a duration like 5s, got %s", path, describe(v))
		return 0, false
	}
	dur, err := time.ParseDuration(v.Value)
	if err != nil {
		d.errorf(at(p), "%s: want a duration like 5s, got %q", path, v.Value)
		return 0, false
	}
	if dur <= 0 {
		d.errorf(at(p), "%s: must be greater than 0, got %q", path, v.Value)
		return 0, false
	}
	return dur, true
}

var sizeRE = regexp.MustCompile(`^\s*(\d+)\s*([A-Za-z]*)\s*$`)

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1000, "kb": 1000, "kib": 1 << 10,
	"m": 1000 * 1000, "mb": 1000 * 1000, "mib": 1 << 20,
	"g": 1000 * 1000 * 1000, "gb": 1000 * 1000 * 1000, "gib": 1 << 30,
}

// size decodes an int of bytes or a string like "512KiB" or "1MiB".
func (d *decoder) size(p pair, path string) (int64, bool) {
	const want = `want a size in bytes (e.g. 1048576) or a string like "512KiB" or "1MiB"`
	v := resolve(p.v)
	if v.Kind == yaml.ScalarNode && (v.Tag == "!!int" || v.Tag == "!!str") {
		if m := sizeRE.FindStringSubmatch(v.Value); m != nil {
			n, err := strconv.ParseInt(m[1], 10, 64)
			unit, ok := sizeUnits[strings.ToLower(m[2])]
			if err == nil && ok && n > 0 && n <= (1<<62)/unit {
				return n * unit, true
			}
			if err == nil && ok && n == 0 {
				d.errorf(at(p), "%s: must be greater than 0, got %s", path, describe(v))
				return 0, false
			}
		}
	}
	d.errorf(at(p), "%s: %s, got %s", path, want, describe(v))
	return 0, false
}

// strList decodes a list of strings.
func (d *decoder) strList(p pair, path, example string) ([]string, []*yaml.Node, bool) {
	v := resolve(p.v)
	if isNull(v) {
		return nil, nil, true
	}
	if v.Kind != yaml.SequenceNode {
		d.errorf(at(p), "%s: want a list like %s, got %s", path, example, describe(v))
		return nil, nil, false
	}
	ok := true
	var out []string
	var nodes []*yaml.Node
	for i, e := range v.Content {
		e = resolve(e)
		if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
			d.errorf(e, "%s[%d]: want a string, got %s", path, i, describe(e))
			ok = false
			continue
		}
		out = append(out, e.Value)
		nodes = append(nodes, e)
	}
	return out, nodes, ok
}

// ---- settings shared by defaults and upstreams ----

// settings holds what one defaults block or upstream sets; nil / unset
// fields fall back (see merge).
type settings struct {
	method          *string
	headers         []Header
	body            *string
	expect          rawExpect
	resolvers       []Resolver
	timeout         *time.Duration
	samples         *int
	followRedirects *bool
	maxBody         *int64
	tls             rawTLS
	ipFamily        *string
	tags            []string
	tagsSet         bool
}

type rawExpect struct {
	status       []StatusRange
	bodyContains *string
	bodyRegex    *regexp.Regexp
	maxLatency   *time.Duration
	certMinDays  *int
}

type rawTLS struct {
	serverName *string
	caFile     *string
	certFile   *string // set together with keyFile
	keyFile    *string
	insecure   *bool
}

func ptr[T any](v T) *T { return &v }

// setting decodes one key shared by defaults and upstreams into s.
func (d *decoder) setting(p pair, prefix string, s *settings) {
	path := prefix + p.key
	switch p.key {
	case "method":
		if m, ok := d.str(p, path); ok {
			if !tokenRE.MatchString(m) {
				d.errorf(at(p), "%s: want an HTTP method like GET, HEAD or POST, got %q", path, m)
				return
			}
			s.method = ptr(m)
		}
	case "headers":
		s.headers = d.headers(p, path)
	case "body":
		if b, ok := d.str(p, path); ok {
			if b, _, ok := d.expandAt(at(p), path, b); ok {
				s.body = ptr(b)
			}
		}
	case "expect":
		d.expect(p, path, &s.expect)
	case "resolvers":
		list, nodes, ok := d.strList(p, path, `[system, "1.1.1.1:53"]`)
		if !ok {
			return
		}
		if len(list) == 0 {
			d.errorf(at(p), "%s: the list is empty; use [system] or name at least one resolver like \"1.1.1.1:53\"", path)
			return
		}
		for i, r := range list {
			res, problem := ParseResolver(r)
			if problem != "" {
				d.errorf(nodes[i], "%s[%d]: %q is not a valid resolver: %s; want \"system\", HOST, HOST:PORT, udp://HOST:PORT or tcp://HOST:PORT", path, i, r, problem)
				ok = false
				continue
			}
			s.resolvers = append(s.resolvers, res)
		}
		if !ok {
			s.resolvers = nil
		}
	case "timeout":
		if t, ok := d.duration(p, path); ok {
			s.timeout = ptr(t)
		}
	case "samples":
		if n, ok := d.integer(p, path, 0, "a whole number of latency samples, 0 or more (0 turns the latency layer off)"); ok {
			s.samples = ptr(int(n))
		}
	case "follow_redirects":
		if b, ok := d.boolean(p, path); ok {
			s.followRedirects = ptr(b)
		}
	case "max_body":
		if n, ok := d.size(p, path); ok {
			s.maxBody = ptr(n)
		}
	case "tls":
		d.tls(p, path, &s.tls)
	case "ip_family":
		if f, ok := d.str(p, path); ok {
			fams := []string{"any", "ipv4", "ipv6"}
			if !slices.Contains(fams, f) {
				d.errorf(at(p), "%s: want any, ipv4 or ipv6, got %q%s", path, f, didYouMean(f, fams))
				return
			}
			s.ipFamily = ptr(f)
		}
	case "tags":
		list, nodes, ok := d.strList(p, path, "[storage, critical]")
		if !ok {
			return
		}
		seen := map[string]bool{}
		for i, t := range list {
			if !tagRE.MatchString(t) {
				d.errorf(nodes[i], "%s[%d]: invalid tag %q: use letters, digits and . _ : / -", path, i, t)
				continue
			}
			if !seen[t] {
				seen[t] = true
				s.tags = append(s.tags, t)
			}
		}
		s.tagsSet = true
	}
}

func (d *decoder) headers(p pair, path string) []Header {
	var out []Header
	for _, h := range d.pairs(p.v, mapCtx{path: path, where: path, noun: "header", fold: true}) {
		if !tokenRE.MatchString(h.key) {
			d.errorf(h.k, "%s: %q is not a valid header name (letters, digits and !#$%%&'*+.^_`|~-, no spaces or colons)", path, h.key)
			continue
		}
		hp := path + "." + h.key
		v, ok := d.str(h, hp)
		if !ok {
			continue
		}
		secret := isSecretHeader(h.key)
		v, subs, ok := d.expandAt(at(h), hp, v)
		if !ok {
			continue
		}
		used := subs != nil
		if strings.ContainsAny(v, "\r\n\x00") {
			d.errorf(at(h), "%s: a header value must not contain line breaks or NUL", hp)
			continue
		}
		out = append(out, Header{Name: h.key, Value: v, Secret: secret || used})
	}
	if out == nil {
		out = []Header{}
	}
	return out
}

func isSecretHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "cookie", "proxy-authorization":
		return true
	}
	return false
}

func (d *decoder) expect(p pair, path string, e *rawExpect) {
	for _, q := range d.pairs(p.v, mapCtx{path: path, where: path, allowed: expectKeys}) {
		qp := path + "." + q.key
		switch q.key {
		case "status":
			e.status = d.status(q, qp)
		case "body_contains":
			if s, ok := d.str(q, qp); ok {
				e.bodyContains = ptr(s)
			}
		case "body_regex":
			if s, ok := d.str(q, qp); ok {
				re, err := regexp.Compile(s)
				if err != nil {
					msg := err.Error()
					if se, ok := err.(*syntax.Error); ok {
						msg = fmt.Sprintf("%s in `%s`", se.Code, se.Expr)
					}
					d.errorf(at(q), "%s: invalid regular expression: %s (Go RE2 syntax)", qp, msg)
					continue
				}
				e.bodyRegex = re
			}
		case "max_latency":
			if t, ok := d.duration(q, qp); ok {
				e.maxLatency = ptr(t)
			}
		case "cert_min_days":
			if n, ok := d.integer(q, qp, 0, "a whole number of days, 0 or more"); ok {
				e.certMinDays = ptr(int(n))
			}
		}
	}
}

const statusWant = `want status codes 100-599 or ranges "1xx".."5xx"`

func (d *decoder) status(p pair, path string) []StatusRange {
	v := resolve(p.v)
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = v.Content
		if len(items) == 0 {
			d.errorf(at(p), "%s: the list is empty; %s, e.g. [200, 204] or [\"2xx\"]", path, statusWant)
			return nil
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
		return nil
	}
	return out
}

func atNode(v, k *yaml.Node) *yaml.Node {
	if isNull(v) && v.Value == "" {
		return k
	}
	return v
}

func parseStatus(e *yaml.Node) (StatusRange, bool) {
	if e.Kind != yaml.ScalarNode {
		return StatusRange{}, false
	}
	if e.Tag == "!!int" || e.Tag == "!!str" {
		if m := statusRE.FindStringSubmatch(e.Value); m != nil && e.Tag == "!!str" {
			lo := int(m[1][0]-'0') * 100
			return StatusRange{Lo: lo, Hi: lo + 99}, true
		}
		if n, err := strconv.Atoi(e.Value); err == nil && n >= 100 && n <= 599 {
			return StatusRange{Lo: n, Hi: n}, true
		}
	}
	return StatusRange{}, false
}

func (d *decoder) tls(p pair, path string, t *rawTLS) {
	var cert, key *string
	var certNode, keyNode *yaml.Node
	for _, q := range d.pairs(p.v, mapCtx{path: path, where: path, allowed: tlsKeys}) {
		qp := path + "." + q.key
		if q.key == "insecure_skip_verify" {
			if b, ok := d.boolean(q, qp); ok {
				t.insecure = ptr(b)
			}
			continue
		}
		s, ok := d.str(q, qp)
		if !ok {
			continue
		}
		if s == "" {
			d.errorf(at(q), "%s: must not be empty", qp)
			continue
		}
		if q.key != "server_name" {
			d.readable(q, qp, s)
		}
		switch q.key {
		case "server_name":
			t.serverName = ptr(s)
		case "ca_file":
			t.caFile = ptr(s)
		case "cert_file":
			cert, certNode = ptr(s), q.k
		case "key_file":
			key, keyNode = ptr(s), q.k
		}
	}
	switch {
	case cert != nil && key == nil:
		d.errorf(certNode, "%s: cert_file needs key_file too (a client certificate and its private key go together)", path)
	case key != nil && cert == nil:
		d.errorf(keyNode, "%s: key_file needs cert_file too (a client certificate and its private key go together)", path)
	case cert != nil:
		t.certFile, t.keyFile = cert, key
	}
}

// readable reports a TLS file (ca_file, cert_file, key_file) that cannot be
// opened now rather than as a certificate problem when probing.
func (d *decoder) readable(p pair, path, file string) {
	f, err := os.Open(absPath(d.dir, file))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		d.errorf(at(p), "%s: cannot read %s: %v (a relative path is relative to the graph file's directory)", path, absPath(d.dir, file), err)
		return
	}
	f.Close()
}

// ---- top level ----

type dep struct {
	name string
	node *yaml.Node
}

type rawUpstream struct {
	name    string
	k       *yaml.Node
	s       settings
	url     *url.URL
	rawURL  string
	deps    []dep
	targets []string
	desc    string
}

func (d *decoder) top(root *yaml.Node, g *Graph) {
	var defaults settings
	var ups []*rawUpstream
	var version, upstreams *pair
	for _, p := range d.pairs(root, mapCtx{where: "the top level", allowed: topKeys}) {
		switch p.key {
		case "version":
			version = &p
		case "defaults":
			for _, q := range d.pairs(p.v, mapCtx{path: "defaults", where: "defaults", allowed: defaultsKeys}) {
				d.setting(q, "defaults.", &defaults)
			}
		case "policy":
			d.policy(p, g)
		case "upstreams":
			upstreams = &p
			ups = d.upstreams(p)
		}
	}
	if version == nil {
		d.errorf(root, "missing version: add \"version: 1\" at the top of the file")
	} else {
		v := resolve(version.v)
		if v.Kind == yaml.ScalarNode && v.Tag == "!!int" && v.Value == "1" {
			g.Version = 1
		} else {
			d.errorf(at(*version), "version: want 1 (the only graph file version this updoc reads), got %s", describe(v))
		}
	}
	if upstreams == nil {
		d.errorf(root, "missing upstreams: add an upstreams mapping with at least one upstream, e.g. \"upstreams: {api: {url: https://api.example.com/healthz}}\"")
	} else if v := resolve(upstreams.v); isNull(v) || (v.Kind == yaml.MappingNode && len(v.Content) == 0) {
		d.errorf(at(*upstreams), "upstreams: no upstreams defined; add at least one, e.g. \"api: {url: https://api.example.com/healthz}\"")
	}
	d.checkDeps(ups)
	dir := g.Dir
	for _, ru := range ups {
		u := build(merge(defaults, ru.s), dir)
		u.Name = ru.name
		u.Pos = Position{Line: ru.k.Line, Column: ru.k.Column}
		for _, dp := range ru.deps {
			u.DependsOn = append(u.DependsOn, dp.name)
		}
		if u.DependsOn == nil {
			u.DependsOn = []string{}
		}
		u.Targets = ru.targets
		u.Description = ru.desc
		u.URL, u.RawURL = ru.url, ru.rawURL
		g.Upstreams = append(g.Upstreams, u)
	}
}

func (d *decoder) policy(p pair, g *Graph) {
	codes := catalog.Codes()
	for _, q := range d.pairs(p.v, mapCtx{path: "policy", where: "policy", allowed: policyKeys}) {
		for _, c := range d.pairs(q.v, mapCtx{path: "policy.severity", where: "policy.severity", noun: "cause code"}) {
			if !slices.Contains(codes, c.key) {
				d.errorf(c.k, "policy.severity: unknown cause code %q%s; run `updoc explain` to list every code", c.key, didYouMean(c.key, codes))
				continue
			}
			cp := "policy.severity." + c.key
			sev, ok := d.str(c, cp)
			if !ok {
				continue
			}
			var sevs []string
			for _, a := range PolicyActions() {
				sevs = append(sevs, string(a))
			}
			if !slices.Contains(sevs, sev) {
				d.errorf(at(c), "%s: want warn, fail or ignore, got %q%s", cp, sev, didYouMean(sev, sevs))
				continue
			}
			g.Policy.Severity[c.key] = PolicyAction(sev)
		}
	}
}

func (d *decoder) upstreams(p pair) []*rawUpstream {
	var out []*rawUpstream
	for _, q := range d.pairs(p.v, mapCtx{path: "upstreams", where: "upstreams", noun: "upstream"}) {
		ru := &rawUpstream{name: q.key, k: q.k}
		out = append(out, ru)
		if !nameRE.MatchString(q.key) {
			d.errorf(q.k, "invalid upstream name %q: use only letters, digits, '.', '_' and '-'", q.key)
		}
		where := fmt.Sprintf("upstream %q", q.key)
		hasURL := false
		var requestKeys []pair // keys that shape an HTTP request or its judgement
		var tlsKey *pair
		for _, f := range d.pairs(q.v, mapCtx{path: "upstreams." + q.key, where: where, allowed: upstreamKeys}) {
			switch f.key {
			case "method", "headers", "body", "follow_redirects", "max_body":
				requestKeys = append(requestKeys, f)
			case "expect":
				for _, e := range d.quietPairs(f.v) {
					if e.key == "status" || e.key == "body_contains" || e.key == "body_regex" {
						e.key = "expect." + e.key
						requestKeys = append(requestKeys, e)
					}
				}
			case "tls":
				tlsKey = &f
			}
			switch f.key {
			case "url":
				hasURL = true
				d.url(f, ru)
			case "depends_on":
				names, nodes, _ := d.strList(f, "depends_on", "[users, orders]")
				for i, n := range names {
					ru.deps = append(ru.deps, dep{n, nodes[i]})
				}
			case "targets":
				list, nodes, _ := d.strList(f, "targets", `["10.0.0.11:80", "10.0.0.12:80"]`)
				seen := map[string]int{}
				for i, t := range list {
					if problem := checkHostPort(t); problem != "" {
						d.errorf(nodes[i], "targets[%d]: %q %s; want HOST:PORT with a port 1-65535, e.g. \"10.0.0.11:80\"", i, t, problem)
						continue
					}
					if j, dup := seen[t]; dup {
						d.errorf(nodes[i], "targets[%d]: %q is listed twice (also targets[%d])", i, t, j)
						continue
					}
					seen[t] = i
					ru.targets = append(ru.targets, t)
				}
			case "description":
				if s, ok := d.str(f, "description"); ok {
					ru.desc = s
				}
			default:
				d.setting(f, "", &ru.s)
			}
		}
		if !hasURL {
			d.errorf(q.k, "upstream %q has no url; add one, e.g. \"url: https://%s.example.com/healthz\" (schemes: http, https, tcp, tls)", q.key, exampleHost(q.key))
		}
		d.checkSchemeKeys(ru, requestKeys, tlsKey)
	}
	return out
}

// checkSchemeKeys reports keys an upstream sets that its scheme never uses:
// request keys on tcp:// and tls:// upstreams (they send no request), a tls
// block on http:// and tcp:// ones (they do not speak TLS). Defaults are not
// checked: they apply to whichever upstreams can use them.
func (d *decoder) checkSchemeKeys(ru *rawUpstream, requestKeys []pair, tlsKey *pair) {
	if ru.url == nil {
		return
	}
	switch scheme := Scheme(ru.url.Scheme); scheme {
	case SchemeTCP, SchemeTLS:
		for _, k := range requestKeys {
			d.errorf(k.k, "%s: %q is a %s:// upstream, which sends no HTTP request; remove %s, or give it an http:// or https:// url", k.key, ru.name, scheme, k.key)
		}
		if scheme == SchemeTCP && tlsKey != nil {
			d.errorf(tlsKey.k, "tls: %q is a tcp:// upstream, which does not speak TLS; remove tls, or use a tls:// url", ru.name)
		}
	case SchemeHTTP:
		if tlsKey != nil {
			d.errorf(tlsKey.k, "tls: %q is an http:// upstream, which does not speak TLS; remove tls, or use an https:// url", ru.name)
		}
	}
}

func exampleHost(name string) string {
	if nameRE.MatchString(name) {
		return strings.ToLower(name)
	}
	return "api"
}

func (d *decoder) url(p pair, ru *rawUpstream) {
	s, ok := d.str(p, "url")
	if !ok {
		return
	}
	expanded, subs, ok := d.expandAt(at(p), "url", s)
	if !ok {
		return
	}
	// Messages quote the url as written (before expansion, password hidden),
	// and what the parser quotes of the expanded url has every expanded
	// value put back as its ${VAR}, so that no value from the environment
	// reaches them (SPEC §2).
	u, problem := parseURL(expanded, redactURL(s), subs.scrub, subs.scrubQuoted)
	if problem != "" {
		d.errorf(at(p), "url: %s", problem)
		return
	}
	ru.url, ru.rawURL = u, expanded
}

// checkDeps reports unknown, self and duplicate dependencies and cycles, and
// leaves only valid edges in each upstream's deps.
func (d *decoder) checkDeps(ups []*rawUpstream) {
	index := map[string]int{}
	var names []string
	for i, u := range ups {
		index[u.name] = i
		names = append(names, u.name)
	}
	for _, u := range ups {
		var keep []dep
		seen := map[string]bool{}
		for _, dp := range u.deps {
			switch {
			case dp.name == u.name:
				d.errorf(dp.node, "depends_on: upstream %q depends on itself; remove %q from its depends_on", u.name, dp.name)
			case !slices.Contains(names, dp.name):
				others := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == u.name })
				d.errorf(dp.node, "depends_on: unknown upstream %q%s; known upstreams: %s", dp.name, didYouMean(dp.name, others), strings.Join(names, ", "))
			case seen[dp.name]:
				d.errorf(dp.node, "depends_on: %q is listed twice", dp.name)
			default:
				seen[dp.name] = true
				keep = append(keep, dp)
			}
		}
		u.deps = keep
	}
	// Cycles: depth-first in file order; report each cycle once, starting at
	// its member that comes first in the file, at that member's depends_on
	// entry that begins the cycle.
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(ups))
	var stack []int
	reported := map[string]bool{}
	var visit func(i int)
	visit = func(i int) {
		color[i] = grey
		stack = append(stack, i)
		for _, dp := range ups[i].deps {
			j := index[dp.name]
			switch color[j] {
			case white:
				visit(j)
			case grey:
				start := slices.Index(stack, j)
				cyc := slices.Clone(stack[start:])
				// Rotate so the earliest member in the file comes first.
				lo := 0
				for k := range cyc {
					if cyc[k] < cyc[lo] {
						lo = k
					}
				}
				cyc = append(cyc[lo:], cyc[:lo]...)
				members := slices.Clone(cyc)
				slices.Sort(members)
				key := fmt.Sprint(members)
				if reported[key] {
					continue
				}
				reported[key] = true
				parts := make([]string, 0, len(cyc)+1)
				for _, k := range cyc {
					parts = append(parts, ups[k].name)
				}
				parts = append(parts, ups[cyc[0]].name)
				var node *yaml.Node
				next := ups[cyc[1%len(cyc)]].name
				for _, e := range ups[cyc[0]].deps {
					if e.name == next {
						node = e.node
					}
				}
				d.errorf(node, "depends_on: dependency cycle %s; remove one of these depends_on entries", strings.Join(parts, " → "))
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
	}
	for i := range ups {
		if color[i] == white {
			visit(i)
		}
	}
}

// merge applies defaults to an upstream's own settings: the one place where
// defaults are applied. Headers merge by name (case-insensitive, the
// upstream's value wins), expect and tls merge field by field (cert_file and
// key_file as a pair), every other key: the upstream's value wins.
func merge(def, up settings) settings {
	out := up
	out.headers = nil
	for _, h := range def.headers {
		if !slices.ContainsFunc(up.headers, func(o Header) bool { return strings.EqualFold(o.Name, h.Name) }) {
			out.headers = append(out.headers, h)
		}
	}
	out.headers = append(out.headers, up.headers...)
	out.method = or(up.method, def.method)
	out.body = or(up.body, def.body)
	if up.resolvers == nil {
		out.resolvers = def.resolvers
	}
	out.timeout = or(up.timeout, def.timeout)
	out.samples = or(up.samples, def.samples)
	out.followRedirects = or(up.followRedirects, def.followRedirects)
	out.maxBody = or(up.maxBody, def.maxBody)
	out.ipFamily = or(up.ipFamily, def.ipFamily)
	if !up.tagsSet {
		out.tags, out.tagsSet = def.tags, def.tagsSet
	}
	if up.expect.status == nil {
		out.expect.status = def.expect.status
	}
	out.expect.bodyContains = or(up.expect.bodyContains, def.expect.bodyContains)
	if up.expect.bodyRegex == nil {
		out.expect.bodyRegex = def.expect.bodyRegex
	}
	out.expect.maxLatency = or(up.expect.maxLatency, def.expect.maxLatency)
	out.expect.certMinDays = or(up.expect.certMinDays, def.expect.certMinDays)
	out.tls.serverName = or(up.tls.serverName, def.tls.serverName)
	out.tls.caFile = or(up.tls.caFile, def.tls.caFile)
	if up.tls.certFile == nil {
		out.tls.certFile, out.tls.keyFile = def.tls.certFile, def.tls.keyFile
	}
	out.tls.insecure = or(up.tls.insecure, def.tls.insecure)
	return out
}

func or[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

func val[T any](p *T, def T) T {
	if p != nil {
		return *p
	}
	return def
}

// build turns merged settings into an Upstream with the built-in defaults.
func build(s settings, dir string) *Upstream {
	u := &Upstream{
		Method:          val(s.method, DefaultMethod),
		Headers:         slices.Clone(s.headers),
		Body:            val(s.body, ""),
		Resolvers:       slices.Clone(s.resolvers),
		Timeout:         val(s.timeout, DefaultTimeout),
		Samples:         val(s.samples, DefaultSamples),
		FollowRedirects: val(s.followRedirects, true),
		MaxBody:         val(s.maxBody, DefaultMaxBody),
		IPFamily:        val(s.ipFamily, DefaultIPFamily),
		Tags:            slices.Clone(s.tags),
		Expect: Expect{
			Status:       slices.Clone(s.expect.status),
			BodyContains: val(s.expect.bodyContains, ""),
			BodyRegex:    s.expect.bodyRegex,
			MaxLatency:   val(s.expect.maxLatency, 0),
			CertMinDays:  val(s.expect.certMinDays, DefaultCertMinDays),
		},
		TLS: TLSConfig{
			ServerName:         val(s.tls.serverName, ""),
			CAFile:             absPath(dir, val(s.tls.caFile, "")),
			CertFile:           absPath(dir, val(s.tls.certFile, "")),
			KeyFile:            absPath(dir, val(s.tls.keyFile, "")),
			InsecureSkipVerify: val(s.tls.insecure, false),
		},
	}
	u.fileSets = map[string]bool{"timeout": s.timeout != nil, "samples": s.samples != nil}
	if len(u.Resolvers) == 0 {
		u.Resolvers = []Resolver{SystemResolver}
	}
	if u.Headers == nil {
		u.Headers = []Header{}
	}
	if u.Tags == nil {
		u.Tags = []string{}
	}
	if u.Expect.Status == nil {
		u.Expect.Status = DefaultStatus()
	}
	return u
}
