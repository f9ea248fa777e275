//go:build !linux

package lab

import "net"

// refusedPort picks a free loopback port and closes it at once, so that
// connects are refused. There is a small race: another process may bind the
// port between the close and the probe. (On Linux the port stays reserved.)
func refusedPort() (int, func() error, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return 0, nil, err
	}
	return port, func() error { return nil }, nil
}

// blackholePort is only implemented on Linux; elsewhere the connect-timeout
// scenario is left out of the lab.
func blackholePort() (int, func() error, error) { return 0, nil, errUnsupported }
