package report

import (
	"bytes"
	"strings"
	"testing"
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
		if strings.HasPrefix(l, "::") {
			anns = append(anns, l)
		}
	}
	want := "::error title=updoc tcp.refused on 127.0.0.1%3A18200 — 500 upstreams (svc000%2C svc001%2C … +498)::127.0.0.1:18200 refused the connection%0ANext step: Confirm from this machine:%0Anc -vz 127.0.0.1 18200"
	if len(anns) != 1 || anns[0] != want {
		t.Errorf("%d annotations, want 1:\n%s\nwant:\n%s", len(anns), strings.Join(anns, "\n"), want)
	}
}
