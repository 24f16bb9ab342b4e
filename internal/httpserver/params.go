package httpserver

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/problem"
)

// The readers every handler shares: the caller, a page of a list, a list of ids.

// Principal is the authenticated caller. The authentication middleware guarantees one
// on every route that needs it; a route mounted without it answers 401 rather than
// acting for nobody.
func Principal(c echo.Context) (*access.Principal, error) {
	p := access.FromContext(c.Request().Context())
	if p == nil {
		return nil, problem.Unauthorized("sign in first")
	}
	return p, nil
}

// DefaultPageSize is the page size of a list when the client names none.
const DefaultPageSize = 20

// ParsePage reads page (from 1, default 1) and page_size (1 to database.MaxPageSize,
// default def) from a query. It returns the field errors rather than a problem so that
// a list with more filters reports all of them in one 422.
func ParsePage(q url.Values, def int) (database.Page, []problem.FieldError) {
	p := database.Page{Page: 1, Size: def}
	var errs []problem.FieldError
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			errs = append(errs, problem.FieldError{Field: "page", Rule: "range", Message: "must be a whole number from 1 to 1000000"})
		} else {
			p.Page = n
		}
	}
	if s := q.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > database.MaxPageSize {
			errs = append(errs, problem.FieldError{Field: "page_size", Rule: "range",
				Message: fmt.Sprintf("must be a whole number from 1 to %d", database.MaxPageSize)})
		} else {
			p.Size = n
		}
	}
	return p, errs
}

// PageParams reads the page of a list with the default size; bad values are a 422.
func PageParams(c echo.Context) (database.Page, error) {
	return PageParamsSized(c, DefaultPageSize)
}

// PageParamsSized is PageParams for a list whose pages are def entries by default.
func PageParamsSized(c echo.Context, def int) (database.Page, error) {
	p, errs := ParsePage(c.QueryParams(), def)
	if len(errs) > 0 {
		return p, problem.Invalid(errs...)
	}
	return p, nil
}

// UUIDs parses a list of UUID strings from a request (the validator has usually
// checked them already); a bad entry is a 422 on field. The result is never nil.
func UUIDs(field string, ss []string) ([]uuid.UUID, error) {
	out := make([]uuid.UUID, len(ss))
	for i, s := range ss {
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, problem.Field(field, "uuid", "must be UUIDs")
		}
		out[i] = id
	}
	return out, nil
}
