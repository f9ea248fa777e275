package report

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// WriteGitHub writes GitHub Actions workflow commands, one per entry of
// NEXT STEPS — one per root-cause group (failures, then warnings), then one
// per sick upstream no root cause explains — then the table. So 500
// upstreams behind one dead address are one annotation, not 500. Each
// annotation is "::error" for a failure, "::warning" for a warning; its
// title is "updoc " and the entry's title, which names the group's count
// ("updoc tcp.refused on 127.0.0.1:18200 — 500 upstreams (svc000, svc001,
// … +498)"); its message is the finding's message, what it takes down and
// its first remediation step, the command whole on a line of its own.
//
// The runner reads every line of a step's output for commands: a line
// that starts with "::" (after spaces) or holds "##[". The annotations
// are escaped (ghData, ghProperty) and stay one line each; everything
// after them — the table, which wraps text an upstream sent, and what
// the caller writes in then — is written between
// "::stop-commands::TOKEN" and "::TOKEN::", the documented way to make
// the runner read no command in it, with a token random per run that no
// upstream can know.
func WriteGitHub(w io.Writer, r *Report, o TableOptions) error {
	return WriteGitHubThen(w, r, o, nil)
}

// WriteGitHubThen is WriteGitHub, with then (when not nil) writing more
// text after the table, still where the runner reads no command.
func WriteGitHubThen(w io.Writer, r *Report, o TableOptions, then func(io.Writer) error) error {
	n := Normalize(r)
	token, err := newStopToken()
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, s := range n.nextSteps() {
		level := "warning"
		if s.severity == Fail {
			level = "error"
		}
		fmt.Fprintf(&b, "::%s title=%s::%s\n", level, ghProperty("updoc "+s.title), ghData(annotationMessage(s)))
	}
	fmt.Fprintf(&b, "::stop-commands::%s\n", token)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	lw := &lastByteWriter{w: w, last: '\n'}
	err = WriteTable(lw, n, o)
	if err == nil && then != nil {
		err = then(lw)
	}
	// The runner reads commands again from a line that is "::TOKEN::"
	// alone: it starts a line even when what came before did not end one.
	resume := "::" + token + "::\n"
	if lw.last != '\n' {
		resume = "\n" + resume
	}
	if _, werr := io.WriteString(w, resume); err == nil {
		err = werr
	}
	return err
}

// newStopToken returns a stop-commands token (randomStopToken; tests that
// compare with a golden file fix it).
var newStopToken = randomStopToken

// randomStopToken is a stop-commands token: 128 random bits from
// crypto/rand, in hex, new for every report.
func randomStopToken() (string, error) {
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("github output: a stop-commands token: %w", err)
	}
	return "updoc-" + hex.EncodeToString(raw[:]), nil
}

// lastByteWriter remembers the last byte written through it.
type lastByteWriter struct {
	w    io.Writer
	last byte
}

func (l *lastByteWriter) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	if n > 0 {
		l.last = p[n-1]
	}
	return n, err
}

// annotationMessage is an entry's message, impact and first step.
func annotationMessage(s nextStep) string {
	msg := s.message
	if f := s.finding; f != nil {
		msg = f.Message
		if f.Target != "" && !strings.Contains(msg, f.Target) {
			msg = f.Target + ": " + msg
		}
	}
	if s.impact != "" {
		msg += "\n" + s.impact
	}
	if s.finding != nil && len(s.finding.Remediation) > 0 {
		prose, command := splitStep(s.finding.Remediation[0])
		msg += "\nNext step: " + prose
		if command != "" {
			msg += "\n" + command
		}
	}
	return msg
}

// ghData escapes a workflow command's message (as @actions/core does).
var ghDataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

func ghData(s string) string { return ghDataEscaper.Replace(s) }

// ghProperty escapes a workflow command property value: also ":" and ",".
var ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }
