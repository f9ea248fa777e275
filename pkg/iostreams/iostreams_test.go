package iostreams

import "testing"

func TestColorEnabled(t *testing.T) {
	tests := []struct {
		mode    string
		tty     bool
		noColor bool
		want    bool
	}{
		{"auto", false, false, false},
		{"auto", true, false, true},
		{"auto", true, true, false},
		{"always", false, false, true},
		{"always", true, true, true}, // the flag wins over NO_COLOR
		{"never", true, false, false},
	}
	for _, tt := range tests {
		s, _, _, _ := Test()
		if err := s.SetColorMode(tt.mode); err != nil {
			t.Fatal(err)
		}
		s.SetStdoutTTY(tt.tty)
		s.SetNoColorEnv(tt.noColor)
		if got := s.ColorEnabled(); got != tt.want {
			t.Errorf("mode=%s tty=%v NO_COLOR=%v: got %v, want %v", tt.mode, tt.tty, tt.noColor, got, tt.want)
		}
	}
	s, _, _, _ := Test()
	if err := s.SetColorMode("sometimes"); err == nil {
		t.Error("SetColorMode(sometimes) succeeded")
	}
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	s, _, _, errOut := Test()
	s.Progress("probing 1/2")
	s.StopProgress()
	if errOut.Len() != 0 {
		t.Fatalf("progress written to a non-terminal stderr: %q", errOut.String())
	}
	s.SetStderrTTY(true)
	s.Progress("probing 1/2")
	s.StopProgress()
	if got := errOut.String(); got != "\r\x1b[2Kprobing 1/2\r\x1b[2K" {
		t.Fatalf("progress: %q", got)
	}
}
