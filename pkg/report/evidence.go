package report

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// EvidencePairs flattens evidence into sorted key=value strings; nested
// maps become dotted keys, lists are comma-joined. Every human-readable
// output (table, TUI) shows evidence this way.
func EvidencePairs(ev map[string]any) []string {
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		rv := reflect.ValueOf(v)
		if v != nil && rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String {
			keys := make([]string, 0, rv.Len())
			vals := map[string]any{}
			it := rv.MapRange()
			for it.Next() {
				k := it.Key().String()
				keys = append(keys, k)
				vals[k] = it.Value().Interface()
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(prefix+"."+k, vals[k])
			}
			return
		}
		out = append(out, prefix+"="+quoteIfNeeded(evidenceValue(v)))
	}
	keys := make([]string, 0, len(ev))
	for k := range ev {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		walk(k, ev[k])
	}
	return out
}

// evidenceValue renders one evidence value as plain text.
func evidenceValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	case *time.Time:
		if x == nil {
			return "null"
		}
		return x.UTC().Format(time.RFC3339)
	case time.Duration:
		return x.String()
	case error:
		return x.Error()
	case fmt.Stringer:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return string(rv.Bytes())
		}
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = evidenceValue(rv.Index(i).Interface())
		}
		return strings.Join(parts, ",")
	case reflect.Map:
		parts := EvidencePairs(toStringMap(rv))
		return "{" + strings.Join(parts, " ") + "}"
	case reflect.Pointer:
		if rv.IsNil() {
			return "null"
		}
		return evidenceValue(rv.Elem().Interface())
	}
	return fmt.Sprint(v)
}

func toStringMap(rv reflect.Value) map[string]any {
	m := map[string]any{}
	it := rv.MapRange()
	for it.Next() {
		m[fmt.Sprint(it.Key().Interface())] = it.Value().Interface()
	}
	return m
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\r\"=") {
		return strconv.Quote(s)
	}
	return s
}
