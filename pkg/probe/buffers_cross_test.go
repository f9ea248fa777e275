package probe

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
)

// Many upstreams at once, each a raw HTTP/1.1 server with
// its own misbehaviour (junk after its answer, closing between samples,
// coded bodies, interim answers, close-delimited and endless bodies,
// same-origin redirects, drips), all probed in one run with latency
// samples: no result may hold a byte or a status of another upstream's
// connection (the run lends its readers from one pool).
func TestNoBytesCrossTargets(t *testing.T) {
	const n = 80
	ups := make([]*graph.Upstream, n)
	for i := range n {
		addr := testserver.Raw(t, func(c net.Conn) { crossServe(c, i) })
		_, port := hostPort(t, addr)
		ups[i] = upstream(t, fmt.Sprintf("u%d", i), "http://svc.test:"+port+"/", withTargets(addr), withSamples(10),
			func(u *graph.Upstream) { u.MaxBody = 64 << 10; u.Timeout = 10 * time.Second })
	}
	for round := range 3 {
		rs := Run(context.Background(), &graph.Graph{Upstreams: ups}, testOpts(t), nil)
		idRE := regexp.MustCompile(`ID-(\d+)-`)
		for i, r := range rs {
			tr := r.Targets[0]
			h := tr.HTTP
			if h == nil {
				t.Errorf("round %d u%d (mode %d): no http result", round, i, i%10)
				continue
			}
			if h.StatusCode != 210+i {
				t.Errorf("round %d u%d (mode %d): http status %d, want %d (err %v, received %q)", round, i, i%10, h.StatusCode, 210+i, h.Err, h.Received)
			}
			for _, m := range idRE.FindAllSubmatch(h.Body, -1) {
				if string(m[1]) != fmt.Sprint(i) {
					t.Errorf("round %d u%d (mode %d): body holds %s: %q", round, i, i%10, m[0], h.Body)
				}
			}
			if !bytes.Contains(h.Body, []byte(fmt.Sprintf("ID-%d-", i))) {
				t.Errorf("round %d u%d (mode %d): body %q lacks its own id (err %v, enc %q)", round, i, i%10, h.Body, h.Err, h.ContentEncoding)
			}
			if tr.Latency == nil {
				t.Errorf("round %d u%d (mode %d): no latency", round, i, i%10)
				continue
			}
			for k, sm := range tr.Latency.Samples {
				if sm.Status != 0 && sm.Status != 210+i && sm.Status != 400+i && !(i%10 == 7 && sm.Status == 302) {
					t.Errorf("round %d u%d (mode %d) sample %d: status %d is not this upstream's", round, i, i%10, k, sm.Status)
				}
				if sm.Err != nil && i%10 != 6 {
					t.Errorf("round %d u%d (mode %d) sample %d: %v", round, i, i%10, k, sm.Err)
				}
			}
		}
	}
}

func crossServe(c net.Conn, i int) {
	defer c.Close()
	br := bufio.NewReader(c)
	id := fmt.Sprintf("ID-%d-", i)
	status := 210 + i
	head := func(extra string) string {
		return fmt.Sprintf("HTTP/1.1 %d CROSS\r\n%s", status, extra)
	}
	for {
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		switch i % 10 {
		case 0: // junk right after the answer, in the same write
			body := id + strings.Repeat("a", i)
			junk := fmt.Sprintf("HTTP/1.1 %d JUNK\r\nContent-Length: 9\r\n\r\nJUNK-%03d\n", 400+i, i)
			fmt.Fprintf(c, "%sContent-Length: %d\r\n\r\n%s%s", head(""), len(body), body, junk)
		case 1: // one answer per connection, closed silently
			body := id + "closing"
			fmt.Fprintf(c, "%sContent-Length: %d\r\n\r\n%s", head(""), len(body), body)
			return
		case 2: // gzip
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			fmt.Fprint(zw, id+strings.Repeat("gz", 100))
			zw.Close()
			fmt.Fprintf(c, "%sContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", head(""), b.Len())
			c.Write(b.Bytes())
		case 3: // chunked with an extension and a trailer
			fmt.Fprintf(c, "%sTransfer-Encoding: chunked\r\n\r\n%x;ext=1\r\n%s\r\n5\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n", head(""), len(id), id)
		case 4: // interim answers first
			body := id + "after-interim"
			fmt.Fprintf(c, "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n%sContent-Length: %d\r\n\r\n%s", head(""), len(body), body)
		case 5: // close-delimited body
			fmt.Fprintf(c, "%s\r\n%s%s", head(""), id, strings.Repeat("c", 3000))
			return
		case 6: // endless body: cut at max_body
			fmt.Fprintf(c, "%sContent-Type: text/plain\r\n\r\n", head(""))
			chunk := []byte(strings.Repeat(id, 4096/len(id)))
			for range 64 {
				if _, err := c.Write(chunk); err != nil {
					return
				}
			}
			return
		case 7: // a redirect to the same origin first
			if req.URL.Path == "/" {
				fmt.Fprintf(c, "HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 4\r\n\r\n%s", "moved"[:4])
				continue
			}
			body := id + "redirected"
			fmt.Fprintf(c, "%sContent-Length: %d\r\n\r\n%s", head(""), len(body), body)
		case 8: // deflate: raw for even, zlib for odd ids
			var b bytes.Buffer
			if i%20 < 10 {
				fw, _ := flate.NewWriter(&b, 5)
				fmt.Fprint(fw, id+"deflate-raw")
				fw.Close()
			} else {
				zw := zlib.NewWriter(&b)
				fmt.Fprint(zw, id+"deflate-zlib")
				zw.Close()
			}
			fmt.Fprintf(c, "%sContent-Encoding: deflate\r\nContent-Length: %d\r\n\r\n", head(""), b.Len())
			c.Write(b.Bytes())
		case 9: // dripped, in pieces
			body := id + strings.Repeat("d", 5000)
			fmt.Fprintf(c, "%sContent-Length: %d\r\n\r\n", head(""), len(body))
			for k := 0; k < len(body); k += 1000 {
				c.Write([]byte(body[k:min(k+1000, len(body))]))
				time.Sleep(time.Millisecond)
			}
		}
	}
}
