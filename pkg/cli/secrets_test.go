package cli

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
)

// The planted secrets of TestNoSecretInAnyOutput: a ${VAR} in a header, in
// the url's path and query and in the body; a Cookie; a Basic credential
// in the url's userinfo and one in an Authorization header. Each holds
// characters that URL, JSON, Go and HTML escaping change.
const (
	plantedHeader  = `hdr"K3y<&>zq`
	plantedPath    = `p4thT0k+en:x`
	plantedQuery   = `qT0k/en=42!`
	plantedBody    = `b0dy'S3cr"et</x>`
	plantedCookie  = `C00kieVal9%z`
	plantedUser    = "alice"
	plantedPass    = `Pa55w0rd!xyz`
	plantedBasic   = "bob:hunter2-zz9"
	plantedBasicPw = "hunter2-zz9"
)

var plantedEnv = map[string]string{
	"API_KEY": plantedHeader, "PATH_TOKEN": plantedPath, "QUERY_TOKEN": plantedQuery, "BODY_TOKEN": plantedBody,
}

// plantedSecrets are every planted secret and the derived values an
// upstream may echo: a cookie's value without its name, a Basic
// credential's base64 and decoded forms.
func plantedSecrets() []string {
	userinfoB64 := base64.StdEncoding.EncodeToString([]byte(plantedUser + ":" + plantedPass))
	basicB64 := base64.StdEncoding.EncodeToString([]byte(plantedBasic))
	return []string{
		plantedHeader, plantedPath, plantedQuery, plantedBody,
		"sid=" + plantedCookie, plantedCookie,
		plantedPass, userinfoB64, "Basic " + userinfoB64,
		"Basic " + basicB64, basicB64, plantedBasic, plantedBasicPw,
	}
}

// formsOf are the forms of every secret an Echo server sends back, and
// that no output may hold.
func formsOf(secrets []string) []string {
	var forms []string
	for _, s := range secrets {
		forms = append(forms, testserver.SecretForms(s)...)
	}
	return forms
}

// secretsGraph is a graph with one upstream per form the Echo server
// echoes (form N on upstream fN), each planting every secret.
func secretsGraph(echo *testserver.Echo, forms int) string {
	u, _ := url.Parse(echo.URL)
	basic := base64.StdEncoding.EncodeToString([]byte(plantedBasic))
	var b strings.Builder
	fmt.Fprintf(&b, `version: 1
defaults:
  method: POST
  samples: 2
  timeout: 2s
  headers:
    X-Api-Key: ${API_KEY}
    Cookie: sid=%s
  body: 'secret=${BODY_TOKEN}'
upstreams:
`, plantedCookie)
	for i := range forms {
		if i%2 == 0 {
			fmt.Fprintf(&b, "  f%03d:\n    url: 'http://%s:%s@%s/p/${PATH_TOKEN}/%d?q=${QUERY_TOKEN}'\n", i, plantedUser, plantedPass, u.Host, i)
			continue
		}
		// Half the upstreams send a Basic credential of their own.
		fmt.Fprintf(&b, "  f%03d:\n    url: 'http://%s/p/${PATH_TOKEN}/%d?q=${QUERY_TOKEN}'\n    headers:\n      Authorization: Basic %s\n", i, u.Host, i, basic)
	}
	return b.String()
}

// TestNoSecretInAnyOutput plants each kind of secret, runs it against an
// upstream that echoes every secret and derived form through its body,
// headers, Set-Cookie, a redirect Location and an error page, through every
// command and output format, and greps stdout and stderr for every form:
// none may appear (SPEC §2, issue 12 item 6).
func TestNoSecretInAnyOutput(t *testing.T) {
	forms := formsOf(plantedSecrets())
	echo := testserver.NewEcho(t, forms)
	src := secretsGraph(echo, len(forms))
	file := writeFile(t, "updoc.yaml", src)

	check := func(name string, r result) {
		checkNoForm(t, name, r, forms)
	}

	ctx := context.Background()
	runs := map[string][]string{
		"check":                 {"check", "-f", file},
		"check -v":              {"check", "-f", file, "-v"},
		"check json":            {"check", "-f", file, "-o", "json"},
		"check markdown":        {"check", "-f", file, "-o", "markdown"},
		"check junit":           {"check", "-f", file, "-o", "junit"},
		"check github":          {"check", "-f", file, "-o", "github", "-v"},
		"watch":                 {"watch", "-f", file, "--interval", "10ms", "--count", "1"},
		"watch json":            {"watch", "-f", file, "--interval", "10ms", "--count", "1", "-o", "json"},
		"graph --check":         {"graph", "-f", file, "--check"},
		"graph --check dot":     {"graph", "-f", file, "--check", "--format", "dot"},
		"graph --check mermaid": {"graph", "-f", file, "--check", "--format", "mermaid"},
		"graph":                 {"graph", "-f", file},
		"validate":              {"validate", "-f", file},
	}
	for name, args := range runs {
		r := run(t, ctx, plantedEnv, "", args...)
		if r.code == ExitInvalid {
			t.Fatalf("%s: exit 2: %s", name, r.stderr)
		}
		if strings.HasPrefix(name, "check") && !strings.Contains(r.stdout, "[redacted]") {
			t.Errorf("%s: no [redacted] in the output of an echoing upstream:\n%s", name, r.stdout)
		}
		check(name, r)
		if strings.Contains(r.stdout, "xxxxx") {
			t.Errorf("%s: a password is shown as xxxxx, not %s:\n%s", name, "[redacted]", excerpt(r.stdout, "xxxxx"))
		}
	}

	// The url's userinfo goes as Basic authentication (as curl sends it) on
	// the first request, the redirect to the same host and each sample; an
	// Authorization header of the file's own beats it.
	userinfo := "Basic " + base64.StdEncoding.EncodeToString([]byte(plantedUser+":"+plantedPass))
	header := "Basic " + base64.StdEncoding.EncodeToString([]byte(plantedBasic))
	counts := map[string]int{}
	for _, req := range echo.Seen() {
		counts[req.Authorization]++
		if req.Cookie != "sid="+plantedCookie {
			t.Errorf("%s was sent Cookie %q", req.Path, req.Cookie)
		}
	}
	if counts[userinfo] == 0 || counts[header] == 0 || len(counts) != 2 {
		t.Errorf("Authorization headers sent: %v, want only %q and %q", counts, userinfo, header)
	}

	// The curl reproduction keeps "$VAR" for the shell.
	if r := run(t, ctx, plantedEnv, "", "check", "-f", file, "-v", "--only", "f000"); !strings.Contains(r.stdout, `"X-Api-Key: $API_KEY"`) {
		t.Errorf("the curl step does not send \"$API_KEY\":\n%s", r.stdout)
	}

	// probe: a password in the url and a Cookie.
	userinfoB64 := base64.StdEncoding.EncodeToString([]byte(plantedUser + ":" + plantedPass))
	probeForms := formsOf([]string{plantedPass, userinfoB64, "Basic " + userinfoB64, "sid=" + plantedCookie, plantedCookie})
	probeEcho := testserver.NewEcho(t, probeForms)
	probeArgs := []string{"probe", "-H", "Cookie: sid=" + plantedCookie, "--samples", "1"}
	for i := range probeForms {
		probeArgs = append(probeArgs, fmt.Sprintf("http://%s:%s@%s/p/%d", plantedUser, plantedPass, strings.TrimPrefix(probeEcho.URL, "http://"), i))
	}
	for _, o := range []string{"table", "json", "markdown"} {
		checkNoForm(t, "probe "+o, run(t, ctx, nil, "", append(probeArgs, "-o", o, "-v")...), probeForms)
	}

	// A ${VAR} in the url's host: the host and port are secret too.
	hostFile := writeFile(t, "host.yaml", "version: 1\nupstreams:\n  h:\n    url: 'http://${HOSTPORT}/p/0'\n    samples: 1\n")
	hostPort := strings.TrimPrefix(echo.URL, "http://")
	for _, o := range []string{"table", "json", "markdown", "junit", "github"} {
		r := run(t, ctx, map[string]string{"HOSTPORT": hostPort}, "", "check", "-f", hostFile, "-o", o, "-v")
		checkNoForm(t, "a ${VAR} host, "+o, r, []string{hostPort})
	}

	// Graph errors about values that came from ${VAR}.
	bad := writeFile(t, "bad.yaml", "version: 1\nupstreams:\n  a:\n    url: 'http://${API_KEY}/x'\n  b:\n    url: 'http://127.0.0.1:1/${BODY_TOKEN}'\n    headers:\n      X-Bad: \"${NEWLINE}\"\n")
	env := map[string]string{"NEWLINE": "line\n" + plantedQuery}
	for k, v := range plantedEnv {
		env[k] = v
	}
	for _, cmd := range []string{"validate", "check", "graph"} {
		r := run(t, ctx, env, "", cmd, "-f", bad)
		if r.code != ExitInvalid {
			t.Errorf("%s of a bad file: exit %d, want 2", cmd, r.code)
		}
		check(cmd+" of a bad file", r)
	}
}

// checkNoForm fails the test for each form that r's stdout or stderr holds.
func checkNoForm(t *testing.T, name string, r result, forms []string) {
	t.Helper()
	for _, f := range forms {
		if strings.Contains(r.stdout, f) {
			t.Errorf("%s: stdout holds the secret form %q:\n%s", name, f, excerpt(r.stdout, f))
		}
		if strings.Contains(r.stderr, f) {
			t.Errorf("%s: stderr holds the secret form %q:\n%s", name, f, excerpt(r.stderr, f))
		}
	}
}

// excerpt is the line of out that holds s.
func excerpt(out, s string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
