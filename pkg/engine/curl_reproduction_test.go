package engine_test

import (
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// The curl step of a finding sends what updoc sent: run in bash against the
// same loopback server, it makes a request with the same method, path, body
// and configured headers (the token from $TOKEN, never in the step's text),
// and the same query (QA B3: the key from $QKEY, where the step showed
// key=[redacted] before).
func TestCurlStepReproducesTheRequestUpdocSent(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	url, seen := testserver.Recording(t, http.StatusServiceUnavailable, "down for maintenance")
	const token, qkey = "s3cr3t-t0ken-value", "q-k3y-value"
	file := `version: 1
upstreams:
  orders:
    url: ` + url + `/v1/orders?dry_run=1&key=${QKEY}
    method: POST
    headers:
      Authorization: Bearer ${TOKEN}
      X-Request-Source: updoc check
    body: '{"order": "probe", "note": "it''s $$5"}'
    samples: 0
`
	rep := runFile(t, engine.Options{}, file, map[string]string{"TOKEN": token, "QKEY": qkey})
	f := onlyFindingOf(t, rep, "orders")
	if f.Code != catalog.HTTPUnavailable {
		t.Fatalf("finding %s, want %s: %s", f.Code, catalog.HTTPUnavailable, f.Message)
	}
	var command string
	for _, step := range f.Remediation {
		if _, c := catalog.SplitStep(step); strings.HasPrefix(c, "curl ") {
			command = c
			break
		}
	}
	if command == "" {
		t.Fatalf("no curl step in %q", f.Remediation)
	}
	for _, want := range []string{"-X POST", `-H "Authorization: Bearer $TOKEN"`, "--data ", `/v1/orders?dry_run=1&key=$QKEY"`} {
		if !strings.Contains(command, want) {
			t.Errorf("the curl step lacks %s: %s", want, command)
		}
	}
	if strings.Contains(command, token) || strings.Contains(command, qkey) || strings.Contains(command, "[redacted]") || strings.Contains(command, "--resolve") {
		t.Errorf("the curl step shows a secret, [redacted] or maps an IP literal: %s", command)
	}

	sentByUpdoc := seen()
	if len(sentByUpdoc) != 1 {
		t.Fatalf("updoc sent %d requests, want 1", len(sentByUpdoc))
	}
	cmd := exec.Command("bash", "-c", command)
	cmd.Env = append(os.Environ(), "TOKEN="+token, "QKEY="+qkey)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
	all := seen()
	if len(all) != 2 {
		t.Fatalf("the curl step sent %d requests, want 1", len(all)-1)
	}
	updoc, curl := all[0], all[1]
	if curl.Method != updoc.Method || curl.Path != updoc.Path || curl.Body != updoc.Body {
		t.Errorf("curl sent %s %s %q, updoc %s %s %q", curl.Method, curl.Path, curl.Body, updoc.Method, updoc.Path, updoc.Body)
	}
	for _, name := range []string{"Authorization", "X-Request-Source"} {
		if curl.Header.Get(name) != updoc.Header.Get(name) {
			t.Errorf("header %s: curl sent %q, updoc %q", name, curl.Header.Get(name), updoc.Header.Get(name))
		}
	}
	// The same header names (QA B5: curl's --data added Content-Type:
	// application/x-www-form-urlencoded, which updoc does not send).
	if got, want := headerNames(curl.Header), headerNames(updoc.Header); !slices.Equal(got, want) {
		t.Errorf("curl sent the headers %q, updoc %q", got, want)
	}
}

// headerNames are the names of h, sorted, but for those that are the
// transports' own business (Connection, Accept-Encoding) and curl's
// "Accept: */*", which says what no Accept says (RFC 9110 §12.5.1).
func headerNames(h http.Header) []string {
	var out []string
	for name := range h {
		switch name {
		case "Connection", "Accept-Encoding":
			continue
		case "Accept":
			if h.Get(name) == "*/*" {
				continue
			}
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// sniRequest is what a TLS server recording requests was sent: the SNI of
// the connection, the Host header and the path.
type sniRequest struct{ SNI, Host, Path string }

// recordingTLS serves 503 over TLS with cert on 127.0.0.1 and records
// each request with the SNI of its connection; it returns the address and
// the requests so far.
func recordingTLS(t *testing.T, cert tls.Certificate) (string, func() []sniRequest) {
	t.Helper()
	var mu sync.Mutex
	var reqs []sniRequest
	addr := tlsServer(t, cert, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reqs = append(reqs, sniRequest{r.TLS.ServerName, r.Host, r.URL.RequestURI()})
		mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "down for maintenance")
	}))
	return addr, func() []sniRequest {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(reqs)
	}
}

// curlStepOf is the command of f's first curl step.
func curlStepOf(t *testing.T, f report.Finding) string {
	t.Helper()
	for _, step := range f.Remediation {
		if _, c := catalog.SplitStep(step); strings.HasPrefix(c, "curl ") {
			return c
		}
	}
	t.Fatalf("no curl step in %q", f.Remediation)
	return ""
}

// runStep runs command in bash with env added (and no proxy variables of
// the machine's) and returns its output; a failure fails the test.
func runStep(t *testing.T, command string, env ...string) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", command)
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); !strings.HasSuffix(strings.ToLower(name), "_proxy") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
	return string(out)
}

// QA B2: updoc asked https://127.0.0.1:PORT with the server name svc.test
// (tls.server_name): the curl step asks for https://svc.test:PORT
// --connect-to 127.0.0.1:PORT, so curl sends the SNI svc.test and verifies
// the certificate for it, with the Host header updoc sent; it gets the
// same answer. Before: curl asked https://127.0.0.1:PORT and failed to
// verify the certificate (exit 60) — with -k, it still sent no SNI.
func TestCurlStepSendsTheServerNameUpdocSent(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	c := newTestCA(t)
	addr, seen := recordingTLS(t, c.cert(t, ca.Leaf{Names: []string{"svc.test"}}))
	_, port, _ := net.SplitHostPort(addr)
	file := `version: 1
upstreams:
  sni:
    url: https://` + addr + `/pool
    samples: 0
    tls: {server_name: svc.test, ca_file: ` + c.file + `}
`
	rep := runFile(t, engine.Options{}, file, nil)
	f := onlyFindingOf(t, rep, "sni")
	if f.Code != catalog.HTTPUnavailable {
		t.Fatalf("finding %s, want %s: %s", f.Code, catalog.HTTPUnavailable, f.Message)
	}
	command := curlStepOf(t, f)
	for _, want := range []string{"--connect-to svc.test:" + port + ":" + addr, "https://svc.test:" + port + "/pool"} {
		if !strings.Contains(command, want) {
			t.Errorf("the curl step lacks %s: %s", want, command)
		}
	}
	out := runStep(t, command)
	if !strings.Contains(out, " 503") {
		t.Errorf("curl did not get the 503 updoc got:\n%s", out)
	}
	all := seen()
	if len(all) < 2 {
		t.Fatalf("the server saw %d requests, want updoc's and curl's", len(all))
	}
	updoc, curl := all[0], all[len(all)-1]
	if curl != updoc {
		t.Errorf("curl sent SNI %q Host %q %s, updoc SNI %q Host %q %s", curl.SNI, curl.Host, curl.Path, updoc.SNI, updoc.Host, updoc.Path)
	}
}
