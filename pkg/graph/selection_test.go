package graph

import (
	"reflect"
	"testing"
)

const chainGraph = `version: 1
upstreams:
  frontend: {url: http://frontend, depends_on: [api, auth], tags: [edge]}
  api: {url: http://api, depends_on: [db]}
  auth: {url: http://auth, depends_on: [db]}
  db: {url: "tcp://db:5432", tags: [storage]}
  other: {url: http://other, tags: [edge]}
`

func TestMissingDependencies(t *testing.T) {
	g := mustLoad(t, chainGraph, env())
	if got := g.MissingDependencies(); got != nil {
		t.Errorf("whole graph: %v, want none", got)
	}
	tests := []struct {
		only, tags []string
		want       []MissingDependency
	}{
		{[]string{"frontend"}, nil, []MissingDependency{{"api", []string{"frontend"}}, {"auth", []string{"frontend"}}}},
		{[]string{"api", "auth"}, nil, []MissingDependency{{"db", []string{"api", "auth"}}}},
		{[]string{"frontend", "api", "auth", "db"}, nil, nil},
		{nil, []string{"storage"}, nil},
		{nil, []string{"edge"}, []MissingDependency{{"api", []string{"frontend"}}, {"auth", []string{"frontend"}}}},
	}
	for _, tt := range tests {
		sel, err := g.Select(tt.only, tt.tags)
		if err != nil {
			t.Fatal(err)
		}
		if got := sel.MissingDependencies(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("--only %v --tags %v: missing %v, want %v", tt.only, tt.tags, got, tt.want)
		}
	}
}

func TestWithDependencies(t *testing.T) {
	g := mustLoad(t, chainGraph, env())
	sel, err := g.Select([]string{"frontend"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	with := sel.WithDependencies()
	if got, want := with.Names(), []string{"frontend", "api", "auth", "db"}; !reflect.DeepEqual(got, want) {
		t.Errorf("--only frontend --with-deps probes %v, want %v", got, want)
	}
	if got := with.MissingDependencies(); got != nil {
		t.Errorf("with its dependencies, missing %v", got)
	}
	if got := with.Dependents("db"); !reflect.DeepEqual(got, []string{"frontend", "api", "auth"}) {
		t.Errorf("dependents of db = %v", got)
	}
	if sel.Names()[0] != "frontend" || len(sel.Names()) != 1 {
		t.Errorf("WithDependencies changed the selection: %v", sel.Names())
	}
	if g.WithDependencies() != g {
		t.Error("a whole graph changed")
	}
}
