package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// IOStreams carries the process's streams and the decisions made about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	stderrTTY bool
	// colorMode is "auto", "always" or "never".
	colorMode string
	// noColorEnv is true when NO_COLOR is set (to any value).
	noColorEnv bool
	termWidth  func() int
	termHeight func() int

	progressMu   sync.Mutex
	progressLine bool
}

// System returns streams bound to the process's stdin, stdout and stderr.
func System() *IOStreams {
	_, noColor := os.LookupEnv("NO_COLOR")
	s := &IOStreams{
		In:         os.Stdin,
		Out:        os.Stdout,
		ErrOut:     os.Stderr,
		stdinTTY:   term.IsTerminal(int(os.Stdin.Fd())),
		stdoutTTY:  term.IsTerminal(int(os.Stdout.Fd())),
		stderrTTY:  term.IsTerminal(int(os.Stderr.Fd())),
		colorMode:  "auto",
		noColorEnv: noColor,
	}
	s.termWidth = func() int {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			return w
		}
		return 0
	}
	s.termHeight = func() int {
		if _, h, err := term.GetSize(int(os.Stdout.Fd())); err == nil && h > 0 {
			return h
		}
		return 0
	}
	return s
}

// Test returns streams backed by buffers, with no terminal and no colour.
func Test() (s *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, colorMode: "auto", termWidth: func() int { return 0 }}, in, out, errOut
}

// SetStdoutTTY forces whether stdout counts as a terminal (tests).
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY forces whether stderr counts as a terminal (tests).
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetNoColorEnv forces whether NO_COLOR counts as set (tests).
func (s *IOStreams) SetNoColorEnv(v bool) { s.noColorEnv = v }

// SetStdinTTY forces whether stdin counts as a terminal (tests).
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// ColorModes are the values --color accepts.
var colorModes = []string{"auto", "always", "never"}

// ColorModes returns the values --color accepts.
func ColorModes() []string { return append([]string(nil), colorModes...) }

// SetColorMode applies --color.
func (s *IOStreams) SetColorMode(mode string) error {
	for _, m := range colorModes {
		if mode == m {
			s.colorMode = mode
			return nil
		}
	}
	return fmt.Errorf("invalid --color %q: want one of %s", mode, strings.Join(colorModes, ", "))
}

// ColorEnabled decides colour for stdout: "never" → off; "always" → on
// (an explicit flag wins over the environment, as no-color.org asks);
// "auto" → on when stdout is a terminal and NO_COLOR is not set.
func (s *IOStreams) ColorEnabled() bool {
	switch s.colorMode {
	case "never":
		return false
	case "always":
		return true
	default:
		return s.stdoutTTY && !s.noColorEnv
	}
}

// TerminalWidth is stdout's width in columns, or fallback when it is not a terminal.
func (s *IOStreams) TerminalWidth(fallback int) int {
	if s.stdoutTTY && s.termWidth != nil {
		if w := s.termWidth(); w > 0 {
			return w
		}
	}
	return fallback
}

// TerminalHeight is stdout's height in rows, or fallback when it is not a
// terminal.
func (s *IOStreams) TerminalHeight(fallback int) int {
	if s.stdoutTTY && s.termHeight != nil {
		if h := s.termHeight(); h > 0 {
			return h
		}
	}
	return fallback
}

// SetTerminalSize fixes what TerminalWidth and TerminalHeight report while
// stdout counts as a terminal (tests).
func (s *IOStreams) SetTerminalSize(width, height int) {
	s.termWidth = func() int { return width }
	s.termHeight = func() int { return height }
}

// Progress shows msg on one line of stderr, replacing the previous one.
// It does nothing when stderr is not a terminal.
func (s *IOStreams) Progress(msg string) {
	if !s.stderrTTY {
		return
	}
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	fmt.Fprintf(s.ErrOut, "\r\x1b[2K%s", msg)
	s.progressLine = true
}

// StopProgress clears the progress line, if one is shown.
func (s *IOStreams) StopProgress() {
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	if s.progressLine {
		fmt.Fprint(s.ErrOut, "\r\x1b[2K")
		s.progressLine = false
	}
}
