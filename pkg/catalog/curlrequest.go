package catalog

import (
	"net"
	"strings"
	"unicode/utf8"
)

// RequestHeader is one header of the request updoc sent, as a command that
// reproduces the request sends it.
type RequestHeader struct {
	Name  string
	Value string // never shown when Secret
	// Secret: the value is never shown; Written, when set, stands in.
	Secret bool
	// Written is the value as the graph file wrote it, with its ${VAR}
	// references ("" when it has none): the command sends "$VAR" and the
	// shell expands it.
	Written string
}

// curlRequest is curl's arguments that send the request updoc sent, as
// {{CurlRequest}} renders them: the method (-I for HEAD), each header (and
// an empty Content-Type, which curl then leaves out, for a body sent
// without one), the body, the TLS trust and client certificate, the route (route: through
// the proxy, or to the target probed) and the URL. Every value is one
// shell word; a value that came from ${VAR} is written "$VAR" so that the
// shell expands it, and a secret without one is '[redacted]'.
//
// When updoc sent a TLS server name other than the URL's host
// (renamedServer), curl asks for the URL with that name, which it sends as
// SNI and verifies the certificate for, --connect-to the target updoc
// dialled, and sends the Host header updoc sent (the URL's host). The URL
// is curlURL's: $VAR for each ${VAR} the file wrote in it, never a
// password.
func curlRequest(v Vars, route string) string {
	sn := renamedServer(v)
	var args []string
	add := func(a ...string) { args = append(args, a...) }
	method := strings.ToUpper(v.Method)
	switch {
	case method == "":
		add("-X", unknown("METHOD"))
	case method == "HEAD":
		add("-I")
	case method != "" && (method != "GET" || v.Body != "" || v.BodyWritten != ""):
		add("-X", ShellQuote(v.Method))
	}
	for _, h := range v.Headers {
		add("-H", headerArg(h))
	}
	if sn != "" && !hasHeader(v.Headers, "Host") {
		if _, _, hostport, _, ok := authority(v.URL); ok {
			add("-H", ShellQuote("Host: "+hostport))
		}
	}
	if (v.Body != "" || v.BodyWritten != "") && !hasHeader(v.Headers, "Content-Type") {
		// updoc sent none; curl's --data would send a form's.
		add("-H", ShellQuote("Content-Type:"))
	}
	switch {
	case v.BodyWritten != "":
		add(dataFlag(v.BodyWritten), expandingWord(v.BodyWritten))
	case v.Body != "":
		add(dataFlag(v.Body), ShellQuote(v.Body))
	}
	switch {
	case v.CAFile != "" && v.LabCAFile:
		add("-k") // the demo lab's CA file is gone when the demo exits
	case v.CAFile != "":
		add("--cacert", ShellQuote(v.CAFile))
	}
	if v.CertFile != "" {
		add("--cert", ShellQuote(v.CertFile))
		if v.KeyFile != "" {
			add("--key", ShellQuote(v.KeyFile))
		}
	}
	if v.Insecure && !(v.CAFile != "" && v.LabCAFile) {
		add("-k")
	}
	if route != "" {
		add(route)
	}
	if sn != "" && !strings.Contains(route, "--connect-to ") {
		// Through a proxy: CONNECT to the URL's host, as updoc asked.
		add(renamedConnectTo(v, sn, net.JoinHostPort(v.Host, v.Port)))
	}
	userArg, u := curlURL(v, sn)
	if userArg != "" {
		add(userArg)
	}
	add(u)
	return strings.Join(args, " ")
}

// hasHeader: headers hold one named name.
func hasHeader(headers []RequestHeader, name string) bool {
	for _, h := range headers {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// directRoute is curl's arguments to reach the target probed directly: for
// a URL host that is a name, --resolve (or --connect-to, connectTo) to the
// target; for an IP literal, nothing when the target is that address, else
// --connect-to; for a request sent with another TLS server name, the
// --connect-to from that name to the target.
func directRoute(v Vars, resolve, connectTo string) string {
	if sn := renamedServer(v); sn != "" {
		return renamedConnectTo(v, sn, v.Target)
	}
	if net.ParseIP(strings.Trim(v.Host, "[]")) != nil {
		if v.Target == "" || v.Target == net.JoinHostPort(strings.Trim(v.Host, "[]"), v.Port) {
			return ""
		}
		return connectTo
	}
	return resolve
}

// headerArg is -H's argument for h: 'Name: value', "Name: $VAR" for a
// value written with ${VAR}, 'Name: [redacted]' for a secret without one.
func headerArg(h RequestHeader) string {
	switch {
	case h.Written != "":
		return expandingWord(strings.ReplaceAll(h.Name, "$", "$$") + ": " + h.Written)
	case h.Secret:
		return ShellQuote(h.Name + ": [redacted]")
	}
	return ShellQuote(h.Name + ": " + h.Value)
}

// dataFlag is curl's switch that sends body as it is: --data, or
// --data-raw when it starts with @ (which --data reads as a file name).
func dataFlag(body string) string {
	if strings.HasPrefix(body, "@") {
		return "--data-raw"
	}
	return "--data"
}

// expandingWord is the graph file's text s — ${VAR} references, $$ for a
// literal $ — as one shell word in double quotes in which the shell
// expands each reference: "Bearer $TOKEN".
func expandingWord(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$' && i+1 < len(s) && s[i+1] == '$':
			b.WriteString(`\$`)
			i++
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				b.WriteString(`\$`)
				continue
			}
			name := s[i+2 : i+2+end]
			if !isShellName(name) {
				// Not a reference the shell can expand: literal text.
				b.WriteString(`\$`)
				continue
			}
			i += 2 + end
			if next := i + 1; next < len(s) && isNameByte(s[next]) {
				b.WriteString("${" + name + "}")
			} else {
				b.WriteString("$" + name)
			}
		case c == '$' || c == '"' || c == '\\' || c == '`':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '!':
			// No history expansion in an interactive bash: ! outside the quotes.
			b.WriteString(`"'!'"`)
		case c == '\n':
			b.WriteString(`"$'\n'"`)
		case c == '\r':
			b.WriteString(`"$'\r'"`)
		case c == '\t':
			b.WriteString(`"$'\t'"`)
		case isControl(rune(c)):
			b.WriteString(`"` + ansiCQuote(string(c)) + `"`)
		case c >= utf8.RuneSelf:
			// A character whole; a byte that is not UTF-8 as $'\xNN'.
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b.WriteString(`"` + ansiCQuote(s[i:i+1]) + `"`)
				continue
			}
			b.WriteString(s[i : i+size])
			i += size - 1
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// isShellName: s is a shell variable's name.
func isShellName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// labCANote says why a command to the demo lab uses -k: tls.ca_file is the
// lab's temporary CA file, which the demo removes when it exits.
const labCANote = "-k: the lab's CA file is gone when the demo exits"

// caFileText names tls.ca_file in prose: its path, or the lab's CA.
func caFileText(v Vars) string {
	switch {
	case v.CAFile == "":
		return unknown("CA_FILE")
	case v.LabCAFile:
		return "the lab's CA (gone when the demo exits)"
	}
	return v.CAFile
}

// withProseNote adds note, in parentheses, at the end of step's prose,
// before its command.
func withProseNote(step, note string) string {
	prose, command := SplitStep(step)
	if command == "" {
		return step + " (" + note + ")"
	}
	return strings.TrimSuffix(prose, ":") + " (" + note + "): " + command
}
