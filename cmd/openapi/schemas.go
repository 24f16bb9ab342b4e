package main

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaUse says where a component schema is reachable from: responses, request
// bodies or both.
type schemaUse struct{ request, response bool }

// schemaUses walks every operation's request body and responses.
func schemaUses(doc *openapi3.T) map[string]*schemaUse {
	uses := map[string]*schemaUse{}
	var visit func(ref *openapi3.SchemaRef, resp bool, seen map[*openapi3.Schema]bool)
	visit = func(ref *openapi3.SchemaRef, resp bool, seen map[*openapi3.Schema]bool) {
		if ref == nil {
			return
		}
		if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
			u := uses[name]
			if u == nil {
				u = &schemaUse{}
				uses[name] = u
			}
			if resp {
				u.response = true
			} else {
				u.request = true
			}
			if c := doc.Components.Schemas[name]; c != nil && ref.Value == nil {
				ref = c
			}
		}
		s := ref.Value
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for _, p := range s.Properties {
			visit(p, resp, seen)
		}
		visit(s.Items, resp, seen)
		for _, l := range [][]*openapi3.SchemaRef{s.AllOf, s.AnyOf, s.OneOf} {
			for _, x := range l {
				visit(x, resp, seen)
			}
		}
		if s.AdditionalProperties.Schema != nil {
			visit(s.AdditionalProperties.Schema, resp, seen)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					visit(mt.Schema, false, map[*openapi3.Schema]bool{})
				}
			}
			if op.Responses == nil {
				continue
			}
			for _, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for _, mt := range r.Value.Content {
					visit(mt.Schema, true, map[*openapi3.Schema]bool{})
				}
			}
		}
	}
	return uses
}

// repairSchemas gives the component schemas back what the Go source knows:
//   - required: in a schema that is sent (reachable from a response), every field
//     without omitempty is always present; request schemas keep swag's required
//     (validate:"required");
//   - nullable: a pointer field without omitempty is sent as null when nil, and a
//     pointer field of a request accepts null;
//   - format: time.Time is a date-time, civil.Date a date;
//   - enum: a field of a named string type takes the values of that type's constants.
func repairSchemas(doc *openapi3.T, src *goSource) {
	uses := schemaUses(doc)
	// swag's own required (validate:"required") is what a request must send.
	swagRequired := map[string][]string{}
	for n, c := range doc.Components.Schemas {
		if c.Value != nil {
			swagRequired[n] = append([]string(nil), c.Value.Required...)
		}
	}
	defer splitShared(doc, uses, swagRequired)
	names := make([]string, 0, len(doc.Components.Schemas))
	for n := range doc.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		ref := doc.Components.Schemas[name]
		gs := src.structs[name]
		if gs == nil || ref.Value == nil || ref.Value.Properties == nil {
			continue
		}
		u := uses[name]
		if u == nil {
			u = &schemaUse{response: true}
		}
		s := ref.Value
		required := map[string]bool{}
		for _, r := range s.Required {
			required[r] = true
		}
		for _, f := range gs.Fields {
			p := s.Properties[f.JSON]
			if p == nil {
				continue
			}
			if u.response && !f.OmitEmpty {
				required[f.JSON] = true
			}
			pv := p.Value
			if pv == nil {
				continue
			}
			if p.Ref == "" {
				switch f.Type {
				case "time.Time":
					if pv.Type.Is("string") && pv.Format == "" {
						pv.Format = "date-time"
					}
				case "civil.Date":
					if pv.Type.Is("string") && pv.Format == "" {
						pv.Format = "date"
					}
				}
				// The constants of the field's type are the truth: they replace an
				// enums:"…" tag that fell behind (a kind added later, say).
				if vals := src.enumOf(f); pv.Type.Is("string") && len(vals) > 0 {
					pv.Enum = pv.Enum[:0]
					for _, v := range vals {
						pv.Enum = append(pv.Enum, v)
					}
				}
			}
			if f.Pointer && (!f.OmitEmpty || u.request) {
				s.Properties[f.JSON] = nullable(p)
			}
		}
		s.Required = sortedKeys(required)
	}
}

// nullable marks a property nullable; a reference cannot carry siblings in
// OpenAPI 3.0, so it is wrapped in allOf.
func nullable(p *openapi3.SchemaRef) *openapi3.SchemaRef {
	if p.Ref != "" {
		return openapi3.NewSchemaRef("", &openapi3.Schema{Nullable: true, AllOf: openapi3.SchemaRefs{p}})
	}
	p.Value.Nullable = true
	return p
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// splitShared gives a schema used both in requests and in responses a copy for the
// requests, <Name>Input: a response lists every member it always sends as
// required, which a request (a PATCH, say) need not send.
func splitShared(doc *openapi3.T, uses map[string]*schemaUse, swagRequired map[string][]string) {
	inputs := map[string]string{}
	for name, u := range uses {
		c := doc.Components.Schemas[name]
		if !u.request || !u.response || c == nil || c.Value == nil || len(c.Value.Properties) == 0 {
			continue
		}
		in := name + "Input"
		if doc.Components.Schemas[in] != nil {
			continue
		}
		cp := *c.Value
		cp.Properties = openapi3.Schemas{}
		for k, p := range c.Value.Properties {
			pc := *p
			if p.Value != nil && p.Ref == "" {
				v := *p.Value
				pc.Value = &v
			}
			cp.Properties[k] = &pc
		}
		cp.Required = swagRequired[name]
		doc.Components.Schemas[in] = openapi3.NewSchemaRef("", &cp)
		inputs[name] = in
		uses[in] = &schemaUse{request: true}
		u.request = false
	}
	if len(inputs) == 0 {
		return
	}
	var rw func(r *openapi3.SchemaRef)
	rw = func(r *openapi3.SchemaRef) {
		if r == nil {
			return
		}
		if name, ok := strings.CutPrefix(r.Ref, "#/components/schemas/"); ok {
			if in, shared := inputs[name]; shared {
				r.Ref, r.Value = "#/components/schemas/"+in, doc.Components.Schemas[in].Value
			}
			return // components are rewritten on their own below
		}
		s := r.Value
		if s == nil {
			return
		}
		for _, p := range s.Properties {
			rw(p)
		}
		rw(s.Items)
		for _, l := range [][]*openapi3.SchemaRef{s.AllOf, s.AnyOf, s.OneOf} {
			for _, x := range l {
				rw(x)
			}
		}
	}
	for name, u := range uses {
		if c := doc.Components.Schemas[name]; c != nil && u.request && !u.response {
			rw(openapi3.NewSchemaRef("", c.Value))
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					rw(mt.Schema)
				}
			}
		}
	}
}
