package report

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// secretForms are the forms in which secret s may reach an output: as it
// is; URL-escaped (query and path) and URL-unescaped (an upstream that
// decoded it); JSON-escaped (with and without Go's HTML-safe escapes),
// Go-quoted (%q, as errors quote it, also ASCII-only) and HTML-escaped (the
// entities of Go, of most templating engines, and of PHP); and, for a
// secret of 4 bytes or more, in base64 (standard and URL alphabets, with
// and without padding). Letter case is handled
// by the matcher, not here.
func secretForms(s string) []string {
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	if u, err := url.QueryUnescape(s); err == nil {
		forms = append(forms, u)
	}
	if u, err := url.PathUnescape(s); err == nil {
		forms = append(forms, u)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	_ = enc.Encode(s)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		forms = append(forms, unquoted(line))
	}
	forms = append(forms, unquoted(strconv.Quote(s)), unquoted(strconv.QuoteToASCII(s)),
		html.EscapeString(s), htmlEntities.Replace(s), phpEntities.Replace(s))
	if len(s) >= 4 {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			forms = append(forms, enc.EncodeToString([]byte(s)))
		}
	}
	return forms
}

var (
	htmlEntities = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", `'`, "&#x27;")
	phpEntities  = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;", `'`, "&#039;")
)

// unquoted is q without its first and last byte (the quotes).
func unquoted(q string) string {
	if len(q) < 2 {
		return q
	}
	return q[1 : len(q)-1]
}

// matcher finds every occurrence of a set of patterns in a string in one
// pass, whatever the letter case: an Aho-Corasick automaton over the UTF-8
// bytes of the case-folded text. Time is linear in the text (plus the
// matches), whatever the number and length of the patterns.
type matcher struct {
	// root is the root's transition for each byte (0: stay at the root).
	root [256]int32
	// The children of node n are edges[first[n]:first[n+1]], sorted by
	// byte: edgeByte the byte, edgeTo the child.
	first    []int32
	edgeByte []byte
	edgeTo   []int32
	fail     []int32
	// out[n] is the length, in folded bytes, of the longest pattern that
	// ends at node n (0: none); depth[n] the length of n's path.
	out   []int32
	depth []int32
	// ring is the ring buffer size (a power of 2) that holds the start
	// offset of the last maxLen folded bytes.
	ring int
	// onStep, when set (by a test), is called for each node step visits.
	onStep func()
}

// foldRune maps every rune of a case-folding orbit (k, K, the Kelvin sign)
// to one of them, the smallest; a rune whose upper or lower case lies
// outside its orbit (İ, ı) joins the orbit of its case-mapped form.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	r = unicode.ToLower(unicode.ToUpper(r))
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}

// fold is s case-folded (foldRune), its invalid bytes kept as they are.
func fold(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteByte(s[i])
		} else {
			b.WriteRune(foldRune(r))
		}
		i += size
	}
	return b.String()
}

// newMatcher builds the matcher of patterns; nil when none is non-empty.
func newMatcher(patterns []string) *matcher {
	// The trie, with maps, in insertion order.
	type trieNode struct {
		next map[byte]int32
		out  int32
	}
	trie := []trieNode{{next: map[byte]int32{}}}
	maxLen := 0
	for _, p := range patterns {
		p = fold(p)
		if p == "" {
			continue
		}
		maxLen = max(maxLen, len(p))
		n := int32(0)
		for i := 0; i < len(p); i++ {
			c, ok := trie[n].next[p[i]]
			if !ok {
				c = int32(len(trie))
				trie = append(trie, trieNode{next: map[byte]int32{}})
				trie[n].next[p[i]] = c
			}
			n = c
		}
		trie[n].out = int32(len(p))
	}
	if maxLen == 0 {
		return nil
	}
	m := &matcher{
		first: make([]int32, 0, len(trie)+1),
		fail:  make([]int32, len(trie)),
		out:   make([]int32, len(trie)),
		depth: make([]int32, len(trie)),
		ring:  1,
	}
	for m.ring < maxLen {
		m.ring *= 2
	}
	// Renumber the nodes in breadth-first order: the children of node k
	// are then edges[first[k]:first[k+1]].
	order := []int32{0} // order[k] is the trie node numbered k
	for k := 0; k < len(order); k++ {
		t := trie[order[k]]
		m.first = append(m.first, int32(len(m.edgeByte)))
		m.out[k] = t.out
		keys := make([]byte, 0, len(t.next))
		for b := range t.next {
			keys = append(keys, b)
		}
		slices.Sort(keys)
		for _, b := range keys {
			m.edgeByte = append(m.edgeByte, b)
			m.edgeTo = append(m.edgeTo, int32(len(order)))
			order = append(order, t.next[b])
		}
	}
	m.first = append(m.first, int32(len(m.edgeByte)))
	for e := m.first[0]; e < m.first[1]; e++ {
		m.root[m.edgeByte[e]] = m.edgeTo[e]
	}
	// Failure links, breadth first: a node's link is the node of the
	// longest proper suffix of its path that is in the trie; its out is
	// the longer of its own and its link's.
	for n := int32(0); n < int32(len(order)); n++ {
		for e := m.first[n]; e < m.first[n+1]; e++ {
			c := m.edgeTo[e]
			m.depth[c] = m.depth[n] + 1
			if n != 0 {
				m.fail[c] = m.step(m.fail[n], m.edgeByte[e])
			}
			m.out[c] = max(m.out[c], m.out[m.fail[c]])
		}
	}
	return m
}

// step is the node after node n reads byte b.
func (m *matcher) step(n int32, b byte) int32 {
	for n != 0 {
		if m.onStep != nil {
			m.onStep()
		}
		for e := m.first[n]; e < m.first[n+1]; e++ {
			if m.edgeByte[e] == b {
				return m.edgeTo[e]
			}
		}
		n = m.fail[n]
	}
	return m.root[b]
}

// span is a part of a text to redact: bytes [start, end).
type span struct{ start, end int }

// minPartial is the shortest beginning of a pattern that find reports at
// the end of a text (or before a final "…"): what is left of a secret in
// a text cut short, a body prefix or a quote.
const minPartial = 4

// minCutText is the shortest text, not ending in "…", whose end find reads
// as possibly cut (a body prefix is 512 bytes): a name, a key or a short
// value is never redacted for ending as a secret begins — an upstream
// "shop" beside a secret "shopping-key" stays "shop".
const minCutText = 256

// find returns the parts of s that hold a pattern, in order, overlapping
// and adjacent ones merged; nil when none does. A text that may have been
// cut — it ends with "…", or is at least minCutText long — and ends with
// the first minPartial bytes or more of a pattern, as a text cut in the
// middle of a secret does, holds that part too.
func (m *matcher) find(s string) []span {
	var spans []span
	// Folded offsets are the text's own until a rune folds to a UTF-8
	// form of another length (K, the Kelvin sign, to K); from then on
	// (folded offset switched), ring holds the text offset of the last
	// folded bytes.
	var ring []int
	switched := -1
	mask := m.ring - 1
	startOf := func(f int) int {
		if switched < 0 || f < switched {
			return f
		}
		return ring[f&mask]
	}
	n, fp := int32(0), 0 // the node, and the folded bytes read
	// The node and the folded bytes read before the last rune.
	beforeN, beforeFp := n, fp
	var enc [utf8.UTFMax]byte
	for i := 0; i < len(s); {
		c, size := s[i], 1
		folded := enc[:1]
		switch {
		case c < utf8.RuneSelf:
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			enc[0] = c
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				enc[0] = c
			} else {
				folded = enc[:utf8.EncodeRune(enc[:], foldRune(r))]
			}
		}
		if switched < 0 && len(folded) != size {
			switched, ring = fp, make([]int, m.ring)
		}
		beforeN, beforeFp = n, fp
		for _, b := range folded {
			if switched >= 0 {
				ring[fp&mask] = i
			}
			fp++
			n = m.step(n, b)
			if l := int(m.out[n]); l > 0 {
				spans = addSpan(spans, span{startOf(fp - l), i + size})
			}
		}
		i += size
	}
	// The beginning of a pattern at the end, or before a final ellipsis.
	end, endN, endFp := len(s), n, fp
	cut := len(s) >= minCutText
	if strings.HasSuffix(s, "…") {
		end, endN, endFp, cut = len(s)-len("…"), beforeN, beforeFp, true
	}
	if d := int(m.depth[endN]); cut && d >= minPartial && d > int(m.out[endN]) {
		spans = addSpan(spans, span{startOf(endFp - d), end})
	}
	return spans
}

// addSpan appends sp to spans (whose ends never exceed sp's), merging it
// with the spans it overlaps or touches.
func addSpan(spans []span, sp span) []span {
	for len(spans) > 0 && spans[len(spans)-1].end >= sp.start {
		sp.start = min(sp.start, spans[len(spans)-1].start)
		spans = spans[:len(spans)-1]
	}
	return append(spans, sp)
}

// replace is s with each part that holds a pattern replaced by repl; s
// itself when none does.
func (m *matcher) replace(s, repl string) string {
	spans := m.find(s)
	if spans == nil {
		return s
	}
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		b.WriteString(s[at:sp.start])
		b.WriteString(repl)
		at = sp.end
	}
	b.WriteString(s[at:])
	return b.String()
}
