package problem

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Every registered message has its Chinese text, with the same placeholders.
func TestMessagesHaveBothLanguages(t *testing.T) {
	t.Parallel()
	for en, zh := range Messages {
		if strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			t.Errorf("message %q: empty text", en)
			continue
		}
		if !hasHan(zh) {
			t.Errorf("message %q: the Chinese text %q has no Chinese", en, zh)
		}
		if a, b := Placeholders(en), Placeholders(zh); !slices.Equal(a, b) {
			t.Errorf("message %q: placeholders %v, Chinese %v", en, a, b)
		}
	}
	for en, zh := range Terms {
		if en == "" || zh == "" {
			t.Errorf("term %q: empty", en)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	cases := []struct{ en, zh string }{
		{"is required", "必填"},
		{"must be at most 200 characters", "不能超过 200 个字符"},
		{"must be at least 8 characters", "至少 8 个字符"},
		{"must be at least 3", "不能小于 3"},
		{"item not found", "事项不存在"},
		{"you may not approve this item", "您无权对该事项执行“批准”"},
		{"must not be in the past (today is 2026-12-01)", "不能早于今天（今天是 2026-12-01）"},
		{"a message nobody registered", "a message nobody registered"},
	}
	for _, c := range cases {
		if got := Translate(c.en, LangZh); got != c.zh {
			t.Errorf("Translate(%q) = %q, want %q", c.en, got, c.zh)
		}
		if got := Translate(c.en, LangEn); got != c.en {
			t.Errorf("English changed %q to %q", c.en, got)
		}
	}
}

func TestLocalizeInvalid(t *testing.T) {
	t.Parallel()
	p := Invalid(FieldError{Field: "title", Rule: "required", Message: "is required"},
		FieldError{Field: "deadline", Rule: "future", Message: "must be in the future"})
	p.Status = 422
	zh := Localize(p, LangZh)
	if zh.Title != "校验失败" || zh.Detail != "title：必填（另有 1 项）" || zh.Errors[1].Message != "必须晚于当前时间" {
		t.Errorf("localized: %+v", zh)
	}
	if p.Errors[0].Message != "is required" || p.Detail != "title: is required (and 1 more)" {
		t.Errorf("the original changed: %+v", p)
	}
	if en := Localize(p, LangEn); en != p {
		t.Error("English is not the problem as it is")
	}
}

// The reasons a unit cannot be deleted are messages carried in the detail and in
// the reasons member: both in Chinese, the original untouched.
func TestLocalizeReasons(t *testing.T) {
	t.Parallel()
	reasons := []string{"it has 2 child units", "it has 3 users",
		"supervision items reference it 4 times (lead, cooperating, initiator, issuer, scope or assignment)"}
	p := Conflict("unit_in_use", "the unit is in use: "+strings.Join(reasons, "; ")).With("reasons", reasons)
	zh := Localize(p, LangZh)
	want := "该单位仍在使用中：有 2 个下级单位；有 3 名用户；被督办事项引用 4 处（牵头、配合、发起、下达、范围或分办）"
	if zh.Detail != want {
		t.Errorf("detail %q, want %q", zh.Detail, want)
	}
	if got := zh.Extra["reasons"].([]string); got[1] != "有 3 名用户" {
		t.Errorf("reasons %v", got)
	}
	if p.Extra["reasons"].([]string)[1] != "it has 3 users" {
		t.Errorf("the original changed: %v", p.Extra)
	}
}

// The messages the call sites write, found in the source: the detail argument of the
// problem constructors, FieldError{Message: …}, and the message argument of the
// packages' small field-error helpers. Literals, fmt.Sprintf formats and
// concatenations (their variable parts as placeholders) must each be translated.
// Messages built in ways the scan cannot read are listed in untranslatedSites.
var detailArg = map[string]int{
	"BadRequest": 0, "Unauthorized": 0, "Forbidden": 0, "PreconditionFailed": 0,
	"PreconditionRequired": 0, "TooLarge": 0, "UnsupportedMedia": 0, "Unavailable": 0,
	"RateLimited": 0, "Conflict": 1, "New": 2, "Field": 2,
}

// helperArg: the packages' own helpers that build a field error from a message.
var helperArg = map[string]int{"add": 2, "bad": 2, "fieldError": 2, "frozen": 1, "errUnauthenticated": 0}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

func TestSourceMessagesTranslated(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..", "internal")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		consts := stringConsts(f)
		check := func(e ast.Expr) {
			msg, ok := sample(e, consts)
			if !ok || hasHan(msg) {
				return
			}
			checked++
			if !Translated(msg) {
				t.Errorf("%s: %q has no Chinese text in internal/problem/messages.go", fset.Position(e.Pos()), msg)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr:
				switch fn := x.Fun.(type) {
				case *ast.SelectorExpr:
					if id, ok := fn.X.(*ast.Ident); ok && id.Name == "problem" {
						if i, ok := detailArg[fn.Sel.Name]; ok && i < len(x.Args) {
							check(x.Args[i])
						}
					} else if i, ok := helperArg[fn.Sel.Name]; ok && i < len(x.Args) && len(x.Args) == i+1 {
						check(x.Args[i])
					}
				case *ast.Ident:
					if i, ok := helperArg[fn.Name]; ok && i < len(x.Args) && len(x.Args) == i+1 {
						check(x.Args[i])
					}
				}
			case *ast.CompositeLit:
				if sel, ok := x.Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "FieldError" {
					return true
				}
				for _, el := range x.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
							check(kv.Value)
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 300 {
		t.Errorf("the scan found only %d messages: has the code moved?", checked)
	}
}

// sample is the message e writes with its variable parts as "{x}", and whether the
// scan can read it at all.
func sample(e ast.Expr, consts map[string]string) (string, bool) {
	switch v := e.(type) {
	case *ast.BasicLit:
		if v.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(v.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[v.Name]
		return s, ok
	case *ast.CallExpr:
		if sel, ok := v.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(v.Args) > 0 {
			if s, ok := sample(v.Args[0], consts); ok {
				return verb.ReplaceAllString(strings.ReplaceAll(s, "%%", "%"), "{x}"), true
			}
		}
		return "", false
	case *ast.BinaryExpr:
		if v.Op != token.ADD {
			return "", false
		}
		a, okA := sample(v.X, consts)
		b, okB := sample(v.Y, consts)
		if !okA && !okB {
			return "", false
		}
		if !okA {
			a = "{x}"
		}
		if !okB {
			b = "{x}"
		}
		return a + b, true
	}
	return "", false
}

// stringConsts are the file's string constants, at any scope, by name.
func stringConsts(f *ast.File) map[string]string {
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		g, ok := n.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			return true
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if v, err := strconv.Unquote(lit.Value); err == nil {
							out[name.Name] = v
						}
					}
				}
			}
		}
		return true
	})
	return out
}
