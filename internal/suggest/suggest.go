// Package suggest finds the likely intended word for a typo ("did you mean
// ...?"): graph keys, upstream names, cause codes. It imports nothing of
// updoc's.
package suggest

import (
	"fmt"
	"slices"
	"strings"
)

// Closest returns the candidate closest to word (Levenshtein distance,
// case-insensitive) when it is close enough to be a likely typo, or "":
// within 1 edit for words of up to 3 letters, 2 for most, 3 from 9 letters
// on, and never a candidate that would have to be rewritten whole.
func Closest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestD := "", -1
	for _, c := range candidates {
		d := levenshtein(w, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	limit := 2
	if n := len([]rune(word)); n <= 3 {
		limit = 1
	} else if n >= 9 {
		limit = 3
	}
	if bestD <= limit && bestD < len([]rune(best)) {
		return best
	}
	return ""
}

// DidYouMean formats the suggestion for word as ` (did you mean "x"?)`, or
// "" when there is none (or word is already a candidate).
func DidYouMean(word string, candidates []string) string {
	if s := Closest(word, candidates); s != "" && s != word {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Nearest returns up to n candidates that word likely means, best first:
// the Closest one (a typo), then those sharing words with it (the pieces
// between '.', '_' and '-', case-insensitive; "tls.expired" shares "tls"
// and "expired" with "tls.cert_expired" and begins like "expiring"), more
// shared first, then the nearer by edit distance, then in the candidates'
// order.
func Nearest(word string, candidates []string, n int) []string {
	type ranked struct {
		c            string
		shared, dist int
	}
	closest := Closest(word, candidates)
	mine := pieces(word)
	var out []ranked
	for _, c := range candidates {
		r := ranked{c: c, dist: levenshtein(strings.ToLower(word), strings.ToLower(c))}
		for p := range pieces(c) {
			r.shared += sharing(p, mine)
		}
		if c == closest {
			r.shared = 1 << 30 // the likely typo comes first
		}
		if r.shared > 0 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b ranked) int {
		if a.shared != b.shared {
			return b.shared - a.shared
		}
		return a.dist - b.dist
	})
	names := make([]string, 0, min(n, len(out)))
	for _, r := range out[:min(n, len(out))] {
		names = append(names, r.c)
	}
	return names
}

// sharing scores how much piece is one of mine: 2 when it is, 1 when it
// begins like one (4 letters or more in common: "expiring", "expired").
func sharing(piece string, mine map[string]bool) int {
	if mine[piece] {
		return 2
	}
	for m := range mine {
		n := 0
		for n < len(m) && n < len(piece) && m[n] == piece[n] {
			n++
		}
		if n >= 4 {
			return 1
		}
	}
	return 0
}

// pieces splits s into its lower-case words at '.', '_' and '-'.
func pieces(s string) map[string]bool {
	out := map[string]bool{}
	for _, p := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '.' || r == '_' || r == '-' }) {
		out[p] = true
	}
	return out
}
