package graph

import (
	"net/url"
	"regexp"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
)

// Graph is a validated graph file.
type Graph struct {
	// File is the name used in messages: the path given, or "<stdin>"
	// ("" for a graph built by FromURLs).
	File string
	// AdHoc is true for a graph built by FromURLs (`updoc probe URL...`):
	// there is no graph file, each upstream is one URL of the command line.
	AdHoc bool
	// Switches are the curl-style switches of `updoc probe` that built an
	// AdHoc graph, as shell words a command repeats (a secret -H value
	// shown as [redacted]); nil for a graph file.
	Switches []string
	// Dir is the directory relative paths (ca_file, cert_file, key_file) are
	// resolved against: the graph file's directory, or the working directory.
	Dir     string
	Version int
	Policy  Policy
	// Upstreams in file order.
	Upstreams []*Upstream

	// whole is the graph Select picked these upstreams from (nil when this
	// is the whole graph): dependency queries walk it, so that a chain
	// through an upstream left out still links the ones selected.
	whole *Graph
}

// Policy changes the severity of cause codes (policy.severity).
type Policy struct {
	// Severity maps a cause code to what the policy makes of its findings.
	Severity map[string]PolicyAction
}

// PolicyAction is a value of policy.severity: a severity, or ignore.
type PolicyAction string

const (
	PolicyWarn   PolicyAction = "warn"
	PolicyFail   PolicyAction = "fail"
	PolicyIgnore PolicyAction = "ignore"
)

// PolicyActions lists the values policy.severity accepts.
func PolicyActions() []PolicyAction { return []PolicyAction{PolicyWarn, PolicyFail, PolicyIgnore} }

// Apply returns the severity a finding of code gets under the policy, given
// the severity its rule gave it; keep is false when the policy ignores it.
func (p Policy) Apply(code string, sev catalog.Severity) (_ catalog.Severity, keep bool) {
	switch p.Severity[code] {
	case PolicyIgnore:
		return sev, false
	case PolicyWarn:
		return catalog.Warn, true
	case PolicyFail:
		return catalog.Fail, true
	}
	return sev, true
}

// Upstream is one node of the graph, with the file's defaults and the
// built-in defaults (defaults.go) already applied.
type Upstream struct {
	Name string
	// URL is the parsed URL after ${VAR} expansion. Its scheme is one of
	// Schemes (see Upstream.Scheme); Host always carries an explicit port
	// (80/443 filled in for http/https).
	URL *url.URL
	// RawURL is the url value after expansion, as written.
	RawURL string
	// URLWritten is the url as the file wrote it, with its ${VAR}
	// references, when it holds any ("" otherwise): what a command that
	// the shell expands shows.
	URLWritten string
	DependsOn  []string
	Method     string   // the HTTP method
	Headers    []Header // in file order (defaults first, then the upstream's own)
	Body       string
	// BodyWritten is the body as the file wrote it, with its ${VAR}
	// references, when it holds any ("" otherwise).
	BodyWritten string
	Expect      Expect
	Targets     []string // "HOST:PORT" entries; empty means "the resolved addresses"
	Resolvers   []Resolver
	// Timeout is the per-operation timeout and Samples the latency samples
	// per target: the run's values (--timeout, --samples; see
	// WithRunSettings), else the file's, else DefaultTimeout and
	// DefaultSamples. An upstream whose method writes (not GET, HEAD or
	// OPTIONS) takes no samples unless it sets samples itself.
	Timeout         time.Duration
	Samples         int
	FollowRedirects bool
	MaxBody         int64 // bytes of an answer's body read at most
	TLS             TLSConfig
	IPFamily        IPFamily
	// Proxy is how the upstream is reached (proxy.go); not used when
	// Targets are set: those are connected to directly.
	Proxy       Proxy
	Tags        []string
	Description string
	// Pos is where the upstream's name stands in the file.
	Pos Position

	// ownSamples is set when the upstream sets samples itself (not
	// through defaults:), for the samples rule of SafeToRepeat.
	ownSamples bool
	// expanded are the values ${VAR} references in the file expanded to for
	// this upstream (url, headers, body), for Secrets.
	expanded []string
}

// RunSettings are values a run gives every upstream, over what the graph
// file says (the --timeout and --samples flags given on the command line:
// flags beat the file, as in curl and kubectl). nil: no value, the file's
// stays.
type RunSettings struct {
	Timeout *time.Duration
	Samples *int
}

// WithRunSettings returns a graph whose upstreams take the run's timeout and
// samples. The samples of an upstream that writes (SafeToRepeat false) stay
// 0 unless it sets samples itself, so that a run never repeats a write by
// surprise. g is not changed: the upstreams that change are copies, the
// others are shared.
func (g *Graph) WithRunSettings(rs RunSettings) *Graph {
	if g == nil {
		return nil
	}
	out := *g
	out.Upstreams = make([]*Upstream, len(g.Upstreams))
	for i, u := range g.Upstreams {
		timeout, samples := u.Timeout, u.Samples
		if rs.Timeout != nil {
			timeout = *rs.Timeout
		}
		if rs.Samples != nil && (u.SafeToRepeat() || u.ownSamples) {
			samples = *rs.Samples
		}
		if timeout != u.Timeout || samples != u.Samples {
			c := *u
			c.Timeout, c.Samples = timeout, samples
			u = &c
		}
		out.Upstreams[i] = u
	}
	return &out
}

// SafeToRepeat reports whether repeating the upstream's request is
// harmless: its method is GET, HEAD or OPTIONS, or it sends no HTTP request
// at all (tcp, tls). Latency samples repeat the request, so an upstream
// that writes takes none unless it sets samples itself (SPEC §2).
func (u *Upstream) SafeToRepeat() bool {
	if !u.Scheme().HasHTTP() {
		return true
	}
	switch u.Method {
	case "GET", "HEAD", "OPTIONS":
		return true
	}
	return false
}

// Scheme is the upstream's URL scheme: which layers it is probed through.
func (u *Upstream) Scheme() Scheme {
	if u.URL == nil {
		return ""
	}
	return Scheme(u.URL.Scheme)
}

// IPFamily is which addresses of a host name are asked for and probed
// (ip_family).
type IPFamily string

const (
	IPFamilyAny IPFamily = "any"  // A and AAAA
	IPFamilyV4  IPFamily = "ipv4" // A only
	IPFamilyV6  IPFamily = "ipv6" // AAAA only
)

// Scheme is an upstream URL scheme (SPEC §2).
type Scheme string

const (
	SchemeHTTP  Scheme = "http"
	SchemeHTTPS Scheme = "https"
	SchemeTCP   Scheme = "tcp" // TCP connect only
	SchemeTLS   Scheme = "tls" // TCP connect and TLS handshake
)

// Schemes lists the schemes an upstream url may use.
func Schemes() []Scheme { return []Scheme{SchemeHTTP, SchemeHTTPS, SchemeTCP, SchemeTLS} }

// HasTLS reports whether the scheme does a TLS handshake (https, tls).
func (s Scheme) HasTLS() bool { return s == SchemeHTTPS || s == SchemeTLS }

// HasHTTP reports whether the scheme sends an HTTP request (http, https).
func (s Scheme) HasHTTP() bool { return s == SchemeHTTP || s == SchemeHTTPS }

// TargetLayers are the layers each target of an upstream of this scheme
// goes through, in order, before the latency layer: tcp, then tls when the
// scheme has TLS, then http when it has HTTP.
func (s Scheme) TargetLayers() []catalog.Layer {
	out := []catalog.Layer{catalog.LayerTCP}
	if s.HasTLS() {
		out = append(out, catalog.LayerTLS)
	}
	if s.HasHTTP() {
		out = append(out, catalog.LayerHTTP)
	}
	return out
}

// Header is one request header. Secret is true for Authorization, Cookie,
// Proxy-Authorization and any header whose value came from ${VAR}: such
// values are shown as [redacted] in every output.
type Header struct {
	Name   string
	Value  string
	Secret bool
	// Written is the value as the file wrote it, with its ${VAR}
	// references, when it holds any ("" otherwise): how a command shown
	// to the user sends the same header without showing the secret.
	Written string
}

// Expect says what a healthy answer looks like.
type Expect struct {
	// Status ranges the answer's status must fall in (DefaultStatus
	// when the file sets none).
	Status       []StatusRange
	BodyContains string
	BodyRegex    *regexp.Regexp
	MaxLatency   time.Duration // 0 = no latency.slow check
	// CertMinDays is the days of validity a certificate must have left
	// (DefaultCertMinDays when the file sets none; 0 is a valid setting).
	CertMinDays int
}

// StatusRange is an inclusive range of HTTP status codes ("2xx" = 200..299, 204 = 204..204).
type StatusRange struct{ Lo, Hi int }

// TLSConfig is the per-upstream tls block. File paths are absolute (resolved
// against Graph.Dir).
type TLSConfig struct {
	ServerName         string
	CAFile             string
	CertFile           string
	KeyFile            string
	InsecureSkipVerify bool
}

// Resolver is one entry of resolvers.
type Resolver struct {
	Kind ResolverKind
	// Addr is HOST:PORT for udp/tcp (port 53 when omitted); empty for system.
	Addr string
}

// ResolverKind says how a resolver is asked.
type ResolverKind string

const (
	// ResolverSystem is the hosts file, then the nameservers of resolv.conf.
	ResolverSystem ResolverKind = "system"
	ResolverUDP    ResolverKind = "udp" // DNS over UDP, TCP when truncated
	ResolverTCP    ResolverKind = "tcp" // DNS over TCP only
)

// SystemResolver is the resolver "system".
var SystemResolver = Resolver{Kind: ResolverSystem}

// String renders the resolver as it is named in reports: "system" or "HOST:PORT"
// (with a "tcp://" prefix for tcp resolvers).
func (r Resolver) String() string {
	switch r.Kind {
	case ResolverSystem:
		return "system"
	case ResolverTCP:
		return "tcp://" + r.Addr
	default:
		return r.Addr
	}
}

// Position is a place in the graph file (1-based).
type Position struct{ Line, Column int }
