package diagnose

import (
	"crypto/x509"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func TestValidCertificateIsHealthy(t *testing.T) {
	p := newPKI(t)
	good := p.leaf(t, testNow.Add(-24*time.Hour), testNow.Add(60*24*time.Hour), "api.example.com")
	tr := tlsTarget("10.0.0.7:443", &probe.TLSResult{PeerCertificates: []*x509.Certificate{good}, Version: "TLS 1.3", ALPN: "h2"})
	tr.HTTP = httpOK("10.0.0.7:443", 200).HTTP
	rep := run(graphOf(node("api", "https://api.example.com/health")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tr}})
	u := upstreamOf(t, rep, "api")
	if u.Status != report.Healthy || len(u.Findings) != 0 {
		t.Fatalf("status %s findings %v", u.Status, codes(u.Findings))
	}
	tl := u.Targets[0].TLS
	if tl == nil || tl.Cert == nil || tl.Cert.DaysLeft != 60 || tl.Version != "TLS 1.3" || tl.ALPN != "h2" || tl.Status != report.Pass ||
		tl.ServerName != "api.example.com" || tl.Cert.Subject != "CN=api.example.com" || tl.Cert.Issuer != "CN=updoc test CA" ||
		len(tl.Cert.SANs) != 1 || !tl.Cert.NotAfter.Equal(good.NotAfter) {
		t.Errorf("tls report %+v cert %+v", tl, tl.Cert)
	}
}

// expect.cert_min_days is used as the graph gives it: 0 means no
// certificate expires too soon, and the message and the remediation name
// the threshold that applied.
func TestCertMinDaysAsGiven(t *testing.T) {
	p := newPKI(t)
	threeDays := p.leaf(t, testNow.Add(-80*24*time.Hour), testNow.Add(3*24*time.Hour), "api.example.com")
	for _, tt := range []struct {
		minDays  int
		expiring bool
	}{
		{minDays: 0, expiring: false},
		{minDays: 3, expiring: false}, // exactly 3 days left is not less than 3
		{minDays: 4, expiring: true},
		{minDays: 14, expiring: true},
	} {
		up := node("api", "https://api.example.com/health")
		up.Expect.CertMinDays = tt.minDays
		tr := tlsTarget("10.0.0.7:443", &probe.TLSResult{PeerCertificates: []*x509.Certificate{threeDays}})
		tr.HTTP = httpOK("10.0.0.7:443", 200).HTTP
		rep := run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tr}})
		f, found := findCode(findingsOf(rep, "api"), catalog.TLSCertExpiring)
		if found != tt.expiring {
			t.Errorf("cert_min_days %d: tls.cert_expiring %v, want %v (%v)", tt.minDays, found, tt.expiring, codes(findingsOf(rep, "api")))
			continue
		}
		if !found {
			if st := upstreamOf(t, rep, "api").Status; st != report.Healthy {
				t.Errorf("cert_min_days %d: status %s", tt.minDays, st)
			}
			continue
		}
		days := strconv.Itoa(tt.minDays)
		mustContain(t, "message", f.Message, "expires in 3 days", "less than cert_min_days "+days)
		if f.Evidence["cert_min_days"] != tt.minDays || f.Evidence["days_left"] != 3 {
			t.Errorf("cert_min_days %d: evidence %v", tt.minDays, f.Evidence)
		}
		mustContain(t, "remediation", strings.Join(f.Remediation, "\n"), "lower expect.cert_min_days for api (now "+days+").")
	}
}
