package diagnose

import (
	"crypto/ecdsa"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// chainPKI is root → intermediate → leaf for api.example.com.
type chainPKI struct {
	root, inter, leaf *x509.Certificate
	interKey          *ecdsa.PrivateKey
	pool              *x509.CertPool // the root
}

const day = 24 * time.Hour

// newChainPKI mints a chain whose intermediate and leaf expire in
// interDays and leafDays days (and an hour) after testNow.
func newChainPKI(t *testing.T, interDays, leafDays int) chainPKI {
	p := newPKI(t)
	inter, key := mintCert(t, "Lab Intermediate", nil, testNow.Add(-300*day), testNow.Add(time.Duration(interDays)*day+time.Hour), true, p.ca, p.caKey)
	lf, _ := mintCert(t, "api.example.com", []string{"api.example.com"}, testNow.Add(-day), testNow.Add(time.Duration(leafDays)*day+time.Hour), false, inter, key)
	return chainPKI{root: p.ca, inter: inter, leaf: lf, interKey: key, pool: p.pool}
}

// verifyChain runs crypto/x509 as probe does, at testNow, with sent[1:]
// as intermediates; it returns the first chain built.
func verifyChain(t *testing.T, sent []*x509.Certificate, roots *x509.CertPool, name string) ([]*x509.Certificate, error) {
	t.Helper()
	inter := x509.NewCertPool()
	for _, c := range sent[1:] {
		inter.AddCert(c)
	}
	chains, err := sent[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: name, CurrentTime: testNow})
	if err != nil {
		return nil, err
	}
	return chains[0], nil
}

func tlsUpstream(raw, caFile string) *graph.Upstream {
	up := node("api", raw)
	up.TLS.CAFile = caFile
	return up
}

// tlsCase is the tls facts of target 10.0.0.7:443 of upstream api and the
// one finding diagnose must make of them (code "": none).
type tlsCase struct {
	name       string
	up         *graph.Upstream
	tr         *probe.TLSResult
	code       string
	severity   report.Severity
	message    []string       // substrings
	notMessage []string       // nor in the message
	evidence   map[string]any // nil: the key is absent
	steps      []string       // substrings of the remediation
	firstStep  string         // the prefix of the first step ("": any)
	notSteps   []string       // nor in any step
}

func (tc tlsCase) check(t *testing.T) {
	t.Helper()
	target := tlsTarget("10.0.0.7:443", tc.tr)
	if tc.tr.HandshakeErr == nil && tc.tr.VerifyErr == nil {
		target.HTTP = httpOK("10.0.0.7:443", 200).HTTP
	}
	rep := run(graphOf(tc.up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{target}})
	fs := findingsOf(rep, "api")
	if tc.code == "" {
		if len(fs) != 0 {
			t.Fatalf("findings %v, want none", codes(fs))
		}
		return
	}
	if len(fs) != 1 || fs[0].Code != tc.code || fs[0].Severity != tc.severity || fs[0].Layer != catalog.LayerTLS || fs[0].Target != "10.0.0.7:443" {
		t.Fatalf("findings %v, want one %s/%s in tls for 10.0.0.7:443", codes(fs), tc.code, tc.severity)
	}
	f := fs[0]
	t.Logf("%s: %s\n\t%s", f.Code, f.Message, strings.Join(f.Remediation, "\n\t"))
	mustContain(t, "message", f.Message, tc.message...)
	for _, n := range tc.notMessage {
		if strings.Contains(f.Message, n) {
			t.Errorf("message %q holds %q", f.Message, n)
		}
	}
	for k, v := range tc.evidence {
		got, ok := f.Evidence[k]
		if v == nil && ok {
			t.Errorf("evidence has %s = %v", k, got)
		}
		if v != nil && !equalEvidence(got, v) {
			t.Errorf("evidence %s = %#v, want %#v", k, got, v)
		}
	}
	if tc.firstStep != "" && (len(f.Remediation) == 0 || !strings.HasPrefix(f.Remediation[0], tc.firstStep)) {
		t.Errorf("steps %q, want the first to start with %q", f.Remediation, tc.firstStep)
	}
	steps := strings.Join(f.Remediation, "\n")
	mustContain(t, "remediation", steps, tc.steps...)
	for _, n := range tc.notSteps {
		if strings.Contains(steps, n) {
			t.Errorf("remediation holds %q:\n%s", n, steps)
		}
	}
}

// A lone leaf whose issuer the server did not send and no trusted root is,
// is an incomplete chain — named as such, with the issuer it lacks — when
// a ca_file holds the roots or the leaf points at its issuer's certificate
// (AIA). A lone leaf with neither is as likely signed by a private root
// directly: it stays "signed by X, not trusted". A server that sent the
// leaf and the CA certificates above it sent the chain as servers should:
// the CA it leads to is not trusted (a private root, a wrong ca_file), and
// trusting it is the first step. With a ca_file no step says to set it.
func TestIncompleteChainNamesTheMissingIssuer(t *testing.T) {
	c := newChainPKI(t, 400, 60)
	withAIA := *c.leaf
	withAIA.IssuingCertificateURL = []string{"http://ca.example.com/inter.crt"}
	// leaf ← inter2 ← inter, the server sends leaf and inter2 only.
	inter2, key2 := mintCert(t, "Lab Issuing CA 2", nil, testNow.Add(-day), testNow.Add(300*day), true, c.inter, c.interKey)
	leaf2, _ := mintCert(t, "api.example.com", []string{"api.example.com"}, testNow.Add(-day), testNow.Add(60*day), false, inter2, key2)
	// A whole private hierarchy sent, root included, that ca_file does not hold.
	other := newChainPKI(t, 400, 60)
	otherChain := []*x509.Certificate{other.leaf, other.inter, other.root}

	unknown := func(sent ...*x509.Certificate) *probe.TLSResult {
		_, err := verifyChain(t, sent, c.pool, "api.example.com")
		if err == nil {
			t.Fatal("the chain verified")
		}
		return &probe.TLSResult{PeerCertificates: sent, VerifyErr: err}
	}
	selfSigned, _ := mintCert(t, "api.example.com", []string{"api.example.com"}, testNow.Add(-day), testNow.Add(30*day), true, nil, nil)
	const caFile = "/etc/updoc/ca.pem"
	for _, tc := range []tlsCase{
		{name: "leaf only, root in ca_file", up: tlsUpstream("https://api.example.com/", caFile), tr: unknown(c.leaf),
			code: catalog.TLSUntrusted, severity: report.Fail,
			message:   []string{"certificate chain for api.example.com from 10.0.0.7:443 is incomplete: the server sent CN=api.example.com without its issuer, CN=Lab Intermediate, which is not in tls.ca_file (/etc/updoc/ca.pem) either"},
			evidence:  map[string]any{"missing_issuer": "CN=Lab Intermediate", "ca_file": caFile, "chain_length": 1, "chain": []string{"CN=api.example.com"}},
			steps:     []string{"send its intermediate certificates after the leaf", "openssl x509 -noout -issuer -ext authorityInfoAccess", "Only if the missing issuer is a root CA you trust"},
			firstStep: "Make the server send its intermediate certificates after the leaf",
			notSteps:  []string{"set tls.ca_file for api"}},
		{name: "leaf only, no ca_file, the leaf names its issuer's URL", up: tlsUpstream("https://api.example.com/", ""), tr: unknown(&withAIA),
			code: catalog.TLSUntrusted, severity: report.Fail,
			message:  []string{"is incomplete: the server sent CN=api.example.com without its issuer, CN=Lab Intermediate, which is not a trusted root either"},
			evidence: map[string]any{"missing_issuer": "CN=Lab Intermediate", "issuer_url": "http://ca.example.com/inter.crt", "ca_file": nil},
			steps:    []string{"send its intermediate certificates after the leaf"}},
		{name: "leaf and intermediate sent, no ca_file: the CA above is not trusted", up: tlsUpstream("https://api.example.com/", ""), tr: unknown(leaf2, inter2),
			code: catalog.TLSUntrusted, severity: report.Fail,
			message: []string{"certificate chain for api.example.com from 10.0.0.7:443 leads to CN=Lab Intermediate, which is not trusted: " +
				"the server sent CN=api.example.com → CN=Lab Issuing CA 2, issued by CN=Lab Intermediate (if that is an intermediate rather than a root, the server must send it too)"},
			notMessage: []string{"incomplete"},
			evidence:   map[string]any{"missing_issuer": nil, "untrusted_ca": "CN=Lab Intermediate", "chain_length": 2},
			firstStep:  "If the CA the chain ends at (see the message) is your organisation's private CA, trust it for this check: set tls.ca_file for api",
			notSteps:   []string{"Make the server send its intermediate certificates"}},
		{name: "leaf and intermediate sent, a ca_file with another root", up: tlsUpstream("https://api.example.com/", caFile), tr: unknown(leaf2, inter2),
			code: catalog.TLSUntrusted, severity: report.Fail,
			message:    []string{"leads to CN=Lab Intermediate, which is not in tls.ca_file (/etc/updoc/ca.pem): the server sent CN=api.example.com → CN=Lab Issuing CA 2"},
			notMessage: []string{"incomplete"},
			evidence:   map[string]any{"missing_issuer": nil, "untrusted_ca": "CN=Lab Intermediate", "ca_file": caFile},
			firstStep:  "The chain leads to none of the CAs in tls.ca_file of api (/etc/updoc/ca.pem)",
			notSteps:   []string{"set tls.ca_file for api", "Make the server send its intermediate certificates"}},
		{name: "lone leaf, no ca_file, no AIA: as likely a private root", up: tlsUpstream("https://api.example.com/", ""), tr: unknown(c.leaf),
			code: catalog.TLSUntrusted, severity: report.Fail,
			message:  []string{"certificate for api.example.com from 10.0.0.7:443 is signed by CN=Lab Intermediate (not sent by the server), which is not trusted"},
			evidence: map[string]any{"missing_issuer": nil},
			steps:    []string{"set tls.ca_file for api", "configure the full chain"}},
		{name: "a private hierarchy, root sent, not in ca_file", up: tlsUpstream("https://api.example.com/", caFile), tr: unknown(otherChain...),
			code: catalog.TLSUntrusted, severity: report.Fail,
			message:  []string{"is signed by CN=Lab Intermediate, which chains up to the root CN=updoc test CA (sent by the server), which is not in tls.ca_file (/etc/updoc/ca.pem)"},
			evidence: map[string]any{"missing_issuer": nil, "untrusted_ca": "CN=updoc test CA", "chain_length": 3},
			steps:    []string{"The chain leads to none of the CAs in tls.ca_file of api (/etc/updoc/ca.pem)", "-certfile /etc/updoc/ca.pem", "-CAfile /etc/updoc/ca.pem"},
			notSteps: []string{"set tls.ca_file for api"}},
		{name: "no system trust store, no ca_file", up: tlsUpstream("https://api.example.com/", ""),
			tr:   &probe.TLSResult{PeerCertificates: []*x509.Certificate{leaf2, inter2}, VerifyErr: x509.SystemRootsError{}},
			code: catalog.TLSUntrusted, severity: report.Fail,
			message:   []string{"certificate chain for api.example.com from 10.0.0.7:443 could not be verified: this host has no system trust store and tls.ca_file is not set"},
			evidence:  map[string]any{"system_roots": false},
			firstStep: "If the CA the chain ends at (see the message) is your organisation's private CA, trust it for this check: set tls.ca_file for api",
			steps:     []string{"update-ca-certificates"}},
		{name: "self-signed, with a ca_file", up: tlsUpstream("https://api.example.com/", caFile), tr: unknown(selfSigned),
			code: catalog.TLSUntrusted, severity: report.Fail,
			message:  []string{"is self-signed (CN=api.example.com)"},
			evidence: map[string]any{"self_signed": true, "ca_file": caFile},
			steps:    []string{"none of the CAs in tls.ca_file of api"},
			notSteps: []string{"set tls.ca_file for api"}},
	} {
		t.Run(tc.name, tc.check)
	}
}

// The expiry rules judge every certificate of the verified chain that the
// server sent (SPEC §3), and name the one that expires first: an
// intermediate the server sends, not a root from the trust store nor a
// certificate sent that the verified chain does not use.
func TestExpiryRulesJudgeTheSentVerifiedChain(t *testing.T) {
	c := newChainPKI(t, 5, 59)
	both := newChainPKI(t, 5, 3)
	late := newChainPKI(t, 400, 59)
	// A root that expires in 5 days: in the trust store, not sent.
	rootSoon, rootKey := mintCert(t, "Old Root", nil, testNow.Add(-3000*day), testNow.Add(5*day+time.Hour), true, nil, nil)
	leafUnderOld, _ := mintCert(t, "api.example.com", []string{"api.example.com"}, testNow.Add(-day), testNow.Add(59*day+time.Hour), false, rootSoon, rootKey)
	oldPool := x509.NewCertPool()
	oldPool.AddCert(rootSoon)
	// An extra certificate the server sends that expires in 5 days but
	// that the verified chain does not use (a stale cross-sign).
	stale, _ := mintCert(t, "Stale Cross-Sign", nil, testNow.Add(-3000*day), testNow.Add(5*day+time.Hour), true, nil, nil)

	verified := func(pool *x509.CertPool, sent ...*x509.Certificate) *probe.TLSResult {
		chain, err := verifyChain(t, sent, pool, "api.example.com")
		if err != nil {
			t.Fatal(err)
		}
		return &probe.TLSResult{PeerCertificates: sent, VerifiedChain: chain, Version: "TLS 1.3"}
	}
	up := tlsUpstream("https://api.example.com/", "")
	up.Expect.CertMinDays = 14
	noMin := tlsUpstream("https://api.example.com/", "")
	noMin.Expect.CertMinDays = 0
	insecure := tlsUpstream("https://api.example.com/", "")
	insecure.Expect.CertMinDays = 14
	insecure.TLS.InsecureSkipVerify = true

	for _, tc := range []tlsCase{
		{name: "intermediate expires in 5 days, leaf in 59", up: up, tr: verified(c.pool, c.leaf, c.inter),
			code: catalog.TLSCertExpiring, severity: report.Warn,
			message: []string{"intermediate CN=Lab Intermediate in the chain for api.example.com expires in 5 days (not_after 2026-11-30), " +
				"less than cert_min_days 14; the leaf is valid for 59 days more"},
			evidence: map[string]any{"certificate": "intermediate", "subject": "CN=Lab Intermediate", "days_left": 5, "cert_min_days": 14},
			steps:    []string{"-showcerts", "Replace the intermediate in the server's chain file", "lower expect.cert_min_days for api (now 14)"},
			notSteps: []string{"certbot renew --dry-run"}},
		{name: "leaf in 3 days, intermediate in 5: the leaf first, the other named", up: up, tr: verified(both.pool, both.leaf, both.inter),
			code: catalog.TLSCertExpiring, severity: report.Warn,
			message:  []string{"certificate for api.example.com expires in 3 days", "; the intermediate CN=Lab Intermediate expires in 5 days"},
			evidence: map[string]any{"certificate": "leaf", "days_left": 3},
			steps:    []string{"certbot renew --dry-run"}},
		{name: "root of the trust store expires, not sent", up: up, tr: verified(oldPool, leafUnderOld)},
		{name: "a sent certificate the verified chain does not use", up: up, tr: verified(late.pool, late.leaf, late.inter, stale)},
		{name: "cert_min_days 0", up: noMin, tr: verified(c.pool, c.leaf, c.inter)},
		{name: "insecure_skip_verify: the chain as sent", up: insecure,
			tr:   &probe.TLSResult{PeerCertificates: []*x509.Certificate{c.leaf, stale, c.inter}, Version: "TLS 1.3"},
			code: catalog.TLSCertExpiring, severity: report.Warn,
			message: []string{"intermediate CN=Lab Intermediate in the chain for api.example.com expires in 5 days"}},
	} {
		t.Run(tc.name, tc.check)
	}
}

// A certificate with a common name and no subjectAltName: hostname
// mismatch that says why — the name is only in the CN, which clients
// ignore — with the reissue step first, its SAN entry of the right kind.
func TestCommonNameOnlyCertificate(t *testing.T) {
	p := newPKI(t)
	cnOnly, _ := mintCert(t, "api.example.com", nil, testNow.Add(-day), testNow.Add(60*day), false, p.ca, p.caKey)
	cnIP, _ := mintCert(t, "10.0.0.7", nil, testNow.Add(-day), testNow.Add(60*day), false, p.ca, p.caKey)
	mismatch := func(c *x509.Certificate, name, sni string) *probe.TLSResult {
		_, err := verifyChain(t, []*x509.Certificate{c}, p.pool, name)
		return &probe.TLSResult{ServerName: name, SNI: sni, PeerCertificates: []*x509.Certificate{c}, VerifyErr: err}
	}
	for _, tc := range []tlsCase{
		{name: "host name", up: tlsUpstream("https://api.example.com/", ""), tr: mismatch(cnOnly, "api.example.com", "api.example.com"),
			code: catalog.TLSHostnameMismatch, severity: report.Fail,
			message: []string{"certificate from 10.0.0.7:443 names api.example.com only in its common name (CN) and has no subjectAltName; " +
				"modern clients ignore the common name", "so it covers no names, not api.example.com"},
			evidence: map[string]any{"common_name": "api.example.com", "server_name": "api.example.com"},
			steps:    []string{"Reissue the certificate with api.example.com in a subjectAltName", "-addext 'subjectAltName=DNS:api.example.com'", "-ext subjectAltName"},
			notSteps: []string{"set tls.server_name"}},
		{name: "IP address", up: tlsUpstream("https://10.0.0.7/", ""), tr: mismatch(cnIP, "10.0.0.7", ""),
			code: catalog.TLSHostnameMismatch, severity: report.Fail,
			message: []string{"names 10.0.0.7 only in its common name", "not 10.0.0.7"},
			steps:   []string{"-addext 'subjectAltName=IP:10.0.0.7'"}},
	} {
		t.Run(tc.name, tc.check)
	}
}
