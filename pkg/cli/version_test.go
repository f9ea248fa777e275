package cli

import (
	"context"
	"strings"
	"testing"
)

func TestVersionFlagAndListSome(t *testing.T) {
	r := run(t, context.Background(), nil, "", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "updoc ") {
		t.Fatalf("--version: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if got := listSome([]string{"a", "b", "c"}, 2); got != "a, b, … and 1 more" {
		t.Fatalf("listSome: %q", got)
	}
	if got := listSome([]string{"a", "b"}, 2); got != "a, b" {
		t.Fatalf("listSome: %q", got)
	}
}
