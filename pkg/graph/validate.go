package graph

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/net/idna"
)

// validHostname reports whether host is a host name as the graph may write
// it: labels of ASCII letters, digits, '_' and '-' ('-' neither first nor
// last), separated by dots, with an optional trailing dot. It is checked on
// every url at load, without a regexp: it accepts exactly what
// `^(?i)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$`
// matches, whose case folding also lets in U+212A KELVIN SIGN (k) and
// U+017F LATIN SMALL LETTER LONG S (s).
func validHostname(host string) bool {
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return false
	}
	for label := range strings.SplitSeq(host, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			switch {
			case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '_', r == '-':
			case r == '\u212a', r == '\u017f':
			default:
				return false
			}
		}
	}
	return true
}

// ParseURL parses and checks an upstream url: scheme http, https, tcp or
// tls, a host, a port for tcp/tls. For http/https the default port is filled
// into Host, so Host always has a port. display is how the url is quoted in
// the problem (pass the raw value, or a redacted form of it); problem is ""
// when the url is valid.
func ParseURL(raw, display string) (u *url.URL, problem string) {
	return parseURL(raw, display, nil, nil)
}

// parseURL is ParseURL with two filters for what the problem shows of raw
// itself: piece filters a part of raw (scheme, host, port), msg the text of
// the URL parser's error (nil: shown as they are).
func parseURL(raw, display string, piece, msg func(string) string) (u *url.URL, problem string) {
	if piece == nil {
		piece = func(s string) string { return s }
	}
	if msg == nil {
		msg = func(s string) string { return s }
	}
	if strings.TrimSpace(raw) == "" {
		return nil, "the url is empty; want e.g. https://api.example.com/healthz"
	}
	if !strings.Contains(raw, "://") {
		return nil, "missing scheme in " + strconv.Quote(display) + "; write https://" + display + " or http://" + display + " (or tcp://, tls:// for a TCP or TLS-only check)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err
		}
		return nil, strconv.Quote(display) + " is not a valid URL: " + msg(err.Error())
	}
	switch u.Scheme {
	case "http", "https", "tcp", "tls":
	default:
		// The scheme as written (url.Parse lower-cases it).
		scheme := raw[:strings.Index(raw, "://")]
		return nil, "unsupported scheme " + strconv.Quote(piece(scheme)) + " in " + strconv.Quote(display) + "; use http, https, tcp or tls"
	}
	host := u.Hostname()
	if host == "" {
		return nil, strconv.Quote(display) + " has no host; want e.g. " + u.Scheme + "://api.example.com" + examplePort(u.Scheme)
	}
	if net.ParseIP(host) == nil {
		if !validHostname(host) {
			return nil, strconv.Quote(display) + " has an invalid host name " + strconv.Quote(piece(host)) + asciiHint(host)
		}
		if problem := hostNameLength(host); problem != "" {
			return nil, strconv.Quote(display) + ": " + problem
		}
	}
	port := u.Port()
	if port == "" {
		if strings.HasSuffix(u.Host, ":") {
			return nil, strconv.Quote(display) + " has an empty port; want a port 1-65535 or none"
		}
		if port = defaultPort(u.Scheme); port == "" {
			return nil, strconv.Quote(display) + " needs a port for a " + u.Scheme + " check, e.g. " + u.Scheme + "://" + hostForExample(piece(host)) + examplePort(u.Scheme)
		}
	} else if !validPort(port) {
		return nil, strconv.Quote(display) + " has an invalid port " + strconv.Quote(piece(port)) + "; want 1-65535"
	}
	u.Host = net.JoinHostPort(host, port)
	return u, ""
}

// DNS limits (RFC 1035 §2.3.4): a name of at most 253 bytes written
// without its final dot, labels of at most 63.
const (
	maxHostNameBytes = 253
	maxLabelBytes    = 63
)

// hostNameLength returns what breaks the DNS limits in host, or "".
func hostNameLength(host string) string {
	name := strings.TrimSuffix(host, ".")
	if len(name) > maxHostNameBytes {
		return fmt.Sprintf("the host name is %d bytes long; DNS allows at most %d", len(name), maxHostNameBytes)
	}
	for _, label := range strings.Split(name, ".") {
		if len(label) > maxLabelBytes {
			return fmt.Sprintf("the host name's label %q is %d bytes long; DNS allows at most %d per label", label, len(label), maxLabelBytes)
		}
	}
	return ""
}

// asciiHint tells how to write a host name that is not ASCII: its IDNA
// (punycode) form, as browsers and curl send it.
func asciiHint(host string) string {
	if isASCII(host) {
		return ""
	}
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		return "; write an international name in its ASCII form: " + strconv.Quote(ascii)
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func hostForExample(host string) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]"
	}
	return host
}

func examplePort(scheme string) string {
	switch scheme {
	case "tcp":
		return ":5432"
	case "tls":
		return ":443"
	}
	return ""
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535 && p[0] != '+'
}

func validHost(h string) bool {
	return h != "" && (net.ParseIP(h) != nil || validHostname(h))
}

// checkServerName checks a TLS server name (tls.server_name,
// --server-name) and returns "" or what is wrong with it.
func checkServerName(s string) string {
	if net.ParseIP(s) != nil {
		return ""
	}
	if !validHostname(s) {
		return "is not a host name" + asciiHint(s) + "; want a host name such as api.example.com (letters, digits, '-', '_' and '.')"
	}
	if problem := hostNameLength(s); problem != "" {
		return "is too long: " + problem
	}
	return ""
}

// checkHostPort checks a "HOST:PORT" target and returns "" or what is wrong.
func checkHostPort(s string) string {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		if ae, ok := err.(*net.AddrError); ok && strings.Contains(ae.Err, "missing port") {
			return "has no port"
		}
		return "is not HOST:PORT (IPv6 addresses go in brackets: \"[2001:db8::1]:443\")"
	}
	if host == "" {
		return "has no host"
	}
	if !validHost(host) {
		return "has an invalid host " + strconv.Quote(host)
	}
	if problem := hostNameLength(host); problem != "" {
		return "is too long for DNS: " + problem
	}
	if !validPort(port) {
		return "has an invalid port " + strconv.Quote(port)
	}
	return ""
}

// ParseResolver parses one resolvers entry: "system", "HOST", "HOST:PORT",
// "udp://HOST:PORT", "tcp://HOST:PORT" (IPv6 in brackets; port 53 when
// omitted). problem is "" when the entry is valid.
func ParseResolver(s string) (r Resolver, problem string) {
	if s == "system" {
		return SystemResolver, ""
	}
	if strings.EqualFold(s, "system") {
		return Resolver{}, `write "system" in lower case`
	}
	kind, rest := "udp", s
	if i := strings.Index(s, "://"); i >= 0 {
		kind, rest = s[:i], s[i+3:]
		if kind != "udp" && kind != "tcp" {
			return Resolver{}, "unsupported scheme " + strconv.Quote(kind) + " (use udp:// or tcp://)"
		}
	}
	if rest == "" {
		return Resolver{}, "no host"
	}
	if strings.ContainsAny(rest, "/?#@ ") {
		return Resolver{}, "want only HOST or HOST:PORT after the scheme"
	}
	var host, port string
	switch {
	case net.ParseIP(rest) != nil: // IPv4, or IPv6 without brackets
		host, port = rest, "53"
	case strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]"):
		host, port = rest[1:len(rest)-1], "53"
		if ip := net.ParseIP(host); ip == nil || ip.To4() != nil {
			return Resolver{}, "brackets hold an IPv6 address"
		}
	case strings.Contains(rest, ":"):
		var err error
		host, port, err = net.SplitHostPort(rest)
		if err != nil {
			return Resolver{}, "not HOST:PORT (IPv6 addresses go in brackets: \"[2001:db8::1]:53\")"
		}
	default:
		host, port = rest, "53"
	}
	if !validHost(host) {
		return Resolver{}, "invalid host " + strconv.Quote(host)
	}
	if problem := hostNameLength(host); problem != "" {
		return Resolver{}, problem
	}
	if !validPort(port) {
		return Resolver{}, "invalid port " + strconv.Quote(port) + " (want 1-65535)"
	}
	return Resolver{Kind: ResolverKind(kind), Addr: net.JoinHostPort(host, port)}, ""
}

var userinfoRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(://[^/@:]*:)[^/@]*@`) }) // compiled on first use, not at start

// redactURL hides the password of a url's userinfo. Most urls have none:
// without an '@' the regexp (run on every url at load) cannot match.
func redactURL(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	return userinfoRE().ReplaceAllString(s, "${1}"+RedactedPassword+"@")
}

func absPath(dir, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
