package changes

import (
	"context"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/httpserver"
)

// Lister pages one table's rows for the caller (a package's Changes method).
type Lister[V any] func(context.Context, *access.Principal, Filter, Query) (*ListPage[V], error)

// Serve is the body of every cross-item list handler (GET /feedback, /urges,
// /assignments, /extensions, /completion-requests): it reads the caller and the
// query, pages with list and converts each row with convert. The handlers keep
// only their OpenAPI annotations and their named response envelope.
func Serve[V, R any](c echo.Context, list Lister[V], convert func(*V) R) (data []R, hasMore bool, next string, err error) {
	p, err := httpserver.Principal(c)
	if err != nil {
		return nil, false, "", err
	}
	f, q, err := ParseRequest(c.QueryParams())
	if err != nil {
		return nil, false, "", err
	}
	pg, err := list(c.Request().Context(), p, f, q)
	if err != nil {
		return nil, false, "", err
	}
	data = make([]R, len(pg.Views))
	for i := range pg.Views {
		data[i] = convert(&pg.Views[i])
	}
	return data, pg.HasMore, pg.Next.String(), nil
}
