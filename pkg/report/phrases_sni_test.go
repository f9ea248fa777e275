package report

import "testing"

func TestSNIPhrase(t *testing.T) {
	tests := []struct {
		tls  *TLS
		want string
	}{
		{nil, ""},
		{&TLS{}, ""},
		{&TLS{ServerName: "app.test", SNI: "app.test"}, "sni app.test"},
		{&TLS{ServerName: "127.0.0.1"}, "no sni (IP address 127.0.0.1)"},
		{&TLS{ServerName: "::1"}, "no sni (IP address ::1)"},
		{&TLS{ServerName: "app.test"}, "sni app.test"}, // a report from before the sni key
	}
	for _, tt := range tests {
		if got := SNIPhrase(tt.tls); got != tt.want {
			t.Errorf("SNIPhrase(%+v) = %q, want %q", tt.tls, got, tt.want)
		}
	}
}
