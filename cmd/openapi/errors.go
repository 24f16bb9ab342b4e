package main

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/duban/duban/internal/problem"
)

const (
	problemMedia      = "application/problem+json"
	problemRef        = "#/components/schemas/Problem"
	problemCodeName   = "ProblemCode"
	responseProblem   = "Problem"
	securityScheme    = "BearerAuth"
	headerIdemKey     = "Idempotency-Key"
	paramIdempotency  = "IdempotencyKey"
	headerRateLimit   = "RateLimit"
	headerRatePolicy  = "RateLimit-Policy"
	headerETag        = "ETag"
	headerLocation    = "Location"
	headerReplayed    = "Idempotent-Replayed"
	problemDocsAnchor = "docs/errors.md"
)

// repairProblem rewrites the Problem schema as the server sends it: the RFC 9457
// members that are always present are required, `code` is the enum of the
// catalogue's codes, and the extension members are declared.
func repairProblem(doc *openapi3.T) {
	codes := problem.Codes()
	enum := make([]any, len(codes))
	for i, c := range codes {
		enum[i] = c
	}
	descs := map[string]any{}
	var lines []string
	for _, c := range codes {
		m := problem.Catalogue[c]
		descs[c] = m.En + " / " + m.Zh
		lines = append(lines, fmt.Sprintf("- `%s` (%d): %s %s", c, m.Status, m.En, m.Zh))
	}
	codeSchema := &openapi3.Schema{
		Type: &openapi3.Types{"string"}, Enum: enum,
		Description: "The stable machine code of a problem; clients switch on it. The catalogue (" +
			problemDocsAnchor + ") gives each code's meaning in English and Chinese:\n\n" + strings.Join(lines, "\n"),
		Extensions: map[string]any{"x-enum-descriptions": descs},
	}
	doc.Components.Schemas[problemCodeName] = openapi3.NewSchemaRef("", codeSchema)

	ref := doc.Components.Schemas["Problem"]
	if ref == nil || ref.Value == nil {
		ref = openapi3.NewSchemaRef("", openapi3.NewObjectSchema())
		doc.Components.Schemas["Problem"] = ref
	}
	s := ref.Value
	if s.Properties == nil {
		s.Properties = openapi3.Schemas{}
	}
	s.Description = "An RFC 9457 problem detail (application/problem+json). Besides the standard members it carries `code` and, depending on the code, extension members."
	s.Properties["code"] = openapi3.NewSchemaRef("#/components/schemas/"+problemCodeName, codeSchema)
	str := func(desc string) *openapi3.SchemaRef {
		return openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, Description: desc})
	}
	integer := func(desc string) *openapi3.SchemaRef {
		return openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Description: desc})
	}
	s.Properties["state"] = str("invalid_transition: the object's current state")
	s.Properties["item_state"] = str("the item's current state, when the object's own state is not the item's")
	s.Properties["allowed_actions"] = openapi3.NewSchemaRef("", &openapi3.Schema{
		Type: &openapi3.Types{"array"}, Items: str(""),
		Description: "invalid_transition: the actions allowed in the current state",
	})
	s.Properties["current_version"] = integer("precondition_failed: the object's current version (its ETag)")
	s.Properties["retry_after"] = integer("rate_limited: seconds to wait before retrying")
	s.Required = []string{"code", "status", "title", "type"}
}

// repairResponses declares every error as application/problem+json with the
// Problem schema, adds the default response, 401 to every protected operation, the
// bearer scheme, and the headers the server sends.
func repairResponses(doc *openapi3.T) {
	problemSchema := doc.Components.Schemas["Problem"].Value
	pref := func() *openapi3.SchemaRef { return openapi3.NewSchemaRef(problemRef, problemSchema) }
	problemContent := func() openapi3.Content {
		return openapi3.NewContentWithSchemaRef(pref(), []string{problemMedia})
	}
	if doc.Components.Responses == nil {
		doc.Components.Responses = openapi3.ResponseBodies{}
	}
	if doc.Components.Headers == nil {
		doc.Components.Headers = openapi3.Headers{}
	}
	if doc.Components.Parameters == nil {
		doc.Components.Parameters = openapi3.ParametersMap{}
	}
	str := func() *openapi3.SchemaRef { return openapi3.NewSchemaRef("", openapi3.NewStringSchema()) }
	header := func(desc string, schema *openapi3.SchemaRef) *openapi3.HeaderRef {
		return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Description: desc, Schema: schema}}}
	}
	hdrs := map[string]*openapi3.HeaderRef{
		headerETag:       header("the object's version, quoted (send it back in If-Match)", str()),
		headerLocation:   header("the URL of the object created", str()),
		headerReplayed:   header(`"true" when this is the stored answer of an earlier request with the same Idempotency-Key`, str()),
		headerRateLimit:  header(`the state of the caller's rate limit, e.g. "user";r=598;t=42 (when limits are on)`, str()),
		headerRatePolicy: header(`the caller's rate limit, e.g. "user";q=600;w=60 (when limits are on)`, str()),
	}
	for n, h := range hdrs {
		doc.Components.Headers[n] = h
	}
	href := func(n string) *openapi3.HeaderRef {
		return &openapi3.HeaderRef{Ref: "#/components/headers/" + n, Value: hdrs[n].Value}
	}
	defaultResp := openapi3.NewResponse().
		WithDescription("any other error, as a problem (see the code catalogue in " + problemDocsAnchor + ")").
		WithContent(problemContent())
	doc.Components.Responses[responseProblem] = &openapi3.ResponseRef{Value: defaultResp}
	idemParam := &openapi3.Parameter{
		Name: headerIdemKey, In: "header",
		Description: "makes the POST safe to retry: a repeat within 24 hours gets the first answer again (Idempotent-Replayed: true) without running twice; 409 idempotency_in_progress while the first runs, 422 idempotency_key_reused for another body; at most 255 printable ASCII characters (400 idempotency_key_invalid)",
		Schema:      openapi3.NewSchemaRef("", &openapi3.Schema{Type: &openapi3.Types{"string"}, MaxLength: openapi3.Ptr(uint64(255))}),
	}
	doc.Components.Parameters[paramIdempotency] = &openapi3.ParameterRef{Value: idemParam}

	// The bearer scheme: an access JWT or a personal API token.
	doc.Components.SecuritySchemes = openapi3.SecuritySchemes{securityScheme: &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
		Type: "http", Scheme: "bearer",
		Description: "An access JWT (POST /auth/login) or a personal API token (POST /me/tokens). API tokens carry scopes: `read` (GET only; any change answers 403 insufficient_scope) and `write`.",
	}}}

	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range sortedMethods(item) {
			op := item.GetOperation(method)
			if op.Responses == nil {
				op.Responses = openapi3.NewResponses()
			}
			protected := op.Security != nil && len(*op.Security) > 0
			for code, r := range op.Responses.Map() {
				st, err := strconv.Atoi(code)
				if err != nil || r.Value == nil {
					continue
				}
				if st >= 400 {
					r.Value.Content = problemContent()
					continue
				}
				if st >= 200 && st < 300 {
					if r.Value.Headers == nil {
						r.Value.Headers = openapi3.Headers{}
					}
					if st == http.StatusCreated && r.Value.Headers[headerLocation] == nil {
						r.Value.Headers[headerLocation] = href(headerLocation)
					}
					if sendsVersion(doc, r.Value) && r.Value.Headers[headerETag] == nil {
						r.Value.Headers[headerETag] = href(headerETag)
					}
					if protected {
						r.Value.Headers[headerRateLimit] = href(headerRateLimit)
						r.Value.Headers[headerRatePolicy] = href(headerRatePolicy)
					}
					if protected && method == http.MethodPost {
						r.Value.Headers[headerReplayed] = href(headerReplayed)
					}
				}
			}
			if protected && op.Responses.Value("401") == nil {
				op.Responses.Set("401", &openapi3.ResponseRef{Value: openapi3.NewResponse().
					WithDescription("unauthorized: no credentials, or invalid or expired ones").WithContent(problemContent())})
			}
			// Every authenticated POST honours Idempotency-Key (internal/idempotency).
			if protected && method == http.MethodPost {
				if op.Parameters.GetByInAndName("header", headerIdemKey) == nil {
					op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/" + paramIdempotency, Value: idemParam})
				}
				for _, c := range []string{"409", "422"} {
					if op.Responses.Value(c) == nil {
						op.Responses.Set(c, &openapi3.ResponseRef{Value: openapi3.NewResponse().
							WithDescription(idemAnswer[c]).WithContent(problemContent())})
					}
				}
			}
			op.Responses.Set("default", &openapi3.ResponseRef{Ref: "#/components/responses/" + responseProblem, Value: defaultResp})
		}
	}
}

var idemAnswer = map[string]string{
	"409": "idempotency_in_progress: the first request with this Idempotency-Key is still running",
	"422": "idempotency_key_reused: the Idempotency-Key was used with another body",
}

// sendsVersion: a JSON answer whose object carries `version` comes with its ETag.
func sendsVersion(doc *openapi3.T, r *openapi3.Response) bool {
	mt := r.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return false
	}
	s := mt.Schema.Value
	if name, ok := strings.CutPrefix(mt.Schema.Ref, "#/components/schemas/"); ok && doc.Components.Schemas[name] != nil {
		s = doc.Components.Schemas[name].Value
	}
	if s == nil {
		return false
	}
	v := s.Properties["version"]
	return v != nil && v.Value != nil && v.Value.Type.Is("integer")
}

// repairOperations gives every operation an operationId (from the method and path
// when the annotations have none) and declares the tags used, keeping the
// descriptions of the general info (@tag.name / @tag.description).
func repairOperations(doc *openapi3.T) {
	used := map[string]bool{}
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range sortedMethods(item) {
			op := item.GetOperation(method)
			if op.OperationID == "" {
				op.OperationID = operationID(method, path)
			}
			for _, t := range op.Tags {
				used[t] = true
			}
		}
	}
	have := map[string]bool{}
	for _, t := range doc.Tags {
		have[t.Name] = true
	}
	for _, t := range sortedKeys(used) {
		if !have[t] {
			doc.Tags = append(doc.Tags, &openapi3.Tag{Name: t})
		}
	}
	sort.Slice(doc.Tags, func(i, j int) bool { return doc.Tags[i].Name < doc.Tags[j].Name })
}

// operationID makes "getItemsIdFeedback"-style names for unnamed operations.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, seg := range strings.Split(path, "/") {
		seg = strings.Trim(seg, "{}")
		if seg != "" {
			b.WriteString(pascal(seg))
		}
	}
	return b.String()
}
