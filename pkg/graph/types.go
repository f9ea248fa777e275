// Package graph reads, validates and queries the updoc graph file (SPEC §2).
//
// Load decodes YAML strictly, applies defaults in one place, expands ${VAR}
// references and validates the result. Every error it returns is an *Error
// naming FILE:LINE:COLUMN.
package graph

import (
	"net/url"
	"regexp"
	"time"
)

// Graph is a validated graph file.
type Graph struct {
	// File is the name used in messages: the path given, or "<stdin>"
	// ("" for a graph built by FromURLs).
	File string
	// AdHoc is true for a graph built by FromURLs (`updoc probe URL...`):
	// there is no graph file, each upstream is one URL of the command line.
	AdHoc bool
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

// Policy changes the severity of cause codes.
type Policy struct {
	// Severity maps a cause code to "warn", "fail" or "ignore".
	Severity map[string]string
}

// Upstream is one node of the graph, with the file's defaults already applied.
type Upstream struct {
	Name string
	// URL is the parsed URL after ${VAR} expansion. Scheme is one of
	// http, https, tcp, tls; Host always carries an explicit port
	// (80/443 filled in for http/https).
	URL *url.URL
	// RawURL is the url value after expansion, as written.
	RawURL          string
	DependsOn       []string
	Method          string   // default GET
	Headers         []Header // in file order (defaults first, then the upstream's own)
	Body            string
	Expect          Expect
	Targets         []string // "HOST:PORT" entries; empty means "the resolved addresses"
	Resolvers       []Resolver
	Timeout         time.Duration // 0 = not set in the file: the caller's --timeout applies
	Samples         *int          // nil = not set in the file: the caller's --samples applies
	FollowRedirects bool          // default true
	MaxBody         int64         // default 1 MiB
	TLS             TLSConfig
	IPFamily        string // "any" (default), "ipv4", "ipv6"
	Tags            []string
	Description     string
	// Pos is where the upstream's name stands in the file.
	Pos Position
}

// Header is one request header. Secret is true for Authorization, Cookie,
// Proxy-Authorization and any header whose value came from ${VAR}: such
// values are shown as [redacted] in every output.
type Header struct {
	Name   string
	Value  string
	Secret bool
}

// Expect says what a healthy answer looks like.
type Expect struct {
	// Status ranges; empty means the default ["2xx", "3xx"].
	Status       []StatusRange
	BodyContains string
	BodyRegex    *regexp.Regexp
	MaxLatency   time.Duration // 0 = no latency.slow check
	CertMinDays  int           // default 14
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
	// Kind is "system", "udp" or "tcp".
	Kind string
	// Addr is HOST:PORT for udp/tcp (port 53 when omitted); empty for system.
	Addr string
}

// String renders the resolver as it is named in reports: "system" or "HOST:PORT"
// (with a "tcp://" prefix for tcp resolvers).
func (r Resolver) String() string {
	switch r.Kind {
	case "system":
		return "system"
	case "tcp":
		return "tcp://" + r.Addr
	default:
		return r.Addr
	}
}

// Position is a place in the graph file (1-based).
type Position struct{ Line, Column int }
