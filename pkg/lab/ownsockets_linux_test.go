//go:build linux

package lab

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// ownPorts returns the loopback ports bound by sockets this test process
// holds open, as "tcp:PORT" and "udp:PORT" (IPv4 and IPv6 alike). Only this
// process's own sockets count (their inodes, from /proc/self/fd, joined
// with /proc/net/{tcp,tcp6,udp,udp6}): a port another process — another
// test package running at the same time — binds meanwhile is not ours.
func ownPorts(t *testing.T) map[string]bool {
	t.Helper()
	inodes := map[string]bool{}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err != nil {
			continue // closed meanwhile
		}
		if inode, ok := strings.CutPrefix(link, "socket:["); ok {
			inodes[strings.TrimSuffix(inode, "]")] = true
		}
	}
	out := map[string]bool{}
	for _, proto := range []string{"tcp", "tcp6", "udp", "udp6"} {
		b, err := os.ReadFile("/proc/net/" + proto)
		if err != nil {
			continue // no IPv6 here
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 10 || !inodes[f[9]] {
				continue
			}
			i := strings.LastIndexByte(f[1], ':')
			if i < 0 {
				continue
			}
			port, err := strconv.ParseInt(f[1][i+1:], 16, 32)
			if err != nil {
				continue
			}
			out[strings.TrimSuffix(proto, "6")+":"+strconv.Itoa(int(port))] = true
		}
	}
	return out
}
