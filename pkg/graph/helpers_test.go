package graph

import (
	"os"
	"path/filepath"
	"testing"
)

// env is a fake environment for ${VAR} expansion.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const graphsDir = "../../testdata/graphs"

func loadString(t *testing.T, src string, lookup func(string) (string, bool)) (*Graph, error) {
	t.Helper()
	return Load("test.yaml", []byte(src), lookup)
}

func mustLoad(t *testing.T, src string, lookup func(string) (string, bool)) *Graph {
	t.Helper()
	g, err := loadString(t, src, lookup)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g
}

func resolverStrings(rs []Resolver) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.String())
	}
	return out
}

// chain: edge → gw → {users, orders}; users → db; orders → db; cron → db; lone.
const chainSrc = `version: 1
upstreams:
  edge: {url: https://edge.example.com, depends_on: [gw], tags: [public]}
  gw: {url: http://gw.internal, depends_on: [users, orders]}
  users: {url: http://users.internal, depends_on: [db], tags: [core]}
  orders: {url: http://orders.internal, depends_on: [db], tags: [core]}
  db: {url: "tcp://db.internal:5432", tags: [storage, core]}
  cron: {url: http://cron.internal, depends_on: [db]}
  lone: {url: http://lone.internal}
`

// loadTestdata loads testdata/graphs/NAME, which must be valid.
func loadTestdata(t *testing.T, name string, lookup func(string) (string, bool)) *Graph {
	t.Helper()
	path := filepath.Join(graphsDir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Load(path, data, lookup)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
