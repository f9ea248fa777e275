package engine_test

import (
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/hostile"
	"github.com/updoc/updoc/pkg/catalog"
)

// An answer whose head never ends is cut at updoc's limit and named for
// what it is (issue 12, failure 2), not a timeout after reading all it
// could: header fields without end, or 1xx interim answers without end.
func TestEndlessResponseHeadIsNamed(t *testing.T) {
	r := runHealthChecks(t, map[string]string{"fields": hostile.EndlessHeaders(t, 0), "interim": hostile.EndlessInterim(t)})
	want := map[string]string{
		"fields":  "after status 200 its header fields went on past updoc's limit of 256 KiB for a response head (16 headers in the first 16384 bytes)",
		"interim": "it sent 100 Continue interim answers without end, past updoc's limit of 256 KiB for a response head",
	}
	for _, u := range r.Upstreams {
		if len(u.Findings) != 1 || u.Findings[0].Code != catalog.HTTPProtocolError {
			t.Fatalf("%s: findings %+v", u.Name, u.Findings)
		}
		if !strings.Contains(u.Findings[0].Message, want[u.Name]) {
			t.Errorf("%s: message %q\nwant it to say %q", u.Name, u.Findings[0].Message, want[u.Name])
		}
	}
}
