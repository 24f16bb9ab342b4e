package httpserver

// This file only carries swag annotations for the routes that mountDocs registers
// with anonymous handlers. `make openapi` reads them; nothing calls these functions.
// /healthz, /readyz and /metrics live outside /api/v1 and are not in the document.

// openAPIJSONDoc describes GET /api/v1/openapi.json.
//
//	@Summary		OpenAPI document (JSON)
//	@Description	The OpenAPI 3.0 document of this API, generated from the handlers' annotations. It needs no authentication.
//	@ID				getOpenAPIJSON
//	@Tags			meta
//	@Produce		json
//	@Success		200	{object}	map[string]any	"OpenAPI 3.0 document"
//	@Router			/openapi.json [get]
func openAPIJSONDoc() {}

// openAPIYAMLDoc describes GET /api/v1/openapi.yaml.
//
//	@Summary		OpenAPI document (YAML)
//	@Description	The same OpenAPI 3.0 document as YAML. It needs no authentication.
//	@ID				getOpenAPIYAML
//	@Tags			meta
//	@Produce		application/yaml
//	@Success		200	{string}	string	"OpenAPI 3.0 document"
//	@Router			/openapi.yaml [get]
func openAPIYAMLDoc() {}

var _, _ = openAPIJSONDoc, openAPIYAMLDoc
