package probe

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
)

// socks5Connect speaks RFC 1928 with RFC 1929 credentials, and keeps the
// proxy's reply code when it is not "succeeded".
func TestSOCKS5ConnectWithCredentialsAndReplies(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply byte
	}{{"succeeded", 0}, {"refused", SOCKSConnectionRefused}, {"TTL expired", SOCKSTTLExpired}} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan []byte, 1)
			addr := testserver.Raw(t, func(c net.Conn) {
				_ = c.SetDeadline(time.Now().Add(2 * time.Second))
				read := func(n int) []byte {
					b := make([]byte, n)
					_, _ = io.ReadFull(c, b)
					return b
				}
				greeting := read(3) // 5 1 2
				_, _ = c.Write([]byte{5, 2})
				auth := read(2 + 5 + 1 + 6) // 1 5 alice 6 s3cr3t
				_, _ = c.Write([]byte{1, 0})
				req := read(4 + 1 + 8 + 2) // 5 1 0 3 8 app.test 0x01bb
				got <- bytes.Join([][]byte{greeting, auth, req}, nil)
				_, _ = c.Write([]byte{5, tc.reply, 0, 1, 127, 0, 0, 1, 0x01, 0xbb})
				if tc.reply == 0 {
					_, _ = c.Write([]byte("220 hello\r\n"))
				}
			})
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(2 * time.Second))
			tunnel, err := socks5Connect(c, "app.test:443", "alice", "s3cr3t")
			want := append(append([]byte{5, 1, 2, 1, 5}, "alice\x06s3cr3t"...), append([]byte{5, 1, 0, 3, 8}, "app.test\x01\xbb"...)...)
			if sent := <-got; !bytes.Equal(sent, want) {
				t.Errorf("sent %q, want %q", sent, want)
			}
			if tc.reply != 0 {
				var re *SOCKSReplyError
				if !errors.As(err, &re) || re.Code != tc.reply {
					t.Fatalf("err %v, want reply %d", err, tc.reply)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			line := make([]byte, 11)
			if _, err := io.ReadFull(tunnel, line); err != nil || string(line) != "220 hello\r\n" {
				t.Errorf("through the tunnel: %q %v", line, err)
			}
		})
	}
}
