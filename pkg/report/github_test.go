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
	if !strings.HasPrefix(lines[0], "::error title=updoc tcp.refused (users)::10.0.0.7%3A8080") &&
		!strings.HasPrefix(lines[0], "::error title=updoc tcp.refused (users)::10.0.0.7:8080 refused the connection%0ANext step") {
		t.Errorf("first annotation = %q", lines[0])
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
	if errs != 4 || warns != 6 {
		t.Errorf("errors %d warnings %d, want 4 and 6", errs, warns)
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
