package graph

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// ProxyMode is how an upstream is reached: the value of the proxy key
// (SPEC §2).
type ProxyMode string

const (
	// ProxyNone connects directly.
	ProxyNone ProxyMode = "none"
	// ProxyFromEnv goes through the proxy the environment names, read as
	// curl reads it (ProxyEnv).
	ProxyFromEnv ProxyMode = "env"
	// ProxyURL goes through the proxy the key names.
	ProxyURL ProxyMode = "url"
)

// Proxy is the proxy key of an upstream, and the proxy variables of the
// environment the graph was loaded in.
type Proxy struct {
	Mode ProxyMode
	// URL is the proxy of ProxyURL: scheme http, socks5 (the name is
	// resolved here, through the upstream's resolvers, as curl does) or
	// socks5h (the proxy resolves it), a host and a port (1080 when the
	// value gave none, as curl assumes); nil for the other modes.
	URL *url.URL
	// Env is what the environment held whatever Mode is: ProxyFromEnv
	// uses it, and a direct connection that fails says it was set.
	Env ProxyEnv
	// FromFlag is set when URL came from `probe --proxy`, not from the
	// graph's proxy key: what ProxyChoice.Source says.
	FromFlag bool
}

// ProxyEnv holds the proxy variables of an environment as curl reads them
// (https://everything.curl.dev/usingcurl/proxies/env): each by its
// lower-case name first, then its upper-case one — except http_proxy,
// which is read in lower case only, since a CGI request's "Proxy:" header
// sets HTTP_PROXY (httpoxy, CVE-2016-5385; curl commit 18f044f).
type ProxyEnv struct {
	HTTP  EnvVar // http_proxy: for http:// URLs
	HTTPS EnvVar // https_proxy or HTTPS_PROXY: for https:// URLs
	All   EnvVar // all_proxy or ALL_PROXY: when the scheme's own is not set
	No    EnvVar // no_proxy or NO_PROXY: hosts reached directly
	// UpperHTTP is an HTTP_PROXY that is set; neither curl nor updoc reads it.
	UpperHTTP EnvVar
}

// EnvVar is a variable of the environment: its name as set ("" when it is
// not set), its value and, for a proxy variable, the proxy it names (nil
// when its value is not a proxy URL: see ParseProxyURL).
type EnvVar struct {
	Name, Value string
	URL         *url.URL
}

// IsSet reports whether the variable is set (to anything but "").
func (v EnvVar) IsSet() bool { return v.Name != "" }

// ReadProxyEnv reads the proxy variables through lookupEnv.
func ReadProxyEnv(lookupEnv func(string) (string, bool)) ProxyEnv {
	read := func(names ...string) EnvVar {
		for _, n := range names {
			if v, ok := lookupEnv(n); ok && v != "" {
				u, _ := ParseProxyURL(v)
				return EnvVar{Name: n, Value: v, URL: u}
			}
		}
		return EnvVar{}
	}
	return ProxyEnv{
		HTTP:      read("http_proxy"),
		HTTPS:     read("https_proxy", "HTTPS_PROXY"),
		All:       read("all_proxy", "ALL_PROXY"),
		No:        read("no_proxy", "NO_PROXY"),
		UpperHTTP: read("HTTP_PROXY"),
	}
}

// Names lists the proxy variables that are set, as named in the
// environment, in the order http, https, all, no, HTTP_PROXY.
func (e ProxyEnv) Names() []string {
	var out []string
	for _, v := range []EnvVar{e.HTTP, e.HTTPS, e.All, e.No, e.UpperHTTP} {
		if v.IsSet() {
			out = append(out, v.Name)
		}
	}
	return out
}

// proxies are the variables that name a proxy (not NO_PROXY).
func (e ProxyEnv) proxies() []EnvVar { return []EnvVar{e.HTTP, e.HTTPS, e.All} }

// ProxyChoice is the proxy one request goes through.
type ProxyChoice struct {
	URL *url.URL
	// Source says where it came from: "proxy" (the graph's key),
	// "--proxy" (probe's switch) or the name of the variable
	// ("https_proxy", "ALL_PROXY", ...).
	Source string
}

// FromEnv reports whether the proxy came from an environment variable
// (Source names it).
func (c ProxyChoice) FromEnv() bool { return c.Source != "proxy" && c.Source != "--proxy" }

// For returns the proxy a request to target (an http:// or https:// URL)
// goes through; nil for a direct connection. With ProxyFromEnv: none when
// NO_PROXY matches the target's host, else the scheme's variable, else
// ALL_PROXY (an unusable value counts as unset).
func (p Proxy) For(target *url.URL) *ProxyChoice {
	switch p.Mode {
	case ProxyURL:
		if p.URL == nil {
			return nil
		}
		source := "proxy"
		if p.FromFlag {
			source = "--proxy"
		}
		return &ProxyChoice{URL: p.URL, Source: source}
	case ProxyFromEnv:
		v := p.Env.For(target.Scheme)
		if v.URL == nil || noProxy(p.Env.No.Value, target.Hostname()) {
			return nil
		}
		return &ProxyChoice{URL: v.URL, Source: v.Name}
	}
	return nil
}

// For is the variable that names the proxy of URLs of scheme (http or
// https), NO_PROXY aside: the scheme's own, else ALL_PROXY; EnvVar{} when
// neither names a usable proxy.
func (e ProxyEnv) For(scheme string) EnvVar {
	v := e.HTTP
	if scheme == "https" {
		v = e.HTTPS
	}
	if v.URL == nil {
		v = e.All
	}
	if v.URL == nil {
		return EnvVar{}
	}
	return v
}

// DefaultProxyPort is the port of a proxy URL that gives none, as curl
// assumes for every kind of proxy.
const DefaultProxyPort = "1080"

// ParseProxyURL parses a proxy as the proxy key or a proxy variable gives
// it: http://HOST[:PORT], socks5://HOST[:PORT] or socks5h://HOST[:PORT],
// with user:password@ allowed; HOST[:PORT] alone is http://, as for curl.
// The port is filled in (DefaultProxyPort). problem is "" when s is valid.
func ParseProxyURL(s string) (u *url.URL, problem string) {
	raw := s
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "not a URL"
	}
	switch u.Scheme {
	case "http", "socks5", "socks5h":
	default:
		return nil, "unsupported proxy scheme " + strconv.Quote(u.Scheme) + "; use http://, socks5:// or socks5h://"
	}
	host := u.Hostname()
	if host == "" || net.ParseIP(host) == nil && (!validHostname(host) || hostNameLength(host) != "") {
		return nil, "no valid proxy host"
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return nil, "a proxy URL has no path or query"
	}
	// A '#' ends the authority: "http://u:20#pw@host" is the host "u", and
	// the password would be shown as a fragment, unredacted.
	if strings.Contains(raw, "#") {
		return nil, "a proxy URL has no '#' fragment; write a '#' in its user name or password as %23"
	}
	port := u.Port()
	if port == "" {
		port = DefaultProxyPort
	} else if !validPort(port) {
		return nil, "invalid port " + strconv.Quote(port) + "; want 1-65535"
	}
	u.Host = net.JoinHostPort(host, port)
	u.Path = ""
	return u, ""
}

// noProxy reports whether host is excluded from proxying by list, a
// NO_PROXY value as curl reads it (lib/noproxy.c): comma-separated
// entries; "*" alone matches every host; a host name matches itself and
// its subdomains (a leading dot is ignored); an IP address or CIDR range
// matches the addresses it covers. Ports are not compared.
func noProxy(list, host string) bool {
	list = strings.TrimSpace(list)
	if list == "" {
		return false
	}
	if list == "*" {
		return true
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	ip, ipErr := netip.ParseAddr(host)
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(e)), ".")
		e = strings.Trim(e, "[]")
		if e == "" {
			continue
		}
		if ipErr == nil {
			if pfx, err := netip.ParsePrefix(e); err == nil && pfx.Contains(ip.Unmap()) {
				return true
			}
			if a, err := netip.ParseAddr(e); err == nil && a.Unmap() == ip.Unmap() {
				return true
			}
			continue
		}
		e = strings.TrimPrefix(e, ".")
		if host == e || strings.HasSuffix(host, "."+e) {
			return true
		}
	}
	return false
}
