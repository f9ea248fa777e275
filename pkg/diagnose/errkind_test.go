package diagnose

import (
	"crypto/tls"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// A RecordHeaderError produced by crypto/tls itself, talking to a server
// that answers in plain HTTP.
func TestRealRecordHeaderError(t *testing.T) {
	c1, c2 := net.Pipe()
	defer c1.Close()
	go func() {
		defer c2.Close()
		buf := make([]byte, 4096)
		_, _ = c2.Read(buf) // the ClientHello
		_, _ = c2.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
	}()
	_ = c1.SetDeadline(time.Now().Add(5 * time.Second))
	err := tls.Client(c1, &tls.Config{ServerName: "api.example.com"}).Handshake()
	if err == nil {
		t.Fatal("handshake with a plain HTTP server succeeded")
	}
	tr := tlsTarget("127.0.0.1:8443", &probe.TLSResult{HandshakeErr: err})
	rep := run(graphOf(node("api", "https://api.example.com:8443/")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tr}})
	f, ok := findCode(findingsOf(rep, "api"), catalog.TLSHandshakeFailed)
	if !ok || f.Evidence["plain_http"] != true {
		t.Fatalf("findings %+v (err %T %v)", findingsOf(rep, "api"), err, err)
	}
}

// The type-based classification works on a real refused connect.
func TestRealRefusedConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err == nil {
		conn.Close()
		t.Skip("something reopened the port")
	}
	if !errorsIsRefused(err) {
		t.Fatalf("dial error %T %v is not ECONNREFUSED", err, err)
	}
	_, port, _ := net.SplitHostPort(addr)
	up := node("local", "http://127.0.0.1:"+port+"/health")
	rep := run(graphOf(up), probe.Result{Upstream: "local", Targets: []probe.TargetResult{{
		Address: addr, TCP: &probe.TCPResult{Duration: time.Since(start), Err: err},
	}}})
	u := upstreamOf(t, rep, "local")
	if len(u.Findings) != 1 {
		t.Fatalf("findings %v", codes(u.Findings))
	}
	f := u.Findings[0]
	if f.Code != catalog.TCPRefused || f.Target != addr || f.Severity != report.Fail || f.Layer != "tcp" {
		t.Errorf("finding %+v", f)
	}
	if f.Message != addr+" refused the connection" {
		t.Errorf("message %q", f.Message)
	}
	if u.Targets[0].TCP.Error != "connection refused" || u.Targets[0].TCP.Status != report.LFail || u.Targets[0].Status != report.Unhealthy {
		t.Errorf("target %+v tcp %+v", u.Targets[0], u.Targets[0].TCP)
	}
	mustContain(t, "remediation", strings.Join(f.Remediation, "\n"), "nc -vz 127.0.0.1 "+port, "ss -ltnp 'sport = :"+port+"'")
}

func errorsIsRefused(err error) bool {
	return classify(err) == kindRefused && errors.Is(err, syscall.ECONNREFUSED)
}

// A connect this host refused itself — a blackhole route (EINVAL), a
// prohibit route (EACCES), a local firewall rule (EPERM) — means the address
// cannot be reached from here; the same errnos outside a connect mean
// nothing of the kind.
func TestLocallyRefusedConnectIsUnreachable(t *testing.T) {
	dial := func(errno syscall.Errno) error {
		return &net.OpError{Op: "dial", Net: "udp", Err: &os.SyscallError{Syscall: "connect", Err: errno}}
	}
	for _, tt := range []struct {
		err  error
		want errKind
	}{
		{dial(syscall.EINVAL), kindUnreachable},
		{dial(syscall.EACCES), kindUnreachable},
		{dial(syscall.EPERM), kindUnreachable},
		{dial(syscall.ENETUNREACH), kindUnreachable},
		{&net.OpError{Op: "read", Net: "tcp", Err: &os.SyscallError{Syscall: "read", Err: syscall.EINVAL}}, kindOther},
		{syscall.EACCES, kindOther},
	} {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("classify(%v) = %s, want %s", tt.err, got, tt.want)
		}
	}
}
