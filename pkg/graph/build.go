package graph

// upstreamLeaves are the keys of an upstream that hold values, those of its
// blocks included: what build applies.
var upstreamLeaves = leaves(upstreamKeys)

// build makes the Upstream of one upstream: the built-in defaults
// (builtin), then what defaults: sets, then what the upstream sets itself —
// the one place where defaults are applied. How a key's two values combine
// is its apply's business (schema.go): most replace, headers merge by name.
// The Upstream records which keys the upstream set itself and the values ${VAR}
// references in them expanded to. Its Name and Pos are the caller's to set.
func build(defaults, own settings) *Upstream {
	u := builtin()
	for _, k := range upstreamLeaves {
		for _, set := range [2]settings{defaults, own} {
			if s := set.of(k); s.ok {
				k.apply(u, s.value)
				u.expanded = append(u.expanded, s.expanded...)
			}
		}
	}
	u.ownSamples = own.of(samplesKey).ok
	// Latency samples repeat the request: one that writes is not repeated
	// unless the upstream asks for samples itself (SPEC §2).
	if !u.SafeToRepeat() && !u.ownSamples {
		u.Samples = 0
	}
	return u
}
