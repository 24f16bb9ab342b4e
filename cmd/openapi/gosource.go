package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Swagger 2.0 cannot say what the Go code knows: which fields are always sent
// (no omitempty), which can be null (pointers), that a time.Time is a date-time,
// and which values a named string type takes (its constants). swag drops all of
// that, so the converter reads the Go source itself (syntax only, no type
// checking: it must stay fast and work on a tree that does not build) and gives
// the definitions swag wrote back what they lost.

// goField is one JSON member of a struct as encoding/json writes it.
type goField struct {
	JSON      string
	OmitEmpty bool
	// Pointer: a *T field, written as null when nil.
	Pointer bool
	// Nilable: a slice or a map, written as null when nil (the server should not).
	Nilable bool
	// Type is the Go type without the pointer: "time.Time", "civil.Date", "State".
	Type string
	// Pkg is the directory of the package that declares the struct.
	Pkg string
}

// goStruct is a struct type swag may have turned into a definition.
type goStruct struct {
	Pkg, PkgName, Name string
	Fields             []goField
	embeds             []string // type names of embedded structs, resolved later
	raw                *ast.StructType
}

// goSource is what the scan found.
type goSource struct {
	// structs by swag definition name: the @name override, else pkgname.Type.
	structs map[string]*goStruct
	// consts[pkgdir][typename] = the string values of that type's constants.
	consts map[string]map[string][]string
	// codes: problem codes found in calls and Code* constants, with where.
	codes map[string]string
	// unresolved: problem.New/Conflict calls whose code is not a constant.
	unresolved []string

	byPkgType map[string]*goStruct // "pkgdir.Type"
	pkgDirs   map[string]string    // package name → directory (last wins)
	strConsts map[string]string    // "pkgdir.Name" → string value
	codeCalls []codeCall
}

type codeCall struct {
	pkg  string
	expr ast.Expr
	pos  string
}

var nameOverride = regexp.MustCompile(`@name\s+(\S+)`)

// scanSource parses the non-test Go files under the given directories of root.
func scanSource(root string, dirs ...string) (*goSource, error) {
	src := &goSource{
		structs: map[string]*goStruct{}, consts: map[string]map[string][]string{},
		codes: map[string]string{}, byPkgType: map[string]*goStruct{},
		pkgDirs: map[string]string{}, strConsts: map[string]string{},
	}
	fset := token.NewFileSet()
	for _, d := range dirs {
		base := filepath.Join(root, d)
		if _, err := os.Stat(base); err != nil {
			continue
		}
		err := filepath.WalkDir(base, func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				if n := e.Name(); n == "testdata" || n == "node_modules" || strings.HasPrefix(n, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			src.file(fset, filepath.ToSlash(rel), f)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	src.resolve()
	return src, nil
}

func (s *goSource) file(fset *token.FileSet, pkg string, f *ast.File) {
	s.pkgDirs[f.Name.Name] = pkg
	imports := map[string]string{} // local name → import path's last element
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			imports[im.Name.Name] = name
		} else {
			imports[name] = name
		}
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		switch gd.Tok {
		case token.TYPE:
			for _, sp := range gd.Specs {
				ts := sp.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				gs := &goStruct{Pkg: pkg, PkgName: f.Name.Name, Name: ts.Name.Name, raw: st}
				gs.Fields, gs.embeds = structFields(pkg, st)
				s.byPkgType[pkg+"."+ts.Name.Name] = gs
				name := f.Name.Name + "." + ts.Name.Name
				for _, cg := range []*ast.CommentGroup{ts.Comment, gd.Doc} {
					if cg == nil {
						continue
					}
					if m := nameOverride.FindStringSubmatch(cg.Text()); m != nil && (cg == ts.Comment || len(gd.Specs) == 1) {
						name = m[1]
						break
					}
				}
				// A trailing "} // @name X" is a comment after the struct, not the
				// spec's line comment, when the struct spans lines; find it by line.
				end := fset.Position(st.End()).Line
				for _, cg := range f.Comments {
					if fset.Position(cg.Pos()).Line == end && cg.Pos() > st.End() {
						if m := nameOverride.FindStringSubmatch(cg.Text()); m != nil {
							name = m[1]
						}
					}
				}
				s.structs[name] = gs
			}
		case token.CONST:
			var typ string
			for _, sp := range gd.Specs {
				vs := sp.(*ast.ValueSpec)
				if vs.Type != nil {
					typ = exprString(vs.Type)
				} else if len(vs.Values) > 0 {
					typ = ""
					if call, ok := vs.Values[0].(*ast.CallExpr); ok && len(call.Args) == 1 {
						typ = exprString(call.Fun) // State("draft")
					}
				}
				for i, n := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					v, ok := stringLit(vs.Values[i])
					if !ok {
						continue
					}
					s.strConsts[pkg+"."+n.Name] = v
					if typ != "" && typ != "string" && !strings.Contains(typ, ".") {
						if s.consts[pkg] == nil {
							s.consts[pkg] = map[string][]string{}
						}
						s.consts[pkg][typ] = append(s.consts[pkg][typ], v)
					}
					if strings.HasPrefix(n.Name, "Code") && problemCode.MatchString(v) {
						s.codes[v] = pkg + "." + n.Name
					}
				}
			}
		}
	}
	// Calls problem.New(kind, code, …) and problem.Conflict(code, …).
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		inProblem := f.Name.Name == "problem"
		if !ok && !inProblem {
			return true
		}
		isProblem := ok && imports[x.Name] == "problem"
		var arg ast.Expr
		switch {
		case isProblem && sel.Sel.Name == "New" && len(call.Args) >= 2:
			arg = call.Args[1]
		case isProblem && sel.Sel.Name == "Conflict" && len(call.Args) >= 1:
			arg = call.Args[0]
		}
		if arg != nil {
			s.codeCalls = append(s.codeCalls, codeCall{pkg: pkg, expr: arg, pos: fset.Position(call.Pos()).String()})
		}
		return true
	})
}

var problemCode = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

func stringLit(e ast.Expr) (string, bool) {
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		e = call.Args[0]
	}
	bl, ok := e.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(bl.Value)
	return v, err == nil
}

func exprString(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return exprString(t.X) + "." + t.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(t.X)
	case *ast.ArrayType:
		return "[]" + exprString(t.Elt)
	case *ast.MapType:
		return "map[" + exprString(t.Key) + "]" + exprString(t.Value)
	case *ast.IndexExpr:
		return exprString(t.X) + "[" + exprString(t.Index) + "]"
	}
	return "?"
}

// structFields lists the JSON members of a struct's own fields and the types of
// its embedded structs.
func structFields(pkg string, st *ast.StructType) (fields []goField, embeds []string) {
	for _, fl := range st.Fields.List {
		tag := ""
		if fl.Tag != nil {
			tag, _ = strconv.Unquote(fl.Tag.Value)
		}
		st := reflect.StructTag(tag)
		if st.Get("swaggerignore") == "true" {
			continue
		}
		js, hasJSON := st.Lookup("json")
		name, opts, _ := strings.Cut(js, ",")
		if name == "-" && opts == "" {
			continue
		}
		typ := fl.Type
		f := goField{Pkg: pkg, OmitEmpty: strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")}
		if star, ok := typ.(*ast.StarExpr); ok {
			f.Pointer, typ = true, star.X
		}
		switch t := typ.(type) {
		case *ast.ArrayType:
			f.Nilable = t.Len == nil
		case *ast.MapType:
			f.Nilable = true
		}
		f.Type = exprString(typ)
		if len(fl.Names) == 0 {
			if !hasJSON || name == "" {
				embeds = append(embeds, f.Type)
				continue
			}
			f.JSON = name
			fields = append(fields, f)
			continue
		}
		for _, n := range fl.Names {
			if !n.IsExported() {
				continue
			}
			g := f
			g.JSON = name
			if g.JSON == "" {
				g.JSON = n.Name
			}
			fields = append(fields, g)
		}
	}
	return fields, embeds
}

// resolve flattens embedded structs and resolves the codes of problem calls.
func (s *goSource) resolve() {
	var flatten func(gs *goStruct, depth int) []goField
	flatten = func(gs *goStruct, depth int) []goField {
		out := append([]goField(nil), gs.Fields...)
		if depth > 5 {
			return out
		}
		seen := map[string]bool{}
		for _, f := range out {
			seen[f.JSON] = true
		}
		for _, e := range gs.embeds {
			e = strings.TrimPrefix(e, "*")
			key := gs.Pkg + "." + e
			if pkgName, typ, ok := strings.Cut(e, "."); ok {
				key = s.pkgDirs[pkgName] + "." + typ
			}
			if inner := s.byPkgType[key]; inner != nil {
				for _, f := range flatten(inner, depth+1) {
					if !seen[f.JSON] {
						seen[f.JSON] = true
						out = append(out, f)
					}
				}
			}
		}
		return out
	}
	for _, gs := range s.structs {
		if len(gs.embeds) > 0 {
			gs.Fields = flatten(gs, 0)
			gs.embeds = nil
		}
	}
	for _, c := range s.codeCalls {
		var v string
		var ok bool
		switch e := c.expr.(type) {
		case *ast.BasicLit:
			v, ok = stringLit(e)
		case *ast.Ident:
			v, ok = s.strConsts[c.pkg+"."+e.Name]
		case *ast.SelectorExpr:
			if x, isIdent := e.X.(*ast.Ident); isIdent {
				v, ok = s.strConsts[s.pkgDirs[x.Name]+"."+e.Sel.Name]
			}
		}
		if ok && problemCode.MatchString(v) {
			if _, known := s.codes[v]; !known {
				s.codes[v] = c.pos
			}
			continue
		}
		s.unresolved = append(s.unresolved, c.pos+": "+exprString(c.expr))
	}
	sort.Strings(s.unresolved)
}

// enumOf returns the string constants of a field's named type, if any.
func (s *goSource) enumOf(f goField) []string {
	typ := f.Type
	pkg := f.Pkg
	if p, t, ok := strings.Cut(typ, "."); ok {
		pkg, typ = s.pkgDirs[p], t
	}
	vals := s.consts[pkg][typ]
	if len(vals) < 2 {
		return nil
	}
	return vals
}
