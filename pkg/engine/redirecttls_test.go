package engine_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// Issue 9 case 11: https://app (valid) and http://www both redirect to
// https://login, whose certificate expired. Every redirect hop to https is
// verified like the first one (SPEC §3): tls.cert_expired naming login, on
// both — before: both healthy.
func TestRedirectToAnExpiredCertificate(t *testing.T) {
	c := newTestCA(t)
	now := time.Now()
	login := tlsServer(t, c.cert(t, ca.Leaf{Names: []string{"login.test"}, NotBefore: now.AddDate(0, 0, -90), NotAfter: now.AddDate(0, 0, -3)}),
		http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "login") }))
	_, loginPort, _ := net.SplitHostPort(login)
	loginURL := "https://login.test:" + loginPort + "/login"
	toLogin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, loginURL, http.StatusFound) })
	app := tlsServer(t, c.cert(t, ca.Leaf{Names: []string{"app.test"}}), toLogin)
	www := httptest.NewServer(toLogin)
	t.Cleanup(www.Close)
	_, appPort, _ := net.SplitHostPort(app)
	_, wwwPort, _ := net.SplitHostPort(www.Listener.Addr().String())

	// An http:// upstream takes a ca_file for its redirects to https.
	rep := runFile(t, withHosts(t, e2eOpts(t), "app.test", "www.test", "login.test"), fmt.Sprintf(`version: 1
defaults:
  tls: {ca_file: %q}
  samples: 0
upstreams:
  app: {url: "https://app.test:%s/"}
  www: {url: "http://www.test:%s/"}
`, c.file, appPort, wwwPort), nil)

	for name, from := range map[string]string{"app": "127.0.0.1:" + appPort, "www": "127.0.0.1:" + wwwPort} {
		f := onlyFindingOf(t, rep, name)
		wantFinding(t, f, "tls.cert_expired", report.Fail, "http", from,
			"certificate for login.test expired 3 days ago", "after following the redirect from "+from+" to "+loginURL)
		if f.Evidence["address"] != login || f.Evidence["server_name"] != "login.test" {
			t.Errorf("%s: evidence %v", name, f.Evidence)
		}
		if u := rep.Upstream(name); u.Status != report.Unhealthy || u.Layers.HTTP != report.LFail {
			t.Errorf("%s: status %s layers %+v", name, u.Status, u.Layers)
		}
	}
	if l := rep.Upstream("app").Layers.TLS; l != report.Pass {
		t.Errorf("app's own certificate is valid: tls layer %s", l)
	}
}
