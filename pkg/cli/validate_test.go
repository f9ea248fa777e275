package cli

import (
	"context"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestInvalidGraphsExit2FromValidateAndCheck(t *testing.T) {
	for file, want := range invalidGraphs(t) {
		for _, cmd := range []string{"validate", "check"} {
			t.Run(cmd+"/"+filepath.Base(file), func(t *testing.T) {
				r := run(t, context.Background(), nil, "", cmd, "-f", file)
				if r.code != ExitInvalid {
					t.Fatalf("exit %d, want 2; stderr:\n%s", r.code, r.stderr)
				}
				if !strings.Contains(r.stderr, want) {
					t.Fatalf("stderr does not hold the expected error\nwant: %s\ngot:  %s", want, r.stderr)
				}
				if r.stdout != "" {
					t.Fatalf("stdout not empty: %q", r.stdout)
				}
			})
		}
	}
}

// TestValidateTouchesNoNetwork points a graph at a resolver and servers this
// test owns and proves validate neither asks a DNS question nor connects.
func TestValidateTouchesNoNetwork(t *testing.T) {
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	port := tcp.Addr().(*net.TCPAddr).Port
	graphFile := writeFile(t, "g.yaml", `version: 1
defaults:
  resolvers: ["udp://`+udp.LocalAddr().String()+`", "tcp://`+tcp.Addr().String()+`"]
upstreams:
  web:
    url: http://web.example.test:`+strconv.Itoa(port)+`/healthz
  direct:
    url: https://127.0.0.1:`+strconv.Itoa(port)+`/
  db:
    url: tcp://127.0.0.1:`+strconv.Itoa(port)+`
`)
	r := run(t, context.Background(), nil, "", "validate", "-f", graphFile)
	if r.code != 0 {
		t.Fatalf("validate exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "valid, 3 upstreams") {
		t.Fatalf("stdout: %q", r.stdout)
	}
	// Anything validate sent would be waiting now.
	_ = udp.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if n, from, err := udp.ReadFrom(make([]byte, 512)); err == nil {
		t.Fatalf("validate sent a %d-byte DNS packet from %s", n, from)
	}
	_ = tcp.(*net.TCPListener).SetDeadline(time.Now().Add(200 * time.Millisecond))
	if c, err := tcp.Accept(); err == nil {
		c.Close()
		t.Fatalf("validate opened a connection from %s", c.RemoteAddr())
	}
}

// 500 upstreams are one short line: the count and the first few names.
func TestValidateSummarisesManyUpstreams(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nupstreams:\n")
	for i := range 500 {
		b.WriteString("  svc" + strconv.Itoa(1000 + i)[1:] + ": {url: \"tcp://127.0.0.1:1\"}\n")
	}
	r := run(t, context.Background(), nil, b.String(), "validate", "-f", "-")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 || len(r.stdout) > 200 ||
		!strings.Contains(r.stdout, "500 upstreams: svc000, svc001, ") || !strings.Contains(r.stdout, "… and 490 more") {
		t.Errorf("exit %d, stdout (%d bytes):\n%s", r.code, len(r.stdout), r.stdout)
	}
}
