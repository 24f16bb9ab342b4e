package httpserver

import (
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/audit"
)

// Router mounts handlers under /api/v1 with route-level middleware. (Echo v4's
// group-level middleware adds catch-all routes, which would turn an unknown path
// into a 401 instead of a 404.)
type Router struct {
	g  *echo.Group
	mw []echo.MiddlewareFunc
}

// NewRouter returns a router on g whose routes all run mw.
func NewRouter(g *echo.Group, mw ...echo.MiddlewareFunc) Router {
	return Router{g: g, mw: mw}
}

// With returns a router that runs mw after the router's own middleware.
func (r Router) With(mw ...echo.MiddlewareFunc) Router {
	all := append(append([]echo.MiddlewareFunc{}, r.mw...), mw...)
	return Router{g: r.g, mw: all}
}

func (r Router) GET(path string, h echo.HandlerFunc) *echo.Route  { return r.g.GET(path, h, r.mw...) }
func (r Router) POST(path string, h echo.HandlerFunc) *echo.Route { return r.g.POST(path, h, r.mw...) }
func (r Router) PUT(path string, h echo.HandlerFunc) *echo.Route  { return r.g.PUT(path, h, r.mw...) }
func (r Router) PATCH(path string, h echo.HandlerFunc) *echo.Route {
	return r.g.PATCH(path, h, r.mw...)
}
func (r Router) DELETE(path string, h echo.HandlerFunc) *echo.Route {
	return r.g.DELETE(path, h, r.mw...)
}

// requestMeta puts the client IP, request id and user agent into the request context
// for the audit log.
func requestMeta() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			ctx := audit.WithRequest(req.Context(), audit.Request{
				IP:        c.RealIP(),
				RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
				UserAgent: req.UserAgent(),
			})
			c.SetRequest(req.WithContext(ctx))
			return next(c)
		}
	}
}
