package diagnose

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// What a forward proxy's error answer says about reaching the url's host:
// it tried and could not. The cause is the one the proxy met, as precise
// as its answer tells: squid's X-Squid-Error names the error and the
// errno of its connect; otherwise the status does (504: the proxy timed
// out; 502, 503: it could not connect, for a reason it does not say).

// proxyReach is the cause of a proxy's answer that it could not reach the
// host, and what in the answer says so ("502 Bad Gateway", or
// "503 Service Unavailable, X-Squid-Error: ERR_CONNECT_FAIL 111 —
// connection refused"). ok is false when the answer is not such a failure.
type proxyReach struct {
	Code   string
	Answer string
}

// variant is the remediation variant of the cause that checks from the
// proxy's side.
func (r proxyReach) variant() string {
	return throughProxyVariants[r.Code]
}

var throughProxyVariants = map[string]string{
	catalog.TCPRefused:     catalog.VariantProxyRefused,
	catalog.TCPTimeout:     catalog.VariantProxyTimeout,
	catalog.TCPUnreachable: catalog.VariantProxyUnreachable,
}

func reachFromProxyAnswer(statusCode int, status string, h http.Header) (proxyReach, bool) {
	if se := h.Get("X-Squid-Error"); se != "" {
		if code, what, ok := squidError(se); ok {
			return proxyReach{Code: code, Answer: status + ", X-Squid-Error: " + se + " — " + what}, true
		}
	}
	switch statusCode {
	case http.StatusGatewayTimeout:
		return proxyReach{Code: catalog.TCPTimeout, Answer: status + " — the proxy gave up waiting"}, true
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return proxyReach{Code: catalog.TCPUnreachable, Answer: status}, true
	}
	return proxyReach{}, false
}

// squidError reads squid's X-Squid-Error value ("ERR_CONNECT_FAIL 111":
// the error page's name and the errno squid met): the cause and its
// words; ok is false for an error that is not about reaching the host.
func squidError(v string) (code, what string, ok bool) {
	name, errnoText, _ := strings.Cut(strings.TrimSpace(v), " ")
	switch name {
	case "ERR_CONNECT_FAIL":
		if n, err := strconv.Atoi(errnoText); err == nil {
			if c, ok := linuxConnectErrno[n]; ok {
				return c.code, c.what, true
			}
			return catalog.TCPUnreachable, fmt.Sprintf("its connect failed with errno %d", n), true
		}
		return catalog.TCPUnreachable, "its connect failed", true
	case "ERR_READ_TIMEOUT", "ERR_LIFETIME_EXP":
		return catalog.TCPTimeout, "it timed out", true
	case "ERR_DNS_FAIL":
		return catalog.TCPUnreachable, "it could not resolve the host name", true
	}
	return "", "", false
}

// linuxConnectErrno are the errnos of a failed connect, numbered as on
// Linux, where squid runs (not as on the machine updoc runs on).
var linuxConnectErrno = map[int]struct{ code, what string }{
	111: {catalog.TCPRefused, "connection refused"},
	110: {catalog.TCPTimeout, "connection timed out"},
	113: {catalog.TCPUnreachable, "no route to host"},
	101: {catalog.TCPUnreachable, "network is unreachable"},
	112: {catalog.TCPUnreachable, "host is down"},
}

// reachFromSOCKSReply is the cause of a SOCKS5 proxy's reply that it could
// not connect to the host (RFC 1928 §6); Answer is the reply's meaning.
// ok is false for a reply that is not about reaching the host (2: its
// rules forbid it).
func reachFromSOCKSReply(code byte) (proxyReach, bool) {
	if code == probe.SOCKSNotAllowed {
		return proxyReach{}, false
	}
	if r, ok := socksReplyReach[code]; ok {
		return r, true
	}
	return proxyReach{Code: catalog.TCPUnreachable, Answer: "an unassigned reply code"}, true
}

// socksReplyReach are the SOCKS5 replies that say the proxy could not
// reach the host (RFC 1928 §6), each with the cause it met.
var socksReplyReach = map[byte]proxyReach{
	probe.SOCKSConnectionRefused: {Code: catalog.TCPRefused, Answer: "connection refused"},
	// Proxies (Dante, ssh -D) send it when their connect timed out.
	probe.SOCKSTTLExpired:          {Code: catalog.TCPTimeout, Answer: "TTL expired: its connect timed out"},
	probe.SOCKSNetworkUnreachable:  {Code: catalog.TCPUnreachable, Answer: "network unreachable"},
	probe.SOCKSHostUnreachable:     {Code: catalog.TCPUnreachable, Answer: "host unreachable (or its name did not resolve there)"},
	probe.SOCKSGeneralFailure:      {Code: catalog.TCPUnreachable, Answer: "general failure, without saying why"},
	probe.SOCKSCommandNotSupported: {Code: catalog.TCPUnreachable, Answer: "command not supported: it does not open TCP connections (CONNECT)"},
	probe.SOCKSAddressTypeNotSupported: {Code: catalog.TCPUnreachable,
		Answer: "address type not supported (a host name through socks5h://, or IPv6): try socks5:// or the other address family"},
}
