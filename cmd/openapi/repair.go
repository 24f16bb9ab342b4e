package main

import "github.com/getkin/kin-openapi/openapi3"

// repair restores, after openapi2conv, what Swagger 2.0 cannot say; each step is
// general (no route is named), so routes added later get the same treatment.
func repair(doc *openapi3.T, src *goSource) {
	if doc.Components == nil {
		doc.Components = &openapi3.Components{}
	}
	if doc.Components.Schemas == nil {
		doc.Components.Schemas = openapi3.Schemas{}
	}
	repairOperations(doc)
	repairSchemas(doc, src)
	repairProblem(doc)
	liftEnums(doc)
	repairResponses(doc)
}
