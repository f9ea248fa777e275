package report

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
)

// Schema is the value of Report.Schema.
const Schema = "updoc.report/v1"

// Status of an upstream or of the whole report.
type Status string

const (
	Healthy   Status = "healthy"
	Degraded  Status = "degraded"
	Unhealthy Status = "unhealthy"
	// Unknown: the run ended (--deadline, Ctrl-C) before the upstream's
	// probing finished, and nothing it finished was a failure (SPEC §5).
	Unknown Status = "unknown"
)

// Severity of a finding (the catalogue's vocabulary).
type Severity = catalog.Severity

const (
	Warn = catalog.Warn
	Fail = catalog.Fail
)

// LayerStatus is pass, warn, fail or skip.
type LayerStatus string

const (
	Pass  LayerStatus = "pass"
	LWarn LayerStatus = "warn"
	LFail LayerStatus = "fail"
	Skip  LayerStatus = "skip"
)

// Report is one run.
type Report struct {
	Schema       string      `json:"schema"`
	UpdocVersion string      `json:"updoc_version"`
	StartedAt    time.Time   `json:"started_at"`
	DurationMS   float64     `json:"duration_ms"`
	Status       Status      `json:"status"`
	Summary      Summary     `json:"summary"`
	RootCauses   []RootCause `json:"root_causes"`
	Upstreams    []Upstream  `json:"upstreams"`
	// NotProbed lists the dependencies of probed upstreams that the run
	// left out (--only, --tags without --with-deps); absent when none was.
	NotProbed []NotProbed `json:"not_probed,omitempty"`
}

// NotProbed is an upstream that probed upstreams depend on and that the
// run did not probe: their status says nothing about it.
type NotProbed struct {
	Upstream string `json:"upstream"`
	// NeededBy are the probed upstreams that depend on it directly.
	NeededBy []string `json:"needed_by"`
}

// Summary counts upstreams by status.
type Summary struct {
	Total     int `json:"total"`
	Healthy   int `json:"healthy"`
	Degraded  int `json:"degraded"`
	Unknown   int `json:"unknown"`
	Unhealthy int `json:"unhealthy"`
}

// RootCause is a root-cause finding and the upstreams it takes down.
type RootCause struct {
	Upstream string   `json:"upstream"`
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Target   string   `json:"target,omitempty"`
	Message  string   `json:"message"`
	// Affects lists every upstream that depends on Upstream, transitively.
	// The JSON document lists the first AffectsShown of them and sets
	// AffectsTotal to their number when that is more; in memory it is 0.
	Affects      []string `json:"affects"`
	AffectsTotal int      `json:"affects_total,omitempty"`
}

// Upstream is one node's result.
type Upstream struct {
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	Description string   `json:"description,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	// Proxy is the proxy the url was reached through; absent for a
	// direct connection. Then the one target is the proxy.
	Proxy  *Proxy `json:"proxy,omitempty"`
	Status Status `json:"status"`
	// DurationMS is how long the upstream's probe took, all layers.
	DurationMS float64  `json:"duration_ms"`
	DependsOn  []string `json:"depends_on"`
	Layers     Layers   `json:"layers"`
	// DNS is null when the dns layer was skipped.
	DNS      *DNS      `json:"dns"`
	Targets  []Target  `json:"targets"`
	Findings []Finding `json:"findings"`
}

// Proxy is the proxy an upstream was probed through (SPEC §2, proxy).
type Proxy struct {
	// URL is the proxy's URL, a password in it shown as [redacted].
	URL string `json:"url"`
	// Source is where it came from: "proxy" (the graph's proxy key),
	// "--proxy" (probe's switch) or the environment variable
	// ("https_proxy", "ALL_PROXY", …).
	Source string `json:"source"`
}

// ProxySourcePhrase names where a proxy came from (Proxy.Source) for a
// sentence: "the proxy key", "--proxy", or the environment variable's
// name.
func ProxySourcePhrase(source string) string {
	if source == "proxy" {
		return "the proxy key"
	}
	return source
}

// Layers is the status of each layer, worst over the targets.
type Layers struct {
	DNS     LayerStatus `json:"dns"`
	TCP     LayerStatus `json:"tcp"`
	TLS     LayerStatus `json:"tls"`
	HTTP    LayerStatus `json:"http"`
	Latency LayerStatus `json:"latency"`
}

// DNS is the dns layer. Resolver, Rcode and DurationMS describe the first
// resolver's A (or AAAA) answer; Queries has every question asked.
type DNS struct {
	Name       string     `json:"name"`
	FQDN       string     `json:"fqdn,omitempty"` // the fully qualified name that answered (resolv.conf's search list applied)
	Resolver   string     `json:"resolver"`
	Rcode      string     `json:"rcode"`
	Addresses  []string   `json:"addresses"`
	CNAMEChain []string   `json:"cname_chain"`
	DurationMS float64    `json:"duration_ms"`
	Queries    []DNSQuery `json:"queries"`
}

// DNSQuery is one question to one resolver.
type DNSQuery struct {
	Resolver   string   `json:"resolver"`
	Type       string   `json:"type"`
	Rcode      string   `json:"rcode"`
	Addresses  []string `json:"addresses"`
	CNAMEChain []string `json:"cname_chain"`
	DurationMS float64  `json:"duration_ms"`
	Error      string   `json:"error,omitempty"`
	// FQDN is the fully qualified name the answer is for; Searched every
	// name the system resolver asked when resolv.conf's search list applied.
	FQDN     string   `json:"fqdn,omitempty"`
	Searched []string `json:"searched,omitempty"`
	// CNAMELoop: the CNAME chain returns to a name it passed (its last name).
	CNAMELoop bool `json:"cname_loop,omitempty"`
	// Truncated: the UDP answer had the TC flag and was asked again over TCP.
	Truncated bool `json:"truncated,omitempty"`
	// ExtendedErrors are the answer's Extended DNS Errors (RFC 8914).
	ExtendedErrors []DNSExtendedError `json:"extended_errors,omitempty"`
}

// DNSExtendedError is one Extended DNS Error option (RFC 8914 §2).
type DNSExtendedError struct {
	Code int    `json:"code"`
	Name string `json:"name,omitempty"`
	Text string `json:"text,omitempty"`
}

// Target is one address probed.
type Target struct {
	Address string `json:"address"`
	// Dial is the IP:PORT dialled when Address names a host (targets:
	// ["name:port"]); DNS is that name's resolution.
	Dial      string   `json:"dial,omitempty"`
	DNS       *DNS     `json:"dns,omitempty"`
	Status    Status   `json:"status"`
	TCP       *TCP     `json:"tcp"`
	TLS       *TLS     `json:"tls"`
	HTTP      *HTTP    `json:"http"`
	LatencyMS *Latency `json:"latency_ms"`
}

// TCP is one connect.
type TCP struct {
	Status     LayerStatus `json:"status"`
	DurationMS float64     `json:"duration_ms"`
	Error      string      `json:"error,omitempty"`
}

// TLS is one handshake.
type TLS struct {
	Status     LayerStatus `json:"status"`
	DurationMS float64     `json:"duration_ms"`
	Error      string      `json:"error,omitempty"`
	ServerName string      `json:"server_name"` // the name the certificate is verified for
	// SNI is the server name the ClientHello carried; "" when none was
	// sent (server_name is an IP address, which TLS clients never send).
	SNI     string `json:"sni"`
	Version string `json:"version"` // "" when the handshake did not complete
	ALPN    string `json:"alpn"`    // "" when no protocol was negotiated
	// ClientCertRequested: the server asked for a client certificate.
	ClientCertRequested bool  `json:"client_cert_requested,omitempty"`
	Cert                *Cert `json:"cert"`
}

// Cert describes the leaf certificate.
type Cert struct {
	Subject   string    `json:"subject"`
	SANs      []string  `json:"sans"`
	Issuer    string    `json:"issuer"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	DaysLeft  int       `json:"days_left"`
}

// HTTP is one exchange.
type HTTP struct {
	Status      LayerStatus  `json:"status"`
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	StatusCode  int          `json:"status_code"`
	Error       string       `json:"error,omitempty"`
	Server      string       `json:"server,omitempty"`
	Redirects   []string     `json:"redirects,omitempty"`
	BodyPrefix  string       `json:"body_prefix,omitempty"`
	TimingsMS   Timings      `json:"timings_ms"`
	Deprecation *Deprecation `json:"deprecation,omitempty"`
	Sunset      *Sunset      `json:"sunset,omitempty"`

	// Proto is the protocol of the answer ("HTTP/1.1", "HTTP/2.0": what
	// TLS ALPN negotiated); "" when no answer came.
	Proto string `json:"proto,omitempty"`
	// ContentEncoding is the Content-Encoding the body was decoded from
	// before it was checked ("gzip").
	ContentEncoding string `json:"content_encoding,omitempty"`
}

// Timings are phase durations in milliseconds.
type Timings struct {
	DNS      float64 `json:"dns"`
	Connect  float64 `json:"connect"`
	TLS      float64 `json:"tls"`
	TTFB     float64 `json:"ttfb"`
	Transfer float64 `json:"transfer"`
	Total    float64 `json:"total"`
}

// Deprecation is a deprecation signal (issue 4).
type Deprecation struct {
	Raw  string     `json:"raw"`
	Date *time.Time `json:"date,omitempty"`
	Link string     `json:"link,omitempty"`
}

// Sunset is a Sunset header (issue 4).
type Sunset struct {
	Raw      string     `json:"raw"`
	Date     *time.Time `json:"date,omitempty"`
	DaysLeft *int       `json:"days_left,omitempty"`
	Link     string     `json:"link,omitempty"`
}

// Latency is the spread of the samples in milliseconds (nearest-rank percentiles).
type Latency struct {
	Samples int     `json:"samples"`
	Min     float64 `json:"min"`
	P50     float64 `json:"p50"`
	P90     float64 `json:"p90"`
	P99     float64 `json:"p99"`
	Max     float64 `json:"max"`
	Mean    float64 `json:"mean"`
	Stddev  float64 `json:"stddev"`
	// Reconnects counts the samples that re-opened a connection the server
	// had closed after its previous answer (SPEC §3: evidence, not a
	// failure); absent when none did.
	Reconnects int `json:"reconnects,omitempty"`
}

// Finding is one classified fact.
type Finding struct {
	Code     string        `json:"code"`
	Severity Severity      `json:"severity"`
	Layer    catalog.Layer `json:"layer"`
	// Target is the address the finding is about; "" (JSON null) for
	// upstream-level findings (dns, replica_down, dependency, run).
	Target      string         `json:"target"`
	RootCause   bool           `json:"root_cause"`
	Message     string         `json:"message"`
	Evidence    map[string]any `json:"evidence"`
	Remediation []string       `json:"remediation"`
}

// MarshalJSON writes an empty Target as null: the key is always there
// (SPEC §7), and "no target" is not a target named "". Keys keep the
// order of the struct.
func (f Finding) MarshalJSON() ([]byte, error) {
	var target *string
	if f.Target != "" {
		target = &f.Target
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		Code        string         `json:"code"`
		Severity    Severity       `json:"severity"`
		Layer       catalog.Layer  `json:"layer"`
		Target      *string        `json:"target"`
		RootCause   bool           `json:"root_cause"`
		Message     string         `json:"message"`
		Evidence    map[string]any `json:"evidence"`
		Remediation []string       `json:"remediation"`
	}{f.Code, f.Severity, f.Layer, target, f.RootCause, f.Message, f.Evidence, f.Remediation})
	return bytes.TrimRight(b.Bytes(), "\n"), err
}
