package catalog

import (
	"strings"
	"testing"
)

// openssl commands send the SNI updoc sent: the server name, or none when
// it is an IP address (updoc, like every TLS client, sends none for an IP;
// s_client without -servername sends none for one either).
func TestTLSStepsSendTheSNIUpdocSent(t *testing.T) {
	e, _ := Lookup(TLSHandshakeFailed)
	for _, tt := range []struct {
		vars Vars
		want string
	}{
		{Vars{URL: "https://api.example.com/", Target: "10.0.0.7:443"}, "openssl s_client -connect 10.0.0.7:443 -servername api.example.com </dev/null"},
		{Vars{URL: "https://10.0.0.7:8443/", Target: "10.0.0.7:8443"}, "openssl s_client -connect 10.0.0.7:8443 </dev/null"},
		{Vars{URL: "https://[2001:db8::1]/", Target: "[2001:db8::1]:443"}, "openssl s_client -connect '[2001:db8::1]:443' </dev/null"},
		{Vars{URL: "https://10.0.0.7:8443/", Target: "10.0.0.7:8443", ServerName: "api.internal"}, "openssl s_client -connect 10.0.0.7:8443 -servername api.internal </dev/null"},
		{Vars{}, "openssl s_client -connect IP:PORT -servername NAME </dev/null"},
	} {
		if got := e.Steps(tt.vars)[0]; !strings.HasSuffix(got, tt.want) {
			t.Errorf("%+v: step %q, want it to end with %q", tt.vars, got, tt.want)
		}
	}
}

// The tls variants name the values of the case: the CA file given (as one
// shell word), the subjectAltName to add (IP: for an address), the
// versions to try; none tells to set the tls.ca_file that is set.
func TestTLSVariantSteps(t *testing.T) {
	base := Vars{Upstream: "api", URL: "https://api.example.com:8443/", Target: "10.0.0.7:8443", CAFile: "/etc/updoc/my ca.pem"}
	steps := func(code, variant string, v Vars) string {
		e, _ := Lookup(code)
		v.Variant = variant
		return strings.Join(e.Steps(v), "\n")
	}
	for _, tt := range []struct {
		code, variant string
		vars          Vars
		want          []string
		not           []string
	}{
		{TLSUntrusted, VariantChainIncomplete, base,
			[]string{"send its intermediate certificates after the leaf", "openssl s_client -connect 10.0.0.7:8443 -servername api.example.com </dev/null | openssl x509 -noout -issuer -ext authorityInfoAccess", "Only if the missing issuer is a root CA"},
			[]string{"set tls.ca_file"}},
		{TLSUntrusted, VariantCAFileUntrusted, base,
			[]string{"none of the CAs in tls.ca_file of api (/etc/updoc/my ca.pem)", "-certfile '/etc/updoc/my ca.pem'", "-CAfile '/etc/updoc/my ca.pem' -verify_return_error"},
			[]string{"set tls.ca_file"}},
		{TLSHostnameMismatch, VariantNoSAN, base,
			[]string{"-subj '/CN=api.example.com' -addext 'subjectAltName=DNS:api.example.com'", "ignored by Go since 1.15"},
			[]string{"set tls.server_name"}},
		{TLSHostnameMismatch, VariantNoSAN, Vars{URL: "https://10.0.0.7/", Target: "10.0.0.7:443"},
			[]string{"-addext 'subjectAltName=IP:10.0.0.7'"}, nil},
		{TLSHandshakeFailed, VariantNoSNI, Vars{Upstream: "api", URL: "https://10.0.0.7:8443/", Target: "10.0.0.7:8443"},
			[]string{"Set tls.server_name for api", "openssl s_client -connect 10.0.0.7:8443 </dev/null", "-servername NAME"},
			[]string{"-servername 10.0.0.7", "tls1_2"}},
		{TLSHandshakeFailed, VariantLegacyVersion, base,
			[]string{"nmap --script ssl-enum-ciphers -p 8443 10.0.0.7", "-tls1 -cipher 'DEFAULT:@SECLEVEL=0'", "ssl_protocols TLSv1.2 TLSv1.3", "RFC 8996"},
			[]string{"client certificate"}},
		{TLSHandshakeFailed, VariantLegacyCipher, base,
			[]string{"nmap --script ssl-enum-ciphers -p 8443 10.0.0.7", "-cipher 'ALL:@SECLEVEL=0'"}, nil},
		{TLSCertExpiring, VariantChainCertExpiring, Vars{Upstream: "api", URL: "https://api.example.com/", CertMinDays: "14"},
			[]string{"-showcerts", "Replace the intermediate", "lower expect.cert_min_days for api (now 14)"},
			[]string{"certbot renew --dry-run"}},
		{TLSCertExpired, VariantChainCertExpired, base,
			[]string{"-showcerts", "Replace the expired intermediate", "reload the server"},
			[]string{"certbot renew --cert-name"}},
	} {
		got := steps(tt.code, tt.variant, tt.vars)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s/%s: steps lack %q:\n%s", tt.code, tt.variant, w, got)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(got, n) {
				t.Errorf("%s/%s: steps hold %q:\n%s", tt.code, tt.variant, n, got)
			}
		}
	}
}
