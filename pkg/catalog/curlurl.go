package catalog

import (
	"net"
	"strings"
)

// The URL a curl step asks for, and the switches that make curl connect,
// send SNI and a Host header as updoc did.

// renamedServer is the TLS server name updoc sent in place of the URL's
// host (tls.server_name, probe --server-name) when it differs from that
// host: curl then asks for a URL with this name, sends it as SNI and
// verifies the certificate for it. "" when updoc used the URL's host, for
// http://, and for an IP address as the name (no SNI is sent for one).
func renamedServer(v Vars) string {
	if v.Scheme != "https" || v.ServerName == "" || v.Host == "" {
		return ""
	}
	if strings.EqualFold(strings.TrimSuffix(v.ServerName, "."), strings.TrimSuffix(v.Host, ".")) {
		return ""
	}
	if net.ParseIP(strings.Trim(v.ServerName, "[]")) != nil {
		return ""
	}
	return v.ServerName
}

// renamedConnectTo is curl's --connect-to that sends a request for the
// URL renamed to server name sn to to ("HOST:PORT"): the target updoc
// dialled, or through a proxy the URL's own host and port, which updoc
// asked the proxy to connect to (curl's CONNECT goes to the --connect-to
// address): "--connect-to svc.test:443:127.0.0.1:443".
func renamedConnectTo(v Vars, sn, to string) string {
	return "--connect-to " + ShellQuote(net.JoinHostPort(sn, v.Port)+":"+to)
}

// authority splits a URL into what comes before its authority ("https://"),
// the userinfo with its "@" ("" when none), the host and port, and the rest
// (path, query, fragment). ok is false when u has no "//" authority.
func authority(u string) (scheme, userinfo, hostport, rest string, ok bool) {
	i := strings.Index(u, "://")
	if i < 0 {
		return "", "", "", "", false
	}
	scheme, after := u[:i+3], u[i+3:]
	end := strings.IndexAny(after, "/?#")
	if end < 0 {
		end = len(after)
	}
	auth, rest := after[:end], after[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		userinfo, auth = auth[:at+1], auth[at+1:]
	}
	return scheme, userinfo, auth, rest, true
}

// splitHostPort is hostport's host (brackets kept for IPv6) and its
// ":PORT" ("" when none).
func splitHostPort(hostport string) (host, colonPort string) {
	if strings.HasPrefix(hostport, "[") {
		if end := strings.IndexByte(hostport, ']'); end >= 0 {
			return hostport[:end+1], hostport[end+1:]
		}
		return hostport, ""
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		return hostport[:i], hostport[i:]
	}
	return hostport, ""
}

// withHost is URL u with its host replaced by name, port, userinfo and
// the rest kept.
func withHost(u, name string) string {
	scheme, userinfo, hostport, rest, ok := authority(u)
	if !ok {
		return u
	}
	_, port := splitHostPort(hostport)
	return scheme + userinfo + name + port + rest
}

// curlURL is the URL curl asks for, as one shell word, and the -u
// switch it needs ("" when none): the URL as the graph file wrote it, each
// ${VAR} written "$VAR" in double quotes for the shell to expand, or the
// URL as reported; the host renamed to sn when it is set (renamedServer).
// A password the file wrote out is never shown: the URL goes without it
// and -u USER makes curl ask for it.
func curlURL(v Vars, sn string) (userArg, word string) {
	u, written := v.URL, v.URLWritten != ""
	if written {
		u = v.URLWritten
	}
	if u == "" {
		return "", unknown("URL")
	}
	if sn != "" {
		u = withHost(u, sn)
	}
	if scheme, userinfo, hostport, rest, ok := authority(u); ok && userinfo != "" {
		user, password, hasPassword := strings.Cut(strings.TrimSuffix(userinfo, "@"), ":")
		if hasPassword && !(written && strings.Contains(password, "${")) {
			u = scheme + hostport + rest
			userArg = "-u " + ShellQuote(user)
			if written {
				userArg = "-u " + expandingWord(user)
			}
		}
	}
	if written {
		return userArg, expandingWord(u)
	}
	return userArg, ShellQuote(u)
}
