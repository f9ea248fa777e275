package probe

import (
	"context"
	"net"
	"syscall"
	"testing"
)

// A probe's TCP connection has no keep-alive (issue 11: four setsockopt
// calls per connect, for probes that would never fire).
func TestDialedConnectionHasNoKeepAlive(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := (&plan{}).dialTCP(context.Background(), ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	raw, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	keepAlive := -1
	var serr error
	if err := raw.Control(func(fd uintptr) {
		keepAlive, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
	}); err != nil || serr != nil {
		t.Fatal(err, serr)
	}
	if keepAlive != 0 {
		t.Errorf("SO_KEEPALIVE = %d on a probe's connection, want 0", keepAlive)
	}
}
