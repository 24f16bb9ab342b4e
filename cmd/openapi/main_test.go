package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The committed documents, relative to this package's directory.
var (
	swaggerPath = filepath.Join("..", "..", "docs", "swagger.json")
	jsonPath    = filepath.Join("..", "..", "api", "openapi.json")
	yamlPath    = filepath.Join("..", "..", "api", "openapi.yaml")
)

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The committed Swagger 2.0 document converts to a valid OpenAPI 3 document whose
// only server is the API's base path.
func TestCommittedSwaggerConvertsAndValidates(t *testing.T) {
	ctx := context.Background()
	doc, err := ToV3(ctx, read(t, swaggerPath))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != ServerURL {
		t.Errorf("servers = %+v, want exactly [{url: %s}]", doc.Servers, ServerURL)
	}
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		t.Error("the document has no paths")
	}
	if doc.Paths.Find("/openapi.json") == nil {
		t.Error("GET /openapi.json is not documented")
	}
	if _, ok := doc.Components.SecuritySchemes["BearerAuth"]; !ok {
		t.Error("the BearerAuth security scheme is missing")
	}
	for path := range doc.Paths.Map() {
		if strings.HasPrefix(path, ServerURL) {
			t.Errorf("path %s repeats the base path %s (annotate routes relative to it)", path, ServerURL)
		}
	}
}

// api/ is exactly what converting the committed docs/swagger.json gives now; when
// this fails, run `make openapi` and commit the result.
func TestCommittedDocumentsAreCurrent(t *testing.T) {
	js, ys, err := Convert(context.Background(), read(t, swaggerPath))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js, read(t, jsonPath)) {
		t.Errorf("api/openapi.json is stale relative to docs/swagger.json: run `make openapi` and commit")
	}
	if !bytes.Equal(ys, read(t, yamlPath)) {
		t.Errorf("api/openapi.yaml is stale relative to docs/swagger.json: run `make openapi` and commit")
	}
}

// The YAML document says the same as the JSON one and both pass validation when
// loaded back as a client would.
func TestYAMLMatchesJSON(t *testing.T) {
	ctx := context.Background()
	js, ys, err := Convert(ctx, read(t, swaggerPath))
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := openapi3.NewLoader().LoadFromData(js)
	if err != nil {
		t.Fatalf("load JSON: %v", err)
	}
	fromYAML, err := openapi3.NewLoader().LoadFromData(ys)
	if err != nil {
		t.Fatalf("load YAML: %v", err)
	}
	for name, d := range map[string]*openapi3.T{"json": fromJSON, "yaml": fromYAML} {
		if err := d.Validate(ctx); err != nil {
			t.Errorf("%s document does not validate: %v", name, err)
		}
	}
	a, err := encodeJSON(fromJSON)
	if err != nil {
		t.Fatal(err)
	}
	b, err := encodeJSON(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("the YAML document differs from the JSON one:\njson:\n%s\nyaml:\n%s", a, b)
	}
}

// Conversion is deterministic and its output ends in a newline.
func TestConvertIsDeterministic(t *testing.T) {
	src := read(t, swaggerPath)
	js1, ys1, err := Convert(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		js2, ys2, err := Convert(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(js1, js2) || !bytes.Equal(ys1, ys2) {
			t.Fatal("two conversions of the same input differ")
		}
	}
	if !bytes.HasSuffix(js1, []byte("}\n")) || !bytes.HasSuffix(ys1, []byte("\n")) {
		t.Error("outputs must end in a newline")
	}
}

// An invalid document fails loudly instead of being written.
func TestInvalidDocumentFails(t *testing.T) {
	bad := `{"swagger":"2.0","info":{"title":"x","version":"1"},"basePath":"/api/v1",
	  "paths":{"/items/{id}":{"get":{"responses":{"200":{"description":"ok"}}}}}}`
	if _, _, err := Convert(context.Background(), []byte(bad)); err == nil {
		t.Fatal("a path parameter without a declaration was accepted")
	}
	if _, _, err := Convert(context.Background(), []byte("{")); err == nil {
		t.Fatal("malformed JSON was accepted")
	}
}

// run writes both files and reports failures with a non-zero status.
func TestRunWritesFiles(t *testing.T) {
	dir := t.TempDir()
	outJSON, outYAML := filepath.Join(dir, "o.json"), filepath.Join(dir, "o.yaml")
	var stderr bytes.Buffer
	if code := run([]string{"-in", swaggerPath, "-json", outJSON, "-yaml", outYAML}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !bytes.Equal(read(t, outJSON), read(t, jsonPath)) || !bytes.Equal(read(t, outYAML), read(t, yamlPath)) {
		t.Error("run wrote something other than the committed documents")
	}
	if code := run([]string{"-in", filepath.Join(dir, "missing.json")}, &stderr); code != 1 {
		t.Errorf("missing input: exit %d, want 1", code)
	}
}
