package report

import (
	"reflect"
)

// Redacted replaces every secret in every output.
const Redacted = "[redacted]"

// redactString is the redaction Sanitize applies, on one string: every
// occurrence of each non-empty secret, in any letter case and in the forms
// an upstream or an error may give it (URL-, JSON-, Go-quote- and
// HTML-escaped, base64: secretForms), becomes "[redacted]"; where
// occurrences overlap or touch, the whole stretch is one "[redacted]", so
// a secret that contains another one is redacted whole. Matching is one
// pass over the string, however many secrets there are.
func redactString(s string, secrets []string) string {
	rep := newRedactor(secrets)
	if rep == nil {
		return s
	}
	return rep.str(s)
}

type redactor struct{ m *matcher }

// newRedactor is the redactor of secrets: each secret in each of its forms
// (secretForms), in any letter case. nil when there is nothing to redact.
func newRedactor(secrets []string) *redactor {
	var patterns []string
	for _, s := range secrets {
		if s != "" {
			patterns = append(patterns, secretForms(s)...)
		}
	}
	m := newMatcher(patterns)
	if m == nil {
		return nil
	}
	return &redactor{m: m}
}

func (rd *redactor) str(s string) string { return rd.m.replace(s, Redacted) }

var (
	errorType = reflect.TypeFor[error]()
	bytesType = reflect.TypeFor[[]byte]()
	// vocabulary types and fields hold schema words, never user data.
	vocabularyTypes = map[reflect.Type]bool{
		reflect.TypeFor[Status]():      true,
		reflect.TypeFor[Severity]():    true,
		reflect.TypeFor[LayerStatus](): true,
	}
	vocabularyFields = map[reflect.Type]map[string]bool{
		reflect.TypeFor[Report]():    {"Schema": true},
		reflect.TypeFor[RootCause](): {"Code": true},
		reflect.TypeFor[Finding]():   {"Code": true, "Layer": true},
	}
)

// stringCopier copies values of any type with every string in them passed
// through it: the fallback of sanitizeValue for evidence values of a type
// it does not know.
type stringCopier func(string) string

// copy returns a deep copy of v with every string passed through f.
// Unexported struct fields (time.Time's, for instance) are copied as they
// are; so are the vocabulary types and fields.
func (f stringCopier) copy(v reflect.Value) reflect.Value {
	t := v.Type()
	switch v.Kind() {
	case reflect.String:
		if vocabularyTypes[t] {
			return v
		}
		out := reflect.New(t).Elem()
		out.SetString(f(v.String()))
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t.Elem())
		out.Elem().Set(f.copy(v.Elem()))
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		inner := v.Elem()
		if inner.Kind() != reflect.String && inner.Type().Implements(errorType) {
			// An error value inside evidence: keep its (redacted) text,
			// which is also what JSON would need.
			if e, ok := inner.Interface().(error); ok && !(inner.Kind() == reflect.Pointer && inner.IsNil()) {
				out.Set(reflect.ValueOf(f(e.Error())))
				return out
			}
		}
		out.Set(f.copy(inner))
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v)
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() || vocabularyFields[t][t.Field(i).Name] {
				continue
			}
			out.Field(i).Set(f.copy(v.Field(i)))
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		if t == bytesType || t.Elem().Kind() == reflect.Uint8 {
			out := reflect.New(t).Elem()
			out.SetBytes([]byte(f(string(v.Bytes()))))
			return out
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(f.copy(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(f.copy(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		it := v.MapRange()
		for it.Next() {
			out.SetMapIndex(f.copy(it.Key()), f.copy(it.Value()))
		}
		return out
	default:
		return v
	}
}
