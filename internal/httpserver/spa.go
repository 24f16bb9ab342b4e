package httpserver

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// mountSPA serves the built single-page app: hashed assets are cached for a year,
// index.html never, and any other path that is not an API route gets index.html so
// that client-side routes survive a reload.
func mountSPA(e *echo.Echo, dist fs.FS) {
	files := http.FileServer(http.FS(dist))
	serveIndex := func(c echo.Context) error {
		b, err := fs.ReadFile(dist, "index.html")
		if err != nil {
			return echo.ErrNotFound
		}
		c.Response().Header().Set(echo.HeaderCacheControl, "no-cache")
		return c.HTMLBlob(http.StatusOK, b)
	}
	getOrHead := []string{http.MethodGet, http.MethodHead}
	e.Match(getOrHead, "/", serveIndex)
	e.Match(getOrHead, "/*", func(c echo.Context) error {
		p := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
		if strings.HasPrefix(p, "api/") || p == "api" {
			return echo.ErrNotFound
		}
		if p == "" || p == "index.html" {
			return serveIndex(c)
		}
		if st, err := fs.Stat(dist, p); err == nil && !st.IsDir() {
			if strings.HasPrefix(p, "assets/") {
				c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
			}
			files.ServeHTTP(c.Response(), c.Request())
			return nil
		}
		if path.Ext(p) != "" {
			return echo.ErrNotFound
		}
		return serveIndex(c)
	})
}
