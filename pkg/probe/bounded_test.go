package probe

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/hostile"
	"github.com/updoc/updoc/pkg/graph"
)

// Every read from an upstream is bounded (issue 12, failure 2): a head
// that never ends — on the http layer's request, on a latency sample, or
// as 1xx answers without end — is cut at MaxHead (ErrHeadTooLarge, not the
// timeout after reading all it could); a body that never ends at
// max_body, on both. scripts/memory.sh measures the memory this keeps.
func TestReadsFromAnUpstreamAreBounded(t *testing.T) {
	tests := []struct {
		name        string
		server      func(t *testing.T) string
		samples     int
		httpErr     error // the http layer's error
		sampleErr   error // every sample's error
		bodyCut     bool
		sampleCount int
	}{
		{name: "endless header fields", server: func(t *testing.T) string { return hostile.EndlessHeaders(t, 0) }, httpErr: ErrHeadTooLarge},
		{name: "endless header fields on the samples", server: func(t *testing.T) string { return hostile.EndlessHeaders(t, 1) },
			samples: 2, sampleErr: ErrHeadTooLarge, sampleCount: 2},
		{name: "endless 100 Continue", server: func(t *testing.T) string { return hostile.EndlessInterim(t) }, httpErr: ErrHeadTooLarge},
		{name: "endless body", server: func(t *testing.T) string { return hostile.EndlessBody(t) }, samples: 2, bodyCut: true, sampleCount: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr := tc.server(t)
			_, port := hostPort(t, addr)
			res := runOne(t, testOpts(t), upstream(t, "svc", "http://svc.test:"+port+"/", withTargets(addr), withSamples(tc.samples),
				func(u *graph.Upstream) { u.Timeout = 10 * time.Second })) // the limits end these reads, never the timeout
			h := res.Targets[0].HTTP
			if !errors.Is(h.Err, tc.httpErr) || (tc.httpErr == nil) != (h.Err == nil) {
				t.Fatalf("http layer: error %v (phase %q), want %v", h.Err, h.ErrPhase, tc.httpErr)
			}
			if tc.httpErr != nil && h.ErrPhase != "headers" {
				t.Errorf("phase %q, want headers", h.ErrPhase)
			}
			if h.BodyTruncated != tc.bodyCut {
				t.Errorf("body truncated %v, want %v", h.BodyTruncated, tc.bodyCut)
			}
			if l := res.Targets[0].Latency; tc.sampleCount > 0 {
				if l == nil || len(l.Samples) != tc.sampleCount {
					t.Fatalf("latency %+v, want %d samples", l, tc.sampleCount)
				}
				for i, sm := range l.Samples {
					if !errors.Is(sm.Err, tc.sampleErr) || (tc.sampleErr == nil) != (sm.Err == nil) {
						t.Errorf("sample %d: error %v, want %v", i, sm.Err, tc.sampleErr)
					}
				}
			}
		})
	}
}

// A body is checked against expect as it streams by, over its whole length
// up to max_body, and only its ends are kept (issue 12: "keep 512 bytes for
// evidence and discard the rest after matching").
func TestBodyCheckedWholeKeptByItsEnds(t *testing.T) {
	const size = 200 << 10
	srv := hostile.Body(t, size, "<html><title>status page</title>", `"status":"UP"}`)
	_, port := hostPort(t, srv)
	tests := []struct {
		name             string
		contains, regex  string
		maxBody          int64
		missing, unmatch bool
		truncated        bool
	}{
		{name: "found at the very end", contains: `"status":"UP"`, regex: `"status"\s*:\s*"UP"`},
		{name: "not there", contains: `"status":"DOWN"`, regex: `DOWN`, missing: true, unmatch: true},
		{name: "beyond max_body", contains: `"status":"UP"`, regex: `UP`, maxBody: 64 << 10, missing: true, unmatch: true, truncated: true},
		{name: "in the middle (kept ends do not hold it)", contains: "......................", regex: `\.{1000}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := runOne(t, testOpts(t), upstream(t, "svc", "http://svc.test:"+port+"/", withTargets(srv), func(u *graph.Upstream) {
				u.Timeout = 10 * time.Second // the regexp over the whole body is slow under -race on a loaded machine
				u.Expect.BodyContains = tc.contains
				u.Expect.BodyRegex = regexp.MustCompile(tc.regex)
				if tc.maxBody > 0 {
					u.MaxBody = tc.maxBody
				}
			})).Targets[0].HTTP
			if h.Err != nil {
				t.Fatal(h.Err)
			}
			if h.BodyMissing != tc.missing || h.BodyUnmatched != tc.unmatch || h.BodyTruncated != tc.truncated {
				t.Errorf("missing %v unmatched %v truncated %v; want %v %v %v", h.BodyMissing, h.BodyUnmatched, h.BodyTruncated, tc.missing, tc.unmatch, tc.truncated)
			}
			wantBytes := int64(size)
			if tc.maxBody > 0 {
				wantBytes = tc.maxBody
			}
			if h.BodyBytes != wantBytes || len(h.Body) != 2*BodyKeep || !bytes.HasPrefix(h.Body, []byte("<html><title>status page</title>")) {
				t.Errorf("kept %d bytes of %d (want %d of %d), starting %q", len(h.Body), h.BodyBytes, 2*BodyKeep, wantBytes, h.Body[:min(40, len(h.Body))])
			}
			if tc.maxBody == 0 && !bytes.HasSuffix(h.Body, []byte(`"status":"UP"}`)) {
				t.Errorf("kept body does not end as the body does: …%q", h.Body[len(h.Body)-20:])
			}
		})
	}
}

// keeper keeps a stream's first and last BodyKeep bytes whatever sizes it
// is written in; finder finds a needle across writes.
func TestKeeperAndFinder(t *testing.T) {
	text := strings.Repeat("abcdefghij", 300) + "NEEDLE" + strings.Repeat("klmnopqrst", 300)
	for _, step := range []int{1, 2, 5, 7, 511, 512, 513, 1000, 1025, len(text)} {
		k, f := &keeper{}, &finder{needle: []byte("NEEDLE")}
		missing := &finder{needle: []byte("NEEDLF")}
		for i := 0; i < len(text); i += step {
			chunk := []byte(text[i:min(i+step, len(text))])
			_, _ = k.Write(chunk)
			_, _ = f.Write(chunk)
			_, _ = missing.Write(chunk)
		}
		if got := string(k.bytes()); got != ends(text) || k.n != int64(len(text)) {
			t.Errorf("step %d: kept %d bytes (n %d), not the ends", step, len(got), k.n)
		}
		if !f.found || missing.found {
			t.Errorf("step %d: found %v (want true), found the absent one %v", step, f.found, missing.found)
		}
	}
	for _, n := range []int{0, 1, 512, 1024} { // at most 2×BodyKeep: kept whole
		k := &keeper{}
		_, _ = k.Write([]byte(strings.Repeat("x", n)))
		if len(k.bytes()) != n {
			t.Errorf("%d bytes: kept %d", n, len(k.bytes()))
		}
	}
}
