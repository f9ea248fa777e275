package graph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A TLS file that holds no PEM block of its kind is the graph's mistake,
// found when it loads (validate exits 2), not a handshake blamed on the
// server later (QA: a ca_file of "hello" passed validate, and check
// blamed the server's certificate).
func TestTLSFileContents(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cert := "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
	key := "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"
	write("text.txt", "hello\n")
	write("cert.pem", cert)
	write("key.pem", key)
	write("both.pem", cert+key)
	tests := []struct {
		tls, want string
	}{
		{tls: "{ca_file: cert.pem}"},
		{tls: "{ca_file: both.pem}"},
		{tls: "{cert_file: both.pem, key_file: both.pem}"},
		{tls: "{ca_file: text.txt}", want: "tls.ca_file: " + filepath.Join(dir, "text.txt") + " holds no PEM certificate"},
		{tls: "{ca_file: key.pem}", want: "holds no PEM certificate"},
		{tls: "{cert_file: cert.pem, key_file: cert.pem}", want: "tls.key_file: " + filepath.Join(dir, "cert.pem") + " holds no PEM private key"},
		{tls: "{cert_file: text.txt, key_file: key.pem}", want: "tls.cert_file: " + filepath.Join(dir, "text.txt") + " holds no PEM certificate"},
	}
	for _, tc := range tests {
		path := filepath.Join(dir, "g.yaml")
		write("g.yaml", "version: 1\nupstreams:\n  a: {url: \"https://127.0.0.1:8443/\", tls: "+tc.tls+"}\n")
		_, err := LoadFile(t.Context(), path, nil, func(string) (string, bool) { return "", false })
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.tls, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v\nwant it to say %q", tc.tls, err, tc.want)
		}
	}
}
