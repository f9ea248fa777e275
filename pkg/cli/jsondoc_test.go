package cli

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/report"
)

// keyPath is one key of the JSON report, as docs/json.md names it:
// "upstreams[].targets[].tls.cert.days_left".
type keyPath struct {
	path string
	typ  string // the JSON type: string, number, boolean, array, object, or "string (RFC 3339)"
}

// reportKeyPaths lists every key the JSON report can hold, from the
// report.Document types (their json tags: the report and what JSON adds), in struct order. An object type met
// a second time (the dns object of a target) is listed by its own key only:
// the documentation describes its keys once, where it first appears.
func reportKeyPaths() []keyPath {
	var out []keyPath
	seen := map[reflect.Type]bool{}
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" { // an embedded struct's keys are the outer object's
				ft := f.Type
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				walk(prefix, ft)
				continue
			}
			if name == "" || name == "-" {
				continue
			}
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch {
			case ft == reflect.TypeOf(time.Time{}):
				out = append(out, keyPath{path, "string"})
			case ft.Kind() == reflect.Struct:
				out = append(out, keyPath{path, "object"})
				walk(path, ft)
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				out = append(out, keyPath{path, "array"})
				walk(path+"[]", ft.Elem())
			case ft.Kind() == reflect.Slice:
				out = append(out, keyPath{path, "array"})
			case ft.Kind() == reflect.Map:
				out = append(out, keyPath{path, "object"})
			case ft.Kind() == reflect.String:
				out = append(out, keyPath{path, "string"})
			case ft.Kind() == reflect.Bool:
				out = append(out, keyPath{path, "boolean"})
			default:
				out = append(out, keyPath{path, "number"})
			}
		}
	}
	walk("", reflect.TypeOf(report.Document{}))
	return out
}

// docs/json.md documents every key of the JSON report and no key it does
// not have: adding a key to report.Document or report.Report without documenting it fails here.
func TestJSONDocNamesEveryKey(t *testing.T) {
	doc, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Fatalf("read the JSON report's documentation: %v", err)
	}
	// Documented keys are the first cell of a table row: | `path` | type | …
	rowRE := regexp.MustCompile("(?m)^\\| `([a-z0-9_.\\[\\]]+)` \\| ([a-z]+)")
	documented := map[string]string{}
	for _, m := range rowRE.FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = m[2]
	}
	var paths []string
	for _, k := range reportKeyPaths() {
		paths = append(paths, k.path)
		typ, ok := documented[k.path]
		switch {
		case !ok:
			t.Errorf("docs/json.md does not document the key `%s` (%s): add a row for it", k.path, k.typ)
		case typ != k.typ:
			t.Errorf("docs/json.md says `%s` is a %s; it is a %s", k.path, typ, k.typ)
		}
	}
	for path := range documented {
		if !slices.Contains(paths, path) {
			t.Errorf("docs/json.md documents `%s`, which the report does not have", path)
		}
	}
}
