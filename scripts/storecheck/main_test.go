package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// everything checks the test packages whatever their path.
func everything(string, string) bool { return true }

// wantRE finds the quoted messages of a `// want "…" "…"` comment.
var wantRE = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)

// wants reads the findings the files of dir expect, by "file:line", from their want comments.
func wants(t *testing.T, dir string) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string][]string{}
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				text, ok := strings.CutPrefix(c.Text, "// want ")
				if !ok {
					continue
				}
				pos := fset.Position(c.Pos())
				key := fmt.Sprintf("%s:%d", filepath.Base(name), pos.Line)
				for _, m := range wantRE.FindAllString(text, -1) {
					msg, err := strconv.Unquote(m)
					if err != nil {
						t.Fatalf("%s: %v", key, err)
					}
					out[key] = append(out[key], msg)
				}
			}
		}
	}
	return out
}

// found groups findings by "file:line", each line's messages sorted.
func found(fs []finding) map[string][]string {
	out := map[string][]string{}
	for _, f := range fs {
		key := fmt.Sprintf("%s:%d", filepath.Base(f.pos.Filename), f.pos.Line)
		out[key] = append(out[key], f.msg)
	}
	return out
}

func sameFindings(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for _, key := range slices.Sorted(maps.Keys(want)) {
		w := slices.Sorted(slices.Values(want[key]))
		g := slices.Sorted(slices.Values(got[key]))
		if !slices.Equal(g, w) {
			t.Errorf("%s: reported %q, want %q", key, g, w)
		}
	}
	for _, key := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[key]; !ok {
			t.Errorf("%s: unexpected %q", key, got[key])
		}
	}
}

// Every way a module can build or run a query is reported, once per call, with its line; the
// store file and the test file of the same package are not.
func TestReportsQueriesOutsideStoreFiles(t *testing.T) {
	want := wants(t, "testdata/violating")
	if len(want) < 20 {
		t.Fatalf("only %d want comments read from testdata/violating", len(want))
	}
	got, err := check(".", everything, "./testdata/violating")
	if err != nil {
		t.Fatal(err)
	}
	sameFindings(t, found(got), want)
	for _, f := range got {
		if !strings.HasSuffix(f.pos.Filename, "violating.go") {
			t.Errorf("reported in an exempt file: %s", f)
		}
	}
	if s := got[0].String(); !regexp.MustCompile(`^/.+/violating\.go:\d+: \S.+$`).MatchString(s) {
		t.Errorf("finding %q is not path:line: message", s)
	}
}

// Methods named like bun's on other types (database/sql rows, bufio.Scanner, a module's own
// types, a column Scanner) are not queries.
func TestIgnoresLookalikes(t *testing.T) {
	got, err := check(".", everything, "./testdata/clean")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got {
		t.Errorf("reported: %s", f)
	}
}

// A package that does not compile stops the check rather than passing it.
func TestFailsWhenPackagesDoNotLoad(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/broken\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken.go"), []byte("package broken\n\nvar x int = \"no\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := check(dir, everything, "./..."); err == nil {
		t.Fatal("a type error was not reported")
	}
}

// The repository's scope: internal/ except the database layer and the test kit.
func TestScopeIsTheModules(t *testing.T) {
	const m = "github.com/consultantpro/consultantpro"
	for path, want := range map[string]bool{
		m + "/internal/crm":            true,
		m + "/internal/projects":       true,
		m + "/internal/dbx":            true,
		m + "/internal/api":            true,
		m + "/internal/db":             false,
		m + "/internal/db/migrations":  false,
		m + "/internal/testkit":        false,
		m + "/cmd/consultantpro":       false,
		m + "/bench/load":              false,
		m + "/scripts/storecheck":      false,
		"example.com/x/internal/crm":   false,
		m + "x/internal/crm":           false,
		m + "/internal/testkitextra/a": true,
	} {
		if got := modules(m, path); got != want {
			t.Errorf("modules(%s) = %v, want %v", path, got, want)
		}
	}
	for name, want := range map[string]bool{
		"/r/internal/crm/client_store.go":      true,
		"/r/internal/crm/client_api.go":        false,
		"/r/internal/crm/client_store_test.go": true,
		"/r/internal/auth/store.go":            false,
		"/r/internal/crm/store_helpers.go":     false,
	} {
		if got := exemptFile(name); got != want {
			t.Errorf("exemptFile(%s) = %v, want %v", name, got, want)
		}
	}
}
