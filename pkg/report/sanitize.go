package report

import (
	"reflect"
	"slices"
	"time"

	"github.com/updoc/updoc/internal/textsafe"
)

// Sanitize makes every string of r that can hold text from outside updoc —
// what servers sent, DNS names, certificate fields, the graph file's own
// strings, and the messages, evidence and steps that quote them — safe to
// print, in one pass, before any renderer sees r (SPEC §2, issue 12):
//
//   - every secret in it is redacted ("[redacted]", in any letter case and
//     in every form redactString knows: URL-, JSON-, Go-quote- and
//     HTML-escaped, base64), and then
//   - every control character (newlines and tabs included: each string
//     of a report is one line), C1 control, bidi control and invalid
//     UTF-8 byte is shown visibly (textsafe.Line): "\x1b[2J", "\u202e".
//
// Vocabulary the schema defines (status, severity and layer values, cause
// codes, layer names, the schema name) is left alone. What changes is
// copied first: a slice or map r shares with its sources (a graph's
// depends_on, a shared DNS answer) is never modified.
func Sanitize(r *Report, secrets []string) {
	if r == nil {
		return
	}
	f := textsafe.Line
	if rd := newRedactor(secrets); rd != nil {
		f = func(s string) string { return textsafe.Line(rd.str(s)) }
	}
	sanitizeReport(r, f, textsafe.Line)
}

// sanitizeReport applies f to every string of r (see Sanitize), and name
// to the upstream names in it (an upstream's, a root cause's, depends_on,
// affects, not_probed): the graph's own identifiers, which scripts and
// Prometheus labels key on, are never redacted — a secret that happens to
// match a name would make two upstreams one.
func sanitizeReport(r *Report, f, name func(string) string) {
	r.UpdocVersion = f(r.UpdocVersion)
	r.RootCauses = sanitizeEach(r.RootCauses, func(rc *RootCause) {
		rc.Upstream, rc.Target, rc.Message = name(rc.Upstream), f(rc.Target), f(rc.Message)
		rc.Affects = mapStrings(rc.Affects, name)
	})
	r.Upstreams = sanitizeEach(r.Upstreams, func(u *Upstream) { sanitizeUpstream(u, f, name) })
	r.NotProbed = sanitizeEach(r.NotProbed, func(n *NotProbed) {
		n.Upstream = name(n.Upstream)
		n.NeededBy = mapStrings(n.NeededBy, name)
	})
}

func sanitizeUpstream(u *Upstream, f, name func(string) string) {
	u.Name, u.URL, u.Description = name(u.Name), f(u.URL), f(u.Description)
	u.Tags, u.DependsOn = mapStrings(u.Tags, f), mapStrings(u.DependsOn, name)
	u.Proxy = sanitizeProxy(u.Proxy, f, name)
	u.DNS = sanitizeDNS(u.DNS, f)
	u.Targets = sanitizeEach(u.Targets, func(t *Target) {
		t.Address, t.Dial = f(t.Address), f(t.Dial)
		t.DNS = sanitizeDNS(t.DNS, f)
		t.TCP = sanitizeTCP(t.TCP, f)
		t.TLS = sanitizeTLS(t.TLS, f)
		t.HTTP = sanitizeHTTP(t.HTTP, f)
	})
	u.Findings = sanitizeEach(u.Findings, func(fd *Finding) {
		fd.Target, fd.Message = f(fd.Target), f(fd.Message)
		fd.Evidence = sanitizeMap(fd.Evidence, f)
		fd.Remediation = mapStrings(fd.Remediation, f)
	})
}

// pass applies f and notes whether it changed anything, so that a struct
// behind a pointer is copied only when it must be.
type pass struct {
	f       func(string) string
	changed bool
}

func (p *pass) s(x string) string {
	y := p.f(x)
	p.changed = p.changed || y != x
	return y
}

func (p *pass) list(x []string) []string {
	y := mapStrings(x, p.f)
	p.changed = p.changed || !sameStrings(x, y)
	return y
}

// copied is n on the heap when p changed something, else orig.
func copied[T any](p *pass, orig *T, n T) *T {
	if !p.changed {
		return orig
	}
	c := new(T)
	*c = n
	return c
}

// sanitizeProxy: Source is a fixed vocabulary ("proxy", "--proxy", a
// variable's name), made safe like a name but never redacted — a password
// "https_proxy" must not blank where the proxy came from.
func sanitizeProxy(x *Proxy, f, name func(string) string) *Proxy {
	if x == nil {
		return nil
	}
	p, n := pass{f: f}, *x
	n.URL = p.s(n.URL)
	p.f = name
	n.Source = p.s(n.Source)
	return copied(&p, x, n)
}

func sanitizeTCP(t *TCP, f func(string) string) *TCP {
	if t == nil {
		return nil
	}
	p, n := pass{f: f}, *t
	n.Error = p.s(n.Error)
	return copied(&p, t, n)
}

func sanitizeTLS(t *TLS, f func(string) string) *TLS {
	if t == nil {
		return nil
	}
	p, n := pass{f: f}, *t
	n.Error, n.ServerName, n.SNI, n.Version, n.ALPN = p.s(n.Error), p.s(n.ServerName), p.s(n.SNI), p.s(n.Version), p.s(n.ALPN)
	if n.Cert != nil {
		cp, c := pass{f: f}, *n.Cert
		c.Subject, c.Issuer, c.SANs = cp.s(c.Subject), cp.s(c.Issuer), cp.list(c.SANs)
		n.Cert = copied(&cp, n.Cert, c)
		p.changed = p.changed || cp.changed
	}
	return copied(&p, t, n)
}

func sanitizeHTTP(h *HTTP, f func(string) string) *HTTP {
	if h == nil {
		return nil
	}
	p, n := pass{f: f}, *h
	n.Method, n.URL, n.Error, n.Server, n.BodyPrefix = p.s(n.Method), p.s(n.URL), p.s(n.Error), p.s(n.Server), p.s(n.BodyPrefix)
	n.Proto, n.ContentEncoding = p.s(n.Proto), p.s(n.ContentEncoding)
	n.Redirects = p.list(n.Redirects)
	if n.Deprecation != nil {
		dp, d := pass{f: f}, *n.Deprecation
		d.Raw, d.Link = dp.s(d.Raw), dp.s(d.Link)
		n.Deprecation = copied(&dp, n.Deprecation, d)
		p.changed = p.changed || dp.changed
	}
	if n.Sunset != nil {
		sp, su := pass{f: f}, *n.Sunset
		su.Raw, su.Link = sp.s(su.Raw), sp.s(su.Link)
		n.Sunset = copied(&sp, n.Sunset, su)
		p.changed = p.changed || sp.changed
	}
	return copied(&p, h, n)
}

func sanitizeDNS(d *DNS, f func(string) string) *DNS {
	if d == nil {
		return nil
	}
	p, n := pass{f: f}, *d
	n.Name, n.FQDN, n.Resolver, n.Rcode = p.s(n.Name), p.s(n.FQDN), p.s(n.Resolver), p.s(n.Rcode)
	n.Addresses, n.CNAMEChain = p.list(n.Addresses), p.list(n.CNAMEChain)
	var queries []DNSQuery
	for i, q := range n.Queries {
		qp := pass{f: f}
		q.Resolver, q.Type, q.Rcode, q.Error, q.FQDN = qp.s(q.Resolver), qp.s(q.Type), qp.s(q.Rcode), qp.s(q.Error), qp.s(q.FQDN)
		q.Addresses, q.CNAMEChain, q.Searched = qp.list(q.Addresses), qp.list(q.CNAMEChain), qp.list(q.Searched)
		var ext []DNSExtendedError
		for j, e := range q.ExtendedErrors {
			ep := pass{f: f}
			e.Name, e.Text = ep.s(e.Name), ep.s(e.Text)
			if ep.changed && ext == nil {
				ext = slices.Clone(q.ExtendedErrors)
			}
			if ext != nil {
				ext[j] = e
			}
		}
		if ext != nil {
			q.ExtendedErrors, qp.changed = ext, true
		}
		if qp.changed && queries == nil {
			queries = slices.Clone(n.Queries)
		}
		if queries != nil {
			queries[i] = q
		}
	}
	if queries != nil {
		n.Queries, p.changed = queries, true
	}
	return copied(&p, d, n)
}

// sanitizeEach applies fix to each element of s, in place: the report's
// own slices of structs (a copy where a source might share them).
func sanitizeEach[T any](s []T, fix func(*T)) []T {
	for i := range s {
		fix(&s[i])
	}
	return s
}

// mapStrings is ss with f applied to each string: ss itself when f changes
// none, else a copy.
func mapStrings(ss []string, f func(string) string) []string {
	for i, s := range ss {
		if t := f(s); t != s {
			out := slices.Clone(ss)
			out[i] = t
			for j := i + 1; j < len(out); j++ {
				out[j] = f(out[j])
			}
			return out
		}
	}
	return ss
}

// sanitizeMap is evidence with f applied to every string in it, keys
// included (nested maps and slices too; an error becomes its text, as
// JSON would write it): m itself when f changes none, else a copy.
func sanitizeMap(m map[string]any, f func(string) string) map[string]any {
	var out map[string]any
	for k, v := range m {
		k2, v2 := f(k), sanitizeValue(v, f)
		if out == nil && (k2 != k || !same(v, v2)) {
			out = make(map[string]any, len(m))
			for k0, v0 := range m {
				out[k0] = v0
			}
		}
		if out != nil {
			if k2 != k {
				delete(out, k)
			}
			out[k2] = v2
		}
	}
	if out == nil {
		return m
	}
	return out
}

// sanitizeValue is one evidence value with f applied to every string in it.
func sanitizeValue(v any, f func(string) string) any {
	switch x := v.(type) {
	case nil, bool, int, int64, float64, time.Time, time.Duration:
		return v
	case string: // v itself when unchanged: boxing a new string would allocate
		if y := f(x); y != x {
			return y
		}
		return v
	case []string:
		if y := mapStrings(x, f); !sameStrings(x, y) {
			return y
		}
		return v
	case map[string]any:
		if y := sanitizeMap(x, f); !same(x, y) {
			return y
		}
		return v
	case []any:
		var out []any
		for i, e := range x {
			e2 := sanitizeValue(e, f)
			if out == nil && !same(e, e2) {
				out = slices.Clone(x)
			}
			if out != nil {
				out[i] = e2
			}
		}
		if out == nil {
			return x
		}
		return out
	case error:
		if reflect.TypeOf(v).Kind() != reflect.String { // a string-kinded error keeps its type
			return f(x.Error())
		}
	}
	// Anything else (a struct, a slice of maps): the generic copy, with
	// every string in it passed through f.
	return stringCopier(f).copy(reflect.ValueOf(v)).Interface()
}

// same reports whether sanitizing left a value as it was (the same string,
// or the same slice or map, unchanged).
func same(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []string:
		y, ok := b.([]string)
		return ok && sameStrings(x, y)
	case map[string]any:
		y, ok := b.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case nil, bool, int, int64, float64, time.Time, time.Duration:
		return true
	}
	return false
}

// sameStrings reports whether y is x itself (what mapStrings returns when
// it changed nothing).
func sameStrings(x, y []string) bool {
	return len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
}
