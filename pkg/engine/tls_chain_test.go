package engine_test

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// The certificate chain end to end (issue 9, cases 7 and 10): real
// servers on loopback presenting chains minted by pkg/lab/ca, judged
// through engine.Run.

// labPKI is a root CA written to a ca_file and an intermediate under it
// valid until interNotAfter (zero: five years).
func labPKI(t *testing.T, interNotAfter time.Time) (root, inter *ca.CA, caFile string) {
	t.Helper()
	root, err := ca.New("Lab Root CA")
	if err != nil {
		t.Fatal(err)
	}
	inter, err = root.Intermediate("Lab Intermediate CA", time.Time{}, interNotAfter)
	if err != nil {
		t.Fatal(err)
	}
	caFile = filepath.Join(t.TempDir(), "root.pem")
	if err := os.WriteFile(caFile, root.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return root, inter, caFile
}

// httpsUpstream is upstream "svc" of https://NAME:PORT/ probed at addr
// (the server's 127.0.0.1:PORT), with ca_file and no latency samples.
func httpsUpstream(t *testing.T, name, addr, caFile string) *graph.Upstream {
	t.Helper()
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	u := e2eUpstream(t, "https://"+name+":"+port+"/")
	u.Targets = []string{addr}
	u.TLS.CAFile = caFile
	u.Samples = 0
	return u
}

// onlyFinding is the single finding of u, which must have code.
func mustSay(t *testing.T, what, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Errorf("%s %q lacks %q", what, text, s)
		}
	}
}

// Case 7: the server sends only its leaf; the intermediate is missing; the
// root is in ca_file. tls.untrusted says the chain is incomplete and names
// the issuer that was not sent, and no step says to set the ca_file that
// is set. Control: the same server with the full chain is healthy.
func TestMissingIntermediateIsAnIncompleteChain(t *testing.T) {
	_, inter, caFile := labPKI(t, time.Time{})
	full, err := inter.Issue(ca.Leaf{Names: []string{"svc.test"}})
	if err != nil {
		t.Fatal(err)
	}
	leafOnly := full
	leafOnly.Certificate = full.Certificate[:1]
	addr := testserver.HTTPS(t, leafOnly)

	u := diagnoseOne(t, e2eOpts(t), httpsUpstream(t, "svc.test", addr, caFile))
	f := onlyFinding(t, u, "tls.untrusted")
	if f.Severity != report.Fail || f.Layer != "tls" || f.Target != addr || u.Status != report.Unhealthy {
		t.Errorf("severity %s layer %s target %s status %s", f.Severity, f.Layer, f.Target, u.Status)
	}
	mustSay(t, "message", f.Message, "certificate chain for svc.test from "+addr+" is incomplete",
		"without its issuer, CN=Lab Intermediate CA,O=updoc lab, which is not in tls.ca_file ("+caFile+") either")
	if f.Evidence["missing_issuer"] != "CN=Lab Intermediate CA,O=updoc lab" {
		t.Errorf("evidence %v", f.Evidence)
	}
	steps := strings.Join(f.Remediation, "\n")
	mustSay(t, "remediation", steps, "send its intermediate certificates after the leaf")
	if strings.Contains(steps, "set tls.ca_file") {
		t.Errorf("a step says to set the tls.ca_file that is set:\n%s", steps)
	}

	control := diagnoseOne(t, e2eOpts(t), httpsUpstream(t, "svc.test", testserver.HTTPS(t, full), caFile))
	if control.Status != report.Healthy || len(control.Findings) != 0 {
		t.Errorf("full chain: status %s findings %+v", control.Status, control.Findings)
	}
}

// Case 10: the leaf is valid 59 days; the intermediate the server sends
// expires in 5; cert_min_days 14. tls.cert_expiring (warn) names the
// intermediate — the expiry rules judge every certificate of the verified
// chain that the server sent (SPEC §3).
func TestExpiringIntermediateIsNamed(t *testing.T) {
	now := time.Now()
	_, inter, caFile := labPKI(t, now.Add(5*24*time.Hour+time.Hour))
	cert, err := inter.Issue(ca.Leaf{Names: []string{"svc.test"}, NotAfter: now.Add(59*24*time.Hour + time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	up := httpsUpstream(t, "svc.test", testserver.HTTPS(t, cert), caFile)
	up.Expect.CertMinDays = 14

	u := diagnoseOne(t, e2eOpts(t), up)
	f := onlyFinding(t, u, "tls.cert_expiring")
	if f.Severity != report.Warn || f.Layer != "tls" || u.Status != report.Degraded {
		t.Errorf("severity %s layer %s status %s", f.Severity, f.Layer, u.Status)
	}
	mustSay(t, "message", f.Message, "intermediate CN=Lab Intermediate CA,O=updoc lab in the chain for svc.test expires in 5 days",
		"less than cert_min_days 14", "the leaf is valid for 59 days more")
	if f.Evidence["certificate"] != "intermediate" || f.Evidence["subject"] != "CN=Lab Intermediate CA,O=updoc lab" || f.Evidence["days_left"] != 5 {
		t.Errorf("evidence %v", f.Evidence)
	}
	mustSay(t, "remediation", strings.Join(f.Remediation, "\n"), "Replace the intermediate in the server's chain file")
}

// QA finding 2: a server that sends its leaf and the intermediate, whose
// root this host does not trust (no ca_file: a private CA; a ca_file with
// another root), sent a whole chain: tls.untrusted names the CA the chain
// leads to, does not call the chain incomplete, and the first step is to
// trust that CA (set tls.ca_file; fix the ca_file that is set).
func TestWholeChainToAnUntrustedRootIsNotIncomplete(t *testing.T) {
	_, inter, _ := labPKI(t, time.Time{})
	full, err := inter.Issue(ca.Leaf{Names: []string{"svc.test"}})
	if err != nil {
		t.Fatal(err)
	}
	addr := testserver.HTTPS(t, full)
	_, _, otherCAFile := labPKI(t, time.Time{}) // a root that did not sign the chain

	for _, tt := range []struct {
		name, caFile, trust, first string
	}{
		{"no ca_file", "", "which is not trusted",
			"If the CA the chain ends at (see the message) is your organisation's private CA, trust it for this check: set tls.ca_file for svc"},
		{"a ca_file with another root", otherCAFile, "which is not in tls.ca_file (" + otherCAFile + ")",
			"The chain leads to none of the CAs in tls.ca_file of svc (" + otherCAFile + ")"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := x509.SystemCertPool(); tt.caFile == "" && err != nil {
				t.Skip("no system trust store here: the chain is judged against none (x509.SystemRootsError)")
			}
			u := diagnoseOne(t, e2eOpts(t), httpsUpstream(t, "svc.test", addr, tt.caFile))
			f := onlyFinding(t, u, "tls.untrusted")
			if f.Layer != "tls" || f.Target != addr || u.Status != report.Unhealthy {
				t.Errorf("layer %s target %s status %s", f.Layer, f.Target, u.Status)
			}
			if strings.Contains(f.Message, "incomplete") {
				t.Errorf("message %q calls the chain incomplete", f.Message)
			}
			mustSay(t, "message", f.Message, "certificate chain for svc.test from "+addr+" leads to CN=Lab Root CA,O=updoc lab, "+tt.trust,
				"the server sent CN=svc.test → CN=Lab Intermediate CA,O=updoc lab, issued by CN=Lab Root CA,O=updoc lab")
			if f.Evidence["untrusted_ca"] != "CN=Lab Root CA,O=updoc lab" || f.Evidence["missing_issuer"] != nil {
				t.Errorf("evidence %v", f.Evidence)
			}
			if len(f.Remediation) == 0 || !strings.HasPrefix(f.Remediation[0], tt.first) {
				t.Errorf("steps %q, want the first to start with %q", f.Remediation, tt.first)
			}
			if tt.caFile != "" && strings.Contains(strings.Join(f.Remediation, "\n"), "set tls.ca_file") {
				t.Errorf("a step says to set the tls.ca_file that is set:\n%s", strings.Join(f.Remediation, "\n"))
			}
		})
	}
}
