package graph

import (
	"fmt"
	"slices"
	"strings"
)

// checkSchemes reports the keys an upstream sets (set, the keys declared by
// keys at prefix) that its scheme never uses (key.schemes): request keys on
// tcp:// and tls:// upstreams, which send no HTTP request, a tls block on
// http:// and tcp:// ones, which do not speak TLS. A block none of whose
// keys the scheme uses is reported once, at the block. defaults: is not
// checked: its keys apply to whichever upstreams can use them.
func (d *decoder) checkSchemes(upstream string, scheme Scheme, keys []*key, prefix string, set settings) {
	for _, k := range keys {
		s, ok := set.get(k)
		if !ok {
			continue
		}
		path := prefix + k.name
		if used := k.usedBy(); used != nil && !slices.Contains(used, scheme) {
			d.errorf(s.at, "%s", schemeProblem(path, upstream, scheme, used))
			continue
		}
		if k.keys != nil {
			d.checkSchemes(upstream, scheme, k.keys, path+".", set)
		}
	}
}

// schemeProblem says why key path of an upstream of this scheme is an
// error: the key is used only by upstreams of the schemes used.
func schemeProblem(path, upstream string, scheme Scheme, used []Scheme) string {
	if !scheme.HasHTTP() && !slices.ContainsFunc(used, func(s Scheme) bool { return !s.HasHTTP() }) {
		return fmt.Sprintf("%s: %q is %s upstream, which sends no HTTP request; remove %s, or give it an http:// or https:// url", path, upstream, aScheme(scheme), path)
	}
	// The same upstream over TLS: tcp:// → tls://, http:// → https://.
	withTLS := SchemeTLS
	if scheme.HasHTTP() {
		withTLS = SchemeHTTPS
	}
	if !scheme.HasTLS() && slices.Contains(used, withTLS) {
		return fmt.Sprintf("%s: %q is %s upstream, which does not speak TLS; remove %s, or use %s url", path, upstream, aScheme(scheme), path, aScheme(withTLS))
	}
	var schemes []string
	for _, s := range used {
		schemes = append(schemes, string(s))
	}
	return fmt.Sprintf("%s: %q is %s upstream, which does not use %s; remove it, or use a url of scheme %s", path, upstream, aScheme(scheme), path, strings.Join(schemes, ", "))
}

// aScheme names a scheme with its article: "an http://", "a tcp://".
func aScheme(s Scheme) string {
	if s.HasHTTP() {
		return "an " + string(s) + "://"
	}
	return "a " + string(s) + "://"
}
