package catalog

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Entry is one cause of the catalogue: what `updoc explain CODE` prints and
// what every finding of that code draws its remediation from.
type Entry struct {
	Code  string
	Title string
	// Layers is where the cause is observed; a finding of this code is
	// placed in the first unless its rule says otherwise (load.replica_down
	// is observed in tcp, tls or http).
	Layers []Layer
	// Severity is the default severity; the graph's policy may change it.
	Severity Severity
	// ExplainedByDependency: a failing dependency explains a finding of
	// this code (SPEC §5: gateway.*, http.unavailable, http.server_error,
	// http.timeout, latency.*). Under an unhealthy dependency such a
	// finding is a symptom, not a root cause, and its first step is the
	// Symptom step. DNS, TCP and TLS causes are always the upstream's own.
	ExplainedByDependency bool
	// NeverRootCause: a finding of this code is never a root cause, and
	// never takes down a dependent: dependency.unhealthy (a symptom by
	// definition) and run.* (a probe the run cut short: SPEC §5, the
	// upstream's status is unknown, not unhealthy).
	NeverRootCause bool
	// Meaning says what the cause is and what usually produces it.
	Meaning string
	// Evidence lists what a finding of this code typically carries.
	Evidence []string
	// Remediation holds ordered step templates; render them with Steps.
	// Placeholders are written {{Field}} (see Vars and Placeholders). A
	// step may start with a condition, "{{unless Flag}}": it is left out
	// when that flag of Vars is true (see Conditions).
	Remediation []string
	// Variants are the remediations of particular cases of the cause
	// (Vars.Variant names the one to render).
	Variants []Variant
}

// Variant is the remediation of one particular case of a cause, e.g. a TLS
// handshake the server ended because it wants a client certificate. Its
// steps come first and stand in for the generic steps it replaces; the
// other generic steps follow in their order.
type Variant struct {
	Name string // what a finding names in Vars.Variant: VariantClientCertMissing, ...
	// Steps are step templates, written like Entry.Remediation.
	Steps []string
	// Replaces lists the generic steps (indexes into Entry.Remediation)
	// the variant's steps stand in for: they are left out.
	Replaces []int
}

// Vars are the concrete values remediation templates are filled with. Any
// field may be empty: Steps derives what it can from the others (Host and
// Port from URL, TargetHost and TargetPort from Target, Name and ServerName
// from Host, ...) and shows a generic upper-case placeholder (HOST, PORT,
// RESOLVER, ...) for what stays unknown, which is also what `updoc explain`
// prints when it renders Steps(Vars{}).
type Vars struct {
	Upstream string // upstream name in the graph
	URL      string // the upstream URL, password already redacted
	// URLWritten is the URL as the graph file wrote it, with its ${VAR}
	// references ("" when it has none): {{CurlRequest}} asks for "$VAR".
	URLWritten string
	Scheme     string // http, https, tcp, tls
	Host       string // URL host name or IP, without port
	Port       string // URL port
	Target     string // "IP:PORT" of the target probed
	TargetHost string // host part of Target
	TargetPort string // port part of Target
	// Resolver names the resolver asked as reports do: "system",
	// "system (HOST:PORT)", "HOST:PORT" or "tcp://HOST:PORT".
	Resolver string
	// ResolverServer is the nameserver (HOST:PORT) that resolver reached;
	// "" when the system resolver answered from the hosts file or reached
	// none (commands then use the system resolver too). ResolverTCP: it is
	// asked over TCP only.
	ResolverServer string
	ResolverTCP    bool
	Name           string // DNS name queried
	ServerName     string // TLS SNI
	Path           string // URL path (and query)

	Method string // HTTP method, as the graph gives it
	// Headers and Body are those of the request updoc sent (BodyWritten:
	// the body as the graph file wrote it, when ${VAR} expanded in it), for
	// {{CurlRequest}}.
	Headers     []RequestHeader
	Body        string
	BodyWritten string
	// Insecure: tls.insecure_skip_verify (curl's -k). KeyFile: tls.key_file.
	Insecure bool
	KeyFile  string
	// LabCAFile: CAFile is the demo lab's temporary CA file, gone when the
	// demo exits; commands do not point at it.
	LabCAFile    bool
	Status       string // HTTP status code seen
	RetryAfter   string // Retry-After header value
	MaxLatency   string // expect.max_latency, e.g. "300ms"
	CertMinDays  string // expect.cert_min_days, e.g. "30"
	CertFile     string // tls.cert_file, the client certificate presented
	CAFile       string // tls.ca_file, the CAs the chain is verified against
	Dependencies string // comma-separated unhealthy dependencies
	Product      string // proxy product recognised (Envoy, HAProxy, ...)

	// Proxy is the forward proxy the url is reached through (the proxy
	// key or a proxy variable), as a URL without its credentials; ""
	// for a direct connection. ProxyUser is the user name of its
	// credentials ("" when it has none); ProxyEnv the variable it came
	// from ("" for the proxy key).
	Proxy     string
	ProxyUser string
	ProxyEnv  string

	// CNAMETarget is the name a CNAME of Name's chain points to that does
	// not exist (a dangling CNAME), fully qualified.
	CNAMETarget string

	// The updoc commands a step suggests, as the user can paste them where
	// the report was made (with -f FILE, or as `updoc probe URL`, or
	// `updoc demo --only NAME`). Empty: the generic forms below.
	Check             string // re-runs this upstream alone; default "updoc check --only UPSTREAM"
	CheckDependencies string // re-runs the unhealthy Dependencies; default "updoc check --only DEPENDENCY"
	GraphCheck        string // shows the graph with each node's status; default "updoc graph --check"

	// DependsOn: the upstream declares depends_on in the graph.
	DependsOn bool
	// NoGraph: the run had no graph file (`updoc probe URL...`): nothing
	// says what the upstream depends on.
	NoGraph bool

	// Variant names the remediation variant of the entry to render (see
	// Entry.Variants); "" renders the generic steps.
	Variant string
}

// Placeholders lists every placeholder a remediation template may use.
// The last twenty-five are derived by Steps:
//
//	{{CertFileArg}}  CertFile as one shell word
//	{{CAFileArg}}    CAFile as one shell word
//	{{SNIFlag}}      openssl's "-servername ServerName", nothing when ServerName is an IP address (TLS clients send no SNI for one: RFC 6066 §3)
//	{{SubjectAltName}}  ServerName as a subjectAltName entry: "DNS:NAME" or "IP:ADDRESS"
//	{{HostPort}}     Host:Port (bracketed for IPv6)
//	{{DigServer}}    "@IP -p PORT +tcp" for dig, nothing for the system resolver
//	{{CurlResolve}}  "Host:Port:TargetHost" for curl --resolve
//	{{ResolverHost}} {{ResolverPort}}  ResolverServer's host and port ("RESOLVER_IP", "53" when unknown)
//	{{ProxyBackends}} {{ProxyRoutes}} {{ProxyLogs}} {{ProxyLimits}}  the Product's runbook (proxies.go)
//	{{ProxyAddress}} Proxy's HOST:PORT ("PROXY_HOST:PORT" when unknown)
//	{{CurlProxy}}    curl's arguments to go through Proxy (forwardproxy.go)
//	{{CurlRoute}}    curl's arguments to reach the service as updoc did: through Proxy ({{CurlProxy}}), or "--resolve {{CurlResolve}}"
//	{{CurlConnectTo}}  the same with "--connect-to {{HostPort}}:{{Target}}" for a direct connection
//	{{CurlRequest}}  curl's arguments that send the request updoc sent, route and URL included (curlrequest.go)
//	{{CurlProxyRequest}}  the same through Proxy ({{CurlProxy}})
//	{{TimeOnce}}     a command that times one request: curl's phases for http(s)://, bash's time of nc for tcp://, of openssl s_client for tls://
//	{{TimeEach}}     a command that prints the time of each of 20 requests, likewise
//	{{BackendURL}}   "http://BACKEND_IP:PORT" + Path as one shell word: a backend behind the proxy, to probe directly
//	{{OriginURL}}    "https://" + Host + Path as one shell word (Cloudflare's runbook)
//	{{RetryAfterNote}}  " (Retry-After: VALUE)" when the answer had the header, nothing when it had none
//	{{AndItsDependencies}}  ", and check its dependencies: {{GraphCheck}}" at the end of a step, "." for a run without a graph (NoGraph)
func Placeholders() []string {
	return []string{
		"Upstream", "URL", "Scheme", "Host", "Port", "Target", "TargetHost", "TargetPort",
		"Resolver", "Name", "ServerName", "Path", "Method", "Status", "RetryAfter",
		"MaxLatency", "CertMinDays", "CertFile", "CAFile", "Dependencies", "Product",
		"CNAMETarget",
		"Check", "CheckDependencies", "GraphCheck",
		"CertFileArg", "CAFileArg", "SNIFlag", "SubjectAltName", "HostPort", "DigServer", "CurlResolve",
		"ResolverHost", "ResolverPort",
		"ProxyBackends", "ProxyRoutes", "ProxyLogs", "ProxyLimits",
		"Proxy", "ProxyUser", "ProxyEnv", "ProxyAddress", "CurlProxy", "CurlRoute", "CurlConnectTo",
		"CurlRequest", "CurlProxyRequest", "TimeOnce", "TimeEach",
		"BackendURL", "OriginURL", "RetryAfterNote", "AndItsDependencies",
	}
}

// Conditions lists the flags a remediation step may be conditioned on,
// written at the start of the step as "{{unless Flag}}": the step is left
// out when the flag is true. With Vars{} (`updoc explain`) every flag is
// false, so every step shows.
//
//	DependsOn  the upstream declares depends_on
//	LabCAFile  tls.ca_file is the demo lab's temporary file (a step whose command reads it is left out)
//	NoGraph    the run had no graph file (updoc probe): a step that shows the graph is left out
//	LoopbackTarget  the target is a loopback address (127.0.0.1, ::1): a step about binding to another interface is left out
func Conditions() []string { return []string{"DependsOn", "LabCAFile", "NoGraph", "LoopbackTarget"} }

// flag is the value of condition name; v is complete.
func (v Vars) flag(name string) bool {
	switch name {
	case "DependsOn":
		return v.DependsOn
	case "LabCAFile":
		return v.LabCAFile && v.CAFile != ""
	case "NoGraph":
		return v.NoGraph
	case "LoopbackTarget":
		ip := net.ParseIP(strings.Trim(v.TargetHost, "[]")) // v is complete (Steps)
		return ip != nil && ip.IsLoopback()
	}
	return false
}

var conditionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\{\{unless ([A-Za-z]+)\}\}\s*`) }) // compiled on first use, not at start

// splitCondition splits a template into the flag of its condition ("" when
// it has none) and the step without it.
func splitCondition(t string) (cond, body string) {
	m := conditionRE().FindStringSubmatch(t)
	if m == nil {
		return "", t
	}
	return m[1], t[len(m[0]):]
}

// All returns every entry in SPEC §4 order (copies: changing them does not
// change the catalogue).
func All() []Entry {
	out := make([]Entry, len(entries))
	for i, e := range entries {
		out[i] = e.clone()
	}
	return out
}

// Lookup returns the entry of code.
func Lookup(code string) (Entry, bool) {
	i, ok := index[code]
	if !ok {
		return Entry{}, false
	}
	return entries[i].clone(), true
}

// Get returns the entry of code without copying its lists: for reading
// only, on the hot path of diagnosis (one call per finding). Its slices
// are the catalogue's own; a caller that changes an entry uses Lookup.
func Get(code string) (Entry, bool) {
	i, ok := index[code]
	if !ok {
		return Entry{}, false
	}
	return entries[i], true
}

var index = func() map[string]int {
	m := make(map[string]int, len(entries))
	for i, e := range entries {
		m[e.Code] = i
	}
	return m
}()

func (e Entry) clone() Entry {
	e.Layers = slices.Clone(e.Layers)
	e.Evidence = slices.Clone(e.Evidence)
	e.Remediation = slices.Clone(e.Remediation)
	e.Variants = slices.Clone(e.Variants)
	for i, v := range e.Variants {
		v.Steps = slices.Clone(v.Steps)
		v.Replaces = slices.Clone(v.Replaces)
		e.Variants[i] = v
	}
	return e
}

// HasVariant reports whether the entry has the remediation variant name.
func (e Entry) HasVariant(name string) bool {
	_, ok := e.variant(name)
	return ok
}

func (e Entry) variant(name string) (Variant, bool) {
	for _, v := range e.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// templates are the step templates to render for variant name: the
// variant's steps, then the generic steps it does not replace; the
// generic steps for "" or a name the entry does not have.
func (e Entry) templates(name string) []string {
	v, ok := e.variant(name)
	if !ok {
		return e.Remediation
	}
	out := slices.Clone(v.Steps)
	for i, t := range e.Remediation {
		if !slices.Contains(v.Replaces, i) {
			out = append(out, t)
		}
	}
	return out
}

// Layer is the layer a finding of this code is placed in by default.
func (e Entry) Layer() Layer {
	if len(e.Layers) == 0 {
		return ""
	}
	return e.Layers[0]
}

// LayerText names where the cause is observed, as explain prints it:
// "tls", or "tcp/tls/http".
func (e Entry) LayerText() string {
	parts := make([]string, len(e.Layers))
	for i, l := range e.Layers {
		parts[i] = string(l)
	}
	return strings.Join(parts, "/")
}

// Steps renders the remediation templates with v — those of the variant
// v.Variant names, else the generic ones — leaving out the steps whose
// condition is not met. A value that is unknown is shown as a generic
// placeholder (HOST, PORT, NAME, CERT_MIN_DAYS, ...), never as an empty
// string, "<no value>" or a default of the graph's.
//
// Each template is parsed once per timing form and runbook (stepfill.go);
// a value is computed only when a step of the finding uses it.
func (e Entry) Steps(v Vars) []string {
	f := filler{v: v.complete()}
	kind, book := timingKind(f.v.Scheme), runbookKey(v.Product)
	templates := e.templates(v.Variant)
	out := make([]string, 0, len(templates))
	for _, t := range templates {
		p := parsedStep(t, kind, book)
		if p.cond != "" && f.v.flag(p.cond) {
			continue
		}
		step := f.render(p.parts)
		if p.curlRequest && v.LabCAFile && v.CAFile != "" {
			step = withProseNote(step, labCANote)
		}
		out = append(out, noteStdinGraph(step))
	}
	return out
}

// fills are the placeholders Vars fill, in the order they are matched at
// one position (a longer one first: "{{CheckDependencies}}" before
// "{{Check}}", "{{DigServer}} " with its space before "{{DigServer}}").
// Their values are not scanned again for placeholders.
//
// A fill's kind says how the machinery writes its value (placed): a fact
// is quoted as one shell word wherever it stands in a command, a fill that
// builds shell words quotes the facts in them itself, an updoc command
// goes as it is.
var fills = []struct {
	key   string
	kind  fillKind
	value func(f *filler) string
}{
	{"{{CheckDependencies}}", commandFill, func(f *filler) string {
		return orWords(f.v.CheckDependencies, "updoc check --only "+ShellQuote(or(f.v.Dependencies, "DEPENDENCY")))
	}},
	{"{{Check}}", commandFill, func(f *filler) string {
		return orWords(f.v.Check, "updoc check --only "+ShellQuote(or(f.v.Upstream, "UPSTREAM")))
	}},
	{"{{GraphCheck}}", commandFill, (*filler).graphCheck},
	{"{{DigServer}} ", wordsFill, (*filler).dig},
	{"{{DigServer}}", wordsFill, func(f *filler) string { return strings.TrimSpace(f.dig()) }},
	{"{{HostPort}}", factFill, (*filler).hostPort},
	{"{{CurlResolve}}", factFill, (*filler).curlResolve},
	{"{{Upstream}}", factFill, func(f *filler) string { return or(f.v.Upstream, "UPSTREAM") }},
	{"{{URL}}", wordsFill, func(f *filler) string { return urlArg(f.v.URL) }},
	{"{{Scheme}}", factFill, func(f *filler) string { return or(f.v.Scheme, "SCHEME") }},
	{"{{Host}}", factFill, func(f *filler) string { return or(f.v.Host, "HOST") }},
	{"{{Port}}", factFill, func(f *filler) string { return or(f.v.Port, "PORT") }},
	{"{{Target}}", factFill, (*filler).target},
	{"{{TargetHost}}", factFill, func(f *filler) string { return or(f.v.TargetHost, "IP") }},
	{"{{TargetPort}}", factFill, func(f *filler) string { return or(f.v.TargetPort, "PORT") }},
	{"{{ResolverHost}}", wordsFill, func(f *filler) string {
		if h, _ := f.resolverHostPort(); h != systemNameserver {
			return ShellQuote(h)
		}
		return systemNameserver
	}},
	{"{{ResolverPort}}", factFill, func(f *filler) string { _, p := f.resolverHostPort(); return p }},
	{"{{Resolver}}", factFill, func(f *filler) string { return or(f.v.Resolver, "RESOLVER") }},
	{"{{Name}}", factFill, func(f *filler) string { return or(f.v.Name, "NAME") }},
	{"{{CNAMETarget}}", factFill, func(f *filler) string { return or(f.v.CNAMETarget, "TARGET") }},
	{"{{ServerName}}", factFill, func(f *filler) string { return or(f.v.ServerName, "NAME") }},
	{"{{Path}}", factFill, func(f *filler) string { return orWords(f.v.Path, "/") }},
	{"{{BackendURL}}", wordsFill, func(f *filler) string { return ShellQuote("http://BACKEND_IP:PORT" + orWords(f.v.Path, "/")) }},
	{"{{OriginURL}}", wordsFill, func(f *filler) string { return ShellQuote("https://" + or(f.v.Host, "HOST") + orWords(f.v.Path, "/")) }},
	{"{{Method}}", factFill, func(f *filler) string { return or(f.v.Method, "METHOD") }},
	{"{{Status}}", factFill, func(f *filler) string { return or(f.v.Status, "STATUS") }},
	{"{{RetryAfter}}", factFill, func(f *filler) string { return or(f.v.RetryAfter, "RETRY_AFTER") }},
	{"{{RetryAfterNote}}", proseFill, func(f *filler) string { return retryAfterNote(f.v.RetryAfter) }},
	{"{{AndItsDependencies}}", commandFill, func(f *filler) string { return andItsDependencies(f.v.NoGraph, f.graphCheck()) }},
	{"{{MaxLatency}}", factFill, func(f *filler) string { return or(f.v.MaxLatency, "MAX_LATENCY") }},
	{"{{CertMinDays}}", factFill, func(f *filler) string { return or(f.v.CertMinDays, "CERT_MIN_DAYS") }},
	{"{{CertFileArg}}", wordsFill, func(f *filler) string {
		if f.v.CertFile != "" {
			return ShellQuote(f.v.CertFile)
		}
		return unknown("CERT_FILE")
	}},
	{"{{CertFile}}", factFill, func(f *filler) string { return or(f.v.CertFile, "CERT_FILE") }},
	{"{{CAFileArg}}", wordsFill, func(f *filler) string {
		if f.v.CAFile != "" {
			return ShellQuote(f.v.CAFile)
		}
		return unknown("CA_FILE")
	}},
	{"{{CAFile}}", factFill, func(f *filler) string { return caFileText(f.v) }},
	{"{{SNIFlag}} ", wordsFill, func(f *filler) string { flag, _ := sniArgs(f.v.ServerName); return flag }},
	{"{{SNIFlag}}", wordsFill, func(f *filler) string { flag, _ := sniArgs(f.v.ServerName); return strings.TrimSpace(flag) }},
	{"{{SubjectAltName}}", factFill, func(f *filler) string { _, san := sniArgs(f.v.ServerName); return san }},
	{"{{Dependencies}}", factFill, func(f *filler) string { return or(f.v.Dependencies, "DEPENDENCY") }},
	{"{{Product}}", factFill, func(f *filler) string { return orWords(f.v.Product, "the proxy") }},
	{"{{ProxyAddress}}", factFill, func(f *filler) string { return proxyAddress(f.v.Proxy) }},
	{"{{ProxyUser}}", factFill, func(f *filler) string { return or(f.v.ProxyUser, "USER") }},
	{"{{ProxyEnv}}", factFill, func(f *filler) string { return orWords(f.v.ProxyEnv, "https_proxy") }},
	{"{{CurlProxy}}", wordsFill, func(f *filler) string { return curlProxy(f.v) }},
	{"{{CurlRoute}}", wordsFill, func(f *filler) string { return curlRoute(f.v, f.resolveArgs()) }},
	{"{{CurlConnectTo}}", wordsFill, func(f *filler) string { return curlRoute(f.v, f.connectToArgs()) }},
	{"{{CurlRequest}}", wordsFill, func(f *filler) string {
		return curlRequest(f.v, curlRoute(f.v, directRoute(f.v, f.resolveArgs(), f.connectToArgs())))
	}},
	{"{{CurlProxyRequest}}", wordsFill, func(f *filler) string { return curlRequest(f.v, curlProxy(f.v)) }},

	{"{{Proxy}}", factFill, func(f *filler) string { return or(f.v.Proxy, "PROXY_URL") }},
}

// filler fills the placeholders of one finding's steps: v is complete,
// and each value is computed once, the first time a step uses it.
type filler struct {
	v      Vars
	done   [64]bool
	values [64]string
}

func (f *filler) value(i int) string {
	if !f.done[i] {
		f.values[i], f.done[i] = fills[i].value(f), true
	}
	return f.values[i]
}

// resolveArgs is curl's --resolve to the target probed.
func (f *filler) resolveArgs() string { return "--resolve " + ShellQuote(f.curlResolve()) }

// connectToArgs is curl's --connect-to from the URL's host and port to
// the target probed.
func (f *filler) connectToArgs() string {
	return "--connect-to " + ShellQuote(f.hostPort()+":"+f.target())
}

// render joins the parts of a parsed step with their values, each written
// for where it stands (placed).
func (f *filler) render(parts []stepPart) string {
	if len(parts) == 1 && parts[0].fill < 0 {
		return parts[0].text
	}
	n := 0
	for _, p := range parts {
		if p.fill < 0 {
			n += len(p.text)
		} else {
			n += len(f.place(p))
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range parts {
		if p.fill < 0 {
			b.WriteString(p.text)
		} else {
			b.WriteString(f.place(p))
		}
	}
	return b.String()
}

// place is the value of fill part p as written where it stands.
func (f *filler) place(p stepPart) string {
	return placed(fills[p.fill].kind, p.at, f.value(p.fill))
}

// or is s, or the generic placeholder def when s is unknown.
func or(s, def string) string {
	if s == "" {
		return unknown(def)
	}
	return s
}

// orWords: an unknown value shown in words or as a sound default, not as
// a placeholder.
func orWords(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (f *filler) graphCheck() string { return orWords(f.v.GraphCheck, "updoc graph --check") }

// dig is {{DigServer}} followed by its space: for the system resolver
// the whole "{{DigServer}} " disappears.
func (f *filler) dig() string {
	if f.v.Resolver == "" {
		return "@" + unknown("RESOLVER") + " "
	}
	dig := digServer(f.v.ResolverServer, f.v.ResolverTCP)
	if dig != "" {
		dig += " "
	}
	return dig
}

func (f *filler) hostPort() string {
	if f.v.Host != "" && f.v.Port != "" {
		return net.JoinHostPort(f.v.Host, f.v.Port)
	}
	return unknown("HOST:PORT")
}

func (f *filler) curlResolve() string {
	ip := or(f.v.TargetHost, "IP")
	if strings.Contains(ip, ":") {
		ip = "[" + ip + "]"
	}
	return or(f.v.Host, "HOST") + ":" + or(f.v.Port, "PORT") + ":" + ip
}

func (f *filler) target() string { return or(f.v.Target, "IP:PORT") }

func (f *filler) resolverHostPort() (host, port string) {
	host, port = unknown("RESOLVER_IP"), "53"
	if f.v.Resolver != "" && f.v.ResolverServer == "" {
		// The system resolver, whose nameserver the run did not reach:
		// the first one of resolv.conf, as the shell can name it.
		host = systemNameserver
	}
	if f.v.ResolverServer != "" {
		host = f.v.ResolverServer
		if h, p, err := net.SplitHostPort(f.v.ResolverServer); err == nil {
			host, port = h, p
		}
	}
	return host, port
}

// complete fills what can be derived from the other fields.
func (v Vars) complete() Vars {
	if v.URL != "" && (v.Scheme == "" || v.Host == "" || v.Port == "" || v.Path == "") {
		if u, err := url.Parse(v.URL); err == nil {
			if v.Scheme == "" {
				v.Scheme = u.Scheme
			}
			if v.Host == "" {
				v.Host = u.Hostname()
			}
			if v.Port == "" {
				v.Port = u.Port()
				if v.Port == "" {
					switch u.Scheme {
					case "http":
						v.Port = "80"
					case "https":
						v.Port = "443"
					}
				}
			}
			if v.Path == "" {
				v.Path = u.RequestURI()
			}
		}
	}
	if v.Target != "" && (v.TargetHost == "" || v.TargetPort == "") {
		if h, p, err := net.SplitHostPort(v.Target); err == nil {
			if v.TargetHost == "" {
				v.TargetHost = h
			}
			if v.TargetPort == "" {
				v.TargetPort = p
			}
		}
	}
	if v.TargetHost == "" {
		v.TargetHost = v.Host
	}
	if v.TargetPort == "" {
		v.TargetPort = v.Port
	}
	if v.Target == "" && v.TargetHost != "" && v.TargetPort != "" {
		v.Target = net.JoinHostPort(v.TargetHost, v.TargetPort)
	}
	if v.Name == "" {
		v.Name = v.Host
	}
	if v.ServerName == "" {
		v.ServerName = v.Host
	}
	return v
}

// systemNameserver is the first nameserver of /etc/resolv.conf, as a
// shell word ({{ResolverHost}} of the system resolver when no nameserver
// of it was reached).
const systemNameserver = `"$(awk '/^nameserver/ {print $2; exit}' /etc/resolv.conf)"`

// retryAfterNote is " (Retry-After: 30)" for a Retry-After header of
// value, "" when the answer had none: a step reads well without it.
func retryAfterNote(value string) string {
	if value == "" {
		return ""
	}
	return " (Retry-After: " + proseValue(value) + ")"
}

// andItsDependencies ends a step with the command that shows what the
// upstream depends on — ", and check its dependencies: updoc graph
// --check" — or, for a run without a graph (updoc probe), with ".".
func andItsDependencies(noGraph bool, graphCheck string) string {
	if noGraph {
		return "."
	}
	return ", and check its dependencies: " + graphCheck
}

// unknown is how a value no fact gave is shown: its generic upper-case
// name (HOST, PORT, RETRY_AFTER, ...). Tests mark it to find the steps
// where one would reach a finding.
var unknown = func(name string) string { return name }

// sniArgs are openssl's SNI argument for server name name, followed by a
// space ("-servername NAME "; nothing for an IP address, for which TLS
// clients — updoc, curl, openssl s_client given no -servername — send no
// SNI: RFC 6066 §3), and name as a subjectAltName entry ("DNS:NAME",
// "IP:ADDRESS"). An unknown name is NAME.
func sniArgs(name string) (flag, san string) {
	if name == "" {
		name = unknown("NAME")
	}
	if net.ParseIP(strings.Trim(name, "[]")) != nil {
		return "", "IP:" + strings.Trim(name, "[]")
	}
	return "-servername " + ShellQuote(name) + " ", "DNS:" + name
}

// digServer is dig's server arguments for a nameserver: "@IP", plus
// "-p PORT" when not 53 and "+tcp" for a TCP-only resolver; "" (the system
// resolver) when there is no nameserver.
func digServer(server string, tcp bool) string {
	if server == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(server)
	if err != nil {
		host, port = server, "53"
	}
	s := "@" + ShellQuote(host)
	if port != "53" {
		s += " -p " + ShellQuote(port)
	}
	if tcp {
		s += " +tcp"
	}
	return s
}

// urlArg is the URL as one shell word (quoted when it holds & ? * and the
// like), so a pasted command gets it whole.
func urlArg(u string) string {
	if u == "" {
		return unknown("URL")
	}
	return ShellQuote(u)
}

// RerunWith returns how remediation steps re-run upstreams with a command
// prefix: the prefix alone for the whole run, and prefix + " --only a,b"
// for upstreams a and b (`updoc demo` uses RerunWith("updoc demo")).
func RerunWith(prefix string) func(upstreams ...string) string {
	return func(upstreams ...string) string {
		if len(upstreams) == 0 {
			return prefix
		}
		return prefix + " --only " + ShellQuote(strings.Join(upstreams, ","))
	}
}

// ShellQuote is s as one shell word whose value is s, on one line: as it
// is when it holds only plain word characters, else in single quotes, or
// as bash's $'...' (which zsh and ksh read too) when it holds line breaks
// or other control characters. It is the one quoting function of the
// commands updoc prints: the template machinery writes every fact of a
// command with it (placed), and the fills that build words use it.
func ShellQuote(s string) string {
	if s == "" {
		return "''"
	}
	plain := s[0] != '=' // zsh expands a word that starts with = to a program's path
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_@%+=:,./-", r)) {
			plain = false
			break
		}
	}
	switch {
	case plain:
		return s
	case strings.ContainsFunc(s, isControl) || !utf8.ValidString(s):
		return ansiCQuote(s)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// isControl: r is a C0 control character or DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// ansiCQuote is s in bash's $'...' quotes, each control character and
// each byte that is not UTF-8 escaped, so that the word stays on one line.
func ansiCQuote(s string) string {
	var b strings.Builder
	b.WriteString("$'")
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteString(`\x` + string("0123456789abcdef"[s[i]>>4]) + string("0123456789abcdef"[s[i]&0xf]))
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case isControl(r):
			b.WriteString(`\x` + string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&0xf]))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
