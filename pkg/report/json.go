package report

import (
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

func writeJSON(w io.Writer, r *Report, indent string) error {
	n := Normalize(r)
	enc := json.NewEncoder(w)
	enc.SetIndent("", indent)
	enc.SetEscapeHTML(false)
	return enc.Encode(Document{n, groupsForJSON(n)}) // Encode appends the trailing newline
}

// Document is the JSON document: the report's keys, then
// root_cause_groups — root_causes folded by shared fault (RootCauseGroups),
// derived when written; root_causes keeps one entry per finding. Decode a
// report into a Document to read every key.
type Document struct {
	*Report
	RootCauseGroups []RootCauseGroup `json:"root_cause_groups"`
}

// groupsForJSON is r's groups with no null arrays.
func groupsForJSON(r *Report) []RootCauseGroup {
	groups := append([]RootCauseGroup{}, r.RootCauseGroups()...)
	for i := range groups {
		groups[i].Upstreams = emptyIfNil(groups[i].Upstreams)
		groups[i].Affects = emptyIfNil(groups[i].Affects)
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
