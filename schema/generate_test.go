package schema_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/report"
	"github.com/updoc/updoc/schema"
)

var update = flag.Bool("update", false, "rewrite the schema files from the Go types")

// TestSchemasAreCurrent generates both schemas from the Go types and fails
// when a checked-in file differs; -update rewrites them.
func TestSchemasAreCurrent(t *testing.T) {
	gen := map[string]func(*testing.T) *jsonschema.Schema{
		schema.GraphSchemaFile:  graphSchema,
		schema.ReportSchemaFile: reportSchema,
	}
	for name, f := range gen {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(f(t)); err != nil {
			t.Fatal(err)
		}
		got := buf.Bytes()
		if *update {
			if err := os.WriteFile(name, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schema/%s is stale: regenerate it with go test ./schema -run TestSchemasAreCurrent -update", name)
		}
	}
}

// reflector reflects Go types with the doc comments of the packages in
// dirs (relative to the repository's root) as the types' descriptions.
func reflector(t *testing.T, dirs ...string) *jsonschema.Reflector {
	t.Helper()
	r := &jsonschema.Reflector{ExpandedStruct: true}
	wd, _ := os.Getwd()
	t.Chdir("..") // AddGoComments names packages by their path from here
	for _, d := range dirs {
		if err := r.AddGoComments("github.com/updoc/updoc", d); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(wd)
	return r
}

func str(pattern string) *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Pattern: pattern}
}

func enum[T ~string](vals ...T) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "string"}
	for _, v := range vals {
		s.Enum = append(s.Enum, string(v))
	}
	return s
}

func minimum(n int) json.Number { return json.Number(fmt.Sprint(n)) }

func uptr(n uint64) *uint64 { return &n }

// Patterns of the graph file's values, as the decoder checks them.
const (
	// A Go duration (time.ParseDuration) without a sign.
	durationPattern = `^\+?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`
	// Bytes, or bytes with a unit: B, k, kB, KiB, M, MB, MiB, G, GB, GiB (any case).
	sizePattern = `^\s*[0-9]+\s*([bB]|[kKmMgG]([bB]|[iI][bB])?)?\s*$`
	// http://, https:// (a host after), tcp://HOST:PORT, tls://, or a url
	// that ${VAR} expands to.
	urlPattern = `^(([hH][tT][tT][pP][sS]?|[tT][lL][sS])://[^/?#\s]|[tT][cC][pP]://[^/?#\s]*:[0-9]+/?$|\$\{)`
	// An RFC 9110 token: a method or a header name.
	tokenPattern = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"
	namePattern  = `^[A-Za-z0-9._-]+$`
	tagPattern   = `^[A-Za-z0-9._:/-]+$`
	portPattern  = `([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])`
	hostPattern  = `(\[[0-9A-Fa-f:.]+\]|[^\s:/?#@\[\]]+)`
	// system, HOST, HOST:PORT, an IPv6 address, udp:// or tcp:// before.
	resolverPattern = `^(system|((udp|tcp)://)?([0-9A-Fa-f.]*:[0-9A-Fa-f:.]*|` + hostPattern + `(:[0-9]+)?))$`
	// A proxy URL: http://, socks5:// or socks5h:// and an authority,
	// no path; HOST[:PORT] alone is http:// (as for curl).
	proxyURLPattern = `^(([hH][tT][tT][pP]|[sS][oO][cC][kK][sS]5[hH]?)://)?[^/?#\s]+/?$`
	statusPattern   = `^([1-5][xX][xX]|[1-5][0-9][0-9])$`
)

// graphShapes are the schemas of the graph file's shapes of value.
func graphShapes() map[reflect.Type]*jsonschema.Schema {
	text := &jsonschema.Schema{AnyOf: []*jsonschema.Schema{{Type: "string"}, {Type: "number"}, {Type: "boolean"}}}
	status := &jsonschema.Schema{AnyOf: []*jsonschema.Schema{
		{Type: "integer", Minimum: minimum(100), Maximum: minimum(599)},
		str(statusPattern),
	}}
	var actions []graph.PolicyAction
	actions = append(actions, graph.PolicyActions()...)
	return map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[schema.FormatVersion](): {Type: "integer", Const: 1},
		reflect.TypeFor[schema.UpstreamName]():  str(namePattern),
		reflect.TypeFor[schema.Severities](): {
			Type:                 "object",
			PropertyNames:        enum(catalog.Codes()...),
			AdditionalProperties: enum(actions...),
		},
		reflect.TypeFor[schema.URL]():    str(urlPattern),
		reflect.TypeFor[schema.Method](): str(tokenPattern),
		reflect.TypeFor[schema.Headers](): {
			Type:                 "object",
			PropertyNames:        str(tokenPattern),
			AdditionalProperties: text,
		},
		reflect.TypeFor[schema.Text]():      text,
		reflect.TypeFor[schema.NonEmpty]():  {Type: "string", MinLength: uptr(1)},
		reflect.TypeFor[schema.HostPort]():  str(`^` + hostPattern + `:` + portPattern + `$`),
		reflect.TypeFor[schema.Resolvers](): {Type: "array", MinItems: uptr(1), Items: str(resolverPattern)},
		reflect.TypeFor[schema.Duration]():  str(durationPattern),
		reflect.TypeFor[schema.Count]():     {Type: "integer", Minimum: minimum(0)},
		reflect.TypeFor[schema.Size](): {AnyOf: []*jsonschema.Schema{
			{Type: "integer", Minimum: minimum(1)},
			str(sizePattern),
		}},
		reflect.TypeFor[schema.Statuses](): {AnyOf: []*jsonschema.Schema{
			status,
			{Type: "array", MinItems: uptr(1), Items: status},
		}},
		reflect.TypeFor[schema.IPFamily](): enum(graph.IPFamilyAny, graph.IPFamilyV4, graph.IPFamilyV6),
		reflect.TypeFor[schema.Proxy](): {AnyOf: []*jsonschema.Schema{
			enum(graph.ProxyNone, graph.ProxyFromEnv),
			str(proxyURLPattern),
		}},
		reflect.TypeFor[schema.Tag](): str(tagPattern),
	}
}

// graphSchema is the graph file's schema: the shape of schema.GraphFile,
// the descriptions of graph.FileKeys.
func graphSchema(t *testing.T) *jsonschema.Schema {
	r := reflector(t, "schema")
	shapes := graphShapes()
	r.Mapper = func(t reflect.Type) *jsonschema.Schema {
		if s, ok := shapes[t]; ok {
			c := *s // each use its own: descriptions are set per key
			return &c
		}
		return nil
	}
	s := r.Reflect(&schema.GraphFile{})
	s.ID = schema.IDBase + schema.GraphSchemaFile
	s.Title = "updoc graph file"
	s.Description = "The graph of upstreams updoc probes (updoc.yaml; SPEC §2)."
	ups := object(s, s.Properties.Value("upstreams"))
	ups.PropertyNames = str(namePattern)
	ups.MinProperties = uptr(1)
	tls := s.Definitions["TLS"]
	tls.DependentRequired = map[string][]string{"cert_file": {"key_file"}, "key_file": {"cert_file"}}
	if err := describeKeys(s, s, graph.FileKeys(), ""); err != nil {
		t.Fatal(err)
	}
	return s
}

// object returns the object schema s stands for: s, the definition it
// refers to, or the one that is not null of a nullable s.
func object(root, s *jsonschema.Schema) *jsonschema.Schema {
	for range 4 {
		switch {
		case s.Ref != "":
			s = root.Definitions[strings.TrimPrefix(s.Ref, "#/$defs/")]
		case len(s.OneOf) == 2 && s.OneOf[1].Type == "null":
			s = s.OneOf[0]
		default:
			return s
		}
	}
	return s
}

// describeKeys gives each property of the object s the description of its
// key among keys, and fails on a property that is not a key or a key that
// is not a property: the types and the decoder declare the same keys.
func describeKeys(root, s *jsonschema.Schema, keys []graph.FileKey, path string) error {
	var props []string
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		props = append(props, p.Key)
	}
	for _, k := range keys {
		if !slices.Contains(props, k.Name) {
			return fmt.Errorf("the decoder reads %s%s, which schema/graphfile.go does not declare", path, k.Name)
		}
	}
	for _, name := range props {
		i := slices.IndexFunc(keys, func(k graph.FileKey) bool { return k.Name == name })
		if i < 0 {
			return fmt.Errorf("schema/graphfile.go declares %s%s, which the decoder does not read", path, name)
		}
		k, prop := keys[i], s.Properties.Value(name)
		prop.Description = k.Doc
		if k.Keys == nil {
			continue
		}
		o, sub := object(root, prop), path+k.Name+"."
		if k.Name == "upstreams" { // a mapping of names to upstreams
			o, sub = object(root, o.AdditionalProperties), sub+"NAME."
		}
		if err := describeKeys(root, o, k.Keys, sub); err != nil {
			return err
		}
	}
	return nil
}

// reportSchema is the report's schema: the shape of report.Document, the
// descriptions of docs/json.md.
func reportSchema(t *testing.T) *jsonschema.Schema {
	r := reflector(t, "pkg/report", "pkg/catalog")
	shapes := map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[report.Status]():      enum(report.Healthy, report.Degraded, report.Unknown, report.Unhealthy),
		reflect.TypeFor[report.LayerStatus](): enum(report.Pass, report.LWarn, report.LFail, report.Skip),
		reflect.TypeFor[catalog.Severity]():   enum(catalog.Warn, catalog.Fail),
		reflect.TypeFor[catalog.Layer]():      enum(append(catalog.ProbeLayers(), catalog.LayerGraph, catalog.LayerRun)...),
	}
	r.Mapper = func(t reflect.Type) *jsonschema.Schema {
		if s, ok := shapes[t]; ok {
			c := *s
			return &c
		}
		return nil
	}
	s := r.Reflect(&report.Document{})
	s.ID = schema.IDBase + schema.ReportSchemaFile
	s.Title = "updoc report " + report.Schema
	s.Description = "What updoc check -o json writes: one run's report (SPEC §7, docs/json.md)."
	s.Properties.Value("schema").Const = report.Schema
	// A pointer without omitempty is written null when it is nil.
	nullable(s, reflect.TypeFor[report.Document]())
	// Finding.MarshalJSON writes an empty target as null.
	find := s.Definitions["Finding"].Properties
	find.Set("target", orNull(find.Value("target")))
	codes := enum(catalog.Codes()...)
	for _, def := range []string{"Finding", "RootCause", "RootCauseGroup"} {
		code := s.Definitions[def].Properties.Value("code")
		code.Type, code.Enum = codes.Type, codes.Enum
	}
	rows, err := jsonDocRows()
	if err != nil {
		t.Fatal(err)
	}
	if err := describePaths(s, s, "", rows, map[*jsonschema.Schema]bool{}); err != nil {
		t.Fatal(err)
	}
	return s
}

// orNull is s or null; the description goes on the whole.
func orNull(s *jsonschema.Schema) *jsonschema.Schema {
	s.Description = ""
	return &jsonschema.Schema{OneOf: []*jsonschema.Schema{s, {Type: "null"}}}
}

// nullable lets every pointer field of t (and of the structs it holds)
// that has no omitempty be null in s.
func nullable(s *jsonschema.Schema, root reflect.Type) {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type, props func() *jsonschema.Schema)
	walk = func(t reflect.Type, obj func() *jsonschema.Schema) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				walk(f.Type, obj)
				continue
			}
			if name == "" || name == "-" {
				continue
			}
			ft := f.Type
			if ft.Kind() == reflect.Pointer && !strings.Contains(opts, "omitempty") {
				o := obj()
				o.Properties.Set(name, orNull(o.Properties.Value(name)))
			}
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft.Name() != "Time" {
				def := ft.Name()
				walk(ft, func() *jsonschema.Schema { return s.Definitions[def] })
			}
		}
	}
	walk(root, func() *jsonschema.Schema { return s })
}

// A jsonDocRow is one key's row in docs/json.md.
type jsonDocRow struct{ values, meaning string }

// jsonDocRows reads the rows of docs/json.md's tables by key path
// ("upstreams[].targets[].tls.cert.days_left").
func jsonDocRows() (map[string]jsonDocRow, error) {
	doc, err := os.ReadFile("../docs/json.md")
	if err != nil {
		return nil, err
	}
	rowRE := regexp.MustCompile("(?m)^\\| `([a-z0-9_.\\[\\]]+)` \\|[^|]*\\|([^|]*)\\|(.*)\\|\\s*$")
	out := map[string]jsonDocRow{}
	for _, m := range rowRE.FindAllStringSubmatch(string(doc), -1) {
		out[m[1]] = jsonDocRow{strings.TrimSpace(m[2]), strings.TrimSpace(m[3])}
	}
	return out, nil
}

// describePaths gives each property of the object s (at path) the
// description of its row in docs/json.md; an object type met a second time
// (a target's dns) was described where it first appeared.
func describePaths(root, s *jsonschema.Schema, path string, rows map[string]jsonDocRow, seen map[*jsonschema.Schema]bool) error {
	if seen[s] || s.Properties == nil {
		return nil
	}
	seen[s] = true
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		key := p.Key
		if path != "" {
			key = path + "." + p.Key
		}
		row, ok := rows[key]
		if !ok {
			return fmt.Errorf("docs/json.md has no row for %s", key)
		}
		p.Value.Description = description(row)
		v := object(root, p.Value)
		if v.Type == "array" && v.Items != nil {
			key += "[]"
			v = object(root, v.Items)
		}
		if v.Type == "object" {
			if err := describePaths(root, v, key, rows, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

var (
	mdCode = strings.NewReplacer("`", "", "*optional*: ", "Optional: ", "*optional*", "optional")
	mdLink = regexp.MustCompile(`\[([^\]]+)\]\([^)]+\)`)
)

// description is a key's description from its row: the meaning, then the
// unit or values.
func description(r jsonDocRow) string {
	d := mdLink.ReplaceAllString(mdCode.Replace(r.meaning), "docs/$1")
	switch v := mdCode.Replace(r.values); {
	case v == "":
	case d == "":
		d = v
	default:
		d += " (" + v + ")"
	}
	return d
}
