package diagnose

import (
	"crypto/x509"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// The one days_left rule: whole days until the date, rounded down, so a
// date that has passed is always negative.
func TestDaysLeftRule(t *testing.T) {
	const day = 24 * time.Hour
	for _, tt := range []struct {
		until time.Duration
		want  int
	}{
		{3 * day, 3},
		{3*day - time.Nanosecond, 2},
		{2*day + 23*time.Hour, 2},
		{time.Hour, 0},
		{0, 0},
		{-time.Nanosecond, -1},
		{-12 * time.Hour, -1},
		{-day, -1},
		{-day - time.Hour, -1},
		{-3*day - time.Hour, -3},
		{-7 * day, -7},
	} {
		if got := daysLeft(testNow, testNow.Add(tt.until)); got != tt.want {
			t.Errorf("daysLeft(now, now%+v) = %d, want %d", tt.until, got, tt.want)
		}
	}
}

// Certificates and sunsets follow the same rule under the same key: a
// certificate and a Sunset date that passed 12 hours ago both have
// days_left -1 (a sunset used to say 0, as if the date were still ahead).
func TestDaysLeftSameForCertificatesAndSunsets(t *testing.T) {
	passed := testNow.Add(-12 * time.Hour)
	p := newPKI(t)
	expired := p.leaf(t, testNow.Add(-90*24*time.Hour), passed, "api.example.com")
	tls := tlsTarget("10.0.0.7:443", &probe.TLSResult{PeerCertificates: []*x509.Certificate{expired}, VerifyErr: p.verify(expired, "api.example.com", p.pool)})
	rep := run(graphOf(node("api", "https://api.example.com/")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tls}})
	f, ok := findCode(findingsOf(rep, "api"), catalog.TLSCertExpired)
	if !ok || f.Evidence["days_left"] != -1 {
		t.Errorf("tls.cert_expired evidence %v (%v)", f.Evidence, codes(findingsOf(rep, "api")))
	}
	if c := upstreamOf(t, rep, "api").Targets[0].TLS.Cert; c == nil || c.DaysLeft != -1 {
		t.Errorf("certificate report %+v", c)
	}

	sunset := okTarget("10.0.0.7:80")
	sunset.HTTP = withHeaders("Sunset", passed.Format(http.TimeFormat))
	rep = run(graphOf(node("api", "http://api.example.com/v1/users")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{sunset}})
	f, ok = findCode(findingsOf(rep, "api"), catalog.APISunsetPassed)
	if !ok || f.Evidence["days_left"] != -1 {
		t.Errorf("api.sunset_passed evidence %v (%v)", f.Evidence, codes(findingsOf(rep, "api")))
	}
	if s := upstreamOf(t, rep, "api").Targets[0].HTTP.Sunset; s == nil || s.DaysLeft == nil || *s.DaysLeft != -1 {
		t.Errorf("sunset report %+v", s)
	}
}

// The message and days_left say the same number of days: a certificate
// that expired 3 days and an hour ago "expired 3 days ago" with days_left
// -3, a Sunset passed 7 days and 2 hours ago is "7 days ago" with -7.
func TestDaysInMessageAgreeWithDaysLeft(t *testing.T) {
	p := newPKI(t)
	expired := p.leaf(t, testNow.Add(-90*24*time.Hour), testNow.Add(-3*24*time.Hour-time.Hour), "api.example.com")
	tls := tlsTarget("10.0.0.7:443", &probe.TLSResult{PeerCertificates: []*x509.Certificate{expired}, VerifyErr: p.verify(expired, "api.example.com", p.pool)})
	rep := run(graphOf(node("api", "https://api.example.com/")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tls}})
	f, ok := findCode(findingsOf(rep, "api"), catalog.TLSCertExpired)
	if !ok || f.Evidence["days_left"] != -3 || !strings.Contains(f.Message, "expired 3 days ago") {
		t.Errorf("tls.cert_expired: %q, evidence %v", f.Message, f.Evidence)
	}
	if c := upstreamOf(t, rep, "api").Targets[0].TLS.Cert; c == nil || c.DaysLeft != -3 {
		t.Errorf("certificate report %+v", c)
	}

	sunset := okTarget("10.0.0.7:80")
	sunset.HTTP = withHeaders("Sunset", testNow.Add(-7*24*time.Hour-2*time.Hour).Format(http.TimeFormat))
	rep = run(graphOf(node("api", "http://api.example.com/v1/users")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{sunset}})
	f, ok = findCode(findingsOf(rep, "api"), catalog.APISunsetPassed)
	if !ok || f.Evidence["days_left"] != -7 || !strings.Contains(f.Message, "7 days ago") {
		t.Errorf("api.sunset_passed: %q, evidence %v", f.Message, f.Evidence)
	}
}

// At the edges of the rounding rule the message and days_left still say
// the same thing: a certificate valid 59.5 more days "expires in 59 days"
// with days_left 59 (never 60 in one and 59 in the other), one that expired
// half a day ago says so in hours with days_left -1 (never "0 days").
func TestCertDaysAtHalfDays(t *testing.T) {
	const day = 24 * time.Hour
	p := newPKI(t)
	for _, tt := range []struct {
		until    time.Duration
		code     string
		wantDays int
		wantText string
	}{
		{59*day + 12*time.Hour, catalog.TLSCertExpiring, 59, "expires in 59 days"},
		{-12 * time.Hour, catalog.TLSCertExpired, -1, "expired 12 hours ago"},
	} {
		leaf := p.leaf(t, testNow.Add(-90*day), testNow.Add(tt.until), "api.example.com")
		tls := tlsTarget("10.0.0.7:443", &probe.TLSResult{PeerCertificates: []*x509.Certificate{leaf}, VerifyErr: p.verify(leaf, "api.example.com", p.pool)})
		up := node("api", "https://api.example.com/")
		up.Expect.CertMinDays = 60
		rep := run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tls}})
		f, ok := findCode(findingsOf(rep, "api"), tt.code)
		if !ok || f.Evidence["days_left"] != tt.wantDays || !strings.Contains(f.Message, tt.wantText) || strings.Contains(f.Message, " 0 days") {
			t.Errorf("%v: %s %q, evidence %v (%v)", tt.until, tt.code, f.Message, f.Evidence, codes(findingsOf(rep, "api")))
		}
		if c := upstreamOf(t, rep, "api").Targets[0].TLS.Cert; c == nil || c.DaysLeft != tt.wantDays {
			t.Errorf("%v: certificate report %+v", tt.until, c)
		}
	}
}
