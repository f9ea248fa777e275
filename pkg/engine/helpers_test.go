package engine_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// runFile loads a graph file (env: its environment, nothing else) and runs
// it with opts.
func runFile(t *testing.T, opts engine.Options, file string, env map[string]string) report.Report {
	t.Helper()
	g, err := graph.Load(filepath.Join(t.TempDir(), "updoc.yaml"), []byte(file), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	return engine.Run(context.Background(), g, opts, nil)
}

// runHealthChecks runs one upstream per name, GET http://ADDR/health on
// its address, without samples and with a 500ms timeout.
func runHealthChecks(t *testing.T, addrs map[string]string) report.Report {
	t.Helper()
	names := make([]string, 0, len(addrs))
	for name := range addrs {
		names = append(names, name)
	}
	slices.Sort(names)
	var file strings.Builder
	file.WriteString("version: 1\ndefaults: {samples: 0, timeout: 500ms}\nupstreams:\n")
	for _, name := range names {
		fmt.Fprintf(&file, "  %s: {url: \"http://%s/health\"}\n", name, addrs[name])
	}
	return runFile(t, e2eOpts(t), file.String(), nil)
}

// withHosts is opts whose system resolver finds names at 127.0.0.1 in its
// hosts file.
func withHosts(t *testing.T, opts engine.Options, names ...string) engine.Options {
	t.Helper()
	opts.HostsPath = filepath.Join(t.TempDir(), "hosts")
	if err := os.WriteFile(opts.HostsPath, []byte("127.0.0.1 "+strings.Join(names, " ")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return opts
}

// onlyFindingOf is the one finding of upstream name in rep (see onlyFinding).
func onlyFindingOf(t *testing.T, rep report.Report, name string) report.Finding {
	t.Helper()
	u := rep.Upstream(name)
	if u == nil {
		t.Fatalf("no upstream %s in the report", name)
	}
	return onlyFinding(t, *u, "")
}

// wantFinding checks a finding's code, severity, layer, target and the
// decisive words of its message.
func wantFinding(t *testing.T, f report.Finding, code string, sev report.Severity, layer, target string, words ...string) {
	t.Helper()
	if f.Code != code || f.Severity != sev || string(f.Layer) != layer || f.Target != target {
		t.Errorf("got %s %s %s %q, want %s %s %s %q (%s)", f.Code, f.Severity, f.Layer, f.Target, code, sev, layer, target, f.Message)
	}
	for _, w := range words {
		if !strings.Contains(f.Message, w) {
			t.Errorf("message %q does not say %q", f.Message, w)
		}
	}
}

// testCA is an in-memory CA and the PEM file of its certificate (for
// tls.ca_file).
type testCA struct {
	*ca.CA
	file string
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	c, err := ca.New("updoc engine test CA")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, c.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return &testCA{CA: c, file: file}
}

// cert issues the certificate leaf describes.
func (c *testCA) cert(t *testing.T, leaf ca.Leaf) tls.Certificate {
	t.Helper()
	cert, err := c.Issue(leaf)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// tlsServer serves h over TLS with cert on 127.0.0.1, its log silenced
// (the tls layer's handshake-only connections), and returns its address.
func tlsServer(t *testing.T, cert tls.Certificate, h http.Handler) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

// onlyFinding is the one finding of u, of code ("" for any code); it fails
// the test when u has another number of findings or another code.
func onlyFinding(t *testing.T, u report.Upstream, code string) report.Finding {
	t.Helper()
	if len(u.Findings) != 1 || code != "" && u.Findings[0].Code != code {
		var got []string
		for _, f := range u.Findings {
			got = append(got, f.Code+": "+f.Message)
		}
		t.Fatalf("findings %q, want exactly one %s", got, code)
	}
	f := u.Findings[0]
	t.Logf("%s %s: %s\n\t%s", f.Code, f.Severity, f.Message, strings.Join(f.Remediation, "\n\t"))
	return f
}
