package httpserver

import (
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"
	swaggerfiles "github.com/swaggo/files/v2"
)

// docsIndex is the interactive API documentation page. Its scripts come from the
// binary (swaggo/files embeds Swagger UI), never from a CDN.
const docsIndex = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>督办系统 API · Duban API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/swagger-ui-standalone-preset.js"></script>
<script src="/api/docs/duban-init.js"></script>
</body>
</html>
`

const docsInit = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
};
`

func mountDocs(e *echo.Echo, openapiJSON, openapiYAML []byte) {
	e.GET(APIPrefix+"/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/json", openapiJSON)
	})
	e.GET(APIPrefix+"/openapi.yaml", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/yaml", openapiYAML)
	})
	index := func(c echo.Context) error { return c.HTML(http.StatusOK, docsIndex) }
	e.GET("/api/docs", index)
	e.GET("/api/docs/", index)
	e.GET("/api/docs/duban-init.js", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", []byte(docsInit))
	})
	assets := http.StripPrefix("/api/docs/", http.FileServer(http.FS(swaggerfiles.FS.(fs.FS))))
	e.GET("/api/docs/*", echo.WrapHandler(assets))
}
