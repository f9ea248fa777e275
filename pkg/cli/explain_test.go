package cli

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
)

func TestExplain(t *testing.T) {
	list := run(t, context.Background(), nil, "", "explain")
	if list.code != 0 {
		t.Fatalf("explain: exit %d: %s", list.code, list.stderr)
	}
	for _, code := range catalog.Codes() {
		if !strings.Contains(list.stdout, code) {
			t.Errorf("explain list lacks %s", code)
		}
		r := run(t, context.Background(), nil, "", "explain", code)
		if r.code != 0 {
			t.Fatalf("explain %s: exit %d: %s", code, r.code, r.stderr)
		}
		for _, section := range []string{code + " — ", "What it means", "Typical evidence", "What to do", "  1. "} {
			if !strings.Contains(r.stdout, section) {
				t.Errorf("explain %s lacks %q:\n%s", code, section, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "<no value>") || strings.Contains(r.stdout, "{{") {
			t.Errorf("explain %s shows an unfilled template:\n%s", code, r.stdout)
		}
	}
}

// A step that names a graph key with a default says the default.
func TestExplainGivesTheDefaultThreshold(t *testing.T) {
	r := run(t, context.Background(), nil, "", "explain", "tls.cert_expiring")
	if want := "(now " + strconv.Itoa(graph.DefaultCertMinDays) + " by default)"; !strings.Contains(r.stdout, want) {
		t.Errorf("explain tls.cert_expiring does not say %q:\n%s", want, r.stdout)
	}
}

func TestExplainUnknownCode(t *testing.T) {
	if r := run(t, context.Background(), nil, "", "explain", "TLS.Cert_Expired"); r.code != 0 || !strings.HasPrefix(r.stdout, "tls.cert_expired — ") {
		t.Fatalf("explain is case-sensitive: exit %d, %q", r.code, r.stderr)
	}
	r := run(t, context.Background(), nil, "", "explain", "tcp.refuse")
	if r.code != ExitInvalid {
		t.Fatalf("exit %d, want 2", r.code)
	}
	if !strings.Contains(r.stderr, `unknown cause code "tcp.refuse"`) || !strings.Contains(r.stderr, "did you mean tcp.refused?") ||
		!strings.Contains(r.stderr, "The tcp codes: tcp.refused, tcp.timeout, tcp.unreachable.") || strings.Contains(r.stderr, "dns.nxdomain") {
		t.Fatalf("stderr: %s", r.stderr)
	}
}

// A code that is no typo of one gets the nearest codes and its family; a
// family alone lists its codes.
func TestExplainNearestAndFamily(t *testing.T) {
	r := run(t, context.Background(), nil, "", "explain", "tls.expired")
	if r.code != ExitInvalid || !strings.Contains(r.stderr, `unknown cause code "tls.expired" (nearest: tls.cert_expired, tls.cert_expiring`) ||
		!strings.Contains(r.stderr, "The tls codes: tls.handshake_failed, ") {
		t.Errorf("explain tls.expired: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	r = run(t, context.Background(), nil, "", "explain", "tls")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "CODE ") || !strings.Contains(r.stdout, "tls.cert_expired ") || strings.Contains(r.stdout, "tcp.") ||
		!strings.Contains(r.stdout, "Run 'updoc explain tls.handshake_failed'") {
		t.Errorf("explain tls: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = run(t, context.Background(), nil, "", "explain", "nonsense")
	if r.code != ExitInvalid || strings.Contains(r.stderr, "nearest") || !strings.Contains(r.stderr, "Run 'updoc explain' for every code") {
		t.Errorf("explain nonsense: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four five six", "  ", 12)
	want := "  one two\n  three four\n  five six"
	if got != want {
		t.Fatalf("wrap:\n%q\nwant\n%q", got, want)
	}
	if got := wrap("averyveryverylongword x", "  ", 8); got != "  averyveryverylongword\n  x" {
		t.Fatalf("long word: %q", got)
	}
	// Non-ASCII text wraps by display columns, not bytes: "é" is two
	// bytes and one column, a kanji two bytes more and two columns.
	if got := wrap("café résumé naïve déjà", "  ", 14); got != "  café résumé\n  naïve déjà" {
		t.Fatalf("accented text: %q", got)
	}
	if got := wrap("日本語 テキスト です", "  ", 10); got != "  日本語\n  テキスト\n  です" {
		t.Fatalf("CJK text: %q", got)
	}
}
