package graph

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/updoc/updoc/internal/safefile"
	"github.com/updoc/updoc/pkg/catalog"
)

// Request is what `updoc probe`'s curl-style switches (SPEC §1) say about
// every URL of the command line. Each switch maps onto a key of the graph
// file (SPEC §2) and applies to the URLs whose scheme uses that key; a
// switch that no URL can use is an error. The zero value changes nothing.
type Request struct {
	Method     string   // -X: method
	Headers    []string // -H "Name: value": headers (a later one of the same name wins)
	Body       *string  // -d: body; "@FILE" reads FILE (as curl does); nil: none given
	Resolvers  []string // --resolver: resolvers
	CAFile     string   // --cacert: tls.ca_file (relative to the working directory)
	Insecure   bool     // -k: tls.insecure_skip_verify
	ServerName string   // --server-name: tls.server_name
	Proxy      string   // --proxy: proxy (none, env or a proxy URL)
	// Samples is --samples when it was given: for an upstream whose
	// method writes, it is the upstream's own samples key (SafeToRepeat).
	Samples *int
	// Timeout is --timeout when it was given. The run applies it (see
	// Graph.WithRunSettings); a command that repeats the probe repeats it.
	Timeout *time.Duration
	// Env looks the proxy variables up (nil: none is set).
	Env func(string) (string, bool)
}

// requestSwitch is one switch of a Request as it applies to an upstream.
type requestSwitch struct {
	flag    string // how messages name it: "-X", "--cacert"
	given   bool
	schemes []Scheme // the schemes that use it (nil: all)
	apply   func(*Upstream)
}

// FromURLsWith is FromURLs with the switches of req applied to each URL.
// Every bad switch is reported, each naming the switch.
func FromURLsWith(urls []string, req Request) (*Graph, error) {
	g, err := FromURLs(urls)
	if err != nil {
		return nil, err
	}
	switches, err := req.switches(g.Dir)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, s := range switches {
		if !s.given {
			continue
		}
		applied := false
		for _, u := range g.Upstreams {
			if s.schemes == nil || slices.Contains(s.schemes, u.Scheme()) {
				s.apply(u)
				applied = true
			}
		}
		if !applied {
			errs = append(errs, fmt.Errorf("%s applies to %s URLs and none was given; drop %s", s.flag, schemeList(s.schemes), s.flag))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	g.Switches = req.words()
	proxyEnv := ReadProxyEnv(req.lookupEnv)
	for _, u := range g.Upstreams {
		u.Proxy.Env = proxyEnv
		u.ownSamples = req.Samples != nil
		switch {
		case req.Samples != nil:
			u.Samples = *req.Samples
		case !u.SafeToRepeat():
			u.Samples = 0 // latency samples never repeat a write by surprise
		}
	}
	return g, nil
}

func (req Request) lookupEnv(name string) (string, bool) {
	if req.Env == nil {
		return "", false
	}
	return req.Env(name)
}

// switches checks every switch of req and returns them, ready to apply;
// dir is where a relative --cacert is found.
func (req Request) switches(dir string) ([]requestSwitch, error) {
	var errs []error
	bad := func(flag, value, problem string) {
		errs = append(errs, fmt.Errorf("invalid %s %s: %s", flag, strconv.Quote(value), problem))
	}

	method := req.Method
	if method != "" && !isToken(method) {
		bad("-X", method, "want an HTTP method like GET, HEAD or POST")
	}
	var headers []Header
	for _, h := range req.Headers {
		hdr, problem := parseHeaderSwitch(h)
		if problem != "" {
			bad("-H", h, problem)
			continue
		}
		headers = mergeHeaders(headers, []Header{hdr})
	}
	var body string
	if req.Body != nil {
		body = *req.Body
		if file, ok := strings.CutPrefix(body, "@"); ok {
			data, err := safefile.Read(absPath(dir, file), safefile.BodyLimit)
			if err != nil {
				problem, _ := fileProblem(err, "a request body", "name a regular file")
				bad("-d", body, "cannot read the body from "+file+": "+problem)
			}
			body = string(data)
		}
		if method == "" {
			method = "POST" // as curl does: a body is POSTed unless -X says otherwise
		}
	}
	var resolvers []Resolver
	for _, r := range req.Resolvers {
		res, problem := ParseResolver(r)
		if problem != "" {
			bad("--resolver", r, problem+`; want "system", HOST, HOST:PORT, udp://HOST:PORT or tcp://HOST:PORT`)
			continue
		}
		resolvers = append(resolvers, res)
	}
	caFile := absPath(dir, req.CAFile)
	if req.CAFile != "" {
		if err := safefile.Check(caFile, safefile.PEMLimit); err != nil {
			bad("--cacert", req.CAFile, tlsFileProblem(caFile, err))
		}
	}
	if req.ServerName != "" && checkServerName(req.ServerName) != "" {
		bad("--server-name", req.ServerName, "want a host name such as api.example.com")
	}
	var proxy Proxy
	if req.Proxy != "" {
		switch ProxyMode(req.Proxy) {
		case ProxyNone, ProxyFromEnv:
			proxy.Mode = ProxyMode(req.Proxy)
		default:
			u, problem := ParseProxyURL(req.Proxy)
			if problem != "" {
				bad("--proxy", redactURL(req.Proxy), problem+"; want none, env or a proxy URL like http://HOST:PORT or socks5://HOST:PORT")
			}
			proxy = Proxy{Mode: ProxyURL, URL: u, FromFlag: true}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	return []requestSwitch{
		{"-X", method != "", httpSchemes, func(u *Upstream) { u.Method = method }},
		{"-H", len(headers) > 0, httpSchemes, func(u *Upstream) { u.Headers = mergeHeaders(u.Headers, headers) }},
		{"-d", req.Body != nil, httpSchemes, func(u *Upstream) { u.Body = body }},
		{"--resolver", len(resolvers) > 0, nil, func(u *Upstream) { u.Resolvers = slices.Clone(resolvers) }},
		{"--cacert", req.CAFile != "", tlsTrustSchemes, func(u *Upstream) { u.TLS.CAFile = caFile }},
		{"-k", req.Insecure, tlsTrustSchemes, func(u *Upstream) { u.TLS.InsecureSkipVerify = true }},
		{"--server-name", req.ServerName != "", tlsSchemes, func(u *Upstream) { u.TLS.ServerName = req.ServerName }},
		{"--proxy", req.Proxy != "", httpSchemes, func(u *Upstream) { u.Proxy.Mode, u.Proxy.URL, u.Proxy.FromFlag = proxy.Mode, proxy.URL, proxy.FromFlag }},
	}, nil
}

// words are the switches of req as shell words, as a command that repeats
// the probe gives them: a secret header's value is [redacted].
func (req Request) words() []string {
	var out []string
	add := func(flag, value string) { out = append(out, flag, catalog.ShellQuote(value)) }
	for _, r := range req.Resolvers {
		add("--resolver", r)
	}
	if req.CAFile != "" {
		add("--cacert", req.CAFile)
	}
	if req.Insecure {
		out = append(out, "-k")
	}
	if req.ServerName != "" {
		add("--server-name", req.ServerName)
	}
	if req.Proxy != "" {
		add("--proxy", redactURL(req.Proxy))
	}
	if req.Method != "" {
		add("-X", req.Method)
	}
	for _, h := range req.Headers {
		if hdr, problem := parseHeaderSwitch(h); problem == "" && hdr.Secret {
			h = hdr.Name + ": [redacted]"
		}
		add("-H", h)
	}
	if req.Body != nil {
		add("-d", *req.Body)
	}
	if req.Timeout != nil {
		add("--timeout", req.Timeout.String())
	}
	if req.Samples != nil {
		add("--samples", strconv.Itoa(*req.Samples))
	}
	return out
}

// parseHeaderSwitch parses -H's "Name: value" (curl's form).
func parseHeaderSwitch(s string) (Header, string) {
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		return Header{}, "want 'Name: value'"
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if !isToken(name) {
		return Header{}, "the header name " + strconv.Quote(name) + " is not valid (letters, digits and !#$%&'*+.^_`|~-, no spaces); want 'Name: value'"
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return Header{}, "a header value must not contain line breaks or NUL"
	}
	return Header{Name: name, Value: value, Secret: isSecretHeader(name)}, ""
}

// schemeList names schemes for a message: "http:// or https://".
func schemeList(schemes []Scheme) string {
	parts := make([]string, len(schemes))
	for i, s := range schemes {
		parts[i] = string(s) + "://"
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// pathErr is what went wrong with a file, without the path the message
// names already.
// fileProblem words an error from safefile for a message: "it is a
// directory, not a regular file; HINT" or "it is larger than the 1 MiB
// limit for WHAT; HINT" (ok); any other error is worded by pathErr.
func fileProblem(err error, what, hint string) (problem string, ok bool) {
	var nr *safefile.NotRegularError
	var tl *safefile.TooLargeError
	switch {
	case errors.As(err, &nr):
		return "it is " + nr.Kind + ", not a regular file; " + hint, true
	case errors.As(err, &tl):
		return "it is larger than the " + safefile.Size(tl.Limit) + " limit for " + what + "; " + hint, true
	}
	return pathErr(err), false
}

func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
