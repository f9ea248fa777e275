package report

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
)

func TestGitHubAnnotations(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGitHub(&b, mixedReport(), TableOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if want := "::error title=updoc tcp.refused on 10.0.0.7%3A8080 — users::10.0.0.7:8080 refused the connection%0Atakes down 2 upstreams: gateway, edge%0ANext step: "; !strings.HasPrefix(lines[0], want) {
		t.Errorf("first annotation = %q, want it to start %q", lines[0], want)
	}
	var errs, warns int
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "::error "):
			errs++
		case strings.HasPrefix(l, "::warning "):
			warns++
		}
	}
	// One per NEXT STEPS entry: the four root-cause groups; edge and
	// gateway are taken down by users and get none of their own.
	if errs != 2 || warns != 2 {
		t.Errorf("errors %d warnings %d, want 2 and 2", errs, warns)
	}
	if !strings.Contains(b.String(), "UPSTREAM") {
		t.Error("the table must follow the annotations")
	}
	if got := ghProperty("a:b,c%d\ne"); got != "a%3Ab%2Cc%25d%0Ae" {
		t.Errorf("ghProperty = %q", got)
	}
	if got := ghData("50% a:b,c\r\n"); got != "50%25 a:b,c%0D%0A" {
		t.Errorf("ghData = %q", got)
	}
}

// 500 upstreams behind one dead address are one annotation whose title
// has the count, not 500 annotations.
func TestGitHubOneAnnotationPerRootCauseGroup(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGitHub(&b, deadTargetReport(500), TableOptions{}); err != nil {
		t.Fatal(err)
	}
	var anns []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "::error ") || strings.HasPrefix(l, "::warning ") {
			anns = append(anns, l)
		}
	}
	want := "::error title=updoc tcp.refused on 127.0.0.1%3A18200 — 500 upstreams (svc000%2C svc001%2C … +498)::127.0.0.1:18200 refused the connection%0ANext step: Confirm from this machine:%0Anc -vz 127.0.0.1 18200"
	if len(anns) != 1 || anns[0] != want {
		t.Errorf("%d annotations, want 1:\n%s\nwant:\n%s", len(anns), strings.Join(anns, "\n"), want)
	}
}

// fixedStopToken makes the github output's stop-commands token
// "updoc-TOKEN" for the rest of the test, so that it can be compared
// with a golden file.
func fixedStopToken(t *testing.T) {
	saved := newStopToken
	t.Cleanup(func() { newStopToken = saved })
	newStopToken = func() (string, error) { return "updoc-TOKEN", nil }
}

// ghHostile are texts an upstream (or a graph file) may hold that the
// runner would take for workflow commands on a line of their own.
var ghHostile = []string{
	"\n::notice title=x::pwned",
	"##[warning]pwned",
	"::set-env name=X::pwned",
	"  ::add-mask::pwned\r\n##[set-output name=a;]pwned",
	"::stop-commands::pwned",
}

// hostileGitHubReport is mixedReport with hostile text in what upstreams
// send and the graph declares: messages, headers, bodies, certificate
// fields, descriptions, errors; and long text in which a command lands at
// the start of a wrapped line for some width.
func hostileGitHubReport(extra string) *Report {
	h := strings.Join(ghHostile, " ") + extra
	r := mixedReport()
	r.RootCauses[0].Message += h
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		u.Description = "checks" + h
		for j := range u.Findings {
			f := &u.Findings[j]
			f.Message += h
			f.Evidence["header"] = h
			f.Evidence["body_prefix"] = h
			f.Remediation = append([]string{"Read it" + h + ": curl -s " + catalog.ShellQuote(h)}, f.Remediation...)
		}
		for k := range u.Targets {
			tg := &u.Targets[k]
			if tg.HTTP != nil {
				tg.HTTP.BodyPrefix, tg.HTTP.Server, tg.HTTP.Error = h, h, h
			}
			if tg.TLS != nil && tg.TLS.Cert != nil {
				tg.TLS.Cert.Subject, tg.TLS.Cert.Issuer = "CN="+h, "CN="+h
				tg.TLS.Cert.SANs = append(tg.TLS.Cert.SANs, h)
			}
		}
	}
	return r
}

// runnerCommands are the lines of out the GitHub runner would run as
// workflow commands, as it reads them: outside a stop-commands region, a
// line that starts with "::" once trimmed, or that holds "##[" (the old
// form); resumed reports whether every region was closed.
func runnerCommands(out string) (commands []string, resumed bool) {
	stopped := ""
	for _, line := range strings.Split(out, "\n") {
		trimmed := strings.TrimSpace(line)
		if stopped != "" {
			if strings.EqualFold(trimmed, "::"+stopped+"::") {
				stopped = ""
			}
			continue
		}
		if strings.HasPrefix(trimmed, "::") || strings.Contains(line, "##[") {
			commands = append(commands, line)
			if token, ok := strings.CutPrefix(trimmed, "::stop-commands::"); ok {
				stopped = token
			}
		}
	}
	return commands, stopped == ""
}

// Issue 12, item 8: in -o github no line the runner would run as a
// workflow command comes from an upstream. Every command line outside
// the stopped region is one of updoc's annotations (one per NEXT STEPS
// entry, each on one line, its properties and message escaped) or the
// stop-commands line itself; the region is closed at the end; the token
// is random per run. Widths from 40 to 160 columns and padding of every
// length put the hostile text at the start of wrapped lines.
func TestGitHubOutputRunsNoUpstreamCommand(t *testing.T) {
	annotationRE := regexp.MustCompile(`^::(error|warning) title=[^\n\r:,]*::[^\n\r]*$`)
	wrapped, tokens := 0, map[string]bool{}
	for pad := 0; pad < 24; pad += 3 {
		r := hostileGitHubReport(" " + strings.Repeat("w", pad) + strings.Repeat(" word", 12) + " ::notice title=wrapped::pwned")
		want := len(Normalize(r).nextSteps())
		for _, width := range []int{40, 63, 80, 101, 160} {
			for _, verbose := range []bool{false, true} {
				var b bytes.Buffer
				if err := WriteGitHubThen(&b, r, TableOptions{Width: width, Verbose: verbose}, func(w io.Writer) error {
					_, err := io.WriteString(w, "after the table"+strings.Join(ghHostile, " ")) // no final newline
					return err
				}); err != nil {
					t.Fatal(err)
				}
				out := b.String()
				commands, resumed := runnerCommands(out)
				if !resumed {
					t.Fatalf("width %d: the stop-commands region is never closed:\n%s", width, out)
				}
				if len(commands) != want+1 {
					t.Errorf("width %d verbose %v: %d command lines, want %d annotations and stop-commands:\n%s", width, verbose, len(commands), want, strings.Join(commands, "\n"))
				}
				for i, c := range commands {
					switch {
					case i < want && !annotationRE.MatchString(c):
						t.Errorf("width %d: not an annotation of updoc's: %q", width, c)
					case i == want:
						token, ok := strings.CutPrefix(c, "::stop-commands::")
						if !ok || len(token) < 32 || strings.Contains(out[:strings.Index(out, c)], token) {
							t.Errorf("width %d: the stop-commands line is %q", width, c)
						}
						tokens[token] = true
					}
				}
				for _, line := range strings.Split(out, "\n") {
					if strings.HasPrefix(strings.TrimSpace(line), "::notice title=wrapped") {
						wrapped++
					}
				}
			}
		}
	}
	if wrapped == 0 {
		t.Error("no width put the wrapped command at the start of a line: the test proves nothing")
	}
	if len(tokens) < 2 {
		t.Errorf("the stop-commands token is the same in every report: %v", tokens)
	}
}
