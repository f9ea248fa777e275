package report

// lookup is what the renderers ask of a report per upstream, indexed once
// per rendering: asked by scanning the report for each name in a loop over
// the upstreams, the table of 20,000 upstreams took 3 s and that of
// 200,000 most of ten minutes (issue 11).
type lookup struct {
	byName map[string]*Upstream
	// explained holds the root causes and the upstreams they affect: their
	// steps are a root cause's (NEXT STEPS).
	explained map[string]bool
}

func (r *Report) lookup() *lookup {
	l := &lookup{byName: r.ByName(), explained: map[string]bool{}}
	for _, rc := range r.RootCauses {
		l.explained[rc.Upstream] = true
		for _, a := range rc.Affects {
			l.explained[a] = true
		}
	}
	return l
}

// upstream is the upstream of that name, nil when the report has none.
func (l *lookup) upstream(name string) *Upstream { return l.byName[name] }

// ByName indexes the report's upstreams by name, pointing into
// r.Upstreams: the first of a name, as Upstream finds it. For a loop that
// looks up many names (Upstream scans the report each time).
func (r *Report) ByName() map[string]*Upstream {
	if r == nil {
		return nil
	}
	out := make(map[string]*Upstream, len(r.Upstreams))
	for i := range r.Upstreams {
		if _, dup := out[r.Upstreams[i].Name]; !dup {
			out[r.Upstreams[i].Name] = &r.Upstreams[i]
		}
	}
	return out
}
