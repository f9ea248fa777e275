package report

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// hostile is planted in every string of a report; it holds a secret and
// bytes a terminal would obey.
const hostile = "s3cret-value\x1b]0;pwned\x07\u009b2J\u202e\xff\nline"

// fill sets every exported string of v (recursively: pointers, slices and
// maps get one element) to hostile, and evidence to a value of each kind
// evidence holds.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(hostile)
	case reflect.Pointer:
		if v.Type() == reflect.TypeFor[*time.Time]() || v.Type() == reflect.TypeFor[*int]() {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Map:
		if v.Type() == reflect.TypeFor[map[string]any]() {
			type custom struct{ Name string }
			v.Set(reflect.ValueOf(map[string]any{
				hostile: hostile, "list": []string{hostile}, "nested": map[string]any{"k": hostile},
				"any": []any{hostile, 1, map[string]any{hostile: []string{hostile}}}, "err": errors.New(hostile),
				"n": 3, "struct": custom{Name: hostile}, "maps": []map[string]any{{"x": hostile}},
			}))
			return
		}
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	}
}

// leftover finds, anywhere in v, a string that still holds what Sanitize
// must remove: the secret, or a byte a terminal would obey.
func leftover(v reflect.Value, path string) string {
	if isVocabulary(path) {
		return ""
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if strings.Contains(s, "s3cret-value") && !isName(path) || strings.ContainsAny(s, "\x1b\x07\n\u009b\u202e") {
			return path + " = " + s
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return leftover(v.Elem(), path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				if l := leftover(v.Field(i), path+"."+v.Type().Field(i).Name); l != "" {
					return l
				}
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if l := leftover(v.Index(i), path+"[]"); l != "" {
				return l
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if l := leftover(it.Key(), path+"{key}"); l != "" {
				return l
			}
			if l := leftover(it.Value(), path+"{"+it.Key().String()+"}"); l != "" {
				return l
			}
		}
	}
	return ""
}

// isName: the upstream names (and a proxy's source, a fixed vocabulary),
// which Sanitize shows safely but never redacts.
func isName(path string) bool {
	for _, suffix := range []string{"Upstreams[].Name", "RootCauses[].Upstream", "RootCauses[].Affects[]", "DependsOn[]", "NotProbed[].Upstream", "NotProbed[].NeededBy[]", "Proxy.Source"} {
		if strings.HasSuffix(path, suffix) {
			return true
		}
	}
	return false
}

// isVocabulary: fields that hold the schema's own words, which Sanitize
// leaves alone.
func isVocabulary(path string) bool {
	for _, suffix := range []string{".Schema", ".Code", ".Severity", ".Layer", ".Status",
		".Layers.DNS", ".Layers.TCP", ".Layers.TLS", ".Layers.HTTP", ".Layers.Latency"} {
		if strings.HasSuffix(path, suffix) {
			return true
		}
	}
	return false
}

// Sanitize reaches every string of a report: a field added to the report
// types without being sanitized fails this test (it fills every string
// field there is, by reflection).
func TestSanitizeReachesEveryString(t *testing.T) {
	var r Report
	fill(reflect.ValueOf(&r).Elem())
	r.Schema = Schema
	Sanitize(&r, []string{"s3cret-value"})
	if l := leftover(reflect.ValueOf(r), "Report"); l != "" {
		t.Fatalf("not sanitized: %q", l)
	}
	got := r.Upstreams[0].Findings[0].Message
	if want := `[redacted]\x1b]0;pwned\x07\u009b2J\u202e\xff\nline`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

// What Sanitize changes, it copies: slices and maps the report shares with
// its sources are left as they were.
func TestSanitizeCopiesWhatItChanges(t *testing.T) {
	shared := []string{hostile}
	evidence := map[string]any{"k": hostile, "list": shared}
	dns := &DNS{Name: hostile, Addresses: shared}
	r := Report{Upstreams: []Upstream{{Name: "a", DependsOn: shared, DNS: dns, Findings: []Finding{{Message: "m", Evidence: evidence}}}}}
	Sanitize(&r, []string{"s3cret-value"})
	if shared[0] != hostile || evidence["k"] != hostile || dns.Name != hostile {
		t.Errorf("a source was changed: %q %q %q", shared[0], evidence["k"], dns.Name)
	}
	if r.Upstreams[0].DependsOn[0] == hostile || r.Upstreams[0].DNS.Name == hostile {
		t.Error("the report was not sanitized")
	}
}

// A report with nothing to change allocates nothing per upstream (at most
// a constant for the pass itself): most reports are safe text.
func TestSanitizeSafeReportAllocatesNothing(t *testing.T) {
	var r Report
	for range 100 {
		r.Upstreams = append(r.Upstreams, Upstream{Name: "a", URL: "http://a/", DependsOn: []string{"b"},
			Targets:  []Target{{Address: "127.0.0.1:80", TCP: &TCP{}, HTTP: &HTTP{Method: "GET"}}},
			Findings: []Finding{{Message: "fine", Evidence: map[string]any{"k": "v", "n": 1}, Remediation: []string{"do x"}}}})
	}
	if n := testing.AllocsPerRun(50, func() {
		id := func(s string) string { return s }
		sanitizeReport(&r, id, id)
	}); n > 2 {
		t.Errorf("%v allocations for 100 upstreams", n)
	}
}

// A proxy's source is a fixed vocabulary (proxy, --proxy, a variable's
// name): a password equal to it is redacted from the URL, never from the
// source (found by QA: "from [redacted]").
func TestSanitizeNeverRedactsProxySource(t *testing.T) {
	px := &Proxy{URL: "http://u:https_proxy@10.0.0.9:3128", Source: "https_proxy"}
	r := Report{Upstreams: []Upstream{{Name: "a", Proxy: px}}}
	Sanitize(&r, []string{"https_proxy"})
	got := r.Upstreams[0].Proxy
	if got.Source != "https_proxy" || got.URL != "http://u:[redacted]@10.0.0.9:3128" {
		t.Errorf("proxy = %+v; want the password redacted and the source kept", got)
	}
	if px.URL != "http://u:https_proxy@10.0.0.9:3128" {
		t.Errorf("the report's own Proxy was changed: %+v", px)
	}
}
