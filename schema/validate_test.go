package schema_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab"
	"github.com/updoc/updoc/schema"
)

// TestGraphSchemaKeysAreTheDecoders: every key the graph decoder reads is
// a property of the checked-in schema, where the decoder reads it, with
// the decoder's description, and the schema has no other key.
func TestGraphSchemaKeysAreTheDecoders(t *testing.T) {
	var s map[string]any
	readJSON(t, schema.GraphSchemaFile, &s)
	defs := s["$defs"].(map[string]any)
	// object follows $ref and the non-null branch of a nullable key.
	var object func(v map[string]any) map[string]any
	object = func(v map[string]any) map[string]any {
		if ref, ok := v["$ref"].(string); ok {
			return object(defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any))
		}
		if one, ok := v["oneOf"].([]any); ok && len(one) == 2 {
			return object(one[0].(map[string]any))
		}
		return v
	}
	var walk func(path string, obj map[string]any, keys []graph.FileKey)
	walk = func(path string, obj map[string]any, keys []graph.FileKey) {
		props, _ := obj["properties"].(map[string]any)
		if obj["additionalProperties"] != false {
			t.Errorf("%s: the decoder rejects unknown keys, the schema allows them", path)
		}
		var names []string
		for _, k := range keys {
			names = append(names, k.Name)
			p, ok := props[k.Name].(map[string]any)
			if !ok {
				t.Errorf("the decoder reads %s%s; the schema lacks it", path, k.Name)
				continue
			}
			if p["description"] != k.Doc {
				t.Errorf("%s%s: description %q, want the decoder's %q", path, k.Name, p["description"], k.Doc)
			}
			if k.Keys != nil {
				o, sub := object(p), path+k.Name+"."
				if k.Name == "upstreams" {
					o, sub = object(o["additionalProperties"].(map[string]any)), sub+"NAME."
				}
				walk(sub, o, k.Keys)
			}
		}
		for name := range props {
			if !slices.Contains(names, name) {
				t.Errorf("the schema has %s%s, which the decoder does not read", path, name)
			}
		}
	}
	walk("", s, graph.FileKeys())
}

// Every property of both schemas has a description.
func TestEveryKeyIsDescribed(t *testing.T) {
	for _, name := range []string{schema.GraphSchemaFile, schema.ReportSchemaFile} {
		var s map[string]any
		readJSON(t, name, &s)
		n := 0
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch x := v.(type) {
			case map[string]any:
				if props, ok := x["properties"].(map[string]any); ok {
					for k, p := range props {
						n++
						if d, _ := p.(map[string]any)["description"].(string); strings.TrimSpace(d) == "" {
							t.Errorf("%s: %s.%s has no description", name, path, k)
						}
					}
				}
				for k, e := range x {
					walk(path+"/"+k, e)
				}
			case []any:
				for _, e := range x {
					walk(path, e)
				}
			}
		}
		walk("", s)
		if n < 20 {
			t.Errorf("%s: only %d properties", name, n)
		}
	}
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// The invalid graph files whose problem a JSON Schema cannot see, and why.
// Every other invalid-*.yaml fails validation.
var semanticErrors = map[string]string{
	"invalid-body-regex.yaml":         "the regular expression is Go RE2, which JSON Schema's ECMA-262 format cannot check (and RE2's (?i) is no ECMA-262)",
	"invalid-cycle.yaml":              "a dependency cycle is about several upstreams' depends_on together",
	"invalid-depends-unknown.yaml":    "depends_on names an upstream the file does not have: a reference a schema cannot follow",
	"invalid-self-dependency.yaml":    "an upstream depending on itself is a reference between a key and its upstream's name",
	"invalid-duplicate-header.yaml":   "header names are case-insensitive; JSON property names are not",
	"invalid-duplicate-key.yaml":      "a duplicate key is a YAML matter: the file is no JSON value (the YAML reader rejects it)",
	"invalid-duplicate-upstream.yaml": "a duplicate key is a YAML matter: the file is no JSON value (the YAML reader rejects it)",
	"invalid-tab-indent.yaml":         "not YAML at all: the YAML reader rejects it",
	"invalid-yaml.yaml":               "not YAML at all: the YAML reader rejects it",
	"invalid-expect-on-tls.yaml":      "which keys an upstream may set depends on its url's scheme (SPEC §2), a rule on a value's prefix the schema leaves to the decoder",
	"invalid-request-key-on-tcp.yaml": "which keys an upstream may set depends on its url's scheme (SPEC §2)",
	"invalid-tls-on-http.yaml":        "which keys an upstream may set depends on its url's scheme (SPEC §2)",
	"invalid-unset-env.yaml":          "whether ${VAR} is set depends on the environment at run time",
	"invalid-url-port.yaml":           "the port 70000 is out of range inside a url whose parts ${VAR} may supply: the decoder checks it after expansion",
}

func TestTestdataGraphs(t *testing.T) {
	files, err := filepath.Glob("../testdata/graphs/*.yaml")
	if err != nil || len(files) < 10 {
		t.Fatalf("testdata graphs: %v %v", files, err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		err = schema.ValidateGraph(data)
		switch why, semantic := semanticErrors[name]; {
		case strings.HasPrefix(name, "valid-"):
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case semantic:
			var ve *jsonschema.ValidationError
			if errors.As(err, &ve) {
				t.Errorf("%s is listed as an error no schema can see (%s), but the schema rejects it: %v", name, why, err)
			}
		case err == nil:
			t.Errorf("%s: the schema accepts it; the decoder says %s", name, firstLine(data))
		default:
			t.Logf("%s: %s", name, oneLine(err))
		}
	}
	for name := range semanticErrors {
		if _, err := os.Stat(filepath.Join("../testdata/graphs", name)); err != nil {
			t.Errorf("semanticErrors lists %s: %v", name, err)
		}
	}
}

func firstLine(data []byte) string {
	l, _, _ := strings.Cut(string(data), "\n")
	return l
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// The lab's graph file (what `updoc demo --print-config` prints, and the
// one the lab tests probe) is valid.
func TestLabGraphs(t *testing.T) {
	l, err := lab.Start(context.Background())
	if err != nil {
		t.Fatalf("start lab: %v", err)
	}
	defer l.Close()
	for name, g := range map[string][]byte{"config": l.Config(), "printed": l.PrintedConfig()} {
		if err := schema.ValidateGraph(g); err != nil {
			t.Errorf("lab %s: %v", name, err)
		}
	}
}

// The README's graph files (its ```yaml blocks that hold a version) are
// valid.
func TestReadmeGraphs(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	n := 0
	for _, b := range blocks {
		if !strings.Contains(b[1], "version:") {
			continue
		}
		n++
		if err := schema.ValidateGraph([]byte(b[1])); err != nil {
			t.Errorf("README graph %d: %v\n%s", n, err, b[1])
		}
	}
	if n == 0 {
		t.Error("README.md has no ```yaml graph file")
	}
}

// The golden JSON reports validate.
func TestGoldenReports(t *testing.T) {
	files, _ := filepath.Glob("../testdata/golden/*.json")
	if len(files) == 0 {
		t.Fatal("no golden JSON report")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.ValidateReport(data); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// Each schema rejects a wrong document with a message that names the key.
func TestSchemasRejectWrongDocuments(t *testing.T) {
	const graphOK = "version: 1\nupstreams:\n  api:\n    url: https://api.example.com/healthz\n"
	if err := schema.ValidateGraph([]byte(graphOK)); err != nil {
		t.Fatalf("the minimal graph: %v", err)
	}
	report, err := os.ReadFile("../testdata/golden/report-healthy.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.ValidateReport(report); err != nil {
		t.Fatalf("report-healthy.json: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatal(err)
	}
	reportWith := func(change func(map[string]any)) []byte {
		var d map[string]any
		b, _ := json.Marshal(doc)
		json.Unmarshal(b, &d)
		change(d)
		out, _ := json.Marshal(d)
		return out
	}
	firstUpstream := func(d map[string]any) map[string]any { return d["upstreams"].([]any)[0].(map[string]any) }
	tests := []struct {
		name string
		err  error
		want []string // in the message
	}{
		{"graph: an unknown key", schema.ValidateGraph([]byte(graphOK + "    timout: 5s\n")), []string{"/upstreams/api", "timout"}},
		{"graph: a wrong type", schema.ValidateGraph([]byte(graphOK + "    follow_redirects: sometimes\n")), []string{"/upstreams/api/follow_redirects", "boolean"}},
		{"graph: a duration without a unit", schema.ValidateGraph([]byte(graphOK + "    timeout: 5\n")), []string{"/upstreams/api/timeout", "string"}},
		{"graph: an unknown key in defaults", schema.ValidateGraph([]byte(graphOK + "defaults: {url: http://x}\n")), []string{"/defaults", "url"}},
		{"report: an unknown key", schema.ValidateReport(reportWith(func(d map[string]any) { d["colour"] = "red" })), []string{"colour"}},
		{"report: a wrong type", schema.ValidateReport(reportWith(func(d map[string]any) { firstUpstream(d)["duration_ms"] = "fast" })), []string{"/upstreams/0/duration_ms", "number"}},
		{"report: a missing key", schema.ValidateReport(reportWith(func(d map[string]any) { delete(firstUpstream(d), "findings") })), []string{"/upstreams/0", "findings"}},
		{"report: a status out of the enum", schema.ValidateReport(reportWith(func(d map[string]any) { d["status"] = "sick" })), []string{"/status", "healthy"}},
	}
	for _, tt := range tests {
		var ve *jsonschema.ValidationError
		if !errors.As(tt.err, &ve) {
			t.Errorf("%s: err = %v, want a validation error", tt.name, tt.err)
			continue
		}
		msg := tt.err.Error()
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: the message does not name %q:\n%s", tt.name, w, msg)
			}
		}
		t.Logf("%s: %s", tt.name, oneLine(tt.err))
	}
}
