package catalog

import "testing"

func TestSymptomStep(t *testing.T) {
	for _, tt := range []struct {
		s    Symptom
		want string
	}{
		{Symptom{Upstream: "edge", Dependency: "users", Cause: TCPRefused, Check: "updoc check -f updoc.yaml --only users"},
			"This is most likely a symptom: edge depends on users, which is unhealthy (tcp.refused). Fix users first: updoc check -f updoc.yaml --only users -v"},
		{Symptom{Upstream: "edge", Dependency: "users", Check: "updoc demo --only users"},
			"This is most likely a symptom: edge depends on users, which is unhealthy. Fix users first: updoc demo --only users -v"},
		{Symptom{Upstream: "edge", Dependency: "users", Path: "edge → users", Check: "updoc demo --only users"},
			"This is most likely a symptom: edge depends on users, which is unhealthy. Fix users first: updoc demo --only users -v"},
		// A dependency reached through another: the chain is named, never
		// "frontend depends on db".
		{Symptom{Upstream: "frontend", Dependency: "db", Path: "frontend → api → db", Cause: TCPRefused, Check: "updoc check --only db"},
			"This is most likely a symptom: frontend depends on db through frontend → api → db, and db is unhealthy (tcp.refused). Fix db first: updoc check --only db -v"},
	} {
		if got := tt.s.Step(); got != tt.want {
			t.Errorf("Step() = %q\nwant %q", got, tt.want)
		}
	}
}
