package textfmt

import "strconv"

// Plural is n with its noun: "1 upstream", "3 upstreams", "0 upstreams".
// The plural adds "s"; use PluralOf for another form.
func Plural(n int, noun string) string {
	return PluralOf(n, noun, noun+"s")
}

// PluralOf is n with the singular or the plural form: PluralOf(2, "CAUSE",
// "CAUSES") is "2 CAUSES".
func PluralOf(n int, singular, plural string) string {
	return strconv.Itoa(n) + " " + Noun(n, singular, plural)
}

// Noun is the form of a noun for a count of n, without the number.
func Noun(n int, singular, plural string) string {
	if n == 1 {
		return singular
	}
	return plural
}
