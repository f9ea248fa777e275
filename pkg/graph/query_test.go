package graph

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestQueries(t *testing.T) {
	g := mustLoad(t, chainSrc, env())
	tests := []struct {
		name      string
		got, want []string
	}{
		{"Names", g.Names(), []string{"edge", "gw", "users", "orders", "db", "cron", "lone"}},
		{"Dependents(db)", g.Dependents("db"), []string{"edge", "gw", "users", "orders", "cron"}},
		{"Dependents(users)", g.Dependents("users"), []string{"edge", "gw"}},
		{"Dependents(edge)", g.Dependents("edge"), []string{}},
		{"Dependents(unknown)", g.Dependents("nope"), []string{}},
		{"Dependencies(edge)", g.Dependencies("edge"), []string{"gw", "users", "orders", "db"}},
		{"Dependencies(cron)", g.Dependencies("cron"), []string{"db"}},
		{"Dependencies(db)", g.Dependencies("db"), []string{}},
		{"TopoOrder", g.TopoOrder(), []string{"db", "users", "orders", "gw", "edge", "cron", "lone"}},
		{"Roots", g.Roots(), []string{"edge", "cron", "lone"}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) || tt.got == nil {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if g.Lookup("db") == nil || g.Lookup("db").Name != "db" || g.Lookup("nope") != nil {
		t.Error("Lookup")
	}
}

func TestSelect(t *testing.T) {
	g := mustLoad(t, chainSrc, env())
	type dep struct {
		name string
		deps []string
	}
	tests := []struct {
		name       string
		only, tags []string
		want       []dep
		err        string
	}{
		{name: "all", want: []dep{{"edge", []string{"gw"}}, {"gw", []string{"users", "orders"}}, {"users", []string{"db"}}, {"orders", []string{"db"}}, {"db", nil}, {"cron", []string{"db"}}, {"lone", nil}}},
		{name: "only", only: []string{"db", "gw", "users"}, want: []dep{{"gw", []string{"users", "orders"}}, {"users", []string{"db"}}, {"db", nil}}},
		{name: "only with spaces and empties", only: []string{" lone", ""}, want: []dep{{"lone", nil}}},
		{name: "tags", tags: []string{"core"}, want: []dep{{"users", []string{"db"}}, {"orders", []string{"db"}}, {"db", nil}}},
		{name: "tags any of", tags: []string{"public", "storage"}, want: []dep{{"edge", []string{"gw"}}, {"db", nil}}},
		{name: "only and tags", only: []string{"edge", "users"}, tags: []string{"core"}, want: []dep{{"users", []string{"db"}}}},
		{name: "unknown", only: []string{"db", "user"}, err: `unknown upstream "user" (did you mean "users"?); the graph has 7 upstreams: edge, gw, users, orders, db, cron, lone`},
		{name: "unknown two", only: []string{"x1", "y1"}, err: `unknown upstreams "x1", "y1"; the graph has 7 upstreams:`},
		{name: "no tag match", tags: []string{"gpu"}, err: `no upstream carries any of the tags gpu; tags in the graph: core, public, storage`},
		{name: "no tag match among only", only: []string{"lone"}, tags: []string{"core"}, err: `none of the selected upstreams (lone) carries any of the tags core`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := g.Select(tt.only, tt.tags)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []dep
			for _, u := range s.Upstreams {
				d := u.DependsOn
				if len(d) == 0 {
					d = nil
				}
				got = append(got, dep{u.Name, d})
			}
			if !slices.EqualFunc(got, tt.want, func(a, b dep) bool { return a.name == b.name && slices.Equal(a.deps, b.deps) }) {
				t.Errorf("Select = %v, want %v", got, tt.want)
			}
			if s.File != g.File || s.Version != 1 {
				t.Errorf("Select lost File/Version")
			}
		})
	}
	// Queries link selected upstreams through ones left out: edge → gw →
	// users → db, with only edge and db selected.
	s, err := g.Select([]string{"edge", "db"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Dependencies("edge"); !slices.Equal(got, []string{"db"}) {
		t.Errorf("Dependencies(edge) over a selection = %v, want [db]", got)
	}
	if got := s.Dependents("db"); !slices.Equal(got, []string{"edge"}) {
		t.Errorf("Dependents(db) over a selection = %v, want [edge]", got)
	}
	// The original graph is untouched.
	if len(g.Upstreams) != 7 || !slices.Equal(g.Lookup("gw").DependsOn, []string{"users", "orders"}) {
		t.Error("Select changed the original graph")
	}
}

// A large graph's names are not all printed on one line of an error.
func TestKnownNamesOfALargeGraph(t *testing.T) {
	var names []string
	for i := range 500 {
		names = append(names, fmt.Sprintf("svc%03d", i))
	}
	got := knownNames(names)
	want := "500 upstreams: svc000, svc001, svc002, svc003, svc004, svc005, svc006, svc007, svc008, svc009, svc010, svc011, … and 488 more (updoc graph lists them all)"
	if got != want {
		t.Errorf("knownNames = %q\nwant %q", got, want)
	}
}

// Path walks the whole graph, also through upstreams a selection left out,
// and takes the shortest chain (the earlier-declared dependency on a tie).
func TestPath(t *testing.T) {
	g := mustLoad(t, chainSrc, env())
	sel, err := g.Select([]string{"edge", "db"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		g        *Graph
		from, to string
		want     []string
	}{
		{g, "edge", "db", []string{"edge", "gw", "users", "db"}},
		{sel, "edge", "db", []string{"edge", "gw", "users", "db"}},
		{g, "cron", "db", []string{"cron", "db"}},
		{g, "db", "edge", nil},
		{g, "lone", "db", nil},
	}
	for _, tt := range tests {
		if got := tt.g.Path(tt.from, tt.to); !slices.Equal(got, tt.want) {
			t.Errorf("Path(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}
