package cli

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/lab"
	"github.com/updoc/updoc/pkg/lab/labtest"
	"github.com/updoc/updoc/pkg/report"
)

// TestCheckAgainstLab runs the whole pipeline against the fault lab and
// checks every scenario's expected findings in the JSON report.
func TestCheckAgainstLab(t *testing.T) {
	l := labtest.Start(t)
	file := writeFile(t, "lab.yaml", string(l.Config()))
	env := map[string]string{lab.HomeVar: t.TempDir()} // the orders upstream's ${HOME}
	r := run(t, context.Background(), env, "", "check", "-f", file, "-o", "json")
	if r.code != ExitUnhealthy {
		t.Fatalf("exit %d, want 1 (the lab is sick); stderr:\n%s", r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("stderr not empty for -o json: %q", r.stderr)
	}
	rep := decodeReport(t, r.stdout)
	if rep.Status != report.Unhealthy {
		t.Errorf("report status %s, want unhealthy", rep.Status)
	}
	for _, sc := range l.Scenarios() {
		t.Run(sc.Upstream, func(t *testing.T) {
			u := findUpstream(rep, sc.Upstream)
			if u == nil {
				t.Fatalf("upstream %s missing from the report", sc.Upstream)
			}
			if len(sc.Want) == 0 {
				if u.Status != report.Healthy || len(u.Findings) != 0 {
					t.Fatalf("healthy scenario %s: status %s, findings %s", sc.Upstream, u.Status, describe(u.Findings))
				}
				return
			}
			for _, w := range sc.Want {
				if !hasFinding(u.Findings, w) {
					t.Errorf("%s: want finding %s/%s/%s target %q; got %s", sc.Upstream, w.Code, w.Severity, w.Layer, w.Target, describe(u.Findings))
				}
			}
			// Every lab proxy is a known product, and its answer names it.
			for _, f := range u.Findings {
				if !strings.HasPrefix(f.Code, "gateway.") {
					continue
				}
				product, _ := f.Evidence["product"].(string)
				if product == "" || !strings.Contains(f.Message, product) {
					t.Errorf("%s: %s does not name the proxy: product %q, message %q", sc.Upstream, f.Code, product, f.Message)
				}
			}
			// Every http or gateway finding on an answer quotes its body
			// (issue 10), in the message and as evidence "body".
			for _, f := range u.Findings {
				if _, answered := f.Evidence["status_code"]; !answered || !strings.HasPrefix(f.Code, "http.") && !strings.HasPrefix(f.Code, "gateway.") {
					continue
				}
				body, ok := f.Evidence["body"].(string)
				switch {
				case !ok:
					t.Errorf("%s: %s has no evidence body: %v", sc.Upstream, f.Code, f.Evidence)
				case body != "" && !strings.Contains(f.Message, strconv.Quote(body)):
					t.Errorf("%s: %s message %q does not quote the body %q", sc.Upstream, f.Code, f.Message, body)
				}
			}
			if sc.Upstream == "maintenance" && !hasMessage(u.Findings, `("down for maintenance, back soon")`) {
				t.Errorf("maintenance: the message does not quote the body: %s", describe(u.Findings))
			}
			// Nothing beyond what the scenario expects.
			for _, f := range u.Findings {
				if !wanted(sc.Want, f) {
					t.Errorf("%s: unexpected finding %s", sc.Upstream, describe([]report.Finding{f}))
				}
				rootWanted := !slices.Contains(sc.NotRootCause, f.Code) && f.Code != catalog.DependencyUnhealthy
				if f.RootCause != rootWanted {
					t.Errorf("%s: %s root_cause=%v, want %v", sc.Upstream, f.Code, f.RootCause, rootWanted)
				}
			}
			if got := string(u.Status); got != sc.Status() {
				t.Errorf("%s: status %s, want %s", sc.Upstream, got, sc.Status())
			}
			for _, rc := range rep.RootCauses {
				if rc.Upstream == sc.Upstream && !slices.Equal(emptyNil(rc.Affects), emptyNil(sc.Affects)) {
					t.Errorf("%s: root cause %s affects %v, want %v", sc.Upstream, rc.Code, rc.Affects, sc.Affects)
				}
			}
		})
	}
}

func wanted(ws []lab.Want, f report.Finding) bool {
	return slices.ContainsFunc(ws, func(w lab.Want) bool {
		return hasFinding([]report.Finding{f}, w)
	})
}

// hasMessage: some finding's message holds words.
func hasMessage(fs []report.Finding, words string) bool {
	return slices.ContainsFunc(fs, func(f report.Finding) bool { return strings.Contains(f.Message, words) })
}

func emptyNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func findUpstream(r report.Report, name string) *report.Upstream {
	for i := range r.Upstreams {
		if r.Upstreams[i].Name == name {
			return &r.Upstreams[i]
		}
	}
	return nil
}

func hasFinding(fs []report.Finding, w lab.Want) bool {
	for _, f := range fs {
		if f.Code == w.Code && f.Severity == w.Severity && f.Layer == w.Layer && f.Target == w.Target {
			return true
		}
	}
	return false
}

func describe(fs []report.Finding) string {
	if len(fs) == 0 {
		return "no findings"
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, fmt.Sprintf("%s/%s/%s target %q", f.Code, f.Severity, f.Layer, f.Target))
	}
	return strings.Join(parts, "; ")
}

func TestDeadlineBoundsTheRun(t *testing.T) {
	addr := testserver.Hung(t)
	file := writeFile(t, "hung.yaml", fmt.Sprintf(`version: 1
upstreams:
  a: {url: "http://%[1]s/a"}
  b: {url: "http://%[1]s/b"}
  c: {url: "http://%[1]s/c", depends_on: [a]}
`, addr))
	r := run(t, context.Background(), nil, "", "check", "-f", file, "-o", "json", "--timeout", "30s", "--deadline", "2s")
	if r.elapsed > 3*time.Second {
		t.Fatalf("a --deadline 2s run took %s", r.elapsed)
	}
	if r.code != ExitUnhealthy {
		t.Fatalf("exit %d, want 1; stderr: %s", r.code, r.stderr)
	}
	rep := decodeReport(t, r.stdout)
	for _, name := range []string{"a", "b", "c"} {
		u := findUpstream(rep, name)
		if u == nil || !hasFinding(u.Findings, lab.Want{Code: catalog.RunDeadlineExceeded, Severity: "fail", Layer: "run"}) {
			t.Errorf("%s: want run.deadline_exceeded, got %+v", name, u)
			continue
		}
		// Cut short, not failed: unknown, no root cause, c not "taken
		// down" by a (SPEC §5); the exit code counts unknown as unhealthy.
		if u.Status != report.Unknown || len(u.Findings) != 1 {
			t.Errorf("%s: status %s, findings %s; want unknown with only run.deadline_exceeded", name, u.Status, describe(u.Findings))
		}
	}
	if rep.Status != report.Unknown || rep.Summary.Unknown != 3 || len(rep.RootCauses) != 0 {
		t.Errorf("report %s, summary %+v, root causes %+v", rep.Status, rep.Summary, rep.RootCauses)
	}
	t.Logf("--deadline 2s over hung upstreams returned in %s", r.elapsed.Round(time.Millisecond))
}

func TestDemo(t *testing.T) {
	r := run(t, context.Background(), nil, "", "demo", "--color", "never")
	if r.code != ExitUnhealthy {
		t.Fatalf("demo exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"ROOT CAUSE", "tcp.refused", "dns.nxdomain", "tls.cert_expired"} {
		if !strings.Contains(strings.ToUpper(r.stdout), strings.ToUpper(want)) {
			t.Errorf("demo table lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("--color never output holds escape codes")
	}
	t.Logf("demo took %s", r.elapsed.Round(time.Millisecond))

	pc := run(t, context.Background(), nil, "", "demo", "--print-config")
	if pc.code != 0 || !strings.Contains(pc.stdout, "upstreams:") {
		t.Fatalf("demo --print-config: exit %d, stdout %q, stderr %q", pc.code, pc.stdout, pc.stderr)
	}
}
