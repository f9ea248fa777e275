package graph

import (
	"strings"
	"testing"
)

// A HEAD upstream that expects something of the body is refused at the
// expectation, FILE:LINE:COLUMN, with what to do; the method from
// defaults: counts too. GET with the same expectation loads (QA B8).
func TestHeadWithABodyExpectationIsRefused(t *testing.T) {
	_, err := loadString(t, `version: 1
defaults:
  method: head
upstreams:
  api:
    url: http://api.test/health
    method: HEAD
    expect:
      body_contains: ok
  web:
    url: http://web.test/
    expect: {body_regex: "up|ok"}
`, nil)
	if err == nil {
		t.Fatal("loaded")
	}
	for _, want := range []string{
		`test.yaml:9:7: expect.body_contains: upstream "api" sends HEAD, and a HEAD answer has no body: use method GET, or drop expect.body_contains`,
		`test.yaml:12:14: expect.body_regex: upstream "web" sends HEAD`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	mustLoad(t, "version: 1\nupstreams:\n  api:\n    url: http://api.test/\n    method: GET\n    expect: {body_contains: ok}\n", nil)
}
