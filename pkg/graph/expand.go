package graph

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// expandAt expands ${VAR} in the string value of node n, reporting unset
// variables at n. subs lists the values expanded (empty: none); they are
// also recorded in d.expanded, the secrets of the key being decoded.
func (d *decoder) expandAt(n *yaml.Node, path, s string) (out string, subs substitutions, ok bool) {
	out, subs, problems := expand(s, d.env)
	for _, pr := range problems {
		d.errorf(n, "%s: %s", path, pr)
	}
	for _, sb := range subs {
		d.expanded = append(d.expanded, sb.value)
	}
	return out, subs, len(problems) == 0
}

// substitution is one ${VAR} reference and the value it expanded to.
type substitution struct {
	ref   string // "${NAME}", as written
	value string
}

// substitutions are the ${VAR} expansions made in one value. Messages about
// that value must never show an expanded value (SPEC §2): scrub puts the
// references back.
type substitutions []substitution

// scrub replaces, in s (a piece of an expanded value that a message is
// about to show, such as a URL parser's complaint), every expanded value
// with its ${VAR} reference, and hides a piece that lies inside an expanded
// value (a parser quoting only part of it) behind that reference. Matching
// ignores case, since parsers lower-case some parts (a URL's scheme).
func (subs substitutions) scrub(s string) string {
	if len(subs) == 0 || s == "" {
		return s
	}
	sorted := slices.Clone(subs)
	slices.SortStableFunc(sorted, func(a, b substitution) int { return len(b.value) - len(a.value) })
	for _, sb := range sorted {
		if sb.value != "" && !strings.Contains(sb.ref, s) && containsFold(sb.value, s) {
			return sb.ref
		}
	}
	for _, sb := range sorted {
		if sb.value != "" {
			s = replaceFold(s, sb.value, sb.ref)
		}
	}
	return s
}

// scrubQuoted scrubs each Go-quoted piece ("...") of msg: the parts of an
// error message (net/url's, for one) that quote the input.
func (subs substitutions) scrubQuoted(msg string) string {
	if len(subs) == 0 {
		return msg
	}
	return quotedRE().ReplaceAllStringFunc(msg, func(q string) string {
		uq, err := strconv.Unquote(q)
		if err != nil {
			return subs.scrub(q)
		}
		return strconv.Quote(subs.scrub(uq))
	})
}

var quotedRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`"(?:[^"\\]|\\.)*"`) }) // compiled on first use, not at start

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// replaceFold replaces every case-insensitive occurrence of old in s.
func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	ls, lo := strings.ToLower(s), strings.ToLower(old)
	if len(ls) != len(s) || len(lo) != len(old) {
		// Lower-casing changed byte lengths (rare non-ASCII): exact match only.
		return strings.ReplaceAll(s, old, repl)
	}
	var b strings.Builder
	for {
		i := strings.Index(ls, lo)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, ls = s[i+len(old):], ls[i+len(old):]
	}
}

// expand replaces ${VAR} with the variable's value and $$ with $. subs
// lists the references expanded; problems describes unset variables and
// malformed references.
func expand(s string, lookup func(string) (string, bool)) (out string, subs substitutions, problems []string) {
	if !strings.Contains(s, "$") {
		return s, nil, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				problems = append(problems, "unterminated \"${\" (write $$ for a literal $)")
				b.WriteString(s[i:])
				i = len(s)
				continue
			}
			name := s[i+2 : i+2+end]
			i += 2 + end
			if !envNameRE().MatchString(name) {
				problems = append(problems, fmt.Sprintf("invalid variable reference \"${%s}\": names use letters, digits and _ (write $$ for a literal $)", name))
				continue
			}
			val, ok := lookup(name)
			if !ok {
				problems = append(problems, fmt.Sprintf("environment variable %s is not set (referenced as ${%s}); export it or write $$ for a literal $", name, name))
				continue
			}
			subs = append(subs, substitution{ref: "${" + name + "}", value: val})
			b.WriteString(val)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), subs, problems
}

var envNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`) }) // compiled on first use, not at start
