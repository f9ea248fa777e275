package catalog

import (
	"net/url"
	"strings"
)

// Commands for an upstream reached through a forward proxy (Vars.Proxy):
// they go through the same proxy, as updoc did, and never show its
// password.

// proxyAddress is the HOST:PORT of the proxy URL proxy.
func proxyAddress(proxy string) string {
	if u, err := url.Parse(proxy); err == nil && u.Host != "" {
		return u.Host
	}
	return unknown("PROXY_HOST:PORT")
}

// curlProxy is curl's arguments to go through v's proxy: the variable it
// came from (which holds any credentials: curl reads the URL whole), or
// the proxy's address — --socks5-hostname for socks5h://, --socks5 for
// socks5://, -x for http:// — and, when it has credentials, -U with the
// user name alone, for which curl asks the password.
func curlProxy(v Vars) string {
	if isShellName(v.ProxyEnv) {
		return `-x "$` + v.ProxyEnv + `"`
	}
	if v.Proxy == "" {
		return "-x " + unknown("PROXY_URL")
	}
	var args string
	switch {
	case strings.HasPrefix(v.Proxy, "socks5h://"):
		args = "--socks5-hostname " + ShellQuote(proxyAddress(v.Proxy))
	case strings.HasPrefix(v.Proxy, "socks5://"):
		args = "--socks5 " + ShellQuote(proxyAddress(v.Proxy))
	default:
		args = "-x " + ShellQuote(v.Proxy)
	}
	if v.ProxyUser != "" {
		args += " -U " + ShellQuote(v.ProxyUser)
	}
	return args
}

// curlRoute is curl's arguments to reach the service as updoc did: through
// v's proxy — never with the url's host mapped to the proxy's address —
// or, for a direct connection, direct (--resolve or --connect-to to the
// target probed).
func curlRoute(v Vars, direct string) string {
	if v.Proxy != "" || v.ProxyEnv != "" {
		return curlProxy(v)
	}
	return direct
}
