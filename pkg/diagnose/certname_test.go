package diagnose

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// With verification off (-k) on an IP URL, the certificate served is not
// 127.0.0.1's: the message names it by its own subject. Before:
// "certificate for 127.0.0.1 expires in 5 days" (QA A15).
func TestCertificateNotForTheServerNameIsNamedByItsSubject(t *testing.T) {
	p := newPKI(t)
	expiring := p.leaf(t, testNow.Add(-80*24*time.Hour), testNow.Add(5*24*time.Hour+time.Hour), "svc.test")
	for _, tc := range []struct{ url, want string }{
		{"https://127.0.0.1:8443/", "certificate from 127.0.0.1 (CN=svc.test) expires in 5 days"},
		{"https://svc.test:8443/", "certificate for svc.test expires in 5 days"},
	} {
		up := node("api", tc.url)
		up.TLS.InsecureSkipVerify = true
		up.Expect.CertMinDays = 14
		tr := tlsTarget("127.0.0.1:8443", &probe.TLSResult{ServerName: up.URL.Hostname(), PeerCertificates: []*x509.Certificate{expiring}})
		tr.HTTP = httpOK("127.0.0.1:8443", 200).HTTP
		rep := run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tr}})
		f, ok := findCode(findingsOf(rep, "api"), catalog.TLSCertExpiring)
		if !ok || !strings.HasPrefix(f.Message, tc.want) {
			t.Errorf("%s: message %q, want it to start with %q", tc.url, f.Message, tc.want)
		}
	}
}
