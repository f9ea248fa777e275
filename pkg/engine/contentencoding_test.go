package engine_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/report"
)

// Issue 9 case 16: the graph sends Accept-Encoding: gzip and the body comes
// gzipped: body_contains is checked against the decoded body, decoding is
// bounded by max_body (a gzip bomb stops there), and the JSON names the
// encoding — before: http.body_mismatch on the compressed bytes.
func TestGzipBodyIsCheckedDecoded(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	serve := func(body []byte) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Accept-Encoding") != "gzip" {
				http.Error(w, "send Accept-Encoding: gzip", http.StatusNotAcceptable)
				return
			}
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(body)
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	healthy := serve(gz(`{"status":"UP"}`))
	bomb := serve(gz(strings.Repeat(" ", 8<<20))) // 8 MiB of spaces in ~8 KiB
	rep := runFile(t, e2eOpts(t), fmt.Sprintf(`version: 1
defaults:
  headers: {Accept-Encoding: gzip}
  expect: {body_contains: '"UP"'}
  max_body: 64KiB
upstreams:
  api: {url: %q}
  bomb: {url: %q}
`, healthy+"/health", bomb+"/health"), nil)

	u := rep.Upstream("api")
	if u.Status != report.Healthy || len(u.Findings) != 0 {
		t.Fatalf("api: %s %+v", u.Status, u.Findings)
	}
	if h := u.Targets[0].HTTP; h.ContentEncoding != "gzip" || h.BodyPrefix != `{"status":"UP"}` {
		t.Errorf("content_encoding %q body %q", h.ContentEncoding, h.BodyPrefix)
	}
	f := onlyFindingOf(t, rep, "bomb")
	wantFinding(t, f, "http.body_mismatch", report.Fail, "http", strings.TrimPrefix(bomb, "http://"),
		`does not contain "\"UP\"" (decoded from gzip)`, "only the first 65536 bytes were read: max_body")
	if f.Evidence["content_encoding"] != "gzip" {
		t.Errorf("evidence %v", f.Evidence)
	}
}
