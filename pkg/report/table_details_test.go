package report

import (
	"bytes"
	"strings"
	"testing"
)

// The -v tls line names the SNI sent, and says none was when the url
// names an IP address (QA finding 6): never "sni 127.0.0.1".
func TestVerboseTLSLineSaysWhichSNIWasSent(t *testing.T) {
	for _, tt := range []struct {
		name, serverName, sni, want, not string
	}{
		{"a name", "api.example.com", "api.example.com", "sni api.example.com", "no sni"},
		{"an IP address", "127.0.0.1", "", "no sni (IP address 127.0.0.1)", "sni 127.0.0.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := healthyReport()
			r.Upstreams[0].Targets[0].TLS.ServerName, r.Upstreams[0].Targets[0].TLS.SNI = tt.serverName, tt.sni
			var b bytes.Buffer
			if err := WriteTable(&b, r, TableOptions{Verbose: true, Width: 200}); err != nil {
				t.Fatal(err)
			}
			if out := b.String(); !strings.Contains(out, tt.want) || strings.Contains(out, tt.not) {
				t.Errorf("table holds %q: %v, %q: %v\n%s", tt.want, strings.Contains(out, tt.want), tt.not, strings.Contains(out, tt.not), out)
			}
		})
	}
}
