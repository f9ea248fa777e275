package graph

// FileKey is one key of the graph file as the decoder declares it
// (schema.go): its name, its one-line description and, for a block, its
// keys. It is what the JSON Schema of the graph file (schema/) takes its
// descriptions from, and what its tests hold the schema's keys against.
type FileKey struct {
	Name string
	Doc  string
	// Keys are the keys of a block (expect, tls, policy, defaults), or of
	// each entry of upstreams; nil for a key that holds a value.
	Keys []FileKey
}

// FileKeys returns the keys of the graph file's top level, each with the
// keys that may appear under it: those of defaults: are the upstream keys
// that may be set there, those of upstreams: the keys of each upstream.
func FileKeys() []FileKey {
	var conv func(keys []*key, pl place) []FileKey
	conv = func(keys []*key, pl place) []FileKey {
		var out []FileKey
		for _, k := range keys {
			if pl != 0 && k.in&pl == 0 {
				continue
			}
			fk := FileKey{Name: k.name, Doc: k.doc}
			switch k {
			case defaultsKey:
				fk.Keys = conv(k.keys, inDefaults)
			case upstreamsKey:
				fk.Keys = conv(k.keys, inUpstream)
			default:
				if k.keys != nil {
					fk.Keys = conv(k.keys, 0)
				}
			}
			out = append(out, fk)
		}
		return out
	}
	return conv(topKeys, atTop)
}
