package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/updoc/updoc/internal/textsafe"
)

// WriteJSON writes r as the SPEC §7 document: one JSON value, two-space
// indent, a trailing newline, HTML characters left unescaped; the key
// root_cause_groups is added after the others (see Document). Arrays the
// schema shows are never null (see Normalize); r itself is not modified.
//
// C1 and bidi control characters are written as \uXXXX escapes
// (textsafe.JSONWriter): no byte of the document can act on a terminal that
// shows it, whatever a report holds.
func WriteJSON(w io.Writer, r *Report) error {
	return writeSafeJSON(w, r, "  ")
}

// WriteJSONLine writes r as the same document on one line (JSON Lines), for
// a stream of reports such as `updoc watch -o json`.
func WriteJSONLine(w io.Writer, r *Report) error {
	return writeSafeJSON(w, r, "")
}

func writeSafeJSON(w io.Writer, r *Report, indent string) error {
	jw := &textsafe.JSONWriter{W: w}
	if err := writeJSON(jw, r, indent); err != nil {
		return err
	}
	return jw.Close()
}

// writeJSON writes the document in parts, without holding or re-scanning
// the whole of it: the document with no upstreams first (a few keys and the
// root causes), then the upstreams, encoded in chunks (indented as they sit
// in the document, across cores when there are many: encodeUpstreams) and
// spliced in where the empty "upstreams" array was. Each upstream is
// normalized as it is encoded, not copied up front. The bytes are those of
// encoding the whole normalized document at once.
func writeJSON(w io.Writer, r *Report, indent string) error {
	if r == nil {
		r = &Report{}
	}
	ups := r.Upstreams
	head := normalizeHead(r)
	// Before the upstreams go (DNS causes are grouped by their resolver),
	// and from the whole affects lists, which are cut below.
	groups := groupsForJSON(head)
	for i := range head.RootCauses { // normalizeHead's copy
		rc := &head.RootCauses[i]
		rc.Affects, rc.AffectsTotal = shownAffects(rc.Affects)
	}
	head.Upstreams = []Upstream{}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", indent)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Document{head, groups}); err != nil { // Encode appends the trailing newline
		return err
	}
	doc := buf.Bytes()
	// The first "upstreams" key of the document is the report's own: the
	// keys before it (schema … root_causes) hold none, and a string value
	// cannot hold it unescaped.
	empty := []byte(`"upstreams":[]`)
	l := upstreamsLayout{sep: ",", indent: indent}
	open, end := "[", "]"
	if indent != "" {
		l.element = indent + indent
		empty = []byte("\n" + indent + `"upstreams": []`)
		open, l.sep, end = "[\n"+l.element, ",\n"+l.element, "\n"+indent+"]"
	}
	at := bytes.Index(doc, empty)
	if at < 0 || len(ups) == 0 {
		_, err := w.Write(doc)
		return err
	}
	at += len(empty) - len("[]")
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(doc[:at])
	bw.WriteString(open)
	if err := encodeUpstreams(bw, ups, l, runtime.GOMAXPROCS(0)); err != nil {
		return err
	}
	bw.WriteString(end)
	bw.Write(doc[at+len("[]"):])
	return bw.Flush() // a bufio.Writer keeps its first error and returns it here
}

// upstreamsLayout is how the elements of the "upstreams" array are laid
// out: the prefix of each element's lines after its first (element), one
// level of indent, and what goes between two elements (sep).
type upstreamsLayout struct {
	element, indent, sep string
}

// upstreamsChunk is how many upstreams are encoded as one piece: big enough
// that handing a chunk to a worker costs nothing next to encoding it, small
// enough that two cores share the work of a few hundred upstreams.
const upstreamsChunk = 128

// maxEncoders caps the goroutines that encode upstreams at once, so that
// on a machine with many cores the chunks encoded ahead of the writing
// (two per encoder) stay a small part of a large document.
const maxEncoders = 8

// encodeChunk appends upstreams [from, to) of ups to buf, normalized (see
// Normalize), each preceded by the separator unless it is the array's first.
func encodeChunk(buf *bytes.Buffer, ups []Upstream, from, to int, l upstreamsLayout) error {
	enc := json.NewEncoder(buf)
	enc.SetIndent(l.element, l.indent)
	enc.SetEscapeHTML(false)
	var u Upstream
	for k := from; k < to; k++ {
		if k > 0 {
			buf.WriteString(l.sep)
		}
		u = normalizeUpstream(ups[k])
		if err := enc.Encode(&u); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // the newline Encode appends
	}
	return nil
}

// encodeUpstreams writes the elements of the "upstreams" array to w in
// order. With more than one chunk and more than one core, up to workers
// goroutines (at most maxEncoders) encode chunks at once while this one
// writes them in order, at most two chunks per worker ahead of the writing
// (so the output is never held whole); it returns after every goroutine it
// started has ended, also when a write fails (the rest is then not
// encoded).
func encodeUpstreams(w io.Writer, ups []Upstream, l upstreamsLayout, workers int) error {
	chunks := (len(ups) + upstreamsChunk - 1) / upstreamsChunk
	bounds := func(c int) (int, int) { return c * upstreamsChunk, min((c+1)*upstreamsChunk, len(ups)) }
	workers = min(workers, chunks, maxEncoders)
	if workers <= 1 {
		var buf bytes.Buffer
		for c := range chunks {
			buf.Reset()
			from, to := bounds(c)
			if err := encodeChunk(&buf, ups, from, to, l); err != nil {
				return err
			}
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
		}
		return nil
	}
	type encoded struct {
		buf *bytes.Buffer
		err error
	}
	done := make([]chan encoded, chunks) // chunk c's bytes, sent once
	for c := range done {
		done[c] = make(chan encoded, 1)
	}
	ahead := make(chan struct{}, 2*workers) // chunks handed out and not yet written
	free := make(chan *bytes.Buffer, cap(ahead)+workers)
	stop := make(chan struct{})
	next := make(chan int)
	var wg sync.WaitGroup
	wg.Go(func() { // hands out the chunks in order
		defer close(next)
		for c := range chunks {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- c:
			case <-stop:
				return
			}
		}
	})
	for range workers {
		wg.Go(func() {
			for c := range next {
				var buf *bytes.Buffer
				select {
				case buf = <-free:
					buf.Reset()
				default:
					buf = new(bytes.Buffer)
				}
				from, to := bounds(c)
				err := encodeChunk(buf, ups, from, to, l)
				done[c] <- encoded{buf, err}
			}
		})
	}
	var err error
	for c := 0; c < chunks && err == nil; c++ {
		e := <-done[c]
		if err = e.err; err == nil {
			_, err = w.Write(e.buf.Bytes())
		}
		select {
		case free <- e.buf:
		default:
		}
		<-ahead
	}
	close(stop)
	wg.Wait()
	return err
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
	n := normalizeHead(r)
	n.Upstreams = make([]Upstream, len(r.Upstreams))
	for i := range r.Upstreams {
		n.Upstreams[i] = normalizeUpstream(r.Upstreams[i])
	}
	return n
}

// normalizeHead is Normalize but for the upstreams: their slice is r's,
// as it is (see normalizeUpstream).
func normalizeHead(r *Report) *Report {
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
	return &n
}

// normalizeUpstream is u as Normalize leaves it. What it changes is
// copied first, so u's own slices and pointers are not modified; what needs
// no change (a diagnosis leaves nothing nil) is not copied.
func normalizeUpstream(u Upstream) Upstream {
	u.DependsOn = emptyIfNil(u.DependsOn)
	if d := u.DNS; d != nil && (d.Addresses == nil || d.CNAMEChain == nil || d.Queries == nil ||
		slices.ContainsFunc(d.Queries, func(q DNSQuery) bool { return q.Addresses == nil || q.CNAMEChain == nil })) {
		n := *d
		n.Addresses = emptyIfNil(n.Addresses)
		n.CNAMEChain = emptyIfNil(n.CNAMEChain)
		n.Queries = emptyIfNil(slices.Clone(n.Queries))
		for j := range n.Queries {
			n.Queries[j].Addresses = emptyIfNil(n.Queries[j].Addresses)
			n.Queries[j].CNAMEChain = emptyIfNil(n.Queries[j].CNAMEChain)
		}
		u.DNS = &n
	}
	if slices.ContainsFunc(u.Targets, func(t Target) bool { return t.TLS != nil && t.TLS.Cert != nil && t.TLS.Cert.SANs == nil }) {
		u.Targets = slices.Clone(u.Targets)
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
	}
	u.Targets = emptyIfNil(u.Targets)
	if slices.ContainsFunc(u.Findings, func(f Finding) bool { return f.Remediation == nil || f.Evidence == nil }) {
		u.Findings = slices.Clone(u.Findings)
		for j := range u.Findings {
			f := &u.Findings[j]
			f.Remediation = emptyIfNil(f.Remediation)
			if f.Evidence == nil {
				f.Evidence = map[string]any{}
			}
		}
	}
	u.Findings = emptyIfNil(u.Findings)
	return u
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
