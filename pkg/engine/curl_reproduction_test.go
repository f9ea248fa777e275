package engine_test

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/engine"
)

// The curl step of a finding sends what updoc sent: run in bash against the
// same loopback server, it makes a request with the same method, path, body
// and configured headers (the token from $TOKEN, never in the step's text).
func TestCurlStepReproducesTheRequestUpdocSent(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	url, seen := testserver.Recording(t, http.StatusServiceUnavailable, "down for maintenance")
	const token = "s3cr3t-t0ken-value"
	file := `version: 1
upstreams:
  orders:
    url: ` + url + `/v1/orders?dry_run=1
    method: POST
    headers:
      Authorization: Bearer ${TOKEN}
      X-Request-Source: updoc check
    body: '{"order": "probe", "note": "it''s $$5"}'
    samples: 0
`
	rep := runFile(t, engine.Options{}, file, map[string]string{"TOKEN": token})
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
	for _, want := range []string{"-X POST", `-H "Authorization: Bearer $TOKEN"`, "--data "} {
		if !strings.Contains(command, want) {
			t.Errorf("the curl step lacks %s: %s", want, command)
		}
	}
	if strings.Contains(command, token) || strings.Contains(command, "--resolve") {
		t.Errorf("the curl step shows the token or maps an IP literal: %s", command)
	}

	sentByUpdoc := seen()
	if len(sentByUpdoc) != 1 {
		t.Fatalf("updoc sent %d requests, want 1", len(sentByUpdoc))
	}
	cmd := exec.Command("bash", "-c", command)
	cmd.Env = append(os.Environ(), "TOKEN="+token)
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
	// Connection and Accept-Encoding are the transports' own business.
	for name := range updoc.Header {
		if _, ok := curl.Header[name]; !ok && name != "Accept-Encoding" && name != "Connection" {
			t.Errorf("updoc sent header %s, curl did not (%v)", name, curl.Header)
		}
	}
}
