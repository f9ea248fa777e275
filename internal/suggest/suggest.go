// Package suggest finds the likely intended word for a typo ("did you mean
// ...?"): graph keys, upstream names, cause codes. It imports nothing of
// updoc's.
package suggest

import (
	"fmt"
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
