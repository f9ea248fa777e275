package graph

import (
	"bytes"
	"strings"
	"testing"
)

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
