package graph

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/internal/suggest"
)

// A pair is one entry of a YAML mapping.
type pair struct {
	name string     // the key as written
	k, v *yaml.Node // the key and its value
	def  *key       // the key's declaration (keysOf); nil for entries the file names
}

// mapCtx describes a mapping for entries and keysOf: where it is (for
// messages), and what its keys are.
type mapCtx struct {
	path  string // "upstreams.users", "expect", "" (top level)
	where string // "upstream \"users\"", "defaults", "the top level"
	noun  string // "key" (""), "upstream", "header", "cause code"
	fold  bool   // keys compare case-insensitively
	// place is where a mapping of keys stands (keysOf): at the top level,
	// in defaults:, in an upstream; 0 in a block.
	place place
}

func (c mapCtx) loc() string {
	if c.path == "" {
		return "at the top level"
	}
	return "in " + c.where
}

// entries checks that n is a mapping (an empty value counts as an empty
// mapping), reports duplicate keys, and returns the other entries in order.
// It is for mappings whose keys the file names (upstreams, headers, cause
// codes); keysOf is for those whose keys the schema declares.
func (d *decoder) entries(n *yaml.Node, c mapCtx) []pair {
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
		name := k.Value
		if name == "<<" && k.Tag == "!!merge" {
			d.errorf(k, "YAML merge keys (<<) are not supported; put shared settings under defaults:")
			continue
		}
		id := name
		if c.fold {
			id = strings.ToLower(name)
		}
		if first, dup := seen[id]; dup {
			if c.fold && first.Value != name {
				d.errorf(k, "duplicate %s %q %s (first defined at line %d as %q; %s names are case-insensitive)", noun, name, c.loc(), first.Line, first.Value, noun)
			} else {
				d.errorf(k, "duplicate %s %q %s (first defined at line %d)", noun, name, c.loc(), first.Line)
			}
			continue
		}
		seen[id] = k
		out = append(out, pair{name: name, k: k, v: v})
	}
	return out
}

// keysOf is entries for a mapping whose keys are declared by keys (those
// that may appear at c.place): an unknown key is reported and left out, and
// each pair comes with its key's declaration.
func (d *decoder) keysOf(n *yaml.Node, c mapCtx, keys []*key) []pair {
	var out []pair
	for _, p := range d.entries(n, c) {
		k := find(keys, p.name)
		if k == nil || c.place != 0 && k.in&c.place == 0 {
			d.unknownKey(p, c, keys)
			continue
		}
		p.def = k
		out = append(out, p)
	}
	return out
}

// unknownKey reports a key the mapping c does not allow, with the most
// helpful hint the schema gives: a key of upstreams only set in defaults:, a
// setting or an upstream at the top level, a key of a block (expect:, tls:)
// one level too high, else the closest allowed key.
func (d *decoder) unknownKey(p pair, c mapCtx, keys []*key) {
	allowed := names(keys, c.place)
	list := strings.Join(allowed, ", ")
	ofUpstream := find(upstreamKeys, p.name) != nil
	switch {
	case c.place == inDefaults && ofUpstream:
		d.errorf(p.k, "%q cannot be set in defaults; set it on each upstream (allowed in defaults: %s)", p.name, list)
		return
	case c.place == atTop && ofUpstream:
		d.errorf(p.k, "unknown key %q at the top level; settings shared by every upstream go under defaults:, per-upstream ones under upstreams.NAME (allowed keys here: %s)", p.name, list)
		return
	case c.place == atTop && resolve(p.v).Kind == yaml.MappingNode && suggest.Closest(p.name, allowed) == "":
		for _, q := range quietPairs(p.v) {
			if q.name == urlKey.name {
				d.errorf(p.k, "unknown key %q at the top level; it looks like an upstream: move it under upstreams: (allowed keys here: %s)", p.name, list)
				return
			}
		}
	case c.place == inDefaults || c.place == inUpstream:
		if home := blockHolding(keys, p.name); home != nil {
			d.errorf(p.k, "unknown key %q %s; it belongs under %s: (allowed keys here: %s)", p.name, c.loc(), home.name, list)
			return
		}
	}
	d.errorf(p.k, "unknown key %q %s%s; allowed keys: %s", p.name, c.loc(), suggest.DidYouMean(p.name, allowed), list)
}

// quietPairs lists a mapping's scalar keys without reporting anything.
func quietPairs(n *yaml.Node) []pair {
	n = resolve(n)
	var out []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolve(n.Content[i]); k.Kind == yaml.ScalarNode {
			out = append(out, pair{name: k.Value, k: k, v: n.Content[i+1]})
		}
	}
	return out
}
