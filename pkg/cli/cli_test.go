package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
)

type result struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
}

// run executes updoc with args the way main does, with env as the environment.
func run(t *testing.T, ctx context.Context, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	in.WriteString(stdin)
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	root := NewRootCmd(ios, lookup)
	root.SetArgs(args)
	start := time.Now()
	err := root.ExecuteContext(ctx)
	code := exitCode(ios, err)
	return result{code: code, stdout: out.String(), stderr: errOut.String(), elapsed: time.Since(start)}
}

func decodeReport(t *testing.T, s string) report.Report {
	t.Helper()
	var r report.Report
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("stdout is not an updoc.report/v1 document: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("stdout holds more than one JSON document:\n%s", s)
	}
	if r.Schema != report.Schema {
		t.Fatalf("schema = %q", r.Schema)
	}
	return r
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// invalidGraphs lists testdata/graphs/invalid-*.yaml with the error each must give.
func invalidGraphs(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/graphs/invalid-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid graphs found: %v", err)
	}
	want := map[string]string{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(fh).ReadString('\n')
		fh.Close()
		w, ok := strings.CutPrefix(strings.TrimSpace(line), "# want: ")
		if !ok {
			t.Fatalf("%s: first line must be '# want: LINE:COLUMN: message'", f)
		}
		want[f] = f + ":" + w
	}
	return want
}

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
