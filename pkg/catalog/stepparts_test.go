package catalog

import "testing"

func TestSplitStep(t *testing.T) {
	tests := []struct{ step, prose, command string }{
		{"Confirm from this machine: nc -vz 127.0.0.1 8080", "Confirm from this machine:", "nc -vz 127.0.0.1 8080"},
		{"If the name is internal, set resolvers: [\"IP:53\"] and re-check: updoc check -f a.yaml --only x",
			"If the name is internal, set resolvers: [\"IP:53\"] and re-check:", "updoc check -f a.yaml --only x"},
		{"Renew the certificate and reload the server.", "Renew the certificate and reload the server.", ""},
		{"See the phases: curl", "See the phases:", "curl"},
		{"Use the curling stone: curlew", "Use the curling stone: curlew", ""},
	}
	for _, tt := range tests {
		prose, command := SplitStep(tt.step)
		if prose != tt.prose || command != tt.command {
			t.Errorf("SplitStep(%q) = %q, %q; want %q, %q", tt.step, prose, command, tt.prose, tt.command)
		}
	}
}
