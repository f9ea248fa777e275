package graph

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// manyUpstreams is a graph file of n upstreams of three kinds, under the
// defaults of valid-full.yaml (which uses every key); with bad, every 50th
// upstream holds two mistakes.
func manyUpstreams(t *testing.T, n int, bad bool) []byte {
	t.Helper()
	full, err := os.ReadFile(filepath.Join(graphsDir, "valid-full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(string(full), "\nupstreams:\n")
	if !ok {
		t.Fatal("valid-full.yaml has no upstreams:")
	}
	var b strings.Builder
	b.WriteString(head + "\nupstreams:\n")
	for i := range n {
		fmt.Fprintf(&b, "  u%04d:\n", i)
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "    url: https://u%d.example.com/healthz\n    headers: {X-Index: \"%d\"}\n    tls: {server_name: edge.example.com}\n    tags: [t%d]\n", i, i, i%7)
		case 1:
			fmt.Fprintf(&b, "    url: http://u%d.internal:8080/health\n    method: POST\n    body: '{\"probe\": \"${PROBE_ID}\"}'\n    samples: 3\n    proxy: none\n", i)
		default:
			fmt.Fprintf(&b, "    url: tcp://10.0.%d.%d:5432\n    targets: [\"10.0.0.1:5432\"]\n", i/250, i%250)
		}
		if i > 0 && i%10 == 0 {
			fmt.Fprintf(&b, "    depends_on: [u%04d]\n", i-1)
		}
		if bad && i%50 == 7 {
			b.WriteString("    timeout: soon\n    colour: blue\n")
		}
	}
	return []byte(b.String())
}

// A large upstreams: mapping is decoded and built in parts across cores:
// the graph, and the errors of a bad one, are those of decoding it on one
// core.
func TestLoadInPartsIsLoadInOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, bad := range []bool{false, true} {
		data := manyUpstreams(t, 4*partSize+5, bad)
		load := func(procs int) (*Graph, error) {
			runtime.GOMAXPROCS(procs)
			return Load(filepath.Join(graphsDir, "many.yaml"), data, env("USERS_TOKEN", "t", "PROBE_ID", "p"))
		}
		one, errOne := load(1)
		four, errFour := load(4)
		if bad {
			if errOne == nil || errFour == nil || errOne.Error() != errFour.Error() {
				t.Fatalf("errors differ:\none core:\n%v\nfour:\n%v", errOne, errFour)
			}
			if n := strings.Count(errOne.Error(), "\n"); n < 20 {
				t.Fatalf("want an error for each bad upstream, got:\n%v", errOne)
			}
			continue
		}
		if errOne != nil || errFour != nil {
			t.Fatalf("valid graph: %v / %v", errOne, errFour)
		}
		if len(one.Upstreams) != 4*partSize+5 || !reflect.DeepEqual(one, four) {
			t.Fatalf("the graph decoded in parts differs from the one decoded in order (%d upstreams)", len(four.Upstreams))
		}
	}
}
