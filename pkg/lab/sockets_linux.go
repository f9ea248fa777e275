//go:build linux

package lab

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// refusedPort reserves a loopback port on which every connect is refused,
// with no race: a TCP socket bound to 127.0.0.1:0 but never listening holds
// the port (nobody else can bind it), and since no listener exists the
// kernel answers every SYN with a RST (ECONNREFUSED). The socket is not a
// listening socket; closing it frees the port.
func refusedPort() (int, func() error, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, nil, os.NewSyscallError("socket", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		_ = syscall.Close(fd)
		return 0, nil, os.NewSyscallError("bind", err)
	}
	port, err := sockPort(fd)
	if err != nil {
		_ = syscall.Close(fd)
		return 0, nil, err
	}
	return port, closeFD(fd), nil
}

// blackholePort returns a loopback port whose connects time out: a socket
// listening with backlog 0 that is never accepted from. The lab fills its
// accept queue itself (one connection fits with backlog 0); from then on the
// kernel drops every further SYN (LISTENOVERFLOWS), so a connect only ends by
// its own timeout. Filling stops when TCP_INFO on the listener reports the
// queue full (tcpi_unacked = queue length > tcpi_sacked = backlog), or at
// the first filling dial that times out (e.g. with syncookies off, where
// even the first SYN is dropped). The held connections close with the socket.
func blackholePort() (int, func() error, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, nil, os.NewSyscallError("socket", err)
	}
	fail := func(err error) (int, func() error, error) {
		_ = syscall.Close(fd)
		return 0, nil, err
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return fail(os.NewSyscallError("bind", err))
	}
	if err := syscall.Listen(fd, 0); err != nil {
		return fail(os.NewSyscallError("listen", err))
	}
	port, err := sockPort(fd)
	if err != nil {
		return fail(err)
	}
	var fillers []net.Conn
	closeAll := func() error {
		for _, c := range fillers {
			_ = c.Close()
		}
		return os.NewSyscallError("close", syscall.Close(fd))
	}
	const maxFill = 8
	for i := range maxFill {
		wait := 50 * time.Millisecond // for the last filler's ACK to reach the queue
		if i == 0 {
			wait = 0
		}
		if acceptQueueFull(fd, wait) {
			return port, closeAll, nil
		}
		c, err := net.DialTimeout("tcp", addr(port), fillDialTimeout)
		if err == nil {
			fillers = append(fillers, c)
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return port, closeAll, nil // SYNs are dropped: connects time out
		}
		_ = closeAll()
		return 0, nil, fmt.Errorf("fill accept queue of 127.0.0.1:%d: %w", port, err)
	}
	_ = closeAll()
	return 0, nil, fmt.Errorf("accept queue of 127.0.0.1:%d never filled after %d connections", port, maxFill)
}

// acceptQueueFull polls TCP_INFO of the listening socket fd for up to wait.
// On a listener the kernel reports the accept queue length in tcpi_unacked
// and the backlog in tcpi_sacked; SYNs are dropped once length > backlog.
func acceptQueueFull(fd int, wait time.Duration) bool {
	deadline := time.Now().Add(wait)
	for {
		info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
		if err == nil && info.Unacked > info.Sacked {
			return true
		}
		if err != nil || !time.Now().Before(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
}

// fillDialTimeout bounds the one dial that must time out while filling the
// blackhole's accept queue (a loopback connect that is answered completes in
// microseconds).
const fillDialTimeout = 100 * time.Millisecond

func sockPort(fd int) (int, error) {
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		return 0, os.NewSyscallError("getsockname", err)
	}
	in4, ok := sa.(*syscall.SockaddrInet4)
	if !ok {
		return 0, fmt.Errorf("getsockname: unexpected address %T", sa)
	}
	return in4.Port, nil
}

func closeFD(fd int) func() error {
	return func() error { return os.NewSyscallError("close", syscall.Close(fd)) }
}
