package graph

import "time"

// The built-in defaults of the graph: what a key is when neither the
// upstream nor defaults: sets it. This file is the only place they are
// written; callers that need one (the --timeout and --samples flags) use
// these names.
const (
	DefaultMethod      = "GET"
	DefaultMaxBody     = 1 << 20 // bytes
	DefaultCertMinDays = 14
	DefaultIPFamily    = IPFamilyAny
	DefaultTimeout     = 5 * time.Second
	DefaultSamples     = 10
	DefaultProxy       = ProxyNone
)

// DefaultStatus is expect.status when neither the upstream nor defaults
// sets it: 2xx and 3xx (the status before redirects are followed).
func DefaultStatus() []StatusRange { return []StatusRange{{200, 299}, {300, 399}} }

// builtin returns an upstream that holds every built-in default and nothing
// else (no name, no url): what build starts from before it applies
// defaults: and the upstream's own keys, and what FromURLs gives each URL.
// Lists are empty rather than nil.
func builtin() *Upstream {
	return &Upstream{
		DependsOn:       []string{},
		Method:          DefaultMethod,
		Headers:         []Header{},
		Expect:          Expect{Status: DefaultStatus(), CertMinDays: DefaultCertMinDays},
		Resolvers:       []Resolver{SystemResolver},
		Timeout:         DefaultTimeout,
		Samples:         DefaultSamples,
		FollowRedirects: true,
		MaxBody:         DefaultMaxBody,
		IPFamily:        DefaultIPFamily,
		Proxy:           Proxy{Mode: DefaultProxy},
		Tags:            []string{},
	}
}
