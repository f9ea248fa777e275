package report

import (
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
