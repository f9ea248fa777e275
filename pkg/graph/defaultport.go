package graph

import (
	"net/url"
	"strings"
)

// The graph fills in the port of an http or https url written without one
// (Upstream.URL: a dial address needs it), but a request names its host as
// the user wrote it: curl sends `Host: svc.test`, not `svc.test:80`.

// RequestHost is u's host as a request names it (the Host header, an
// absolute-form request target) and as updoc shows it: the port left out
// when it is the scheme's default, 80 for http and 443 for https.
func RequestHost(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if port == "" || port == defaultPort(u.Scheme) {
		if strings.Contains(host, ":") { // an IPv6 literal keeps its brackets
			return "[" + host + "]"
		}
		return host
	}
	return u.Host
}

// ShownURL is a copy of u whose host is RequestHost: the url as the user
// wrote it, without the default port the graph filled in.
func ShownURL(u *url.URL) *url.URL {
	c := *u
	c.Host = RequestHost(u)
	return &c
}

// defaultPort is the port a scheme implies ("" for tcp and tls, which
// need one).
func defaultPort(scheme string) string {
	switch scheme {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

// RedactedPassword is what a url's password is shown as (the same word as
// report.Redacted, which this package cannot import).
const RedactedPassword = "[redacted]"

// RedactedURL is u as a string with its password, when it has one, shown
// as "[redacted]": url.URL.Redacted's "xxxxx" says less, and its escaping
// would print "%5Bredacted%5D".
func RedactedURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	if _, ok := u.User.Password(); !ok {
		return u.String()
	}
	c := *u
	c.User = url.User(u.User.Username())
	s := c.String()
	// The userinfo, escaped, holds no '@': the first one after "//" ends it.
	if i := strings.Index(s, "//"); i >= 0 {
		if at := strings.IndexByte(s[i+2:], '@'); at >= 0 {
			at += i + 2
			return s[:at] + ":" + RedactedPassword + s[at:]
		}
	}
	return s
}
