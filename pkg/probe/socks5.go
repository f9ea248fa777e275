package probe

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
)

// A SOCKS5 client (RFC 1928 CONNECT, RFC 1929 username/password): the
// proxy's reply code is kept (SOCKSReplyError), so that a connection the
// proxy could not make is told by what it met.

// SOCKSReplyError is a SOCKS5 proxy's reply other than "succeeded" to
// CONNECT (RFC 1928 §6): it tried the destination and met Code.
type SOCKSReplyError struct {
	Code byte
}

// The reply codes of RFC 1928 §6.
const (
	SOCKSGeneralFailure          byte = 1
	SOCKSNotAllowed              byte = 2
	SOCKSNetworkUnreachable      byte = 3
	SOCKSHostUnreachable         byte = 4
	SOCKSConnectionRefused       byte = 5
	SOCKSTTLExpired              byte = 6
	SOCKSCommandNotSupported     byte = 7
	SOCKSAddressTypeNotSupported byte = 8
)

var socksReplyText = map[byte]string{
	SOCKSGeneralFailure:          "general SOCKS server failure",
	SOCKSNotAllowed:              "connection not allowed by ruleset",
	SOCKSNetworkUnreachable:      "network unreachable",
	SOCKSHostUnreachable:         "host unreachable",
	SOCKSConnectionRefused:       "connection refused",
	SOCKSTTLExpired:              "TTL expired",
	SOCKSCommandNotSupported:     "command not supported",
	SOCKSAddressTypeNotSupported: "address type not supported",
}

func (e *SOCKSReplyError) Error() string {
	if t, ok := socksReplyText[e.Code]; ok {
		return fmt.Sprintf("SOCKS5 reply %d (%s)", e.Code, t)
	}
	return fmt.Sprintf("SOCKS5 reply %d (unassigned)", e.Code)
}

// errSOCKSAuth: the proxy accepted none of the methods offered, or
// rejected the username and password.
var errSOCKSAuth = errors.New("the SOCKS5 proxy rejected the authentication offered")

// socks5Connect asks the SOCKS5 proxy on c for a connection to hostport,
// authenticating with user and password when user is not "", and returns
// the tunnel (c, or c with what the server sent first read ahead).
func socks5Connect(c net.Conn, hostport, user, password string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("port %q: %w", portText, err)
	}
	methods := []byte{0} // no authentication
	if user != "" {
		methods = []byte{2} // username/password
	}
	if _, err := c.Write(append([]byte{5, byte(len(methods))}, methods...)); err != nil {
		return nil, err
	}
	br := bufio.NewReader(c)
	choice := make([]byte, 2)
	if _, err := io.ReadFull(br, choice); err != nil {
		return nil, err
	}
	if choice[0] != 5 {
		return nil, fmt.Errorf("not a SOCKS5 proxy (version %d)", choice[0])
	}
	switch choice[1] {
	case 0:
	case 2:
		if len(user) > 255 || len(password) > 255 {
			return nil, errors.New("SOCKS5 user name or password longer than 255 bytes")
		}
		auth := append([]byte{1, byte(len(user))}, user...)
		auth = append(append(auth, byte(len(password))), password...)
		if _, err := c.Write(auth); err != nil {
			return nil, err
		}
		status := make([]byte, 2)
		if _, err := io.ReadFull(br, status); err != nil {
			return nil, err
		}
		if status[1] != 0 {
			return nil, errSOCKSAuth
		}
	default:
		return nil, errSOCKSAuth
	}
	req := []byte{5, 1, 0}
	if ip := net.ParseIP(host); ip == nil {
		if len(host) > 255 {
			return nil, fmt.Errorf("host name %q too long for SOCKS5", host)
		}
		req = append(append(req, 3, byte(len(host))), host...)
	} else if ip4 := ip.To4(); ip4 != nil {
		req = append(append(req, 1), ip4...)
	} else {
		req = append(append(req, 4), ip.To16()...)
	}
	req = binary.BigEndian.AppendUint16(req, uint16(port))
	if _, err := c.Write(req); err != nil {
		return nil, err
	}
	// VER REP RSV ATYP, then the bound address and port.
	head := make([]byte, 4)
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, err
	}
	if head[1] != 0 {
		return nil, &SOCKSReplyError{Code: head[1]}
	}
	var n int
	switch head[3] {
	case 1:
		n = 4
	case 4:
		n = 16
	case 3:
		l, err := br.ReadByte()
		if err != nil {
			return nil, err
		}
		n = int(l)
	default:
		return nil, fmt.Errorf("SOCKS5 reply with address type %d", head[3])
	}
	if _, err := io.ReadFull(br, make([]byte, n+2)); err != nil {
		return nil, err
	}
	if br.Buffered() > 0 {
		// The server spoke first through the tunnel: keep what was read.
		return &bufferedConn{Conn: c, r: br}, nil
	}
	return c, nil
}
