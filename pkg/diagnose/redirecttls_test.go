package diagnose

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// A redirect's certificate is judged by the tls rules and names the hop's
// host (SPEC §3, issue 9 case 11).
func TestRedirectHopCertificates(t *testing.T) {
	p := newPKI(t)
	expired := p.leaf(t, testNow.Add(-90*24*time.Hour), testNow.Add(-2*24*time.Hour), "login.example.com")
	other := p.leaf(t, testNow.Add(-24*time.Hour), testNow.Add(60*24*time.Hour), "www.example.com")
	expiring := p.leaf(t, testNow.Add(-80*24*time.Hour), testNow.Add(5*24*time.Hour+time.Hour), "login.example.com")
	app := p.leaf(t, testNow.Add(-24*time.Hour), testNow.Add(60*24*time.Hour), "app.example.com")
	const loginURL = "https://login.example.com/login"
	hop := func(c *x509.Certificate, verify error) probe.TLSHop {
		return probe.TLSHop{URL: loginURL, Address: "10.0.0.9:443", TLS: probe.TLSResult{
			ServerName: "login.example.com", Version: "TLS 1.3", PeerCertificates: []*x509.Certificate{c}, VerifyErr: verify, Duration: time.Millisecond,
		}}
	}
	tests := []struct {
		name     string
		upURL    string
		addr     string
		hop      probe.TLSHop
		failed   bool
		code     string
		severity report.Severity
		message  string
	}{
		{name: "http upstream, expired hop", upURL: "http://www.example.com/", addr: "10.0.0.7:80",
			hop: hop(expired, p.verify(expired, "login.example.com", p.pool)), failed: true,
			code: catalog.TLSCertExpired, severity: report.Fail,
			message: "certificate for login.example.com expired 2 days ago (not_after 2026-11-23) (after following the redirect from 10.0.0.7:80 to https://login.example.com/login)"},
		{name: "https upstream, hop for another name", upURL: "https://app.example.com/", addr: "10.0.0.7:443",
			hop: hop(other, p.verify(other, "login.example.com", p.pool)), failed: true,
			code: catalog.TLSHostnameMismatch, severity: report.Fail,
			message: "certificate from login.example.com:443 (10.0.0.9:443) (CN=www.example.com) covers www.example.com, not login.example.com"},
		{name: "hop that expires soon", upURL: "https://app.example.com/", addr: "10.0.0.7:443",
			hop:  hop(expiring, nil),
			code: catalog.TLSCertExpiring, severity: report.Warn,
			message: "certificate for login.example.com expires in 5 days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := httpOK(tc.addr, 200)
			tr.HTTP.Redirects, tr.HTTP.URL, tr.HTTP.TLSHops = []string{loginURL}, loginURL, []probe.TLSHop{tc.hop}
			if tc.failed {
				tr.HTTP.StatusCode, tr.HTTP.Body, tr.HTTP.Err, tr.HTTP.ErrPhase = 0, nil, tc.hop.TLS.VerifyErr, "tls"
			}
			if strings.HasPrefix(tc.upURL, "https") {
				tr.TLS = &probe.TLSResult{ServerName: "app.example.com", Version: "TLS 1.3", PeerCertificates: []*x509.Certificate{app}}
			}
			rep := run(graphOf(node("web", tc.upURL)), probe.Result{Upstream: "web", Targets: []probe.TargetResult{tr}})
			f := oneFinding(t, rep)
			if f.Code != tc.code || f.Severity != tc.severity || f.Layer != catalog.LayerHTTP || f.Target != tc.addr {
				t.Errorf("got %s %s %s %q", f.Code, f.Severity, f.Layer, f.Target)
			}
			mustContain(t, "message", f.Message, tc.message)
			if f.Evidence["redirected_to"] != loginURL || f.Evidence["server_name"] != "login.example.com" {
				t.Errorf("evidence %v", f.Evidence)
			}
			// The commands look at the hop, not at the upstream.
			if steps := strings.Join(f.Remediation, "\n"); !strings.Contains(steps, "login.example.com") || strings.Contains(steps, tc.addr) {
				t.Errorf("steps do not look at the hop:\n%s", steps)
			}
			if u := rep.Upstreams[0]; tc.severity == report.Fail && (u.Layers.HTTP != report.LFail || u.Status != report.Unhealthy) {
				t.Errorf("layers %+v status %s", u.Layers, u.Status)
			}
		})
	}
}
