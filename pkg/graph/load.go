package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/internal/safefile"
)

// Default graph file names, tried in order when no file is given.
var DefaultFiles = []string{"updoc.yaml", "updoc.yml"}

// StdinName is the name a graph read from standard input carries in messages.
const StdinName = "<stdin>"

// LoadFile reads and loads a graph file. path "" means ./updoc.yaml, then
// ./updoc.yml; "-" reads stdin (named "<stdin>" in messages). lookupEnv
// resolves ${VAR} references (nil means os.LookupEnv). When ctx ends
// (Ctrl-C, a deadline) before the graph is loaded, LoadFile stops at once
// with a *StoppedError: waiting for standard input and the decoder's loops
// over the file honour it.
func LoadFile(ctx context.Context, path string, stdin io.Reader, lookupEnv func(string) (string, bool)) (*Graph, error) {
	switch path {
	case "-":
		if stdin == nil {
			return nil, errors.New("cannot read the graph from standard input: no input")
		}
		data, err := readStdin(ctx, stdin)
		if ctx.Err() != nil {
			return nil, &StoppedError{File: StdinName, Err: ctx.Err()}
		}
		var tl *safefile.TooLargeError
		if errors.As(err, &tl) {
			return nil, fmt.Errorf("cannot read the graph from standard input: it is larger than the %s limit for a graph file; is the right file redirected to -f -?", safefile.Size(tl.Limit))
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read the graph from standard input: %w", err)
		}
		return load(ctx, StdinName, data, lookupEnv)
	case "":
		for _, name := range DefaultFiles {
			data, err := safefile.Read(name, safefile.GraphLimit)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, readError(name, err)
			}
			return load(ctx, name, data, lookupEnv)
		}
		return nil, fmt.Errorf("no graph file: neither ./%s nor ./%s exists in this directory; pass -f FILE, or create %s such as:\n\n%s\n(`updoc demo --print-config` shows every feature; `updoc probe URL` needs no file)", DefaultFiles[0], DefaultFiles[1], DefaultFiles[0], starterGraph)
	}
	data, err := safefile.Read(path, safefile.GraphLimit)
	if err != nil {
		return nil, readError(path, err)
	}
	return load(ctx, path, data, lookupEnv)
}

// readStdin reads the graph from stdin (up to the graph cap) until ctx
// ends: a terminal or a pipe nobody writes to does not hold up Ctrl-C. The
// read left running then ends with the process.
func readStdin(ctx context.Context, stdin io.Reader) ([]byte, error) {
	type read struct {
		data []byte
		err  error
	}
	done := make(chan read, 1)
	go func() {
		data, err := safefile.ReadAll(stdin, StdinName, safefile.GraphLimit)
		done <- read{data, err}
	}()
	select {
	case r := <-done:
		return r.data, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// StoppedError is what LoadFile returns when its context ended first.
type StoppedError struct {
	File string
	Err  error // the context's: context.Canceled or context.DeadlineExceeded
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("loading the graph file %s stopped: %v", e.File, e.Err)
}

func (e *StoppedError) Unwrap() error { return e.Err }

func readError(path string, err error) error {
	if problem, ok := fileProblem(err, "a graph file", "check the path given to -f (-f - reads standard input)"); ok {
		return fmt.Errorf("cannot read graph file %s: %s", path, problem)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot read graph file %s: no such file; check the path given to -f", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot read graph file %s: permission denied", path)
	}
	return fmt.Errorf("cannot read graph file %s: %w", path, err)
}

// Load decodes, validates and returns the graph in data. name is used in
// messages (Graph.File); relative TLS file paths resolve against its
// directory (the working directory for "<stdin>"). lookupEnv resolves ${VAR}
// references (nil means os.LookupEnv). The error, if any, is an Errors value
// holding every problem found, sorted by position.
func Load(name string, data []byte, lookupEnv func(string) (string, bool)) (*Graph, error) {
	return load(context.Background(), name, data, lookupEnv)
}

// load is Load until ctx ends (then a *StoppedError).
func load(ctx context.Context, name string, data []byte, lookupEnv func(string) (string, bool)) (*Graph, error) {
	if lookupEnv == nil {
		lookupEnv = os.LookupEnv
	}
	g := &Graph{File: name, Dir: graphDir(name), Policy: Policy{Severity: map[string]PolicyAction{}}}
	d := &decoder{ctx: ctx, file: name, dir: g.Dir, env: lookupEnv}
	if root := d.parseUntilDone(data, (*decoder).parse); root != nil {
		d.top(root, g)
	}
	if err := ctx.Err(); err != nil {
		return nil, &StoppedError{File: name, Err: err}
	}
	if len(d.errs) > 0 {
		d.errs.sort()
		return nil, d.errs
	}
	return g, nil
}

func graphDir(name string) string {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	if name == "" || name == StdinName {
		return wd
	}
	dir := filepath.Dir(name)
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) }) // compiled on first use, not at start

// yamlParserProblems are the messages of yaml.v3's parser errors (whose line
// yaml.v3 reports 0-based), each with a hint.
var yamlParserProblems = map[string]string{
	"did not find expected key":              "; check the indentation here and on the lines below",
	"did not find expected '-' indicator":    "; check the indentation here and on the lines below",
	"did not find expected ',' or ']'":       "; is a [...] list left open?",
	"did not find expected ',' or '}'":       "; is a {...} mapping left open?",
	"did not find expected node content":     "",
	"did not find expected <document start>": "",
	"found undefined tag handle":             "",
}

// parseUntilDone is parse (given as a parameter for tests), given up when
// the decoder's context ends first: yaml.v3 takes no context, and a file at
// the size cap takes seconds to parse. The parse then runs on to its end in
// the background — on a decoder of its own, bounded by the cap — and its
// result is dropped; the caller sees the context's end (load: a
// *StoppedError).
func (d *decoder) parseUntilDone(data []byte, parse func(*decoder, []byte) *yaml.Node) *yaml.Node {
	if d.ctx.Done() == nil {
		return parse(d, data)
	}
	if d.stopped() {
		return nil
	}
	own := &decoder{ctx: d.ctx, file: d.file, dir: d.dir, env: d.env}
	parsed := make(chan *yaml.Node, 1)
	go func() { parsed <- parse(own, data) }()
	select {
	case root := <-parsed:
		d.errs = append(d.errs, own.errs...)
		return root
	case <-d.ctx.Done():
		return nil
	}
}

// parse decodes data into a node tree and returns the root mapping, or nil
// after recording an error.
func (d *decoder) parse(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		d.errs = append(d.errs, &Error{File: d.file, Line: 1, Column: 1,
			Msg: "the graph file is empty; it needs at least \"version: 1\" and an upstreams mapping, e.g. upstreams: {api: {url: \"https://api.example.com/healthz\"}}"})
		return nil
	}
	if err != nil {
		d.yamlError(data, err)
		return nil
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		d.errs = append(d.errs, &Error{File: d.file, Line: max(next.Line, 1), Column: 1,
			Msg: "a second YAML document starts here; a graph file holds exactly one document (remove the \"---\" separator)"})
	} else if !errors.Is(err, io.EOF) {
		d.yamlError(data, err)
		return nil
	}
	if !d.checkAliases(&doc) {
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			d.errs = append(d.errs, &Error{File: d.file, Line: 1, Column: 1, Msg: "the graph file is empty"})
			return nil
		}
		root = root.Content[0]
	}
	root = resolve(root)
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "the graph file must be a mapping with the keys version, defaults, policy, upstreams; got %s", describe(root))
		return nil
	}
	return root
}

func (d *decoder) yamlError(data []byte, err error) {
	msg := err.Error()
	line := 1
	if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if hint, ok := yamlParserProblems[msg]; ok {
			// yaml.v3 reports parser (not scanner) errors with a 0-based
			// line: that of the collection being parsed.
			line++
			msg += hint
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	col := 1
	if strings.Contains(msg, "found character that cannot start any token") {
		// Almost always a tab used for indentation: point at it.
		for i, l := range strings.Split(string(data), "\n") {
			if j := strings.IndexByte(l, '\t'); j >= 0 && strings.TrimLeft(l[:j], " ") == "" {
				line, col = i+1, j+1
				msg = "a tab is used for indentation; YAML indentation must use spaces"
				break
			}
		}
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Column: col, Msg: "invalid YAML: " + msg})
}

// starterGraph is the smallest useful graph file, offered when none exists.
const starterGraph = `version: 1
upstreams:
  api:
    url: https://api.example.com/healthz
    depends_on: [db]
  db:
    url: tcp://db.example.com:5432
`
