package schema

// The shape of the graph file (updoc.yaml), as plain Go types whose only
// job is to describe it: pkg/graph reads the file with a YAML decoder of
// its own (schema.go, decode.go there), and these types are what the
// JSON Schema updoc.graph.schema.json is generated from. The keys'
// descriptions are those the decoder declares (graph.FileKeys), and
// TestGraphSchemaKeysAreTheDecoders holds the two key sets together.
//
// A named type stands for a shape of value (a duration, a size, a list of
// statuses): the generator gives each its pattern, enum or bounds.

// GraphFile is the whole file.
type GraphFile struct {
	Version   FormatVersion             `json:"version"`
	Defaults  *Defaults                 `json:"defaults,omitempty" jsonschema:"nullable"`
	Policy    *Policy                   `json:"policy,omitempty" jsonschema:"nullable"`
	Upstreams map[UpstreamName]Upstream `json:"upstreams"`
}

// Policy changes the severity of cause codes.
type Policy struct {
	Severity Severities `json:"severity,omitempty" jsonschema:"nullable"`
}

// Upstream is one entry of upstreams: the keys only an upstream sets,
// and those defaults: may set for it too.
type Upstream struct {
	URL         URL            `json:"url"`
	DependsOn   []UpstreamName `json:"depends_on,omitempty" jsonschema:"nullable"`
	Targets     []HostPort     `json:"targets,omitempty" jsonschema:"nullable"`
	Description Text           `json:"description,omitempty"`
	Defaults
}

// Defaults are the keys of an upstream that defaults: may set too.
type Defaults struct {
	Method    Method    `json:"method,omitempty"`
	Headers   Headers   `json:"headers,omitempty" jsonschema:"nullable"`
	Body      Text      `json:"body,omitempty"`
	Expect    *Expect   `json:"expect,omitempty" jsonschema:"nullable"`
	Resolvers Resolvers `json:"resolvers,omitempty"`
	Timeout   Duration  `json:"timeout,omitempty"`
	Samples   Count     `json:"samples,omitempty"`
	Follow    bool      `json:"follow_redirects,omitempty"`
	MaxBody   Size      `json:"max_body,omitempty"`
	TLS       *TLS      `json:"tls,omitempty" jsonschema:"nullable"`
	IPFamily  IPFamily  `json:"ip_family,omitempty"`
	Proxy     Proxy     `json:"proxy,omitempty"`
	Tags      []Tag     `json:"tags,omitempty" jsonschema:"nullable"`
}

// Expect is what a healthy answer looks like.
type Expect struct {
	Status       Statuses `json:"status,omitempty"`
	BodyContains Text     `json:"body_contains,omitempty"`
	BodyRegex    Text     `json:"body_regex,omitempty"`
	MaxLatency   Duration `json:"max_latency,omitempty"`
	CertMinDays  Count    `json:"cert_min_days,omitempty"`
}

// TLS is how to do the TLS handshake. cert_file and key_file go together.
type TLS struct {
	ServerName         NonEmpty `json:"server_name,omitempty"`
	CAFile             NonEmpty `json:"ca_file,omitempty"`
	CertFile           NonEmpty `json:"cert_file,omitempty"`
	KeyFile            NonEmpty `json:"key_file,omitempty"`
	InsecureSkipVerify bool     `json:"insecure_skip_verify,omitempty"`
}

// The shapes of values.
type (
	// FormatVersion is the version of the file format: 1.
	FormatVersion int
	// UpstreamName names an upstream: ASCII letters, digits, '.', '_', '-'.
	UpstreamName string
	// Severities map cause codes (pkg/catalog) to warn, fail or ignore.
	Severities map[string]string
	// URL is an http://, https://, tcp://HOST:PORT or tls:// url, or one
	// that ${VAR} expands to.
	URL string
	// Method is an HTTP method (an RFC 9110 token).
	Method string
	// Headers are request headers by name (RFC 9110 tokens).
	Headers map[string]Text
	// Text is free text: the decoder takes any scalar as written.
	Text string
	// NonEmpty is a string that is not empty.
	NonEmpty string
	// HostPort is HOST:PORT with a port.
	HostPort string
	// Resolvers are DNS resolvers, at least one: "system", HOST,
	// HOST:PORT, udp://HOST:PORT or tcp://HOST:PORT.
	Resolvers []string
	// Duration is a Go duration greater than 0: "5s", "300ms", "1m30s".
	Duration string
	// Count is a whole number, 0 or more.
	Count int
	// Size is a number of bytes (more than 0), or a string like "512KiB".
	Size string
	// Statuses are an HTTP status or class ("2xx"), or a list of them.
	Statuses string
	// IPFamily is any, ipv4 or ipv6.
	IPFamily string
	// Proxy is none, env or a proxy URL (http://, socks5://, socks5h://;
	// HOST:PORT alone is http://).
	Proxy string
	// Tag is a label: ASCII letters, digits and . _ : / -.
	Tag string
)
