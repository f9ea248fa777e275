package engine_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/lab/ca"
	"github.com/updoc/updoc/pkg/report"
)

// Issue 9 case 13: a TLS server that offers only h2 (gRPC style) is
// healthy over HTTP/2, and the JSON says proto; a cleartext server that
// speaks only h2c is http.protocol_error saying so — before: both
// http.server_error "closed without a response".
func TestHTTP2OnlyServers(t *testing.T) {
	c := newTestCA(t)
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "SERVING") })
	h2 := testserver.H2Only(t, c.cert(t, ca.Leaf{Names: []string{"grpc.test"}}), ok)
	h2c := testserver.H2COnly(t, ok)
	_, h2Port, _ := net.SplitHostPort(h2)
	_, h2cPort, _ := net.SplitHostPort(h2c)
	// The latency samples speak HTTP/2 too.
	rep := runFile(t, withHosts(t, e2eOpts(t), "grpc.test"), fmt.Sprintf(`version: 1
defaults: {samples: 3, timeout: 500ms}
upstreams:
  tls:
    url: "https://grpc.test:%s/healthz"
    tls: {ca_file: %q}
    expect: {body_contains: SERVING}
  cleartext: {url: "http://grpc.test:%s/healthz"}
`, h2Port, c.file, h2cPort), nil)

	u := rep.Upstream("tls")
	if u.Status != report.Healthy || len(u.Findings) != 0 {
		t.Fatalf("tls: %s %+v", u.Status, u.Findings)
	}
	if h := u.Targets[0].HTTP; h.Proto != "HTTP/2.0" || u.Targets[0].TLS.ALPN != "h2" {
		t.Errorf("proto %q alpn %q", h.Proto, u.Targets[0].TLS.ALPN)
	}
	if l := u.Targets[0].LatencyMS; l == nil || l.Samples != 3 {
		t.Errorf("latency over HTTP/2: %+v", l)
	}
	js, err := json.Marshal(u.Targets[0].HTTP)
	if err != nil || !strings.Contains(string(js), `"proto":"HTTP/2.0"`) {
		t.Errorf("JSON http object %s (%v)", js, err)
	}

	f := onlyFindingOf(t, rep, "cleartext")
	wantFinding(t, f, "http.protocol_error", report.Fail, "http", h2c, "speaks only HTTP/2 cleartext (h2c, prior knowledge)")
	if len(f.Remediation) == 0 || !strings.Contains(f.Remediation[0], "--http2-prior-knowledge") {
		t.Errorf("steps %q", f.Remediation)
	}
}
