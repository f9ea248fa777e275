package cli

import (
	"context"
	"testing"
)

// Upstream names are the graph's identifiers: a secret that begins or
// equals like one never turns a name into "[redacted]" (QA: "shop" and
// "shopping" beside a ${K} of "shopping-key-77" both came out
// "[redacted]", and serve's /metrics failed on the duplicate labels).
func TestUpstreamNamesAreNeverRedacted(t *testing.T) {
	graph := writeFile(t, "g.yaml", `version: 1
defaults: {samples: 0, timeout: 1s}
upstreams:
  shop: {url: "http://127.0.0.1:9/", headers: {X-Api-Key: "${K}"}, depends_on: [shopping]}
  shopping: {url: "http://127.0.0.1:9/"}
  body: {url: "http://127.0.0.1:9/", headers: {X-Other: "${B}"}}
`)
	res := run(t, context.Background(), map[string]string{"K": "shopping-key-77", "B": "bodysecret555"}, "", "check", "-f", graph, "-o", "json")
	rep := decodeReport(t, res.stdout)
	var names []string
	for _, u := range rep.Upstreams {
		names = append(names, u.Name)
	}
	want := map[string]bool{"shop": true, "shopping": true, "body": true}
	for _, n := range names {
		delete(want, n)
	}
	if len(want) != 0 {
		t.Errorf("upstream names %v, want shop, shopping and body", names)
	}
	for _, u := range rep.Upstreams {
		for _, f := range u.Findings {
			if _, ok := f.Evidence["[redacted]"]; ok {
				t.Errorf("%s: an evidence key was redacted: %v", u.Name, f.Evidence)
			}
		}
	}
}
