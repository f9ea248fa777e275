package engine_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// TestCertMinDaysFromTheGraphFile: a certificate with 3 days left, served
// for real, judged with the cert_min_days the graph file gives — 0 means 0
// (no tls.cert_expiring), an absent key the default, 14 (a warning naming
// 14). The value travels from the file through the engine untouched.
func TestCertMinDaysFromTheGraphFile(t *testing.T) {
	c, err := ca.New("cert_min_days CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := c.Issue(ca.Leaf{Names: []string{"svc.test"}, NotAfter: time.Now().Add(3*24*time.Hour + time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "ok") }))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the tls layer's handshake-only connections
	srv.StartTLS()
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, c.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name     string
		expect   string // the upstream's expect block
		expiring bool
	}{
		{"cert_min_days: 0", "expect: {cert_min_days: 0}", false},
		{"default", "", true},
		{"cert_min_days: 2", "expect: {cert_min_days: 2}", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
			file := fmt.Sprintf("version: 1\nupstreams:\n  svc:\n    url: https://svc.test:%s/\n    targets: [%q]\n    samples: 0\n    tls: {ca_file: %q}\n    %s\n",
				port, srv.Listener.Addr().String(), caFile, tt.expect)
			g, err := graph.Load("updoc.yaml", []byte(file), func(string) (string, bool) { return "", false })
			if err != nil {
				t.Fatal(err)
			}
			rep := engine.Run(context.Background(), g, e2eOpts(t), nil)
			u := rep.Upstream("svc")
			if u == nil {
				t.Fatal("no upstream svc in the report")
			}
			var codes []string
			expiring := false
			for _, f := range u.Findings {
				codes = append(codes, f.Code)
				if f.Code == "tls.cert_expiring" {
					expiring = true
					if !strings.Contains(f.Message, "expires in 3 days") || !strings.Contains(f.Message, "cert_min_days 14") {
						t.Errorf("message %q", f.Message)
					}
				}
			}
			if expiring != tt.expiring || len(codes) > 1 {
				t.Fatalf("findings %v; want tls.cert_expiring: %v and nothing else", codes, tt.expiring)
			}
			if want := report.Healthy; !tt.expiring && u.Status != want {
				t.Errorf("status %s, want %s", u.Status, want)
			}
		})
	}
}
