// Package probe gathers facts about upstreams, layer by layer (SPEC §3).
//
// It never decides a cause code and never prints: it records what happened
// (rcode, answers, the error value, status, headers, body prefix, timings) in
// the plain structs of types.go. Error values keep their types (*net.OpError,
// syscall.Errno, x509 errors, context.DeadlineExceeded, ...) so that package
// diagnose can classify them with errors.Is / errors.As.
//
// One file per layer (dns.go, tcp.go, tls.go, http.go, latency.go), each a
// function of one shape (layerFunc) that records its facts in the target's
// result; run.go fans out over upstreams and targets under a concurrency
// limit and the run's context. A target has one connection (carry.go): the
// tcp layer makes it, the tls layer's handshake, the http layer's request
// and the latency samples run on it, and a sample dials again when the
// server closed it. The http layer's request has helpers of its own: the
// connection of a redirect to another origin (httpconn.go: direct or
// through a proxy, the TLS handshake of every hop), what the server sent (httpwire.go), the body
// and its Content-Encoding (httpbody.go) and the phase times
// (httptrace.go); proxy.go opens tunnels through proxies (CONNECT,
// SOCKS5) for every layer. Every name is resolved through the
// upstream's resolvers (the resolver interface: a DNS server asked with
// miekg/dns, or the system resolver of sysresolver.go: the hosts file, then
// resolv.conf's nameservers, search list and ndots), never by Go's own
// resolver, and each question once per run (dnscache.go); the tls files
// are read once per run too (files.go).
//
// It imports graph (what to probe), catalog (the layer names) and version
// (the User-Agent); never diagnose, report, tui, cli or engine.
package probe
