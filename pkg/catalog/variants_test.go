package catalog

import (
	"slices"
	"strings"
	"testing"
)

// Every variant replaces generic steps that exist, has steps of its own,
// and renders completely with values and without (`updoc explain`).
func TestVariantsAreComplete(t *testing.T) {
	names := map[string]bool{}
	for _, e := range All() {
		for _, v := range e.Variants {
			if v.Name == "" || names[v.Name] {
				t.Errorf("%s: variant name %q empty or used twice", e.Code, v.Name)
			}
			names[v.Name] = true
			if len(v.Steps) == 0 {
				t.Errorf("%s/%s: no steps", e.Code, v.Name)
			}
			for _, i := range v.Replaces {
				if i < 0 || i >= len(e.Remediation) {
					t.Errorf("%s/%s: replaces step %d of %d", e.Code, v.Name, i, len(e.Remediation))
				}
			}
			if !e.HasVariant(v.Name) {
				t.Errorf("%s: HasVariant(%q) is false", e.Code, v.Name)
			}
			for _, vars := range []Vars{fullVars(), {}} {
				vars.Variant = v.Name
				steps := e.Steps(vars)
				if want := len(v.Steps) + len(e.Remediation) - len(v.Replaces); len(steps) != want {
					t.Errorf("%s/%s: %d steps, want %d", e.Code, v.Name, len(steps), want)
				}
				for _, s := range steps {
					if placeholderRE.MatchString(s) || strings.Contains(s, "{{") || strings.Contains(s, "  ") {
						t.Errorf("%s/%s: step %q", e.Code, v.Name, s)
					}
				}
			}
		}
	}
	for _, name := range []string{VariantClientCertMissing, VariantClientCertRejected, VariantIntermittentConnect,
		VariantNoSNI, VariantLegacyVersion, VariantLegacyCipher, VariantNoCommonCipher, VariantChainIncomplete, VariantCAFileUntrusted, VariantUntrustedRoot,
		VariantNoSAN, VariantChainCertExpired, VariantChainCertExpiring, VariantGo404OrTraefik, VariantGo503OrTraefik, VariantLimitOrNoUpstream} {
		if !names[name] {
			t.Errorf("variant %s is in no entry", name)
		}
	}
}

// The client-certificate variants of tls.handshake_failed: their step comes
// first and stands in for the generic tls.cert_file step; the other generic
// steps follow in their order. No step is found by its text.
func TestClientCertVariantSteps(t *testing.T) {
	e, _ := Lookup(TLSHandshakeFailed)
	vars := Vars{Upstream: "api", URL: "https://api.example.com/", Target: "10.0.0.7:443", CertFile: "/etc/updoc/my client.pem"}
	generic := e.Steps(vars)
	for _, tt := range []struct {
		variant, first string
	}{
		{VariantClientCertMissing, "Give updoc a client certificate the server accepts: set tls.cert_file and tls.key_file for api (PEM files;"},
		{VariantClientCertRejected, "The certificate in tls.cert_file (/etc/updoc/my client.pem) of api was rejected: check it is issued by a CA " +
			"the server trusts for client authentication, not expired, and allowed for clientAuth: " +
			"openssl x509 -in '/etc/updoc/my client.pem' -noout -subject -issuer -dates -ext extendedKeyUsage"},
	} {
		v := vars
		v.Variant = tt.variant
		steps := e.Steps(v)
		if !strings.HasPrefix(steps[0], tt.first) {
			t.Errorf("%s: first step %q, want it to start with %q", tt.variant, steps[0], tt.first)
		}
		if want := slices.Concat(steps[:1], generic[:4]); !slices.Equal(steps, want) {
			t.Errorf("%s: steps\n%q\nwant\n%q", tt.variant, steps, want)
		}
	}
	if !strings.Contains(generic[4], "set tls.cert_file and tls.key_file for api") {
		t.Errorf("generic step 4 is no longer the client-certificate step the variants replace: %q", generic[4])
	}
	unknown := vars
	unknown.Variant = "no_such_variant"
	if got := e.Steps(unknown); !slices.Equal(got, generic) {
		t.Errorf("an unknown variant renders %q, want the generic steps", got)
	}
}

// Values a run did not give are generic placeholders, never a default of the
// graph's (the graph resolves cert_min_days and method itself).
func TestUnknownValuesAreNotGraphDefaults(t *testing.T) {
	e, _ := Lookup(TLSCertExpiring)
	steps := strings.Join(e.Steps(Vars{}), "\n")
	if !strings.Contains(steps, "lower expect.cert_min_days for UPSTREAM (now CERT_MIN_DAYS).") || strings.Contains(steps, "14") {
		t.Errorf("explain steps:\n%s", steps)
	}
	if got := e.Steps(Vars{CertMinDays: "0"})[4]; !strings.HasSuffix(got, "(now 0).") {
		t.Errorf("cert_min_days 0: %q", got)
	}
	e, _ = Lookup(HTTPUnexpectedStatus)
	if got := e.Steps(Vars{})[0]; got != "Look at the answer: curl -sS -i -X METHOD --resolve HOST:PORT:IP URL" {
		t.Errorf("explain step 0 = %q", got)
	}
}

// The set of codes a failing dependency explains is SPEC §5's.
func TestExplainedByDependencyMatchesSpec(t *testing.T) {
	want := []string{
		HTTPTimeout, HTTPUnavailable, HTTPServerError,
		GatewayNoHealthyUpstream, GatewayBadGateway, GatewayTimeout, GatewayRouteNotFound, GatewayOverloaded,
		LatencySlow, LatencyHighSpread,
	}
	var got []string
	for _, e := range All() {
		if e.ExplainedByDependency {
			got = append(got, e.Code)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("explained by a dependency:\n got %v\nwant %v", got, want)
	}
}
