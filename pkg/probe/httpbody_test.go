package probe

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/graph"
)

func compress(t *testing.T, coding, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip":
		w = gzip.NewWriter(&b)
	case "zlib":
		w = zlib.NewWriter(&b)
	case "flate":
		w, _ = flate.NewWriter(&b, flate.BestCompression)
	}
	if _, err := io.WriteString(w, s); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.Bytes()
}

// The body is decoded from its Content-Encoding, bounded by max_body both
// as sent and as decoded (SPEC §3, issue 9 case 16).
func TestHTTPBodyDecoding(t *testing.T) {
	const healthy = `{"status":"UP"}`
	bomb := compress(t, "gzip", strings.Repeat("0", 10<<20)) // 10 MiB of zeros in ~10 KiB
	tests := []struct {
		name, encoding string
		body           []byte
		maxBody        int64
		method         string
		want           string // Body, or its prefix when truncated
		decoded        string // ContentEncoding
		undecoded      string
		truncated      bool
		phase          string
	}{
		{name: "gzip", encoding: "gzip", body: compress(t, "gzip", healthy), want: healthy, decoded: "gzip"},
		{name: "x-gzip", encoding: "x-gzip", body: compress(t, "gzip", healthy), want: healthy, decoded: "x-gzip"},
		{name: "deflate (zlib)", encoding: "deflate", body: compress(t, "zlib", healthy), want: healthy, decoded: "deflate"},
		{name: "deflate (raw)", encoding: "deflate", body: compress(t, "flate", healthy), want: healthy, decoded: "deflate"},
		{name: "identity", encoding: "identity", body: []byte(healthy), want: healthy},
		{name: "gzip bomb stops at max_body", encoding: "gzip", body: bomb, maxBody: 4096, want: strings.Repeat("0", 4096), decoded: "gzip", truncated: true},
		{name: "unknown coding", encoding: "br", body: []byte("\x1b\x0e\x00"), want: "\x1b\x0e\x00", undecoded: "br"},
		{name: "corrupt gzip", encoding: "gzip", body: []byte("not gzip at all"), phase: "decode"},
		{name: "HEAD", encoding: "gzip", body: compress(t, "gzip", healthy), method: http.MethodHead, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Encoding", tc.encoding)
				_, _ = w.Write(tc.body)
			}))
			defer srv.Close()
			_, port := hostPort(t, srv.Listener.Addr().String())
			h := runOne(t, testOpts(t), upstream(t, "svc", "http://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()), func(u *graph.Upstream) {
				u.Headers = []graph.Header{{Name: "Accept-Encoding", Value: "gzip, deflate"}}
				if tc.maxBody > 0 {
					u.MaxBody = tc.maxBody
				}
				if tc.method != "" {
					u.Method = tc.method
				}
			})).Targets[0].HTTP
			must(t, h != nil && h.StatusCode == 200, "HTTP = %+v", h)
			if h.ErrPhase != tc.phase || (tc.phase == "") != (h.Err == nil) {
				t.Fatalf("phase %q err %v, want phase %q", h.ErrPhase, h.Err, tc.phase)
			}
			if tc.phase != "" {
				return
			}
			if string(h.Body) != ends(tc.want) || h.BodyBytes != int64(len(tc.want)) || h.ContentEncoding != tc.decoded || h.Undecoded != tc.undecoded || h.BodyTruncated != tc.truncated {
				t.Errorf("body %q… (%d bytes kept of %d) encoding %q undecoded %q truncated %v; want %q… (%d bytes) %q %q %v",
					cut(h.Body), len(h.Body), h.BodyBytes, h.ContentEncoding, h.Undecoded, h.BodyTruncated, cut([]byte(tc.want)), len(tc.want), tc.decoded, tc.undecoded, tc.truncated)
			}
		})
	}
}

// A compressed body larger than max_body as sent decodes as far as it was
// read, and is marked truncated.
func TestHTTPBodyCutAsSent(t *testing.T) {
	text := strings.Repeat("0123456789abcdef", 4096) // 64 KiB, stored uncompressed
	var noCompression bytes.Buffer
	w, _ := gzip.NewWriterLevel(&noCompression, gzip.NoCompression)
	_, _ = io.WriteString(w, text)
	w.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(noCompression.Bytes())
	}))
	defer srv.Close()
	_, port := hostPort(t, srv.Listener.Addr().String())
	h := runOne(t, testOpts(t), upstream(t, "svc", "http://svc.test:"+port+"/", withTargets(srv.Listener.Addr().String()),
		func(u *graph.Upstream) { u.MaxBody = 1000 })).Targets[0].HTTP
	if h.Err != nil || !h.BodyTruncated || h.ContentEncoding != "gzip" || h.BodyBytes == 0 || !strings.HasPrefix(text, string(h.Body[:BodyKeep])) {
		t.Errorf("err %v truncated %v encoding %q body %q…", h.Err, h.BodyTruncated, h.ContentEncoding, cut(h.Body))
	}
}

// ends is what a result keeps of body s: all of it up to 2×BodyKeep
// bytes, else its first and last BodyKeep bytes.
func ends(s string) string {
	if len(s) <= 2*BodyKeep {
		return s
	}
	return s[:BodyKeep] + s[len(s)-BodyKeep:]
}

func cut(b []byte) string {
	if len(b) > 20 {
		return string(b[:20])
	}
	return string(b)
}
