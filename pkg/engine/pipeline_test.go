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
	"sync/atomic"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// The pipeline end to end on loopback: facts gathered by probe, judged by
// diagnose, through engine.Run.

// e2eOpts are engine options whose system resolver reads an empty hosts
// file and a resolv.conf naming a loopback port where nothing listens.
func e2eOpts(t *testing.T) engine.Options {
	t.Helper()
	dir := t.TempDir()
	hosts := filepath.Join(dir, "hosts")
	resolv := filepath.Join(dir, "resolv.conf")
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := pc.LocalAddr().String()
	pc.Close()
	for p, c := range map[string]string{hosts: "# empty\n", resolv: "nameserver " + closed + "\n"} {
		if err := os.WriteFile(p, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return engine.Options{HostsPath: hosts, ResolvConfPath: resolv}
}

// e2eUpstream is the upstream "svc" of raw with the graph's defaults
// (graph.FromURLs applies them) but a 500 ms timeout.
func e2eUpstream(t *testing.T, raw string) *graph.Upstream {
	t.Helper()
	g, err := graph.FromURLs([]string{raw})
	if err != nil {
		t.Fatal(err)
	}
	u := g.Upstreams[0]
	u.Name = "svc"
	u.Timeout = 500 * time.Millisecond
	return u
}

func diagnoseOne(t *testing.T, opts engine.Options, u *graph.Upstream) report.Upstream {
	t.Helper()
	g := &graph.Graph{File: "updoc.yaml", Version: 1, Upstreams: []*graph.Upstream{u}}
	rep := engine.Run(context.Background(), g, opts, nil)
	if len(rep.Upstreams) != 1 {
		t.Fatalf("report has %d upstreams", len(rep.Upstreams))
	}
	return rep.Upstreams[0]
}

// A redirect to a closed port: the finding names the address that refused
// (not the target) and the redirect, and its commands use that address.
func TestRedirectFailureNamesTheFailedAddress(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	_, closedPort, _ := net.SplitHostPort(closed)

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+closed+"/ok", http.StatusFound)
	}))
	defer srv.Close()
	target := srv.Listener.Addr().String()

	u := diagnoseOne(t, e2eOpts(t), e2eUpstream(t, "http://"+target+"/cross"))
	if len(u.Findings) != 1 || u.Findings[0].Code != "tcp.refused" {
		t.Fatalf("findings = %+v", u.Findings)
	}
	f := u.Findings[0]
	want := fmt.Sprintf("%s refused the connection (during http, after following the redirect from %s to http://%s/ok)", closed, target, closed)
	if f.Message != want {
		t.Errorf("message\n got %q\nwant %q", f.Message, want)
	}
	if f.Target != target || f.Evidence["address"] != closed {
		t.Errorf("target %q evidence %v", f.Target, f.Evidence)
	}
	if !strings.Contains(f.Remediation[0], "nc -vz 127.0.0.1 "+closedPort) {
		t.Errorf("first step %q does not check %s", f.Remediation[0], closed)
	}
	for _, s := range f.Remediation {
		if _, p, _ := net.SplitHostPort(target); strings.Contains(s, " "+p) {
			t.Errorf("a step names the target's port %s: %q", p, s)
		}
	}
}

// startZone serves h.test. A 127.0.0.1 and NXDOMAIN for anything else, on
// a loopback UDP port.
func startZone(t *testing.T) string {
	t.Helper()
	return testserver.DNS(t, false, testserver.Zone(t, []string{"h.test. 60 IN A 127.0.0.1"}, nil))
}

// Targets that name hosts are resolved through the upstream's resolvers:
// the one that resolves is probed at its address with the URL's Host; the
// one that does not is a dns finding of that target, never a tcp one.
func TestTargetNamesEndToEnd(t *testing.T) {
	var host atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host.Store(r.Host)
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	zone := startZone(t)

	up := e2eUpstream(t, "http://example.invalid:"+port+"/ok")
	up.Targets = []string{"h.test:" + port, "gone.test:" + port}
	up.Resolvers = []graph.Resolver{{Kind: "udp", Addr: zone}}
	u := diagnoseOne(t, e2eOpts(t), up)

	if h, _ := host.Load().(string); h != "example.invalid:"+port {
		t.Errorf("Host = %q", h)
	}
	var dnsF []report.Finding
	for _, f := range u.Findings {
		if f.Layer == "tcp" || strings.HasPrefix(f.Code, "tcp.") {
			t.Errorf("tcp finding: %+v", f)
		}
		if strings.HasPrefix(f.Code, "dns.") {
			dnsF = append(dnsF, f)
		}
	}
	if len(dnsF) != 1 || dnsF[0].Code != "dns.nxdomain" || dnsF[0].Target != "gone.test:"+port {
		t.Fatalf("dns findings = %+v (all: %+v)", dnsF, u.Findings)
	}
	// The other target answered 200: nothing else is wrong but that one
	// replica is down.
	for _, f := range u.Findings {
		if f.Code != "dns.nxdomain" && f.Code != "load.replica_down" {
			t.Errorf("unexpected finding %s: %s", f.Code, f.Message)
		}
	}
	if !strings.Contains(dnsF[0].Message, "gone.test.") || strings.Contains(dnsF[0].Message, "example.invalid") {
		t.Errorf("message %q", dnsF[0].Message)
	}
	if u.Targets[0].HTTP == nil || u.Targets[0].HTTP.StatusCode != 200 || u.Targets[1].TCP != nil {
		t.Errorf("targets = %+v", u.Targets)
	}
}

// A TLS 1.3 server that requires a client certificate, probed without one:
// the tls layer fails with the client-certificate diagnosis (not an http
// server error with tls=pass).
func TestClientCertRequiredEndToEnd(t *testing.T) {
	c, err := ca.New("e2e CA")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := c.Issue(ca.Leaf{Names: []string{"svc.test"}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: c.Pool(), MinVersion: tls.VersionTLS13}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, c.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	up := e2eUpstream(t, "https://svc.test:"+port+"/")
	up.Targets = []string{srv.Listener.Addr().String()}
	up.TLS.CAFile = caFile
	u := diagnoseOne(t, e2eOpts(t), up)
	if len(u.Findings) != 1 || u.Findings[0].Code != "tls.handshake_failed" {
		t.Fatalf("findings = %+v", u.Findings)
	}
	f := u.Findings[0]
	if u.Layers.TLS != report.LFail || u.Layers.HTTP != report.Skip || f.Evidence["client_cert_requested"] != true {
		t.Errorf("layers %+v evidence %v", u.Layers, f.Evidence)
	}
	if !strings.Contains(f.Message, "requires a client certificate and none was presented") ||
		!strings.Contains(f.Remediation[0], "tls.cert_file and tls.key_file") {
		t.Errorf("message %q first step %q", f.Message, f.Remediation[0])
	}
}
