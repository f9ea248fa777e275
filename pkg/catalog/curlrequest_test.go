package catalog

import (
	"strings"
	"testing"
)

func TestCurlRequestCarriesTheRequest(t *testing.T) {
	e, _ := Lookup(HTTPServerError)
	curlStep := func(v Vars) string {
		t.Helper()
		for _, s := range e.Steps(v) {
			if _, c := SplitStep(s); strings.HasPrefix(c, "curl ") {
				return s
			}
		}
		t.Fatalf("no curl step in %q", e.Steps(v))
		return ""
	}
	cases := []struct {
		name      string
		vars      Vars
		want, not []string
	}{
		{"name host: --resolve to the target", Vars{URL: "https://api.test/x", Method: "GET", Target: "10.0.0.7:443"},
			[]string{"--resolve api.test:443:10.0.0.7 https://api.test/x"}, []string{"-X"}},
		{"IP literal: no --resolve", Vars{URL: "http://127.0.0.1:8080/x", Method: "GET", Target: "127.0.0.1:8080"},
			[]string{"curl -sS -i http://127.0.0.1:8080/x"}, []string{"--resolve", "--connect-to"}},
		{"IP literal, another target: --connect-to", Vars{URL: "http://127.0.0.1:8080/x", Method: "GET", Target: "127.0.0.2:8080"},
			[]string{"--connect-to 127.0.0.1:8080:127.0.0.2:8080"}, []string{"--resolve"}},
		{"another server name: the URL with that name, --connect-to the target, updoc's Host",
			Vars{URL: "https://127.0.0.1:8443/x", Method: "GET", ServerName: "svc.test", Target: "127.0.0.1:8443"},
			[]string{"-H 'Host: 127.0.0.1:8443' --connect-to svc.test:8443:127.0.0.1:8443 https://svc.test:8443/x"}, []string{"--resolve", "//127.0.0.1"}},
		{"another server name, a Host header configured: that one alone",
			Vars{URL: "https://10.0.0.5/x", Method: "GET", ServerName: "svc.test", Target: "10.0.0.5:443", Headers: []RequestHeader{{Name: "Host", Value: "api.test"}}},
			[]string{"-H 'Host: api.test' --connect-to svc.test:443:10.0.0.5:443 https://svc.test/x"}, []string{"Host: 10.0.0.5"}},
		{"another server name through a proxy: CONNECT to the URL's host",
			Vars{URL: "https://10.0.0.5:8443/x", Method: "GET", ServerName: "svc.test", Target: "192.0.2.1:3128", Proxy: "http://192.0.2.1:3128"},
			[]string{"-x http://192.0.2.1:3128 --connect-to svc.test:8443:10.0.0.5:8443 https://svc.test:8443/x"}, nil},
		{"the server name is the URL's host: nothing added", Vars{URL: "https://api.test/x", Method: "GET", ServerName: "API.test.", Target: "10.0.0.7:443"},
			[]string{"--resolve api.test:443:10.0.0.7 https://api.test/x"}, []string{"--connect-to", "Host:"}},
		{"a URL written with ${VAR}: \"$VAR\" for the shell", Vars{URL: "http://127.0.0.1/x?key=[redacted]", URLWritten: "http://127.0.0.1/x?key=${KEY}&n=$$1", Method: "GET"},
			[]string{`curl -sS -i "http://127.0.0.1/x?key=$KEY&n=\$1"`}, []string{"[redacted]"}},
		{"a password from ${VAR} stays in the URL", Vars{URL: "http://u:[redacted]@127.0.0.1/", URLWritten: "http://u:${PASS}@127.0.0.1/", Method: "GET"},
			[]string{` "http://u:$PASS@127.0.0.1/"`}, []string{"[redacted]", "-u "}},
		{"a password written out: -u USER, curl asks for it", Vars{URL: "http://u:[redacted]@127.0.0.1/", Method: "GET"},
			[]string{" -u u http://127.0.0.1/"}, []string{"[redacted]"}},
		{"a password written out next to a ${VAR}: -u USER", Vars{URL: "http://u:[redacted]@127.0.0.1/?k=[redacted]", URLWritten: "http://u:pw@127.0.0.1/?k=${K}", Method: "GET"},
			[]string{` -u "u" "http://127.0.0.1/?k=$K"`}, []string{"pw", "[redacted]"}},
		{"a body without Content-Type: curl sends none either", Vars{URL: "http://127.0.0.1/", Method: "POST", Body: "x"},
			[]string{"-X POST -H Content-Type: --data x"}, nil},
		{"a body with Content-Type: that one", Vars{URL: "http://127.0.0.1/", Method: "POST", Body: "{}", Headers: []RequestHeader{{Name: "content-type", Value: "application/json"}}},
			[]string{"-H 'content-type: application/json' --data '{}'"}, []string{"Content-Type:"}},
		{"HEAD is -I", Vars{URL: "http://127.0.0.1/", Method: "HEAD"}, []string{" -I "}, []string{"-X"}},
		{"secret headers", Vars{URL: "http://127.0.0.1/", Method: "PUT", Headers: []RequestHeader{
			{Name: "Authorization", Value: "Bearer abc", Secret: true},
			{Name: "X-Key", Value: "k3y", Secret: true, Written: "${API_KEY}x"},
			{Name: "Accept", Value: "application/json"},
		}}, []string{"-X PUT", "-H 'Authorization: [redacted]'", `-H "X-Key: ${API_KEY}x"`, "-H 'Accept: application/json'"}, []string{"abc", "k3y"}},
		{"body from a variable", Vars{URL: "http://127.0.0.1/", Method: "POST", Body: "a=s3", BodyWritten: `a=${PASS} "$$"`},
			[]string{`--data "a=$PASS \"\$\""`}, []string{"s3"}},
		{"a body starting with @ is sent as it is", Vars{URL: "http://127.0.0.1/", Method: "POST", Body: "@me"},
			[]string{"--data-raw @me"}, nil},
		{"GET with a body keeps GET", Vars{URL: "http://127.0.0.1/", Method: "GET", Body: "q"}, []string{"-X GET -H Content-Type: --data q"}, nil},
		{"trust and client certificate", Vars{URL: "https://127.0.0.1/", Method: "GET", CAFile: "/etc/my ca.pem", CertFile: "c.pem", KeyFile: "k.pem"},
			[]string{"--cacert '/etc/my ca.pem' --cert c.pem --key k.pem"}, []string{" -k "}},
		{"verification off", Vars{URL: "https://127.0.0.1/", Method: "GET", Insecure: true}, []string{" -k "}, nil},
		{"the demo lab's CA: -k, said so, no path", Vars{URL: "https://127.0.0.1/", Method: "GET", CAFile: "/tmp/updoc-lab-1/ca.pem", LabCAFile: true},
			[]string{"(-k: the lab's CA file is gone when the demo exits): curl", " -k "}, []string{"/tmp/updoc-lab-1"}},
	}
	for _, c := range cases {
		step := curlStep(c.vars)
		for _, w := range c.want {
			if !strings.Contains(step, w) {
				t.Errorf("%s: %q lacks %q", c.name, step, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(step, n) {
				t.Errorf("%s: %q holds %q", c.name, step, n)
			}
		}
	}
}

// tcp:// and tls:// upstreams speak no HTTP: no step of theirs is curl.
func TestNoCurlForTCPOrTLSUpstreams(t *testing.T) {
	for _, scheme := range []string{"tcp", "tls"} {
		v := fullVars()
		v.URL, v.Scheme, v.Host, v.Port = scheme+"://db.internal:5432", scheme, "db.internal", "5432"
		for _, e := range All() {
			if !e.appliesToConnections() {
				continue
			}
			for _, step := range connectionSteps(e, v) {
				if _, c := SplitStep(step); strings.Contains(c, "curl ") {
					t.Errorf("%s for %s://: %s", e.Code, scheme, step)
				}
			}
		}
	}
}

// appliesToConnections: a finding of the entry can be about a tcp:// or
// tls:// upstream (it is observed outside the http and deprecation layers
// and is not about a forward proxy, which only http(s):// upstreams use).
func (e Entry) appliesToConnections() bool {
	for _, l := range e.Layers {
		if l != LayerHTTP && l != "deprecation" {
			return true
		}
	}
	return false
}

// connectionSteps are the steps a finding of e about a tcp:// or tls://
// upstream can show: the generic ones (those of the connect variant when e
// has one, as the diagnosis names it for such an upstream), and the other
// variants but the forward proxy's (http(s):// only).
func connectionSteps(e Entry, v Vars) []string {
	if e.HasVariant(VariantIntermittentConnect) {
		v.Variant = VariantIntermittentConnect
		return e.Steps(v)
	}
	out := e.Steps(v)
	for _, variant := range e.Variants {
		if !strings.HasPrefix(variant.Name, "proxy_") {
			v.Variant = variant.Name
			out = append(out, e.Steps(v)...)
		}
	}
	return out
}

// No step of the demo points at the lab's CA file, which is gone when the
// demo exits.
func TestNoStepReadsTheLabCAFile(t *testing.T) {
	v := fullVars()
	v.CAFile, v.LabCAFile = "/tmp/updoc-lab-1/ca.pem", true
	for _, e := range All() {
		for _, step := range allSteps(e, v) {
			if strings.Contains(step, "/tmp/updoc-lab-1") {
				t.Errorf("%s: %s", e.Code, step)
			}
		}
	}
}
