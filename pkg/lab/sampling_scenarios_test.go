package lab

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dialScenario connects to the scenario's url port, with a 2 s deadline
// for the whole exchange; the connection closes when the test ends.
func dialScenario(t *testing.T, l *Lab, name string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+urlPort(t, scenario(t, l, name)), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	return conn
}

// rawExchange sends n GET requests, one after the other, on one connection
// to the scenario and returns each response's head (status line and
// headers, names as sent) and body. With waitClose it then waits for the
// server to close the connection and fails the test if it does not.
func rawExchange(t *testing.T, l *Lab, name string, n int, waitClose bool) (heads, bodies []string) {
	t.Helper()
	conn := dialScenario(t, l, name)
	br := bufio.NewReader(conn)
	for i := range n {
		fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s.%s\r\n\r\n", name, Zone)
		var head strings.Builder
		length := 0
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				t.Fatalf("%s request %d: %v", name, i+1, err)
			}
			head.WriteString(line)
			if line == "\r\n" {
				break
			}
			if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && strings.EqualFold(k, "content-length") {
				length, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(br, body); err != nil {
			t.Fatalf("%s request %d body: %v", name, i+1, err)
		}
		heads = append(heads, head.String())
		bodies = append(bodies, string(body))
	}
	if waitClose {
		if _, err := br.ReadByte(); err != io.EOF {
			t.Errorf("%s: the connection is still open after the answer (%v)", name, err)
		}
	}
	return heads, bodies
}

// The scenarios added for issue 9 answer as designed.
func TestSamplingAndRefusalScenarios(t *testing.T) {
	l := startLab(t)
	t.Run("overloaded", func(t *testing.T) {
		heads, bodies := rawExchange(t, l, "overloaded", 2, false)
		for i := range heads {
			if !strings.HasPrefix(heads[i], "HTTP/1.1 503 Service Unavailable\r\n") || !strings.Contains(heads[i], "x-envoy-overloaded: true\r\n") ||
				!strings.Contains(heads[i], "server: envoy\r\n") || bodies[i] != envoyOverflowBody {
				t.Errorf("answer %d: %q %q", i+1, heads[i], bodies[i])
			}
		}
	})
	t.Run("forwarded", func(t *testing.T) {
		heads, _ := rawExchange(t, l, "forwarded", 1, false)
		if !strings.HasPrefix(heads[0], "HTTP/1.1 502 Bad Gateway\r\n") || !strings.Contains(heads[0], "x-envoy-upstream-service-time: 12\r\n") ||
			!strings.Contains(heads[0], "server: envoy\r\n") {
			t.Errorf("answer %q", heads[0])
		}
	})
	t.Run("flaky", func(t *testing.T) {
		// Six requests on one kept-alive connection: the third and sixth fail.
		heads, _ := rawExchange(t, l, "flaky", 6, false)
		for i, h := range heads {
			want := "HTTP/1.1 200 OK\r\n"
			if (i+1)%3 == 0 {
				want = "HTTP/1.1 503 Service Unavailable\r\n"
			}
			if !strings.HasPrefix(h, want) {
				t.Errorf("request %d on the connection: %q, want %q", i+1, h, want)
			}
		}
	})
	t.Run("closing", func(t *testing.T) {
		heads, bodies := rawExchange(t, l, "closing", 1, true)
		if !strings.HasPrefix(heads[0], "HTTP/1.1 200 OK\r\n") || bodies[0] != healthyBody ||
			strings.Contains(strings.ToLower(heads[0]), "connection:") {
			t.Errorf("answer %q %q: want 200 without Connection: close", heads[0], bodies[0])
		}
	})
}
