package report

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

func TestImpactPhraseFollowsTheDependentsStatus(t *testing.T) {
	r := &Report{Upstreams: []Upstream{
		{Name: "db", Status: Unhealthy}, {Name: "orders", Status: Unhealthy},
		{Name: "edge", Status: Degraded}, {Name: "users", Status: Degraded}, {Name: "api", Status: Healthy},
	}}
	tests := []struct {
		affects []string
		want    string
	}{
		{nil, ""},
		{[]string{"orders", "edge", "users"}, "takes down 1 upstream: orders; degrades 2: edge, users"},
		{[]string{"edge"}, "degrades 1 upstream: edge"},
		{[]string{"api"}, "api depends on it but is still healthy"},
		{[]string{"orders", "api"}, "takes down 1 upstream: orders; api depends on it but is still healthy"},
	}
	for _, tt := range tests {
		if got := r.ImpactPhrase(RootCause{Upstream: "db", Affects: tt.affects}); got != tt.want {
			t.Errorf("affects %v: %q, want %q", tt.affects, got, tt.want)
		}
	}
}

// An upstream that is a root cause itself is never "taken down" by another
// (issue 10): its own fault is its own line.
func TestImpactLeavesOutRootCauses(t *testing.T) {
	r := &Report{
		Upstreams: []Upstream{{Name: "db", Status: Unhealthy}, {Name: "api", Status: Unhealthy}, {Name: "edge", Status: Unhealthy}},
		RootCauses: []RootCause{
			{Upstream: "db", Code: "tcp.refused", Affects: []string{"api", "edge"}},
			{Upstream: "api", Code: "tls.cert_expired", Affects: []string{"edge"}},
		},
	}
	if got, want := r.ImpactPhrase(r.RootCauses[0]), "takes down 1 upstream: edge"; got != want {
		t.Errorf("ImpactPhrase = %q, want %q", got, want)
	}
	if got, want := r.RootCauseGroups()[0].Line(r), "tcp.refused — db → takes down 1 upstream: edge"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
}

func TestGroupTitleNamesAFewMembers(t *testing.T) {
	names := make([]string, 500)
	for i := range names {
		names[i] = fmt.Sprintf("svc%03d", i)
	}
	g := RootCauseGroup{Code: "tcp.refused", Where: "127.0.0.1:18200", Upstreams: names}
	if got, want := g.Title(), "tcp.refused on 127.0.0.1:18200 — 500 upstreams (svc000, svc001, … +498)"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	g.Upstreams = names[:3]
	if got, want := g.Members(), "3 upstreams (svc000, svc001, svc002)"; got != want {
		t.Errorf("Members = %q, want %q", got, want)
	}
}

// Many affected names are sorted through an index of the upstreams, with
// the answers of a scan per name: the first upstream of a name decides,
// and a name without an upstream counts as healthy.
func TestImpactOfManyNamesAsScanningPerName(t *testing.T) {
	r := &Report{}
	var names []string
	statuses := []Status{Unhealthy, Degraded, Unknown, Healthy}
	for i := range 40 {
		name := fmt.Sprintf("svc%02d", i)
		r.Upstreams = append(r.Upstreams, Upstream{Name: name, Status: statuses[i%4]})
		names = append(names, name)
	}
	r.Upstreams = append(r.Upstreams, Upstream{Name: "svc00", Status: Healthy}) // a second of a name: not the one found
	names = append(names, "gone")
	var want Impact // eight names at a time: the scan per name
	for chunk := range slices.Chunk(names, 8) {
		im := r.impactOf(chunk)
		want.Down = append(want.Down, im.Down...)
		want.Degraded = append(want.Degraded, im.Degraded...)
		want.Unknown = append(want.Unknown, im.Unknown...)
		want.Healthy = append(want.Healthy, im.Healthy...)
	}
	if got := r.impactOf(names); !reflect.DeepEqual(got, want) {
		t.Errorf("impactOf = %+v\nwant %+v", got, want)
	}
}

// GroupLines is Line for each group, with the report indexed once — for
// groups of few and of many (more than 8) affected upstreams alike.
func TestGroupLinesAreLines(t *testing.T) {
	r := &Report{Upstreams: []Upstream{{Name: "db", Status: Unhealthy}, {Name: "cache", Status: Unhealthy}}}
	var many []string
	for i := range 12 {
		name := fmt.Sprintf("svc%02d", i)
		st := Unhealthy
		if i%3 == 0 {
			st = Degraded
		}
		r.Upstreams = append(r.Upstreams, Upstream{Name: name, Status: st})
		many = append(many, name)
	}
	r.RootCauses = []RootCause{
		{Upstream: "db", Code: "tcp.refused", Target: "10.0.0.1:5432", Severity: Fail, Affects: many},
		{Upstream: "cache", Code: "dns.nxdomain", Severity: Fail, Affects: many[:2]},
	}
	groups := r.RootCauseGroups()
	lines := r.GroupLines(groups)
	if len(lines) != len(groups) {
		t.Fatalf("%d lines for %d groups", len(lines), len(groups))
	}
	for i, g := range groups {
		if lines[i] != g.Line(r) {
			t.Errorf("group %d: GroupLines %q, Line %q", i, lines[i], g.Line(r))
		}
	}
}
