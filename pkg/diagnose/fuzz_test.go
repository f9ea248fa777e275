package diagnose

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// FuzzDeprecationHeaders: the Deprecation, Sunset, Link and Warning parsers
// never panic, and their findings are consistent with the report fields.
func FuzzDeprecationHeaders(f *testing.F) {
	for _, s := range [][4]string{
		{"@1793016000", "Sat, 09 Jan 2027 12:00:00 GMT", `<https://a/d>; rel="deprecation"`, `299 - "deprecated"`},
		{"true", "", `<https://a/s>; rel="sunset alternate", <https://a/n>; rel=next`, ""},
		{"?1", "Wed, 18 Nov 2026 12:00:00 GMT", "", `199 - "x", 299 example.com "a, \"quoted\" text" "Wed, 18 Nov 2026 12:00:00 GMT"`},
		{"Mon, 26 Oct 2026 12:00:00 GMT", "Saturday, 09-Jan-27 12:00:00 GMT", `<a>;rel="`, "299"},
		{"@-999999999999999", "Sun Nov  6 08:49:37 1994", `<<>>;;;=,,"`, `"`},
		{"@9999999999999999", "garbage", `<https://x>; rel=deprecation; rel=sunset`, `299 -`},
		{"false", "", `, , <`, `\`},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, dep, sunset, link, warn string) {
		h := http.Header{}
		for k, v := range map[string]string{"Deprecation": dep, "Sunset": sunset, "Link": link, "Warning": warn} {
			if v != "" {
				h.Set(k, v)
			}
		}
		hr := &probe.HTTPResult{Method: "GET", URL: "http://x/", StatusCode: 200, Header: h}
		sigs := deprecationSignals(hr, testNow)
		d, s := deprecationReport(hr, testNow)
		var deprecated, sunsetFinding bool
		for _, sg := range sigs {
			switch sg.Code {
			case catalog.APIDeprecated:
				deprecated = true
			case catalog.APISunsetScheduled, catalog.APISunsetPassed:
				if sunsetFinding {
					t.Fatal("two sunset findings")
				}
				sunsetFinding = true
				if s == nil || s.Date == nil || s.DaysLeft == nil {
					t.Fatalf("sunset finding without a dated report field: %+v", s)
				}
				if (sg.Code == catalog.APISunsetPassed) != !s.Date.After(testNow) {
					t.Fatalf("%s for sunset %v", sg.Code, s.Date)
				}
			default:
				t.Fatalf("unexpected code %s", sg.Code)
			}
			if sg.Message == "" || sg.Evidence == nil {
				t.Fatalf("empty signal %+v", sg)
			}
		}
		if deprecated != (d != nil) {
			t.Fatalf("api.deprecated %v but report %+v", deprecated, d)
		}
		if d != nil && d.Raw == "" {
			t.Fatal("deprecation report without raw")
		}
		parseLinks([]string{dep, sunset, link, warn})
		parseWarnings([]string{dep, sunset, link, warn})
	})
}

// FuzzFingerprints: the matcher never panics, a proxy's own answer always
// carries a gateway code consistent with its status (or
// gateway.overloaded), a matched 503 is never also http.unavailable,
// 502/504 are gateway codes unless a proxy forwarded them (then the
// service's http.server_error), and a 404 is route_not_found only through
// a fingerprint.
func FuzzFingerprints(f *testing.F) {
	for _, fx := range fingerprintFixtures {
		hr := parseFixture(f, fx.raw)
		server := hr.Header.Get("Server")
		extra := ""
		for k := range hr.Header {
			if strings.HasPrefix(strings.ToLower(k), "l5d-") || strings.HasPrefix(strings.ToLower(k), "x-envoy-") || strings.HasPrefix(strings.ToLower(k), "x-kong-") || k == "Via" {
				extra = k
			}
		}
		f.Add(hr.StatusCode, server, extra, hr.Body)
	}
	f.Add(503, "", "", []byte{})
	f.Add(404, "envoy", "X-Envoy-Upstream-Service-Time", []byte{})
	f.Add(0, "\x00", "\xff", []byte("\xff\xfe<h1>"))
	f.Fuzz(func(t *testing.T, status int, server, header string, body []byte) {
		h := http.Header{}
		if server != "" {
			h.Set("Server", server)
		}
		if header != "" {
			h[header] = []string{"x"}
		}
		hr := &probe.HTTPResult{Method: "GET", URL: "http://x/", StatusCode: status, Header: h, Body: body,
			Timings: probe.Timings{Total: time.Millisecond}}
		fp, ok := matchProxy(hr)
		// forwarded: a proxy said it forwarded the answer, or passed on one
		// that is not its own; possible: a stock text the product and any
		// service write (judged by the plain rules).
		forwarded := ok && fp.ID == "" && (fp.Forwarded != nil || fp.PassedOn != nil)
		possible := ok && fp.Possible != nil
		switch {
		case ok && fp.ID == "" && !forwarded && !possible:
			t.Fatalf("a match without a row, a forwarder nor a product on the path: %+v", fp)
		case ok && !forwarded && !possible && (fp.Product == "" || fp.Describe == "" ||
			fp.Code != gatewayCode(status) && fp.Code != catalog.GatewayOverloaded):
			t.Fatalf("match %+v for status %d", fp, status)
		}
		_ = bodyQuote(body)
		if status < 100 || status > 999 {
			return
		}
		u := diagnoseHTTP(hr)
		for _, fd := range u.Findings {
			switch {
			case status == 503 && ok && !forwarded && !possible && fd.Code == catalog.HTTPUnavailable:
				t.Fatal("a recognised 503 is also http.unavailable")
			case (status == 502 || status == 504) && forwarded && fd.Code != catalog.HTTPServerError:
				t.Fatalf("a forwarded %d gave %s", status, fd.Code)
			case status == 502 && !forwarded && fd.Code != catalog.GatewayBadGateway:
				t.Fatalf("502 gave %s", fd.Code)
			case status == 504 && !forwarded && fd.Code != catalog.GatewayTimeout:
				t.Fatalf("504 gave %s", fd.Code)
			case fd.Code == catalog.GatewayRouteNotFound && (!ok || possible):
				t.Fatal("route_not_found without a fingerprint")
			case status == 503 && (!ok || possible) && strings.HasPrefix(fd.Code, "gateway."):
				t.Fatalf("unrecognised 503 gave %s", fd.Code)
			}
		}
	})
}
