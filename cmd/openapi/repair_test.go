package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/duban/duban/internal/problem"
)

// Codes the scan cannot resolve to a constant, and why that is fine.
var unresolvedCalls = map[string]string{
	"internal/httpserver/errors.go": "http_<status> for transport statuses without a business kind (405 is method_not_allowed)",
	"internal/review/engine.go":     "e.kind.CodeChanged: the CodeChanged constants of feedback, extensions and completion",
}

// Every problem code the code base sends is in the catalogue with its meaning in
// both languages, and the catalogue lists nothing the code base never sends.
func TestProblemCodesCatalogued(t *testing.T) {
	src, err := scanSource(SourceRoot, "internal", "cmd")
	if err != nil {
		t.Fatal(err)
	}
	for code, where := range src.codes {
		m, ok := problem.Catalogue[code]
		if !ok {
			t.Errorf("problem code %q (%s) is not in internal/problem/catalogue.go: add it with its meaning in English and Chinese", code, where)
			continue
		}
		if m.En == "" || m.Zh == "" || m.Status < 400 {
			t.Errorf("catalogue entry %q lacks a meaning or a status: %+v", code, m)
		}
	}
	for code := range problem.Catalogue {
		if _, ok := src.codes[code]; !ok {
			t.Errorf("catalogue lists %q, which the code base never sends: remove it", code)
		}
	}
	for _, u := range src.unresolved {
		file := strings.TrimPrefix(filepath.ToSlash(u[:strings.Index(u, ".go:")+3]), "../../")
		if _, ok := unresolvedCalls[file]; !ok {
			t.Errorf("%s: the problem code is not a constant the converter can read; use a Code… constant", u)
		}
	}
}

// docs/errors.md is what the catalogue renders to.
func TestErrorsPageCurrent(t *testing.T) {
	got := read(t, filepath.Join(SourceRoot, "docs", "errors.md"))
	if !bytes.Equal(got, ErrorsMarkdown()) {
		t.Error("docs/errors.md is stale relative to internal/problem/catalogue.go: run `make openapi`")
	}
	doc := converted(t)
	enum := doc.Components.Schemas[problemCodeName].Value.Enum
	if len(enum) != len(problem.Catalogue) {
		t.Errorf("ProblemCode has %d values, the catalogue %d", len(enum), len(problem.Catalogue))
	}
}

func converted(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := ToV3(context.Background(), read(t, swaggerPath))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The rules the converter promises for every operation, whoever added it.
func TestEveryOperationDeclaresItsContract(t *testing.T) {
	doc := converted(t)
	if s := doc.Components.SecuritySchemes[securityScheme].Value; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("security scheme %+v, want http bearer", s)
	}
	described := map[string]bool{}
	for _, tag := range doc.Tags {
		described[tag.Name] = tag.Description != ""
	}
	ids := map[string]string{}
	var d2 struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(read(t, swaggerPath), &d2); err != nil {
		t.Fatal(err)
	}
	annotated := map[string]bool{}
	for _, item := range d2.Paths {
		for _, op := range item {
			annotated[op.OperationID] = op.OperationID != ""
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range sortedMethods(item) {
			op := item.GetOperation(method)
			name := method + " " + path
			if op.OperationID == "" || !annotated[op.OperationID] {
				t.Errorf("%s: no @ID annotation (operationId)", name)
			}
			if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %s also names %s", name, op.OperationID, prev)
			}
			ids[op.OperationID] = name
			if len(op.Tags) == 0 {
				t.Errorf("%s: no tag", name)
			}
			for _, tag := range op.Tags {
				if !described[tag] {
					t.Errorf("%s: tag %q has no description (add @tag.name/@tag.description in cmd/duban/main.go)", name, tag)
				}
			}
			if op.Responses.Default() == nil {
				t.Errorf("%s: no default response", name)
			}
			if op.Security != nil && len(*op.Security) > 0 && op.Responses.Value("401") == nil {
				t.Errorf("%s: protected but declares no 401", name)
			}
			for code, r := range op.Responses.Map() {
				st, err := strconv.Atoi(code)
				if code != "default" && (err != nil || st < 400) {
					continue
				}
				if r.Value.Content.Get(problemMedia) == nil || len(r.Value.Content) != 1 {
					t.Errorf("%s %s: an error that is not only application/problem+json", name, code)
				}
			}
		}
	}
}

// Response schemas list their required members; timestamps are date-times; no
// string enum is left inline.
func TestSchemasAreComplete(t *testing.T) {
	doc := converted(t)
	uses := schemaUses(doc)
	var names []string
	for n := range doc.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := doc.Components.Schemas[n].Value
		if u := uses[n]; u != nil && u.response && len(s.Properties) > 0 && len(s.Required) == 0 {
			t.Errorf("schema %s is sent but lists no required member (is it a Go struct the converter finds by its @name?)", n)
		}
		for p, ps := range s.Properties {
			if ps.Ref != "" || ps.Value == nil {
				continue
			}
			v := ps.Value
			if strings.HasSuffix(p, "_at") && v.Type.Is("string") && v.Format != "date-time" {
				t.Errorf("%s.%s is a timestamp without format date-time", n, p)
			}
			if v.Type.Is("string") && len(v.Enum) > 1 && !strings.HasPrefix(n, "Problem") && n != p {
				t.Errorf("%s.%s: inline enum left", n, p)
			}
		}
	}
}

func TestMain(m *testing.M) {
	SourceRoot = filepath.Join("..", "..")
	os.Exit(m.Run())
}
