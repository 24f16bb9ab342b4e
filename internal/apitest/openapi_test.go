package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// The check catches what issue 15 found: nulls the document does not allow, errors
// that are not problem+json, routes the document lacks; and lets through what it
// should (a refused invalid request, a test's unknown route answered 404).
func TestCheckExchange(t *testing.T) {
	t.Setenv("DUBAN_OPENAPI_VALIDATE", "")
	json := http.Header{"Content-Type": {"application/json"}}
	problemJSON := http.Header{"Content-Type": {"application/problem+json"}}
	okProblem := `{"type":"https://duban.dev/problems/not_found","title":"Not Found","status":404,"code":"not_found"}`
	cases := []struct {
		name, method, path, reqBody string
		status                      int
		header                      http.Header
		body                        string
		want                        string // substring of the mismatch; "" for none
	}{
		{"problem agrees", "GET", "/api/v1/items/01a23c19-7d9c-7884-91e3-a8a2937d6743", "", 404, problemJSON, okProblem, ""},
		{"error as plain JSON", "GET", "/api/v1/items/01a23c19-7d9c-7884-91e3-a8a2937d6743", "", 404, json, okProblem, "Content-Type has unexpected value"},
		{"unknown problem code", "GET", "/api/v1/items/01a23c19-7d9c-7884-91e3-a8a2937d6743", "", 404, problemJSON,
			strings.Replace(okProblem, `"code":"not_found"`, `"code":"no_such_code"`, 1), "code"},
		{"null where not nullable", "GET", "/api/v1/notifications/unread-count", "", 200, json, `{"count":null}`, "not nullable"},
		{"undocumented route", "GET", "/api/v1/no-such-thing", "", 200, json, `{}`, "no such operation"},
		{"unknown route answered 404", "GET", "/api/v1/no-such-thing", "", 404, problemJSON, okProblem, ""},
		{"test route", "POST", "/api/v1/_test/bind", `{}`, 200, json, `{}`, ""},
		{"invalid request refused", "POST", "/api/v1/auth/login", `{"username":1}`, 422, problemJSON,
			strings.NewReplacer("not_found", "validation_failed", "404", "422").Replace(okProblem), ""},
		{"invalid request accepted", "POST", "/api/v1/auth/login", `{"username":1}`, 200, json, `{}`, "accepted (200) a request the document calls invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, "http://127.0.0.1"+c.path, nil)
			if c.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			got := checkExchange(req, []byte(c.reqBody), c.status, c.header, []byte(c.body))
			if c.want == "" && got != "" {
				t.Fatalf("mismatch reported: %s", got)
			}
			if c.want != "" && !strings.Contains(got, c.want) {
				t.Fatalf("mismatch %q, want one naming %q", got, c.want)
			}
		})
	}
}
