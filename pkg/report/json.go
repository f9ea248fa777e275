package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// WriteJSON writes r as the SPEC §7 document: one JSON value, two-space
// indent, a trailing newline, HTML characters left unescaped; the key
// root_cause_groups is added after the others (see Document). Arrays the
// schema shows are never null (see Normalize); r itself is not modified.
func WriteJSON(w io.Writer, r *Report) error {
	return writeJSON(w, r, "  ")
}

// WriteJSONLine writes r as the same document on one line (JSON Lines), for
// a stream of reports such as `updoc watch -o json`.
func WriteJSONLine(w io.Writer, r *Report) error {
	return writeJSON(w, r, "")
}

// writeJSON writes the document in parts, without holding or re-scanning
// the whole of it: the document with no upstreams first (a few keys and the
// root causes), then each upstream encoded on its own (indented as it
// sits in the document) and spliced in where the empty "upstreams" array
// was. The bytes are those of encoding the whole document at once.
func writeJSON(w io.Writer, r *Report, indent string) error {
	n := Normalize(r)
	groups := groupsForJSON(n)    // from the whole affects lists, cut below
	for i := range n.RootCauses { // Normalize's copy
		rc := &n.RootCauses[i]
		rc.Affects, rc.AffectsTotal = shownAffects(rc.Affects)
	}
	ups := n.Upstreams
	head := *n
	head.Upstreams = []Upstream{}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", indent)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Document{&head, groups}); err != nil { // Encode appends the trailing newline
		return err
	}
	doc := buf.Bytes()
	// The first "upstreams" key of the document is the report's own: the
	// keys before it (schema … root_causes) hold none, and a string value
	// cannot hold it unescaped.
	empty, open, sep, end := []byte(`"upstreams":[]`), "[", ",", "]"
	element := ""
	if indent != "" {
		element = indent + indent
		empty = []byte("\n" + indent + `"upstreams": []`)
		open, sep, end = "[\n"+element, ",\n"+element, "\n"+indent+"]"
	}
	at := bytes.Index(doc, empty)
	if at < 0 || len(ups) == 0 {
		_, err := w.Write(doc)
		return err
	}
	at += len(empty) - len("[]")
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(doc[:at])
	var part bytes.Buffer
	penc := json.NewEncoder(&part)
	penc.SetIndent(element, indent)
	penc.SetEscapeHTML(false)
	for i := range ups {
		if i == 0 {
			bw.WriteString(open)
		} else {
			bw.WriteString(sep)
		}
		part.Reset()
		if err := penc.Encode(&ups[i]); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(part.Bytes(), []byte("\n")))
	}
	bw.WriteString(end)
	bw.Write(doc[at+len("[]"):])
	return bw.Flush() // a bufio.Writer keeps its first error and returns it here
}

// Document is the JSON document: the report's keys, then
// root_cause_groups — root_causes folded by shared fault (RootCauseGroups),
// derived when written; root_causes keeps one entry per finding. Decode a
// report into a Document to read every key.
type Document struct {
	*Report
	RootCauseGroups []RootCauseGroup `json:"root_cause_groups"`
}

// AffectsShown is how many of the upstreams a root cause (or a group of
// them) affects the JSON document lists: the first ones, in graph order,
// with affects_total saying how many there are when that is more. What a
// root cause says stays the same size, not that of what depends on it:
// in a chain of failing upstreams each one affects every one above it,
// and whole lists would make the document grow with the chain's square.
const AffectsShown = 10

// shownAffects is the part of affects the JSON document lists, and their
// total when that is more (0 otherwise: the key is left out).
func shownAffects(affects []string) ([]string, int) {
	if len(affects) > AffectsShown {
		return affects[:AffectsShown], len(affects)
	}
	return emptyIfNil(affects), 0
}

// groupsForJSON is r's groups as the document holds them: [] when there
// is none, arrays never null, affects bounded (AffectsShown).
func groupsForJSON(r *Report) []RootCauseGroup {
	groups := append([]RootCauseGroup{}, r.RootCauseGroups()...)
	for i := range groups {
		g := &groups[i]
		g.Upstreams = emptyIfNil(g.Upstreams)
		g.Affects, g.AffectsTotal = shownAffects(g.Affects)
	}
	return groups
}

// Normalize returns a copy of r in the shape every renderer and the JSON
// schema expect: the schema name set, and nil slices and maps that the
// schema shows as arrays/objects replaced by empty ones (root_causes,
// affects, upstreams, depends_on, targets, findings, remediation, evidence,
// addresses, cname_chain, queries, sans). When the producer left them
// unset, the summary counts and the report status are derived from the
// upstreams. It is the one place this is done. r is not modified.
func Normalize(r *Report) *Report {
	if r == nil {
		r = &Report{}
	}
	n := *r
	if n.Schema == "" {
		n.Schema = Schema
	}
	if n.Summary == (Summary{}) && len(r.Upstreams) > 0 {
		n.Summary = Summarize(r.Upstreams)
	}
	if n.Status == "" && len(r.Upstreams) > 0 {
		for _, u := range r.Upstreams {
			n.Status = WorstStatus(n.Status, u.Status)
		}
	}
	n.RootCauses = append(make([]RootCause, 0, len(r.RootCauses)), r.RootCauses...)
	for i := range n.RootCauses {
		n.RootCauses[i].Affects = emptyIfNil(n.RootCauses[i].Affects)
	}
	n.Upstreams = append(make([]Upstream, 0, len(r.Upstreams)), r.Upstreams...)
	for i := range n.Upstreams {
		u := &n.Upstreams[i]
		u.DependsOn = emptyIfNil(u.DependsOn)
		if u.DNS != nil {
			d := *u.DNS
			d.Addresses = emptyIfNil(d.Addresses)
			d.CNAMEChain = emptyIfNil(d.CNAMEChain)
			d.Queries = append(make([]DNSQuery, 0, len(d.Queries)), d.Queries...)
			for j := range d.Queries {
				d.Queries[j].Addresses = emptyIfNil(d.Queries[j].Addresses)
				d.Queries[j].CNAMEChain = emptyIfNil(d.Queries[j].CNAMEChain)
			}
			u.DNS = &d
		}
		u.Targets = append(make([]Target, 0, len(u.Targets)), u.Targets...)
		for j := range u.Targets {
			t := &u.Targets[j]
			if t.TLS != nil && t.TLS.Cert != nil {
				tl := *t.TLS
				c := *tl.Cert
				c.SANs = emptyIfNil(c.SANs)
				tl.Cert = &c
				t.TLS = &tl
			}
		}
		u.Findings = append(make([]Finding, 0, len(u.Findings)), u.Findings...)
		for j := range u.Findings {
			f := &u.Findings[j]
			f.Remediation = emptyIfNil(f.Remediation)
			if f.Evidence == nil {
				f.Evidence = map[string]any{}
			}
		}
	}
	return &n
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
