package diagnose

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func withHeaders(kv ...string) *probe.HTTPResult {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return &probe.HTTPResult{Method: "GET", URL: "http://api.example.com/v1/users", StatusCode: 200, Header: h, Body: []byte("ok")}
}

// testNow is 2026-11-25 12:00 UTC.
func TestDeprecationForms(t *testing.T) {
	past := testNow.Add(-30 * 24 * time.Hour) // 2026-10-26 12:00
	soon := testNow.Add(46 * 24 * time.Hour)  // 2027-01-10 12:00
	type want struct {
		codes   []string
		message []string
		depDate *time.Time
		depLink string
		sunDays *int
		sunLink string
	}
	days := func(n int) *int { return &n }
	for _, tt := range []struct {
		name string
		hr   *probe.HTTPResult
		want want
	}{
		{"RFC 9745 structured date", withHeaders("Deprecation", "@1793016000"), // 2026-10-26T12:00:00Z
			want{codes: []string{catalog.APIDeprecated}, message: []string{"is deprecated since 2026-10-26 (30 days ago", "Deprecation: @1793016000"}, depDate: &past}},
		{"RFC 9745 date in the future", withHeaders("Deprecation", "@1799582400"), // 2027-01-10T12:00:00Z
			want{codes: []string{catalog.APIDeprecated}, message: []string{"will be deprecated on 2027-01-10 (in 46 days)"}, depDate: &soon}},
		{"draft true", withHeaders("Deprecation", "true"), want{codes: []string{catalog.APIDeprecated}, message: []string{"is deprecated (Deprecation: true)"}}},
		{"draft ?1", withHeaders("Deprecation", "?1"), want{codes: []string{catalog.APIDeprecated}}},
		{"draft HTTP-date", withHeaders("Deprecation", "Mon, 26 Oct 2026 12:00:00 GMT"),
			want{codes: []string{catalog.APIDeprecated}, message: []string{"since 2026-10-26"}, depDate: &past}},
		{"false is not a signal", withHeaders("Deprecation", "false"), want{}},
		{"unreadable value is still a signal", withHeaders("Deprecation", "soon-ish"), want{codes: []string{catalog.APIDeprecated}, message: []string{"Deprecation: soon-ish"}}},
		{"Link rel=deprecation alone", withHeaders("Link", `<https://api.example.com/deprecation>; rel="deprecation"; type="text/html"`),
			want{codes: []string{catalog.APIDeprecated}, message: []string{`Link rel="deprecation"`, "see https://api.example.com/deprecation"}, depLink: "https://api.example.com/deprecation"}},
		{"Warning 299", withHeaders("Warning", `299 - "extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+"`),
			want{codes: []string{catalog.APIDeprecated}, message: []string{`Warning: 299 "extensions/v1beta1 Ingress is deprecated`}}},
		{"Warning 199 is not a deprecation", withHeaders("Warning", `199 - "misc"`), want{}},
		{"Sunset in the future", withHeaders("Sunset", "Sat, 09 Jan 2027 12:00:00 GMT"),
			want{codes: []string{catalog.APISunsetScheduled}, message: []string{"Sunset date 2027-01-09: 45 days left"}, sunDays: days(45)}},
		{"Sunset passed", withHeaders("Sunset", "Wed, 18 Nov 2026 12:00:00 GMT"),
			want{codes: []string{catalog.APISunsetPassed}, message: []string{"past its Sunset date 2026-11-18: 7 days ago"}, sunDays: days(-7)}},
		{"Sunset RFC 850 form", withHeaders("Sunset", "Saturday, 09-Jan-27 12:00:00 GMT"), want{codes: []string{catalog.APISunsetScheduled}, sunDays: days(45)}},
		{"Sunset unreadable", withHeaders("Sunset", "next year"), want{}},
		{"everything, several Link headers and rel lists", withHeaders(
			"Deprecation", "@1793016000",
			"Sunset", "Sat, 09 Jan 2027 12:00:00 GMT",
			"Link", `<https://api.example.com/v2>; rel="successor-version", <https://api.example.com/policy,with,commas>; rel="sunset alternate"`,
			"Link", `<https://api.example.com/deprecation>; title="why; and how"; REL=Deprecation`),
			want{codes: []string{catalog.APIDeprecated, catalog.APISunsetScheduled}, depDate: &past, depLink: "https://api.example.com/deprecation",
				sunDays: days(45), sunLink: "https://api.example.com/policy,with,commas"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sigs := deprecationSignals(tt.hr, testNow)
			var got []string
			var msgs []string
			for _, s := range sigs {
				got = append(got, s.Code)
				msgs = append(msgs, s.Message)
			}
			if !slices.Equal(got, tt.want.codes) {
				t.Fatalf("codes %v, want %v (%v)", got, tt.want.codes, msgs)
			}
			mustContain(t, "messages", strings.Join(msgs, "\n"), tt.want.message...)
			dep, sun := deprecationReport(tt.hr, testNow)
			if (dep != nil) != slices.Contains(got, catalog.APIDeprecated) {
				t.Errorf("deprecation report %+v for codes %v", dep, got)
			}
			if dep != nil {
				if (tt.want.depDate == nil) != (dep.Date == nil) || (dep.Date != nil && !dep.Date.Equal(*tt.want.depDate)) {
					t.Errorf("deprecation date %v, want %v", dep.Date, tt.want.depDate)
				}
				if dep.Link != tt.want.depLink || dep.Raw == "" {
					t.Errorf("deprecation report %+v", dep)
				}
			}
			if tt.want.sunDays != nil {
				if sun == nil || sun.DaysLeft == nil || *sun.DaysLeft != *tt.want.sunDays || sun.Date == nil || sun.Link != tt.want.sunLink {
					t.Errorf("sunset report %+v, want days %d link %q", sun, *tt.want.sunDays, tt.want.sunLink)
				}
			}
		})
	}
}

func TestSunsetThroughDiagnose(t *testing.T) {
	tg := okTarget("10.0.0.7:80")
	tg.HTTP = withHeaders("Deprecation", "@1793016000", "Sunset", "Wed, 18 Nov 2026 12:00:00 GMT",
		"Link", `<https://docs.example.com/sunset>; rel="sunset"; type="text/html"`)
	rep := run(graphOf(node("api", "http://api.example.com/v1/users")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tg}})
	u := rep.Upstreams[0]
	if got := codes(u.Findings); !slices.Equal(got, []string{"api.deprecated/warn", "api.sunset_passed/fail"}) {
		t.Fatalf("findings %v", got)
	}
	f := u.Findings[1]
	if f.Target != "10.0.0.7:80" || f.Layer != "http" || f.Evidence["days_left"] != -7 || f.Evidence["link"] != "https://docs.example.com/sunset" {
		t.Errorf("sunset finding %+v", f)
	}
	h := u.Targets[0].HTTP
	if h.Sunset == nil || *h.Sunset.DaysLeft != -7 || h.Sunset.Raw != "Wed, 18 Nov 2026 12:00:00 GMT" || h.Deprecation == nil || h.Deprecation.Raw != "@1793016000" {
		t.Errorf("report fields %+v %+v", h.Deprecation, h.Sunset)
	}
	if u.Status != report.Unhealthy {
		t.Errorf("status %s", u.Status)
	}
	// A failing status does not hide the signals.
	tg.HTTP.StatusCode = 410
	rep = run(graphOf(node("api", "http://api.example.com/v1/users")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tg}})
	if got := codes(rep.Upstreams[0].Findings); !slices.Contains(got, "api.sunset_passed/fail") {
		t.Errorf("410 findings %v", got)
	}
}

func TestParseLinks(t *testing.T) {
	got := parseLinks([]string{
		`<https://a.example/x>; rel=deprecation, <https://b.example/y>;rel="Sunset Alternate" ; type="text/html"`,
		`garbage, <https://c.example/z>; title="a, b"; rel="next"`,
		`<unterminated`,
	})
	want := []link{
		{URI: "https://a.example/x", Rels: []string{"deprecation"}},
		{URI: "https://b.example/y", Rels: []string{"sunset", "alternate"}},
		{URI: "https://c.example/z", Rels: []string{"next"}},
	}
	if len(got) != len(want) {
		t.Fatalf("links %+v", got)
	}
	for i := range want {
		if got[i].URI != want[i].URI || !slices.Equal(got[i].Rels, want[i].Rels) {
			t.Errorf("link %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
