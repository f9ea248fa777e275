package catalog

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// optionalFacts are the Vars fields a finding may lack: a header the answer
// did not have, a system resolver that answered from the hosts file, no
// proxy, no product recognised, no client certificate or CA file, ...
// (MaxLatency is not: latency.slow is only found against it.)
var optionalFacts = []string{
	"ResolverServer", "RetryAfter", "Status", "CertFile", "CAFile",
	"Dependencies", "Product", "Proxy", "ProxyUser", "ProxyEnv", "CNAMETarget",
}

// variantFacts are the facts without which diagnose never names a variant:
// it is named for them (a proxy's answer, a dangling CNAME's target, the
// certificate or CA file that was refused).
var variantFacts = map[string][]string{
	VariantDanglingCNAME: {"CNAMETarget"}, VariantClientCertRejected: {"CertFile"}, VariantCAFileUntrusted: {"CAFile"},
	VariantProxyRefused: {"Proxy"}, VariantProxyTimeout: {"Proxy"}, VariantProxyUnreachable: {"Proxy"},
	VariantProxyCredentialsMissing: {"Proxy"}, VariantProxyCredentialsRejected: {"Proxy", "ProxyUser"}, VariantProxyForbidden: {"Proxy"},
}

// findingVars are the facts every finding has (diagnose always fills
// them), plus every optional one.
func findingVars() Vars {
	v := fullVars()
	v.CAFile = "/etc/updoc/ca.pem"
	v.CNAMETarget = "gone.example.net."
	v.Resolver = "system (127.0.0.1:5353)"
	v.Proxy, v.ProxyUser = "http://proxy.internal:3128", "alice"
	v.Check = "updoc check -f updoc.yaml --only users"
	v.CheckDependencies = "updoc check -f updoc.yaml --only db,cache"
	v.GraphCheck = "updoc graph -f updoc.yaml --check"
	return v
}

// No placeholder reaches a finding: every entry, variant and proxy
// runbook, rendered with the facts of a finding less any one optional fact,
// leaves no generic upper-case name (HOST, PORT, RETRY_AFTER, ...) behind.
// Names the user fills in (SERVICE, POD, BACKEND_IP) are not facts updoc has.
func TestNoPlaceholderReachesAFinding(t *testing.T) {
	saved := unknown
	defer func() { unknown = saved }()
	unknown = func(name string) string { return "⟦" + name + "⟧" }

	products := append(ProxyProducts(), "")
	slices.Sort(products)
	for _, product := range products {
		for _, field := range append([]string{""}, optionalFacts...) {
			v := findingVars()
			v.Product = product
			if field != "" {
				reflect.ValueOf(&v).Elem().FieldByName(field).SetZero()
			}
			for _, e := range All() {
				for _, variant := range append([]string{""}, variantNames(e)...) {
					if slices.Contains(variantFacts[variant], field) {
						continue
					}
					v.Variant = variant
					for _, step := range e.Steps(v) {
						if strings.Contains(step, "⟦") {
							t.Errorf("%s %s, product %q, without %s: a placeholder is left in %q", e.Code, variant, product, field, step)
						}
					}
				}
			}
		}
	}
}

// `updoc explain` (Vars{}) keeps the generic names.
func TestExplainKeepsGenericNames(t *testing.T) {
	e, _ := Lookup(TCPRefused)
	if got := e.Steps(Vars{})[0]; got != "Confirm from this machine: nc -vz IP PORT" {
		t.Errorf("explain step = %q", got)
	}
}

func variantNames(e Entry) []string {
	var out []string
	for _, v := range e.Variants {
		out = append(out, v.Name)
	}
	return out
}

// A run without a graph (updoc probe) gets no step that shows the graph:
// every entry and variant, rendered with NoGraph, leaves GraphCheck out and
// ends the steps that named it with a full stop (QA A4).
func TestNoGraphLeavesTheGraphOut(t *testing.T) {
	const mark = "updoc graph -f GRAPH-MARK --check"
	for _, e := range All() {
		for _, variant := range append([]string{""}, variantNames(e)...) {
			for _, s := range e.Steps(Vars{NoGraph: true, GraphCheck: mark, Variant: variant}) {
				if strings.Contains(s, "GRAPH-MARK") || strings.HasSuffix(s, "..") {
					t.Errorf("%s %s: %q", e.Code, variant, s)
				}
			}
		}
	}
}
