package graph

import (
	"errors"
	"io/fs"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/internal/safefile"
)

// SelectionValues reads the upstream names and tags of a graph file for
// shell completion of --only and --tags, in file order. It is lenient: it
// needs only the file's shape, not a valid graph (an unset ${VAR} or a bad
// url elsewhere must not stop completion), and reports nothing it cannot
// read. path "" means ./updoc.yaml, then ./updoc.yml; "-" (standard input)
// gives nothing.
func SelectionValues(path string) (names, tags []string) {
	data, ok := readForCompletion(path)
	if !ok {
		return nil, nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil, nil
	}
	addTags := func(block *yaml.Node) {
		for _, t := range resolve(mappingValue(block, "tags")).Content {
			if t.Kind == yaml.ScalarNode && !slices.Contains(tags, t.Value) {
				tags = append(tags, t.Value)
			}
		}
	}
	root := doc.Content[0]
	addTags(mappingValue(root, "defaults"))
	ups := mappingValue(root, "upstreams")
	if ups.Kind != yaml.MappingNode {
		return nil, tags
	}
	for i := 0; i+1 < len(ups.Content); i += 2 {
		names = append(names, ups.Content[i].Value)
		addTags(ups.Content[i+1])
	}
	return names, tags
}

func readForCompletion(path string) ([]byte, bool) {
	switch path {
	case "-":
		return nil, false
	case "":
		for _, name := range DefaultFiles {
			data, err := safefile.Read(name, safefile.GraphLimit)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return data, err == nil
		}
		return nil, false
	}
	data, err := safefile.Read(path, safefile.GraphLimit)
	return data, err == nil
}

// mappingValue is the value of key in mapping n, or an empty node.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n = resolve(n); n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return resolve(n.Content[i+1])
			}
		}
	}
	return &yaml.Node{}
}
