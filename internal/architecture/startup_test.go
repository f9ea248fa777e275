package architecture

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Start-up (issue 11): everything a package does at init runs before every
// command, `updoc version` included. These tests keep the known costs out
// without timing anything.

// slowInit are dependencies the updoc binary must not link, each with why.
var slowInit = map[string]string{
	"github.com/olekukonko/": "tablewriter and its own dependencies (olekukonko/errors, ll): their package inits, " +
		"a 663 KB width map among them, took about a tenth of start-up; the table is lipgloss/table (pkg/report/table_grid.go)",
}

func TestBinaryLinksNoSlowInitDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", module+"cmd/updoc").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list -deps found %d packages; is the test run inside the module?", len(deps))
	}
	for _, d := range deps {
		for prefix, why := range slowInit {
			if strings.HasPrefix(d, prefix) {
				t.Errorf("cmd/updoc links %s: %s", d, why)
			}
		}
	}
}

// maxInitMapLiteral is the most entries a map literal may have at package
// level; a larger table is built on first use (sync.OnceValue).
const maxInitMapLiteral = 64

// TestNothingCompiledBeforeMain: no package of the module compiles a
// regexp at init (in a package-level var, an init func, or a function
// literal called on the spot there) or declares a large map literal at
// package level. A regexp goes behind sync.OnceValue, as in
// pkg/graph/expand.go, or becomes plain string code.
func TestNothingCompiledBeforeMain(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		for _, msg := range atInit(f) {
			rel, _ := filepath.Rel(root, fset.Position(msg.pos).Filename)
			t.Errorf("%s:%d: %s", rel, fset.Position(msg.pos).Line, msg.text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("read %d Go files under %s; is the test run inside the module?", files, root)
	}
}

type finding struct {
	pos  token.Pos
	text string
}

// atInit returns what f does at init that it should not.
func atInit(f *ast.File) []finding {
	re := importName(f, "regexp")
	var out []finding
	var visit func(n ast.Node)
	visit = func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // runs when called, not at init (sync.OnceValue)
			case *ast.CallExpr:
				if lit, ok := n.Fun.(*ast.FuncLit); ok { // called on the spot: at init
					visit(lit.Body)
					for _, a := range n.Args {
						visit(a)
					}
					return false
				}
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && re != "" {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == re && strings.Contains(sel.Sel.Name, "Compile") {
						out = append(out, finding{n.Pos(), "regexp." + sel.Sel.Name + " runs at init: compile it on first use (sync.OnceValue) or use string code"})
					}
				}
			case *ast.CompositeLit:
				if _, ok := n.Type.(*ast.MapType); ok && len(n.Elts) > maxInitMapLiteral {
					out = append(out, finding{n.Pos(), "a map literal of " + strconv.Itoa(len(n.Elts)) + " entries is built at init: build it on first use (sync.OnceValue)"})
				}
			}
			return true
		})
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.VAR {
				visit(d)
			}
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == "init" && d.Body != nil {
				visit(d.Body)
			}
		}
	}
	return out
}

// importName is the name under which f imports path, "" if it does not.
func importName(f *ast.File, path string) string {
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p == path {
			if im.Name != nil {
				return im.Name.Name
			}
			return filepath.Base(path)
		}
	}
	return ""
}
