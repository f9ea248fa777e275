package graph

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

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
		{name: "unknown", only: []string{"db", "user"}, err: `unknown upstream "user" (did you mean "users"?); the graph has: edge, gw, users, orders, db, cron, lone`},
		{name: "unknown two", only: []string{"x1", "y1"}, err: `unknown upstreams "x1", "y1"; the graph has:`},
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

func TestFromURLs(t *testing.T) {
	g, err := FromURLs([]string{
		"https://example.com:8443/health",
		"http://example.com/",
		"tcp://10.0.0.1:5432",
		"https://[2001:db8::1]/",
		"https://example.com/other",
		"tcp://10.0.0.2:5432",
		"tls://10.0.0.2:5432",
		"http://10.0.0.3/a",
		"http://10.0.0.3/b",
		"http://10.0.0.3/b",
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"example.com:8443", "example.com:80", "10.0.0.1", "[2001:db8::1]", "example.com:443",
		"tcp://10.0.0.2:5432", "tls://10.0.0.2:5432", "10.0.0.3:80/a", "10.0.0.3:80/b", "10.0.0.3:80/b-2"}; !slices.Equal(g.Names(), want) {
		t.Errorf("names = %v, want %v", g.Names(), want)
	}
	if !g.AdHoc || g.File != "" {
		t.Errorf("AdHoc = %v, File = %q; want an ad-hoc graph without a file", g.AdHoc, g.File)
	}
	for _, tt := range []struct{ urls, want []string }{
		// Same host and port, different paths: the path tells them apart.
		{[]string{"http://127.0.0.1:28080/health", "http://127.0.0.1:28080/500"},
			[]string{"127.0.0.1:28080/health", "127.0.0.1:28080/500"}},
		// Each level of the ladder in turn.
		{[]string{"http://h:8080/x", "https://h:8080/x", "http://h:8080/y", "http://h:8080/y?v=1", "http://u:pw@h:8080/y?v=2"},
			[]string{"http://h:8080/x", "https://h:8080", "http://h:8080/y", "http://h:8080/y?v=1", "http://u:xxxxx@h:8080/y?v=2"}},
		// Exact repeats are numbered after the briefest distinct name.
		{[]string{"http://a.example/x", "http://a.example/x", "http://a.example/x", "http://b.example/"},
			[]string{"a.example", "a.example-2", "a.example-3", "b.example"}},
	} {
		g, err := FromURLs(tt.urls)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(g.Names(), tt.want) {
			t.Errorf("FromURLs(%q) names = %q, want %q", tt.urls, g.Names(), tt.want)
		}
	}
	u := g.Upstreams[1]
	if u.URL.Host != "example.com:80" || u.RawURL != "http://example.com/" || u.Method != "GET" || !u.FollowRedirects ||
		u.MaxBody != 1<<20 || u.Expect.CertMinDays != 14 || u.IPFamily != "any" || len(u.Resolvers) != 1 || u.Timeout != DefaultTimeout || u.Samples != DefaultSamples {
		t.Errorf("upstream = %+v", u)
	}
	if g.Version != 1 || g.Dir == "" || g.Policy.Severity == nil {
		t.Errorf("graph = %+v", g)
	}

	_, err = FromURLs([]string{"https://ok.example.com", "example.com", "ftp://user:pw@x/", "tcp://db"})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		`argument 2 ("example.com"): missing scheme in "example.com"; write https://example.com or http://example.com`,
		`argument 3 ("ftp://user:xxxxx@x/"): unsupported scheme "ftp"`,
		`argument 4 ("tcp://db"): "tcp://db" needs a port for a tcp check, e.g. tcp://db:5432`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q\nlacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "pw@") || strings.Contains(msg, "argument 1") {
		t.Errorf("error %q leaks a password or blames a good argument", msg)
	}
	if _, err := FromURLs(nil); err == nil {
		t.Error("FromURLs(nil) succeeded")
	}
}

func TestWriteTree(t *testing.T) {
	g := mustLoad(t, chainSrc, env())
	var b bytes.Buffer
	if err := g.WriteTree(&b, nil); err != nil {
		t.Fatal(err)
	}
	want := `edge
└── gw
    ├── users
    │   └── db
    └── orders
        └── db
cron
└── db
lone
`
	if b.String() != want {
		t.Errorf("tree:\n%s\nwant:\n%s", b.String(), want)
	}

	// With a status, and a repeated subtree shown once.
	src := "version: 1\nupstreams:\n  a: {url: http://a, depends_on: [b, c]}\n  b: {url: http://b, depends_on: [c]}\n  c: {url: http://c, depends_on: [d]}\n  d: {url: http://d}\n"
	g = mustLoad(t, src, env())
	b.Reset()
	status := func(n string) string {
		if n == "d" {
			return "unhealthy"
		}
		return ""
	}
	if err := g.WriteTree(&b, status); err != nil {
		t.Fatal(err)
	}
	want = `a
├── b
│   └── c
│       └── d [unhealthy]
└── c (see above)
`
	if b.String() != want {
		t.Errorf("tree:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestWriteDOTAndMermaid(t *testing.T) {
	src := "version: 1\nupstreams:\n  edge: {url: http://e, depends_on: [users]}\n  users: {url: http://u}\n"
	g := mustLoad(t, src, env())
	status := func(n string) string { return map[string]string{"edge": "degraded", "users": "unhealthy"}[n] }

	var b bytes.Buffer
	if err := g.WriteDOT(&b, nil); err != nil {
		t.Fatal(err)
	}
	want := `digraph updoc {
  rankdir=LR;
  node [shape=box];
  "edge";
  "users";
  "edge" -> "users";
}
`
	if b.String() != want {
		t.Errorf("dot:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := g.WriteDOT(&b, status); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"users" [label="users\nunhealthy", style=filled, fillcolor=salmon];`) {
		t.Errorf("dot with status:\n%s", b.String())
	}

	b.Reset()
	if err := g.WriteMermaid(&b, nil); err != nil {
		t.Fatal(err)
	}
	want = `flowchart LR
  n0["edge"]
  n1["users"]
  n0 --> n1
`
	if b.String() != want {
		t.Errorf("mermaid:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := g.WriteMermaid(&b, status); err != nil {
		t.Fatal(err)
	}
	want = `flowchart LR
  n0["edge: degraded"]
  n1["users: unhealthy"]
  n0 --> n1
  classDef degraded fill:#fff3b0
  class n0 degraded
  classDef unhealthy fill:#ffc9c9
  class n1 unhealthy
`
	if b.String() != want {
		t.Errorf("mermaid:\n%s\nwant:\n%s", b.String(), want)
	}
}
