package items_test

import (
	"strings"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// The same invalid request answers in the language of Accept-Language: Chinese for
// zh-CN (the SPA's), English for en and when the header is absent, saying which in
// Content-Language and varying on Accept-Language (issue 11, point 8).
func TestHTTPProblemLanguage(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		member := w.as(w.Member)
		body := w.createBody("special_meeting")
		body["title"] = " "
		body["deadline"] = today().AddDays(-3).String()
		cases := []struct {
			accept, lang, title, detail, deadline string
		}{
			{"zh-CN,zh;q=0.9,en;q=0.8", "zh-CN", "校验失败", "title：必填（另有 1 项）", "不能早于今天（今天是 " + today().String() + "）"},
			{"en", "en", "Validation failed", "title: is required (and 1 more)", "must not be in the past (today is " + today().String() + ")"},
			{"", "en", "Validation failed", "title: is required (and 1 more)", "must not be in the past (today is " + today().String() + ")"},
		}
		for _, c := range cases {
			var hdr []string
			if c.accept != "" {
				hdr = []string{"Accept-Language", c.accept}
			}
			r := member.Do("POST", "/api/v1/items", body, hdr...)
			p := r.Problem(422, "validation_failed")
			if got := r.Header.Get("Content-Language"); got != c.lang {
				t.Errorf("%q: Content-Language %q, want %q", c.accept, got, c.lang)
			}
			if !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Accept-Language") {
				t.Errorf("%q: Vary %v", c.accept, r.Header.Values("Vary"))
			}
			if p["title"] != c.title || p["detail"] != c.detail {
				t.Errorf("%q: title %q detail %q", c.accept, p["title"], p["detail"])
			}
			msgs := map[string]string{}
			for _, e := range p["errors"].([]any) {
				fe := e.(map[string]any)
				msgs[fe["field"].(string)] = fe["message"].(string)
			}
			if msgs["deadline"] != c.deadline {
				t.Errorf("%q: deadline message %q, want %q", c.accept, msgs["deadline"], c.deadline)
			}
		}
		// A conflict's detail too.
		r := member.Do("GET", "/api/v1/items/"+"00000000-0000-7000-8000-000000000000", nil, "Accept-Language", "zh-CN")
		if p := r.Problem(404, "not_found"); p["detail"] != "事项不存在" || p["title"] != "未找到" {
			t.Errorf("not found in Chinese: %v", p)
		}
	})
}
