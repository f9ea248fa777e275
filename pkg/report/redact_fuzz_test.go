package report

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzRedact plants a secret of 4 bytes or more in a text — several times,
// at places the fuzzer picks, each time in a form the redactor knows
// (secretForms) in a letter case the fuzzer picks rune by rune — and
// checks that no planted form survives in the redacted text, in any
// letter case. Its seed corpus is in testdata/fuzz/FuzzRedact.
func FuzzRedact(f *testing.F) {
	f.Add("hunter2!", "the password is  and again ", uint64(0x0102030405), uint64(0xaaaa))
	f.Add(`Tok"en<&>/+ü 42`, `{"error": "bad token"}`, uint64(0xff00ff00ff), uint64(0x5555))
	f.Add("s\xffcret", "\xff\xfe\x80 text", uint64(7), uint64(1))
	f.Add("İdıd", "ID id İD", uint64(3), uint64(0xffff))
	f.Fuzz(func(t *testing.T, secret, text string, places, cases uint64) {
		if len(secret) < 4 {
			return
		}
		forms := secretForms(secret)
		var planted []string
		var b strings.Builder
		rest := text
		for k := 0; k < 4 && places != 0; k++ {
			form := withCase(forms[int(places%uint64(len(forms)))], cases>>(k*8))
			places /= uint64(len(forms))
			at := 0
			if len(rest) > 0 {
				at = int(places % uint64(len(rest)+1))
			}
			places >>= 4
			b.WriteString(rest[:at])
			b.WriteString(form)
			rest = rest[at:]
			planted = append(planted, form)
		}
		b.WriteString(rest)
		if len(planted) == 0 {
			planted = append(planted, secret)
			b.WriteString(secret)
		}
		// A byte that no planted form holds replaces the secret, so that
		// no planted form can be made of the replacement and what lies
		// around it.
		marker, ok := markerFor(planted)
		if !ok {
			return
		}
		out := fold(newRedactor([]string{secret}).m.replace(b.String(), marker))
		for _, p := range planted {
			if strings.Contains(out, fold(p)) {
				t.Fatalf("the form %q of secret %q survives in %q", p, secret, out)
			}
		}
	})
}

// withCase is s with its runes upper-cased (bit set) or lower-cased (bit
// clear), by the bits of cases in turn; invalid bytes stay as they are.
func withCase(s string, cases uint64) string {
	var b strings.Builder
	for i, n := 0, 0; i < len(s); n++ {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte(s[i])
		case cases>>(n%64)&1 == 1:
			b.WriteRune(unicode.ToUpper(r))
		default:
			b.WriteRune(unicode.ToLower(r))
		}
		i += size
	}
	return b.String()
}

// markerFor is a one-byte string that no folded form of planted holds;
// false when they hold every byte.
func markerFor(planted []string) (string, bool) {
	var used [256]bool
	for _, p := range planted {
		for _, c := range []byte(fold(p)) {
			used[c] = true
		}
	}
	for c := range used {
		if !used[c] {
			return string([]byte{byte(c)}), true
		}
	}
	return "", false
}
