// Command storecheck keeps SQL in the store files. It reports every place in the modules where a
// query is built or run outside a *_store.go file: calls of bun's query builders (NewSelect,
// NewInsert, NewRaw, …), of bun's statement runners (Exec, Scan, ScanAndCount, Count, Exists
// and database/sql's Query/Exec family on a bun handle), and of db.Firm's Select, Update and
// Delete. A module's rules, types and handlers then read without SQL, and every statement of a
// resource is found in one file.
//
// Usage (from the module root; `make lint` runs it):
//
//	go run ./scripts/storecheck ./internal/...
//
// It prints one line per finding, "path:line: message", and exits 1 when there is any (2 when
// the packages do not load). Calls are judged by their types, not their names: rows.Scan of
// database/sql or a bufio.Scanner's Scan are not queries. Test files are exempt; so are
// internal/db (the database layer itself) and internal/testkit; packages outside internal/ are
// not checked.
package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// bunPath is the query builder's package; its subpackages (dialects, schema) build no queries.
const bunPath = "github.com/uptrace/bun"

// builders are the methods that start a query (on bun.DB, bun.Tx, bun.Conn or bun.IDB).
var builders = set("NewSelect", "NewInsert", "NewUpdate", "NewDelete", "NewRaw", "NewValues",
	"NewMerge", "NewCreateTable", "NewDropTable", "NewTruncateTable", "NewAddColumn",
	"NewDropColumn", "NewCreateIndex", "NewDropIndex")

// runners are the methods that send a statement: the queries' own, and database/sql's, which
// bun.DB, bun.Tx and bun.Conn override or promote.
var runners = set("Exec", "Scan", "ScanAndCount", "Count", "Exists",
	"ExecContext", "Query", "QueryContext", "QueryRow", "QueryRowContext")

// firmMethods are db.Firm's query starters.
var firmMethods = set("Select", "Update", "Delete")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// finding is one query built or run where it does not belong.
type finding struct {
	pos token.Position
	msg string
}

func (f finding) String() string { return fmt.Sprintf("%s:%d: %s", f.pos.Filename, f.pos.Line, f.msg) }

// scope decides which packages (by import path) are checked; module is the module's path.
type scope func(module, pkgPath string) bool

// modules is the check's scope in this repository: internal/ except the database layer and the
// test kit.
func modules(module, pkgPath string) bool {
	rel, ok := strings.CutPrefix(pkgPath, module+"/")
	if !ok || !under(rel, "internal") {
		return false
	}
	return !under(rel, "internal/db") && !under(rel, "internal/testkit")
}

// under reports whether the slash-separated path p is dir or inside it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// exemptFile reports whether a file may hold queries: store files, and tests.
func exemptFile(name string) bool {
	base := filepath.Base(name)
	return strings.HasSuffix(base, "_store.go") || strings.HasSuffix(base, "_test.go")
}

// check loads the packages matching patterns (relative to dir) and returns the findings in the
// files of the packages inside the scope, in file and line order.
func check(dir string, inScope scope, patterns ...string) ([]finding, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedModule,
		Dir: dir,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	var errs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			errs = append(errs, e.Error())
		}
	})
	if len(errs) > 0 {
		return nil, fmt.Errorf("packages do not load:\n%s", strings.Join(errs, "\n"))
	}
	var out []finding
	for _, p := range pkgs {
		if p.Module == nil || !inScope(p.Module.Path, p.PkgPath) {
			continue
		}
		c := checker{info: p.TypesInfo, dbPath: p.Module.Path + "/internal/db"}
		for _, f := range p.Syntax {
			name := p.Fset.Position(f.Pos()).Filename
			if exemptFile(name) {
				continue
			}
			for _, hit := range c.file(f) {
				out = append(out, finding{pos: p.Fset.Position(hit.pos), msg: hit.msg})
			}
		}
	}
	slices.SortFunc(out, func(a, b finding) int {
		if c := strings.Compare(a.pos.Filename, b.pos.Filename); c != 0 {
			return c
		}
		if a.pos.Line != b.pos.Line {
			return a.pos.Line - b.pos.Line
		}
		return a.pos.Column - b.pos.Column
	})
	return out, nil
}

type hit struct {
	pos token.Pos
	msg string
}

// checker judges the selectors of one package by their types.
type checker struct {
	info   *types.Info
	dbPath string // the import path of internal/db, whose Firm scopes queries
}

// file returns the query building and running in f: every selector that names one of the
// methods (called or taken as a value) or one of bun's New…Query functions.
func (c checker) file(f *ast.File) []hit {
	var hits []hit
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if msg := c.judge(sel); msg != "" {
			hits = append(hits, hit{pos: sel.Sel.Pos(), msg: msg})
		}
		return true
	})
	return hits
}

// judge returns why sel builds or runs a query outside a store file, or "" when it does not.
func (c checker) judge(sel *ast.SelectorExpr) string {
	name := sel.Sel.Name
	s := c.info.Selections[sel]
	if s == nil {
		// A qualified identifier: bun.NewSelectQuery(db) and its kin build queries too.
		fn, ok := c.info.Uses[sel.Sel].(*types.Func)
		if ok && pkgPath(fn) == bunPath && strings.HasPrefix(name, "New") && strings.HasSuffix(name, "Query") {
			return fmt.Sprintf("bun.%s builds a query outside a *_store.go file", name)
		}
		return ""
	}
	fn, ok := s.Obj().(*types.Func)
	if !ok || s.Kind() == types.FieldVal {
		return ""
	}
	onBun := pkgPath(fn) == bunPath || isBun(s.Recv())
	switch {
	case builders[name] && (onBun || returnsBun(fn)):
		return fmt.Sprintf("%s builds a query outside a *_store.go file", name)
	case runners[name] && onBun && !isScanner(fn):
		return fmt.Sprintf("%s runs a statement outside a *_store.go file", name)
	case firmMethods[name] && c.isFirm(fn):
		return fmt.Sprintf("db.Firm.%s builds a query outside a *_store.go file", name)
	}
	return ""
}

// isFirm reports whether fn is a method of db.Firm.
func (c checker) isFirm(fn *types.Func) bool {
	recv := fn.Signature().Recv()
	if recv == nil {
		return false
	}
	n := named(recv.Type())
	return n != nil && n.Obj().Name() == "Firm" && pkgPath(n.Obj()) == c.dbPath
}

// isBun reports whether t (or what it points to) is a type of bun's: a query, bun.DB, bun.Tx,
// bun.Conn, bun.IDB.
func isBun(t types.Type) bool {
	n := named(t)
	return n != nil && pkgPath(n.Obj()) == bunPath
}

// returnsBun reports whether fn returns a bun type, as a builder on a local interface over bun
// handles would.
func returnsBun(fn *types.Func) bool {
	res := fn.Signature().Results()
	for v := range res.Variables() {
		if isBun(v.Type()) {
			return true
		}
	}
	return false
}

// isScanner reports whether fn is database/sql's Scanner method, Scan(src any) error, which
// decodes a column value and runs nothing.
func isScanner(fn *types.Func) bool {
	sig := fn.Signature()
	if fn.Name() != "Scan" || sig.Params().Len() != 1 || sig.Results().Len() != 1 {
		return false
	}
	return types.Identical(sig.Params().At(0).Type(), types.Universe.Lookup("any").Type()) &&
		types.Identical(sig.Results().At(0).Type(), types.Universe.Lookup("error").Type())
}

// named returns the named type t is, or points to, or nil.
func named(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

func pkgPath(o types.Object) string {
	if o.Pkg() == nil {
		return ""
	}
	return o.Pkg().Path()
}

func main() {
	patterns := os.Args[1:]
	if len(patterns) == 0 {
		patterns = []string{"./internal/..."}
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "storecheck:", err)
		os.Exit(2)
	}
	found, err := check(wd, modules, patterns...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "storecheck:", err)
		os.Exit(2)
	}
	for _, f := range found {
		if rel, err := filepath.Rel(wd, f.pos.Filename); err == nil && !strings.HasPrefix(rel, "..") {
			f.pos.Filename = rel
		}
		fmt.Println(f)
	}
	if len(found) > 0 {
		fmt.Fprintf(os.Stderr, "storecheck: %d queries built or run outside *_store.go files\n", len(found))
		os.Exit(1)
	}
}
