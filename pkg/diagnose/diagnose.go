// Package diagnose turns the facts gathered by package probe into findings,
// statuses and root causes: the whole report.Report. It is pure — no
// network, no clock (Input.Now is the clock) — so every rule is a
// table-driven unit test.
//
// Pipeline, per upstream (graph order):
//
//  1. classify the facts of each layer into findings (dns.go, target.go,
//     latency.go; the issue-4 hooks in hooks.go);
//  2. every finding passes through (*upstream).add, the one place where the
//     graph's policy (warn / fail / ignore) is applied;
//  3. replica rule: when some targets failed and at least one passed, the
//     per-target fail findings are lowered to warn and load.replica_down is added;
//  4. layer and target statuses.
//
// Then, over the graph: dependency.unhealthy, root_cause flags, upstream and
// report statuses, the root-cause list (rootcause.go).
package diagnose

import (
	"cmp"
	"context"
	"errors"
	"math"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// Input is everything Diagnose looks at.
type Input struct {
	Graph     *graph.Graph
	Results   []probe.Result // one per upstream probed, graph order
	StartedAt time.Time
	Duration  time.Duration
	Version   string    // updoc version for the report
	Now       time.Time // for certificate days_left, sunset dates; zero means StartedAt+Duration

	// Rerun returns the command that re-runs the named upstreams (the whole
	// run when none is named), as remediation steps suggest it: the user
	// must be able to paste it where the report was made. nil: derived from
	// Graph by DefaultRerun (`updoc check -f FILE --only NAME`, or
	// `updoc probe URL` for a graph built from URLs). `updoc demo`, whose
	// graph file is not on disk, sets catalog.RerunWith("updoc demo"); a caller's
	// Rerun() (no names) also stands in for `updoc graph --check`.
	Rerun func(upstreams ...string) string
}

// Diagnose classifies the results and builds the report. Upstreams of the
// graph without a result (not probed: --only, --tags) are absent from it.
func Diagnose(in Input) report.Report {
	now := in.Now
	if now.IsZero() {
		now = in.StartedAt.Add(in.Duration)
	}
	d := &diag{now: now, graph: newGraphIndex(in.Graph)}
	if in.Graph != nil {
		d.policy = in.Graph.Policy
	}
	d.rerun, d.graphCheck = in.Rerun, ""
	switch {
	case d.rerun != nil:
		// The caller's command (updoc demo): its whole run shows every
		// upstream's status and what it depends on.
		d.graphCheck = d.rerun()
	case in.Graph != nil && in.Graph.AdHoc:
		// updoc probe: no graph declares what the URL depends on; that
		// takes a graph file.
		d.rerun = DefaultRerun(in.Graph)
		d.graphCheck = "updoc graph -f FILE --check"
	default:
		d.rerun = DefaultRerun(in.Graph)
		d.graphCheck = "updoc graph" + fileFlag(in.Graph) + " --check"
	}

	// Upstreams in graph order; results without a graph node (defensive)
	// after them, in result order.
	for i := range in.Results {
		res := &in.Results[i]
		up := d.graph.byName[res.Upstream]
		if up == nil {
			up = &graph.Upstream{Name: res.Upstream}
		}
		d.ups = append(d.ups, &upstream{d: d, up: up, res: res, order: d.graph.orderOf(res.Upstream, i)})
	}
	slices.SortStableFunc(d.ups, func(a, b *upstream) int { return cmp.Compare(a.order, b.order) })

	for _, u := range d.ups {
		u.diagnose()
	}
	d.attribute() // dependency.unhealthy, root_cause flags, statuses, root causes

	rep := report.Report{
		Schema:       report.Schema,
		UpdocVersion: in.Version,
		StartedAt:    in.StartedAt,
		DurationMS:   ms(in.Duration),
		Status:       report.Healthy,
		RootCauses:   d.rootCauses(),
		Upstreams:    make([]report.Upstream, 0, len(d.ups)),
	}
	for _, u := range d.ups {
		u.out.Findings = u.reportFindings()
		rep.Upstreams = append(rep.Upstreams, u.out)
		rep.Status = report.WorstStatus(rep.Status, u.out.Status)
	}
	rep.Summary = report.Summarize(rep.Upstreams)
	return rep
}

type diag struct {
	now    time.Time
	policy graph.Policy
	graph  graphIndex
	ups    []*upstream
	// rerun and graphCheck are the updoc commands remediation suggests.
	rerun      func(upstreams ...string) string
	graphCheck string
}

// upstream is the working state of one upstream.
type upstream struct {
	d     *diag
	up    *graph.Upstream
	res   *probe.Result
	order int
	out   report.Upstream
	// findings in the order they were made; sorted for the report at the end.
	findings []*finding
	// own is the status from the upstream's own findings (before
	// dependency.unhealthy), used to decide which upstreams are unhealthy
	// dependencies of others.
	own report.Status
}

// finding is a report.Finding plus what the pipeline needs to know about it.
type finding struct {
	report.Finding
	target int // index into the result's Targets; -1 for upstream-level findings
	// ownSev is the severity before the replica rule lowered it: the
	// target's own status is computed from it.
	ownSev report.Severity
}

// draft is a finding before policy.
type draft struct {
	Code     string
	Layer    catalog.Layer // where it was observed; default: the catalogue's layer
	Target   int           // -1: upstream-level
	Message  string
	Evidence map[string]any
	Vars     *catalog.Vars // nil: the upstream's (and target's) vars
	// CapWarn lowers the catalogue's default severity to warn (e.g. one
	// failed latency sample); an explicit policy still wins.
	CapWarn bool
}

// add turns a draft into a finding. This is the one place where the
// graph's policy is applied: "ignore" drops the finding, "warn"/"fail" set
// its severity. It returns nil when the finding was dropped.
func (u *upstream) add(dr draft) *finding {
	e, ok := catalog.Lookup(dr.Code)
	if !ok {
		panic("diagnose: code not in catalogue: " + dr.Code)
	}
	if dr.Target >= 0 {
		// One cause per target is enough (e.g. a verification error seen
		// by both the tls and the http layer).
		for _, f := range u.findings {
			if f.target == dr.Target && f.Code == dr.Code {
				return nil
			}
		}
	}
	sev := e.Severity
	if dr.CapWarn {
		sev = report.Warn
	}
	sev, keep := u.d.policy.Apply(dr.Code, sev)
	if !keep {
		return nil
	}
	layer := dr.Layer
	if layer == "" {
		layer = e.Layer()
	}
	vars := u.vars(dr.Target)
	if dr.Vars != nil {
		vars = *dr.Vars
	}
	ev := dr.Evidence
	if ev == nil {
		ev = map[string]any{}
	}
	f := &finding{
		Finding: report.Finding{
			Code:        dr.Code,
			Severity:    sev,
			Layer:       layer,
			Message:     dr.Message,
			Evidence:    ev,
			Remediation: e.Steps(vars),
			RootCause:   true,
		},
		target: dr.Target,
		ownSev: sev,
	}
	if dr.Target >= 0 && dr.Target < len(u.res.Targets) {
		f.Target = u.res.Targets[dr.Target].Address
	}
	u.findings = append(u.findings, f)
	return f
}

// vars are the remediation values of the upstream, and of target i when i >= 0.
func (u *upstream) vars(i int) catalog.Vars {
	v := catalog.Vars{
		Upstream:    u.up.Name,
		URL:         u.displayURL(),
		Method:      u.up.Method,
		CertMinDays: strconv.Itoa(u.up.Expect.CertMinDays),
	}
	if u.up.URL != nil {
		v.Scheme = u.up.URL.Scheme
		v.Host = u.up.URL.Hostname()
		v.Port = u.up.URL.Port()
		v.Path = u.up.URL.RequestURI()
		v.Name = v.Host
		v.ServerName = v.Host
	}
	if u.up.TLS.ServerName != "" {
		v.ServerName = u.up.TLS.ServerName
	}
	if u.res.DNS != nil && u.res.DNS.Name != "" {
		v.Name = u.res.DNS.Name
		if len(u.res.DNS.Queries) > 0 {
			setResolver(&v, u.res.DNS.Queries[0])
		}
	}
	if u.up.Expect.MaxLatency > 0 {
		v.MaxLatency = u.up.Expect.MaxLatency.String()
	}
	v.Check = u.d.rerun(u.up.Name)
	v.GraphCheck = u.d.graphCheck
	v.DependsOn = len(u.up.DependsOn) > 0
	if i >= 0 && i < len(u.res.Targets) {
		t := u.res.Targets[i]
		// Commands connect to the address probe dialled: the one the
		// target's name resolved to, when it names a host.
		v.Target = t.DialAddress()
		if h, p, err := net.SplitHostPort(v.Target); err == nil {
			v.TargetHost, v.TargetPort = h, p
		}
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

// setResolver names in v the resolver that query q went to.
func setResolver(v *catalog.Vars, q probe.DNSQuery) {
	v.Resolver = q.ResolverName()
	v.ResolverServer = q.Server
	v.ResolverTCP = q.Resolver.Kind == graph.ResolverTCP
}

// addrOf names target i in messages: its address, followed by the address
// dialled when the target names a host ("h.test:8080 (10.0.0.7:8080)").
func (u *upstream) addrOf(i int) string {
	t := u.res.Targets[i]
	if t.Dial != "" && t.Dial != t.Address {
		return t.Address + " (" + t.Dial + ")"
	}
	return t.Address
}

// dnsFailed: target i names a host that did not resolve (its lower layers
// did not run).
func (u *upstream) dnsFailed(i int) bool {
	t := u.res.Targets[i]
	return t.Name != "" && t.Dial == "" && t.DNS != nil && t.TCP == nil
}

func (u *upstream) displayURL() string {
	if u.up.URL != nil {
		return u.up.URL.Redacted()
	}
	return redactURL(u.up.RawURL)
}

func redactURL(s string) string {
	if s == "" {
		return ""
	}
	if p, err := url.Parse(s); err == nil {
		return p.Redacted()
	}
	return s
}

func (u *upstream) hasTLS() bool  { return u.up.Scheme().HasTLS() }
func (u *upstream) hasHTTP() bool { return u.up.Scheme().HasHTTP() }

// diagnose classifies one upstream's facts and computes its own status.
func (u *upstream) diagnose() {
	u.out = report.Upstream{
		Name:        u.up.Name,
		URL:         u.displayURL(),
		Description: u.up.Description,
		Tags:        slices.Clone(u.up.Tags),
		DurationMS:  ms(u.res.Duration),
		DependsOn:   append([]string{}, u.up.DependsOn...),
		Targets:     []report.Target{},
		Findings:    []report.Finding{},
	}

	u.out.DNS = u.dnsReport()
	u.classifyDNS()
	u.classifyTargetDNS()
	for i := range u.res.Targets {
		u.classifyTarget(i)
	}
	u.upstreamLatencyRules() // issue-4 hook (latency.high_spread, load.imbalance)
	u.classifyUnfinished()
	u.replicaRule()

	for i := range u.res.Targets {
		u.out.Targets = append(u.out.Targets, u.targetReport(i))
	}
	u.out.Layers = u.layers()
	u.own = statusOf(u.findings)
}

// classifyUnfinished reports an upstream the run ended before it finished.
func (u *upstream) classifyUnfinished() {
	err := u.res.Unfinished
	if err == nil {
		return
	}
	code, what := catalog.RunInterrupted, "the run was interrupted"
	if errors.Is(err, context.DeadlineExceeded) {
		code, what = catalog.RunDeadlineExceeded, "the run deadline was exceeded"
	}
	done := u.progress()
	u.add(draft{
		Code:     code,
		Target:   -1,
		Message:  what + " before " + u.up.Name + " finished (" + done + ")",
		Evidence: map[string]any{"finished": done, "error": err.Error()},
	})
}

// progress says which layers and targets had finished.
func (u *upstream) progress() string {
	var parts []string
	if u.res.DNS != nil || u.targetDNSRan() {
		parts = append(parts, "dns done")
	}
	n := len(u.res.Targets)
	if n == 0 {
		parts = append(parts, "no target probed")
		return strings.Join(parts, ", ")
	}
	count := func(ran func(probe.TargetResult) bool) string {
		c := 0
		for _, t := range u.res.Targets {
			if ran(t) {
				c++
			}
		}
		return strconv.Itoa(c) + "/" + strconv.Itoa(n)
	}
	parts = append(parts, "tcp "+count(func(t probe.TargetResult) bool { return layerRan(t.TCP != nil, tcpErr(t)) })+" targets")
	if u.hasTLS() {
		parts = append(parts, "tls "+count(func(t probe.TargetResult) bool { return layerRan(t.TLS != nil, tlsErr(t)) }))
	}
	if u.hasHTTP() {
		parts = append(parts, "http "+count(func(t probe.TargetResult) bool { return layerRan(t.HTTP != nil, httpErr(t)) }))
	}
	parts = append(parts, "latency "+count(func(t probe.TargetResult) bool { return t.Latency != nil && len(t.Latency.Samples) > 0 }))
	return strings.Join(parts, ", ")
}

// replicaRule: when at least one target passed, per-target fail findings
// are lowered to warn and load.replica_down is added (SPEC §4).
func (u *upstream) replicaRule() {
	var failed, passed []int
	for i, t := range u.res.Targets {
		if !layerRan(t.TCP != nil, tcpErr(t)) && !(u.dnsFailed(i) && u.targetFailed(i)) {
			continue // never probed (or cut by the run): neither passed nor failed
		}
		if u.targetFailed(i) {
			failed = append(failed, i)
		} else {
			passed = append(passed, i)
		}
	}
	if len(failed) == 0 || len(passed) == 0 {
		return
	}
	var failedList, passedList []string
	layer := catalog.LayerHTTP
	for _, i := range failed {
		codes := []string{}
		for _, f := range u.findings {
			if f.target == i && f.Severity == report.Fail {
				f.Severity = report.Warn
				if !slices.Contains(codes, f.Code) {
					codes = append(codes, f.Code)
				}
				if f.Layer.Rank() < layer.Rank() {
					layer = f.Layer
				}
			}
		}
		failedList = append(failedList, u.res.Targets[i].Address+" ("+strings.Join(codes, ", ")+")")
	}
	for _, i := range passed {
		passedList = append(passedList, u.res.Targets[i].Address)
	}
	vars := u.vars(failed[0])
	u.add(draft{
		Code:   catalog.LoadReplicaDown,
		Layer:  layer,
		Target: -1,
		Message: strconv.Itoa(len(failed)) + " of " + strconv.Itoa(len(failed)+len(passed)) + " targets failed: " +
			strings.Join(failedList, ", ") + "; " + strconv.Itoa(len(passed)) + " still pass",
		Evidence: map[string]any{"failed_targets": failedList, "passed_targets": passedList},
		Vars:     &vars,
	})
}

// lowerLayerFailed: target i has a finding of severity fail (its own,
// before the replica rule) in a layer below latency — tcp, tls or http (a
// 502, 503, 504, ...). Its latency layer is then skip and not judged.
func (u *upstream) lowerLayerFailed(i int) bool {
	for _, f := range u.findings {
		if f.target == i && f.ownSev == report.Fail && f.Layer.Rank() < catalog.LayerLatency.Rank() {
			return true
		}
	}
	return false
}

// within says how long an operation that timed out waited: "within the 5s
// timeout" when the per-operation timeout is known and the operation ran
// (about) that long, else the time measured ("within 301ms": an OS-level
// timeout that came earlier, or a timeout updoc was not told). It adds
// timeout_ms to ev when it names the timeout.
func (u *upstream) within(took time.Duration, ev map[string]any) string {
	if t := u.up.Timeout; t > 0 && took >= t*9/10 {
		if ev != nil {
			ev["timeout_ms"] = ms(t)
		}
		return "within the " + t.String() + " timeout"
	}
	return "within " + fmtMS(took)
}

func (u *upstream) targetFailed(i int) bool {
	for _, f := range u.findings {
		if f.target == i && f.ownSev == report.Fail {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------- statuses

func statusOf(fs []*finding) report.Status {
	s := report.Healthy
	for _, f := range fs {
		s = report.WorstStatus(s, sevStatus(f.Severity))
	}
	return s
}

func sevStatus(s report.Severity) report.Status {
	if s == report.Fail {
		return report.Unhealthy
	}
	return report.Degraded
}

func worseLayer(a, b report.LayerStatus) report.LayerStatus {
	if report.LayerStatusRank(b) > report.LayerStatusRank(a) {
		return b
	}
	return a
}

func sevLayer(s report.Severity) report.LayerStatus {
	if s == report.Fail {
		return report.LFail
	}
	return report.LWarn
}

// layerRan says whether a layer produced a fact: present and not cut short
// by the end of the run.
func layerRan(present bool, err error) bool {
	return present && classify(err) != kindCanceled
}

func tcpErr(t probe.TargetResult) error {
	if t.TCP == nil {
		return nil
	}
	return t.TCP.Err
}

func tlsErr(t probe.TargetResult) error {
	if t.TLS == nil {
		return nil
	}
	if t.TLS.HandshakeErr != nil {
		return t.TLS.HandshakeErr
	}
	return t.TLS.VerifyErr
}

func httpErr(t probe.TargetResult) error {
	if t.HTTP == nil {
		return nil
	}
	return t.HTTP.Err
}

// targetLayer is the status of one layer of target i: skip when it did not
// run, else the worst severity of the target's findings observed in that
// layer (own: before the replica rule; otherwise final), else pass.
func (u *upstream) targetLayer(i int, layer catalog.Layer, own bool) report.LayerStatus {
	t := u.res.Targets[i]
	var ran bool
	switch layer {
	case catalog.LayerDNS:
		ran = t.DNS != nil && len(t.DNS.Queries) > 0
	case catalog.LayerTCP:
		ran = layerRan(t.TCP != nil, tcpErr(t))
	case catalog.LayerTLS:
		ran = u.hasTLS() && layerRan(t.TLS != nil, tlsErr(t))
	case catalog.LayerHTTP:
		ran = u.hasHTTP() && layerRan(t.HTTP != nil, httpErr(t))
	case catalog.LayerLatency:
		// Latency of failed answers means little: a target whose lower
		// layers failed has its latency layer skipped (SPEC §3).
		ran = t.Latency != nil && len(t.Latency.Samples) > 0 && !u.lowerLayerFailed(i)
	}
	if !ran {
		return report.Skip
	}
	st := report.Pass
	for _, f := range u.findings {
		if f.target != i || f.Layer != layer {
			continue
		}
		sev := f.Severity
		if own {
			sev = f.ownSev
		}
		st = worseLayer(st, sevLayer(sev))
	}
	return st
}

// layers: dns from the dns findings; the others the worst over the targets
// (final severities) and the upstream-level findings of that layer.
func (u *upstream) layers() report.Layers {
	l := report.Layers{DNS: report.Skip, TCP: report.Skip, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip}
	if u.out.DNS != nil || u.targetDNSRan() {
		l.DNS = report.Pass
	}
	for i := range u.res.Targets {
		for _, layer := range catalog.ProbeLayers() {
			l.Set(layer, worseLayer(l.Of(layer), u.targetLayer(i, layer, false)))
		}
	}
	for _, f := range u.findings {
		if f.target >= 0 || l.Of(f.Layer) == "" {
			continue
		}
		l.Set(f.Layer, worseLayer(l.Of(f.Layer), sevLayer(f.Severity)))
	}
	if !u.hasTLS() {
		l.TLS = report.Skip
	}
	if !u.hasHTTP() {
		l.HTTP = report.Skip
	}
	return l
}

// compareFindings orders findings by layer, then target (upstream-level
// findings after the targets' findings of the same layer).
func compareFindings(a, b *finding) int {
	key := func(f *finding) int {
		if f.target < 0 {
			return math.MaxInt
		}
		return f.target
	}
	if c := cmp.Compare(a.Layer.Rank(), b.Layer.Rank()); c != 0 {
		return c
	}
	return cmp.Compare(key(a), key(b))
}

// reportFindings: the findings in report order.
func (u *upstream) reportFindings() []report.Finding {
	fs := u.reportFindingsPtr()
	out := make([]report.Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.Finding)
	}
	return out
}

// ---------------------------------------------------------------- helpers

// ms converts a duration to milliseconds rounded to the microsecond: on
// loopback and in a data centre phases take tens of microseconds, which a
// coarser rounding would report as 0.
func ms(d time.Duration) float64 {
	return roundMS(float64(d) / float64(time.Millisecond))
}

// roundMS rounds milliseconds to the microsecond.
func roundMS(v float64) float64 { return math.Round(v*1000) / 1000 }

func fmtMS(d time.Duration) string { return report.FormatMS(ms(d)) }

func fmtMSf(v float64) string { return report.FormatMS(v) }
