package graph

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// The shapes of values that graph keys share (a string, a bool, a whole
// number, a duration, a size, a list of strings), and what messages say
// about a YAML node. Each decoder reports what is wrong at the value's place
// in the file and returns ok false then.

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

// at picks the node to report a value error at: the value, or its key when
// the value is empty (an empty value has no useful position of its own).
func at(p pair) *yaml.Node {
	if v := resolve(p.v); v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" {
		return p.k
	}
	return p.v
}

// atNode is at for a list entry v of key k.
func atNode(v, k *yaml.Node) *yaml.Node {
	if isNull(v) && v.Value == "" {
		return k
	}
	return v
}

// str decodes a string (any scalar but an empty value, as written).
func (d *decoder) str(p pair, path string) (string, bool) {
	v := resolve(p.v)
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		d.errorf(at(p), "%s: want a string, got %s", path, describe(v))
		return "", false
	}
	return v.Value, true
}

// boolean decodes true or false.
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

// integer decodes a whole number of at least minimum; want describes what
// the key wants, for messages.
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

// duration decodes a duration greater than 0 ("5s", "300ms").
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

var sizeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*(\d+)\s*([A-Za-z]*)\s*$`) }) // compiled on first use, not at start

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1000, "kb": 1000, "kib": 1024,
	"m": 1000 * 1000, "mb": 1000 * 1000, "mib": 1024 * 1024,
	"g": 1000 * 1000 * 1000, "gb": 1000 * 1000 * 1000, "gib": 1024 * 1024 * 1024,
}

// size decodes an int of bytes or a string like "512KiB" or "1MiB".
func (d *decoder) size(p pair, path string) (int64, bool) {
	const want = `want a size in bytes (e.g. 1048576) or a string like "512KiB" or "1MiB"`
	v := resolve(p.v)
	if v.Kind == yaml.ScalarNode && (v.Tag == "!!int" || v.Tag == "!!str") {
		if m := sizeRE().FindStringSubmatch(v.Value); m != nil {
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
