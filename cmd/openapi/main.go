// Command openapi turns the Swagger 2.0 document that swag writes (docs/swagger.json)
// into the OpenAPI 3 documents the server publishes (api/openapi.json and
// api/openapi.yaml). It validates the result and fails on any error, so a broken
// annotation stops `make openapi` instead of shipping an invalid document.
//
//	go run ./cmd/openapi [-in docs/swagger.json] [-json api/openapi.json] [-yaml api/openapi.yaml]
//
// The output is deterministic: keys are sorted and the same input gives the same bytes.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// ServerURL is the one server of the published document: the API's base path,
// relative to wherever the document is served from.
const ServerURL = "/api/v1"

// SourceRoot is the module root: the converter reads the Go source under it
// (gosource.go) to repair what the Swagger 2.0 step loses.
var SourceRoot = "."

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("openapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "docs/swagger.json", "Swagger 2.0 document written by swag")
	outJSON := fs.String("json", "api/openapi.json", "OpenAPI 3 document to write as JSON")
	outYAML := fs.String("yaml", "api/openapi.yaml", "OpenAPI 3 document to write as YAML")
	outErrors := fs.String("errors", "", "the problem code catalogue to write as Markdown (docs/errors.md)")
	fs.StringVar(&SourceRoot, "src", SourceRoot, "the module root whose Go source (internal/, cmd/) the converter reads")
	cover := fs.String("coverage", "", "instead of converting: check that the HTTP tests' operation log in this directory covers every operation of -json")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cover != "" {
		if err := coverage(*outJSON, *cover, os.Stdout); err != nil {
			fmt.Fprintln(stderr, "openapi:", err)
			return 1
		}
		return 0
	}
	if err := generate(*in, *outJSON, *outYAML); err != nil {
		fmt.Fprintln(stderr, "openapi:", err)
		return 1
	}
	if *outErrors != "" {
		if err := os.WriteFile(*outErrors, ErrorsMarkdown(), 0o644); err != nil {
			fmt.Fprintln(stderr, "openapi:", err)
			return 1
		}
	}
	return 0
}

func generate(in, outJSON, outYAML string) error {
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	js, ys, err := Convert(context.Background(), src)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := os.WriteFile(outJSON, js, 0o644); err != nil {
		return err
	}
	return os.WriteFile(outYAML, ys, 0o644)
}

// Convert reads a Swagger 2.0 document and returns the validated OpenAPI 3 document
// as indented JSON and as YAML, both ending in a newline.
func Convert(ctx context.Context, swagger []byte) (jsonDoc, yamlDoc []byte, err error) {
	doc, err := ToV3(ctx, swagger)
	if err != nil {
		return nil, nil, err
	}
	jsonDoc, err = encodeJSON(doc)
	if err != nil {
		return nil, nil, err
	}
	yamlDoc, err = jsonToYAML(jsonDoc)
	if err != nil {
		return nil, nil, err
	}
	return jsonDoc, yamlDoc, nil
}

// ToV3 converts and validates; it is Convert without the encoding.
func ToV3(ctx context.Context, swagger []byte) (*openapi3.T, error) {
	var d2 openapi2.T
	if err := json.Unmarshal(swagger, &d2); err != nil {
		return nil, fmt.Errorf("read Swagger 2.0 document: %w", err)
	}
	doc, err := openapi2conv.ToV3(&d2)
	if err != nil {
		return nil, fmt.Errorf("convert to OpenAPI 3: %w", err)
	}
	doc.Servers = openapi3.Servers{{URL: ServerURL}}
	src, err := scanSource(SourceRoot, "internal", "cmd")
	if err != nil {
		return nil, fmt.Errorf("read the Go source: %w", err)
	}
	repair(doc, src)
	addCommonResponses(doc)
	if err := doc.Validate(ctx, openapi3.EnableMultiError()); err != nil {
		return nil, fmt.Errorf("the OpenAPI 3 document is invalid (fix the swag annotations): %w", err)
	}
	return doc, nil
}

// encodeJSON writes the document with two-space indents, keys sorted (maps marshal
// sorted), no HTML escaping and a trailing newline.
func encodeJSON(doc *openapi3.T) ([]byte, error) {
	raw, err := doc.MarshalJSON()
	if err != nil {
		return nil, err
	}
	// Round-trip through a generic value so that every level, including objects that
	// kin-openapi marshals from structs, comes out with sorted keys.
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// jsonToYAML re-encodes the JSON document as block-style YAML with the same key order.
func jsonToYAML(js []byte) ([]byte, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(js, &n); err != nil {
		return nil, err
	}
	plain(&n)
	out, err := yaml.Dump(&n, yaml.WithV4Defaults(), yaml.WithLineWidth(-1))
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("empty YAML document")
	}
	return out, nil
}

// plain drops the flow and quoting styles that came from the JSON source, so the
// encoder writes block YAML and quotes only where YAML needs it.
func plain(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		plain(c)
	}
}
