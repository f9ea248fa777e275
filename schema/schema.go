package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// IDBase is where the schema files of the main branch are served: each
// schema's $id is IDBase and its file name.
const IDBase = "https://raw.githubusercontent.com/updoc/updoc/main/schema/"

// The schema files, by name.
const (
	GraphSchemaFile  = "updoc.graph.schema.json"
	ReportSchemaFile = "updoc.report.v1.schema.json"
)

//go:embed updoc.graph.schema.json updoc.report.v1.schema.json
var files embed.FS

// compiled compiles the two schemas once.
var compiled = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for _, name := range []string{GraphSchemaFile, ReportSchemaFile} {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := c.AddResource(IDBase+name, doc); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	for _, name := range []string{GraphSchemaFile, ReportSchemaFile} {
		s, err := c.Compile(IDBase + name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = s
	}
	return out, nil
})

// ValidateReport validates a JSON report (one document) against the
// report's schema.
func ValidateReport(data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return validate(ReportSchemaFile, inst)
}

// ValidateGraph validates a graph file (YAML) against the graph file's
// schema, as an editor does through yaml-language-server: the YAML is read
// as the JSON value it stands for (aliases followed). An error reading the
// YAML is returned as it is.
func ValidateGraph(data []byte) error {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("invalid YAML: %w", err)
	}
	b, err := json.Marshal(jsonValue(v))
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return validate(GraphSchemaFile, inst)
}

func validate(name string, inst any) error {
	schemas, err := compiled()
	if err != nil {
		return err
	}
	return schemas[name].Validate(inst)
}

// jsonValue turns what yaml.v3 decodes into the value encoding/json takes:
// mapping keys become strings, as in JSON objects.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonValue(e)
		}
		return x
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case []any:
		for i, e := range x {
			x[i] = jsonValue(e)
		}
		return x
	}
	return v
}
