package diagnose

import (
	"net"
	"strconv"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// diagnosis is what every rule of one diagnosis reads: the clock, the
// graph's policy and the updoc commands remediation suggests. It is built
// once by newDiagnosis and never changed.
type diagnosis struct {
	now    time.Time // for certificate days_left and sunset dates
	policy graph.Policy
	cmds   commands
	// labCAFile is the demo lab's temporary CA file ("" outside the demo):
	// commands do not point at it.
	labCAFile string
	// workers is how many goroutines the per-upstream steps run on
	// (acrossCores; 0: GOMAXPROCS).
	workers int
}

// subject is one upstream under diagnosis: its graph node and the facts
// probe gathered about it. Rules read it and never change it.
type subject struct {
	*diagnosis
	up    *graph.Upstream
	res   *probe.Result
	order int // position in the report: graph order, then result order
	// samples is each target's latency samples judged, and their
	// statistics, made once by newSubject: the latency rules and the
	// report all read them (see samplesOf).
	samples []targetSamples
}

// targetSamples is one target's latency samples judged (judgeSamples) and
// the statistics of those that passed (nil when none did).
type targetSamples struct {
	judged samplesJudged
	stats  *report.Latency
}

// newSubject is the subject of up and its result res.
func newSubject(d *diagnosis, up *graph.Upstream, res *probe.Result, order int) *subject {
	s := &subject{diagnosis: d, up: up, res: res, order: order}
	s.samples = make([]targetSamples, len(res.Targets))
	for i := range res.Targets {
		j := judgeSamples(s, i)
		s.samples[i] = targetSamples{judged: j, stats: latencyStats(j.passed)}
	}
	return s
}

// samplesOf is target i's latency samples judged, and the statistics of
// those that passed; shared, never to be changed. A subject not made by
// newSubject judges them on each call.
func (s *subject) samplesOf(i int) targetSamples {
	if i < len(s.samples) {
		return s.samples[i]
	}
	j := judgeSamples(s, i)
	return targetSamples{judged: j, stats: latencyStats(j.passed)}
}

// target is the facts of target i.
func (s *subject) target(i int) *probe.TargetResult { return &s.res.Targets[i] }

func (s *subject) hasTLS() bool  { return s.up.Scheme().HasTLS() }
func (s *subject) hasHTTP() bool { return s.up.Scheme().HasHTTP() }

// addrOf names target i in messages: its address, followed by the address
// dialled when the target names a host ("h.test:8080 (10.0.0.7:8080)").
func (s *subject) addrOf(i int) string {
	t := s.target(i)
	if t.Dial != "" && t.Dial != t.Address {
		return t.Address + " (" + t.Dial + ")"
	}
	return t.Address
}

// displayURL is the upstream's URL with its password redacted.
func (s *subject) displayURL() string {
	if s.up.URL != nil {
		return graph.RedactedURL(graph.ShownURL(s.up.URL))
	}
	return redactURL(s.up.RawURL)
}

// dnsFailed: target i names a host that did not resolve (its lower layers
// did not run).
func (s *subject) dnsFailed(i int) bool {
	t := s.target(i)
	return t.Name != "" && t.Dial == "" && t.DNS != nil && t.TCP == nil
}

// targetDNSRan: some target names a host and its resolution ran.
func (s *subject) targetDNSRan() bool {
	for _, t := range s.res.Targets {
		if t.DNS != nil && len(t.DNS.Queries) > 0 {
			return true
		}
	}
	return false
}

// serverName is the TLS server name target i was asked for: the one the
// tls layer sent, else the upstream's.
func (s *subject) serverName(i int, tr *probe.TLSResult) string {
	if tr != nil && tr.ServerName != "" {
		return tr.ServerName
	}
	return s.vars(i).ServerName
}

// within says how long an operation that timed out waited: "within the 5s
// timeout" when the upstream's timeout is known and the operation ran
// (about) that long, else the time measured ("within 301ms": an OS-level
// timeout that came earlier, or a timeout updoc was not told). It adds
// timeout_ms to ev when it names the timeout.
func (s *subject) within(took time.Duration, ev map[string]any) string {
	if t := s.up.Timeout; t > 0 && took >= t*9/10 {
		if ev != nil {
			ev["timeout_ms"] = ms(t)
		}
		return "within the " + t.String() + " timeout"
	}
	return "within " + fmtMS(took)
}

// vars are the remediation values of the upstream, and of target i when
// i >= 0: what the catalogue's templates are filled with.
func (s *subject) vars(i int) catalog.Vars {
	v := catalog.Vars{
		Upstream:    s.up.Name,
		URL:         s.displayURL(),
		URLWritten:  s.up.URLWritten,
		Method:      s.up.Method,
		CertMinDays: strconv.Itoa(s.up.Expect.CertMinDays),
		CertFile:    s.up.TLS.CertFile,
		KeyFile:     s.up.TLS.KeyFile,
		CAFile:      s.up.TLS.CAFile,
		LabCAFile:   s.labCAFile != "" && s.up.TLS.CAFile == s.labCAFile,
		Insecure:    s.up.TLS.InsecureSkipVerify,
		Headers:     requestHeaders(s.up.Headers),
		Body:        s.up.Body,
		BodyWritten: s.up.BodyWritten,
	}
	if s.up.URL != nil {
		v.Scheme = s.up.URL.Scheme
		v.Host = s.up.URL.Hostname()
		v.Port = s.up.URL.Port()
		v.Path = s.up.URL.RequestURI()
		v.Name = v.Host
		v.ServerName = v.Host
	}
	if s.up.TLS.ServerName != "" {
		v.ServerName = s.up.TLS.ServerName
	}
	if s.res.DNS != nil && s.res.DNS.Name != "" {
		v.Name = s.res.DNS.Name
		if len(s.res.DNS.Queries) > 0 {
			setResolver(&v, s.res.DNS.Queries[0])
		}
	}
	if s.up.Expect.MaxLatency > 0 {
		v.MaxLatency = s.up.Expect.MaxLatency.String()
	}
	v.Check = s.cmds.rerun(s.up.Name)
	v.GraphCheck = s.cmds.graphCheck
	v.DependsOn = len(s.up.DependsOn) > 0
	v.NoGraph = s.cmds.noGraph
	setProxyVars(&v, s.res.Proxy)
	if i >= 0 && i < len(s.res.Targets) {
		t := s.target(i)
		// Commands connect to the address probe dialled: the one the
		// target's name resolved to, when it names a host.
		setTarget(&v, t.DialAddress())
		if t.DNS != nil && t.DNS.Name != "" {
			v.Name = t.DNS.Name
			if len(t.DNS.Queries) > 0 {
				setResolver(&v, t.DNS.Queries[0])
			}
		}
		if t.TLS != nil && t.TLS.ServerName != "" {
			v.ServerName = t.TLS.ServerName
		}
	}
	return v
}

// requestHeaders are the upstream's headers as commands send them.
func requestHeaders(hs []graph.Header) []catalog.RequestHeader {
	if len(hs) == 0 {
		return nil
	}
	out := make([]catalog.RequestHeader, len(hs))
	for i, h := range hs {
		out[i] = catalog.RequestHeader{Name: h.Name, Value: h.Value, Secret: h.Secret, Written: h.Written}
	}
	return out
}

// setTarget makes addr ("IP:PORT") the address v's commands connect to.
func setTarget(v *catalog.Vars, addr string) {
	v.Target = addr
	if h, p, err := net.SplitHostPort(addr); err == nil {
		v.TargetHost, v.TargetPort = h, p
	}
}

// setResolver names in v the resolver that query q went to.
func setResolver(v *catalog.Vars, q probe.DNSQuery) {
	v.Resolver = q.ResolverName()
	v.ResolverServer = q.Server
	v.ResolverTCP = q.Resolver.Kind == graph.ResolverTCP
}
