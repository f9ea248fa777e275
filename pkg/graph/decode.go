package graph

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/internal/suggest"
	"github.com/updoc/updoc/pkg/catalog"
)

// decoder walks the YAML tree of a graph file against its schema
// (schema.go) and collects every problem it finds.
type decoder struct {
	// ctx ends the decoding early (Ctrl-C, a deadline): its long loops
	// stop, and Load returns a *StoppedError.
	ctx  context.Context
	file string
	dir  string // where relative TLS file paths resolve (Graph.Dir)
	env  func(string) (string, bool)
	errs Errors
	// expanded collects the values ${VAR} references expand to while one
	// key is decoded; decodeKeys moves them to the key's setting.
	expanded []string
}

// stopped reports whether ctx ended: the long loops over the file check it
// once per upstream (or per many nodes) and stop.
func (d *decoder) stopped() bool { return d.ctx.Err() != nil }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, n.Column
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// settings are what one defaults: block or one upstream sets: a setting
// for each key present in it, those of its blocks included, in the order
// decoded. An upstream sets a handful of keys, so a search of the list
// costs less than a map of them (issue 11: a map per upstream was a fifth
// of what loading 10,000 upstreams allocated).
type settings []setting

// get returns the setting of k, and whether s holds one.
func (s settings) get(k *key) (setting, bool) {
	for i := range s {
		if s[i].key == k {
			return s[i], true
		}
	}
	return setting{}, false
}

// of returns the setting of k; the zero setting (not ok) when s holds none.
func (s settings) of(k *key) setting {
	v, _ := s.get(k)
	return v
}

// put sets v, replacing the setting of the same key.
func (s *settings) put(v setting) {
	for i := range *s {
		if (*s)[i].key == v.key {
			(*s)[i] = v
			return
		}
	}
	*s = append(*s, v)
}

// A setting is one key the file sets, and its decoded value.
type setting struct {
	key   *key
	at    *yaml.Node // the key as written: where messages about it point
	value any        // what the key's decode made of the value
	// ok is true when the value decoded (never for a block, which has no
	// value of its own).
	ok bool
	// expanded are the values ${VAR} references in the value expanded to.
	expanded []string
}

// valueOf returns the decoded value of k in s, when s sets k and its value
// decoded.
func valueOf[T any](s settings, k *key) (T, bool) {
	set := s.of(k)
	v, ok := set.value.(T)
	return v, ok && set.ok
}

// decodeKeys decodes the mapping n, whose keys are declared by keys, into
// set: each value through its key's decode, each block through its own keys.
// prefix is the mapping's path in messages ("", "defaults.", "expect.").
func (d *decoder) decodeKeys(n *yaml.Node, c mapCtx, keys []*key, prefix string, set *settings) {
	for _, p := range d.keysOf(n, c, keys) {
		k, path := p.def, prefix+p.name
		if k.keys != nil {
			set.put(setting{key: k, at: p.k})
			d.decodeKeys(p.v, mapCtx{path: path, where: path}, k.keys, path+".", set)
			if k.check != nil {
				k.check(d, path, *set)
			}
			continue
		}
		d.expanded = nil
		v, ok := k.decode(d, p, path)
		set.put(setting{key: k, at: p.k, value: v, ok: ok, expanded: d.expanded})
	}
}

// rawUpstream is one entry of upstreams: as decoded, before the defaults
// apply.
type rawUpstream struct {
	name string
	at   *yaml.Node // its name in the file
	set  settings
}

// top decodes the top level of the file into g: version, policy, then
// each upstream, built from the built-in defaults, defaults: and its own
// keys once the whole file is known to be valid.
func (d *decoder) top(root *yaml.Node, g *Graph) {
	var defaults settings
	var ups []*rawUpstream
	var version, upstreams *pair
	for _, p := range d.keysOf(root, mapCtx{where: "the top level", place: atTop}, topKeys) {
		switch p.def {
		case versionKey:
			version = &p
		case defaultsKey:
			d.decodeKeys(p.v, mapCtx{path: p.name, where: p.name, place: inDefaults}, defaultsKey.keys, p.name+".", &defaults)
		case policyKey:
			d.policy(p, g)
		case upstreamsKey:
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
	nodes := make([]depNode, len(ups))
	for i, ru := range ups {
		nodes[i].name = ru.name
		nodes[i].deps, _ = valueOf[[]dep](ru.set, dependsOnKey)
	}
	d.checkDeps(nodes)
	d.checkHeadBody(defaults, ups)
	if len(d.errs) > 0 || d.stopped() {
		return
	}
	proxyEnv := ReadProxyEnv(d.env)
	built := make([]*Upstream, len(ups))
	d.inParts(len(ups), func(_ *decoder, i int) {
		u := build(defaults, ups[i].set)
		u.Proxy.Env = proxyEnv
		u.Name = ups[i].name
		u.Pos = Position{Line: ups[i].at.Line, Column: ups[i].at.Column}
		built[i] = u
	})
	if !d.stopped() {
		g.Upstreams = built
	}
}

// policy decodes policy: (its one key, severity).
func (d *decoder) policy(p pair, g *Graph) {
	codes := catalog.Codes()
	var actions []string
	for _, a := range PolicyActions() {
		actions = append(actions, string(a))
	}
	for _, q := range d.keysOf(p.v, mapCtx{path: p.name, where: p.name}, policyKey.keys) {
		path := p.name + "." + q.name
		for _, c := range d.entries(q.v, mapCtx{path: path, where: path, noun: "cause code"}) {
			if !slices.Contains(codes, c.name) {
				d.errorf(c.k, "%s: unknown cause code %q%s; run `updoc explain` to list every code", path, c.name, suggest.DidYouMean(c.name, codes))
				continue
			}
			cp := path + "." + c.name
			sev, ok := d.str(c, cp)
			if !ok {
				continue
			}
			if !slices.Contains(actions, sev) {
				d.errorf(at(c), "%s: want warn, fail or ignore, got %q%s", cp, sev, suggest.DidYouMean(sev, actions))
				continue
			}
			g.Policy.Severity[c.name] = PolicyAction(sev)
		}
	}
}

// upstreams decodes the upstreams: mapping, each upstream against
// upstreamKeys, then checks that it has a url and sets only keys its
// scheme uses. The upstreams are independent of each other, so a large
// mapping is decoded in parts across cores (inParts); the result, errors
// included, is the one decoding them in order gives.
func (d *decoder) upstreams(p pair) []*rawUpstream {
	entries := d.entries(p.v, mapCtx{path: p.name, where: p.name, noun: "upstream"})
	out := make([]*rawUpstream, len(entries))
	d.inParts(len(entries), func(part *decoder, i int) {
		out[i] = part.upstream(p.name, entries[i])
	})
	if d.stopped() {
		return nil
	}
	return out
}

// upstream decodes one entry q of the upstreams: mapping named parent.
func (d *decoder) upstream(parent string, q pair) *rawUpstream {
	ru := &rawUpstream{name: q.name, at: q.k}
	if !validName(q.name) {
		d.errorf(q.k, "invalid upstream name %q%s: use ASCII letters, digits, '.', '_' and '-'", q.name, notASCII(q.name))
	}
	c := mapCtx{path: parent + "." + q.name, where: fmt.Sprintf("upstream %q", q.name), place: inUpstream}
	d.decodeKeys(q.v, c, upstreamsKey.keys, "", &ru.set)
	if _, ok := ru.set.get(urlKey); !ok {
		d.errorf(q.k, "upstream %q has no url; add one, e.g. \"url: https://%s.example.com/healthz\" (schemes: http, https, tcp, tls)", q.name, exampleHost(q.name))
	}
	if u, ok := valueOf[parsedURL](ru.set, urlKey); ok {
		d.checkSchemes(q.name, Scheme(u.url.Scheme), upstreamsKey.keys, "", ru.set)
	}
	if px, ok := valueOf[Proxy](ru.set, proxyKey); ok && px.Mode != ProxyNone && ru.set.of(targetsKey).ok {
		d.errorf(ru.set.of(proxyKey).at, "proxy: upstream %q has targets, which are connected to directly; remove proxy or targets", q.name)
	}
	return ru
}

// partSize is the fewest upstreams worth a part of their own: below it,
// starting a goroutine costs more than it saves.
const partSize = 256

// inParts calls do(part, i) for i in [0, n), stopping when the decoder's
// context ends. With at least two parts' worth and more than one core, the
// range is cut into one contiguous part per core, each decoded by its own
// goroutine with a decoder of its own (part), whose errors are appended
// to d's in the order of the parts: the errors are those of calling do in
// order. do must touch nothing shared but what it is given.
func (d *decoder) inParts(n int, do func(part *decoder, i int)) {
	parts := min(runtime.GOMAXPROCS(0), n/partSize)
	if parts <= 1 {
		for i := range n {
			if d.stopped() {
				return
			}
			do(d, i)
		}
		return
	}
	decoders := make([]*decoder, parts)
	var wg sync.WaitGroup
	for k := range parts {
		part := &decoder{ctx: d.ctx, file: d.file, dir: d.dir, env: d.env}
		decoders[k] = part
		from, to := k*n/parts, (k+1)*n/parts
		wg.Go(func() {
			for i := from; i < to; i++ {
				if part.stopped() {
					return
				}
				do(part, i)
			}
		})
	}
	wg.Wait()
	for _, part := range decoders {
		d.errs = append(d.errs, part.errs...)
	}
}

func exampleHost(name string) string {
	if validName(name) {
		return strings.ToLower(name)
	}
	return "api"
}
