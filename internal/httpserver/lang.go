package httpserver

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/problem"
)

// Language is the language of the caller's Accept-Language the API answers problems
// in: zh-CN for any Chinese (zh, zh-CN, zh-Hans, ...) preferred over English, else
// English. Without the header the answer is English: API clients read the wording of
// the code and the docs; the SPA always sends its own language.
func Language(acceptLanguage string) string {
	best, bestQ := problem.LangEn, 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		var lang string
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			lang = problem.LangZh
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			lang = problem.LangEn
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best
}

// localize renders p in the request's language and says so in Content-Language;
// Vary tells caches the answer depends on Accept-Language.
func localize(c echo.Context, p *problem.Problem) *problem.Problem {
	lang := Language(c.Request().Header.Get("Accept-Language"))
	h := c.Response().Header()
	h.Set("Content-Language", lang)
	h.Add(echo.HeaderVary, "Accept-Language")
	return problem.Localize(p, lang)
}
