package report

import (
	"reflect"
	"testing"
)

func TestRootCauseGroupsFoldOneFault(t *testing.T) {
	dnsAt := func(name, resolver string) *DNS { return &DNS{Name: name, Resolver: resolver} }
	r := &Report{
		Upstreams: []Upstream{
			{Name: "svc000"}, {Name: "svc001"}, {Name: "svc002"}, {Name: "edge"},
			{Name: "a", DNS: dnsAt("a.test", "127.0.0.1:53")}, {Name: "b", DNS: dnsAt("b.test", "127.0.0.1:53")},
			{Name: "c", DNS: dnsAt("gone.test", "127.0.0.1:53")}, {Name: "d", DNS: dnsAt("gone.test", "127.0.0.1:53")},
			{Name: "e", DNS: dnsAt("other.test", "127.0.0.1:53")},
			{Name: "x"}, {Name: "y"},
		},
		RootCauses: []RootCause{
			{Upstream: "svc000", Code: "tcp.refused", Severity: Fail, Target: "127.0.0.1:18200", Affects: []string{"edge", "svc001"}},
			{Upstream: "svc001", Code: "tcp.refused", Severity: Fail, Target: "127.0.0.1:18200", Affects: []string{"edge"}},
			{Upstream: "svc002", Code: "tcp.refused", Severity: Fail, Target: "127.0.0.1:18201"},
			{Upstream: "a", Code: "dns.resolver_unreachable", Severity: Fail},
			{Upstream: "b", Code: "dns.resolver_unreachable", Severity: Fail},
			{Upstream: "c", Code: "dns.nxdomain", Severity: Fail},
			{Upstream: "d", Code: "dns.nxdomain", Severity: Fail},
			{Upstream: "e", Code: "dns.nxdomain", Severity: Fail},
			{Upstream: "x", Code: "run.deadline_exceeded", Severity: Fail},
			{Upstream: "y", Code: "run.deadline_exceeded", Severity: Fail},
		},
	}
	type short struct {
		Code, Where string
		Upstreams   []string
		Affects     []string
	}
	var got []short
	for _, g := range r.RootCauseGroups() {
		got = append(got, short{g.Code, g.Where, g.Upstreams, g.Affects})
	}
	want := []short{
		{"tcp.refused", "127.0.0.1:18200", []string{"svc000", "svc001"}, []string{"edge"}},
		{"tcp.refused", "127.0.0.1:18201", []string{"svc002"}, nil},
		{"dns.resolver_unreachable", "resolver 127.0.0.1:53", []string{"a", "b"}, nil},
		{"dns.nxdomain", "gone.test via 127.0.0.1:53", []string{"c", "d"}, nil},
		{"dns.nxdomain", "other.test via 127.0.0.1:53", []string{"e"}, nil},
		{"run.deadline_exceeded", "", []string{"x"}, nil},
		{"run.deadline_exceeded", "", []string{"y"}, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups:\n got %+v\nwant %+v", got, want)
	}
}

// Two services behind one address that fail differently (another path,
// another body) are two faults: each keeps its own message (and with it
// its quote and reproduction step); identical failures still fold.
func TestRootCauseGroupsKeepDifferentAnswersApart(t *testing.T) {
	msg := func(path, body string) string {
		return "500 Internal Server Error (\"" + body + "\") from 127.0.0.1:8080 for GET http://127.0.0.1:8080" + path
	}
	r := &Report{
		Upstreams: []Upstream{{Name: "orders"}, {Name: "orders-eu"}, {Name: "users"}, {Name: "search"}},
		RootCauses: []RootCause{
			{Upstream: "orders", Code: "http.server_error", Severity: Fail, Target: "127.0.0.1:8080", Message: msg("/orders", "database pool exhausted")},
			{Upstream: "orders-eu", Code: "http.server_error", Severity: Fail, Target: "127.0.0.1:8080", Message: msg("/orders", "database pool exhausted")},
			{Upstream: "users", Code: "http.server_error", Severity: Fail, Target: "127.0.0.1:8080", Message: msg("/users", "nil pointer")},
			{Upstream: "search", Code: "http.server_error", Severity: Fail, Target: "127.0.0.1:8080", Message: msg("/search", "index missing")},
		},
	}
	var got [][]string
	for _, g := range r.RootCauseGroups() {
		got = append(got, g.Upstreams)
	}
	want := [][]string{{"orders", "orders-eu"}, {"users"}, {"search"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
}
