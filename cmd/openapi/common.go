package main

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// Answers every operation may give, whatever its annotations say: the general
// rate limit (429 with Retry-After and the RateLimit fields) and a database that
// cannot serve, or a request past its deadline (503 with Retry-After). They are
// declared once, as shared responses, and referenced from every operation that
// does not describe them itself.
const (
	responseTooMany     = "TooManyRequests"
	responseUnavailable = "ServiceUnavailable"
)

func addCommonResponses(doc *openapi3.T) {
	if doc.Components == nil {
		doc.Components = &openapi3.Components{}
	}
	if doc.Components.Responses == nil {
		doc.Components.Responses = openapi3.ResponseBodies{}
	}
	var problemSchema *openapi3.Schema
	if ref := doc.Components.Schemas["Problem"]; ref != nil {
		problemSchema = ref.Value
	}
	problem := openapi3.NewSchemaRef("#/components/schemas/Problem", problemSchema)
	header := func(desc string, schema *openapi3.Schema) *openapi3.HeaderRef {
		return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: desc, Schema: openapi3.NewSchemaRef("", schema),
		}}}
	}
	retry := header("seconds to wait before retrying", openapi3.NewIntegerSchema())
	tooMany := openapi3.NewResponse().
		WithDescription("rate_limited: too many requests from this user or address (DUBAN_RATE_LIMIT, DUBAN_RATE_LIMIT_ADDR)").
		WithContent(openapi3.NewContentWithSchemaRef(problem, []string{"application/problem+json"}))
	tooMany.Headers = openapi3.Headers{
		"Retry-After":      retry,
		"RateLimit":        header(`the limit's state, e.g. "user";r=0;t=42`, openapi3.NewStringSchema()),
		"RateLimit-Policy": header(`the limit, e.g. "user";q=600;w=60`, openapi3.NewStringSchema()),
	}
	unavailable := openapi3.NewResponse().
		WithDescription("service_unavailable: the database cannot serve right now (down, read only, full, busy) or the request ran past its deadline; retry after Retry-After").
		WithContent(openapi3.NewContentWithSchemaRef(problem, []string{"application/problem+json"}))
	unavailable.Headers = openapi3.Headers{"Retry-After": retry}
	doc.Components.Responses[responseTooMany] = &openapi3.ResponseRef{Value: tooMany}
	doc.Components.Responses[responseUnavailable] = &openapi3.ResponseRef{Value: unavailable}
	if doc.Paths == nil {
		return
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.Responses == nil {
				continue
			}
			if op.Responses.Value("429") == nil {
				op.Responses.Set("429", &openapi3.ResponseRef{Ref: "#/components/responses/" + responseTooMany, Value: tooMany})
			}
			if op.Responses.Value("503") == nil {
				op.Responses.Set("503", &openapi3.ResponseRef{Ref: "#/components/responses/" + responseUnavailable, Value: unavailable})
			}
		}
	}
}
