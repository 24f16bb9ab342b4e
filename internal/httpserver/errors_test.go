package httpserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/duban/duban/internal/problem"
)

// TestProblemsOnTheWire pins the JSON a client gets for each kind of problem the domain
// returns: the status and title come from the kind at the edge, everything else from
// the problem.
func TestProblemsOnTheWire(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"not found", problem.NotFound("item"),
			`{"type":"https://duban.dev/problems/not_found","title":"Not Found","status":404,"detail":"item not found","code":"not_found"}`},
		{"wrapped not found", fmt.Errorf("load: %w", problem.NotFound("item")),
			`{"type":"https://duban.dev/problems/not_found","title":"Not Found","status":404,"detail":"item not found","code":"not_found"}`},
		{"bad request", problem.BadRequest("no"),
			`{"type":"https://duban.dev/problems/bad_request","title":"Bad Request","status":400,"detail":"no","code":"bad_request"}`},
		{"unauthorized", problem.Unauthorized("log in"),
			`{"type":"https://duban.dev/problems/unauthorized","title":"Unauthorized","status":401,"detail":"log in","code":"unauthorized"}`},
		{"forbidden", problem.Forbidden("not yours"),
			`{"type":"https://duban.dev/problems/forbidden","title":"Forbidden","status":403,"detail":"not yours","code":"forbidden"}`},
		{"forbidden with its own code", problem.New(problem.KindForbidden, "session_required", "use a session"),
			`{"type":"https://duban.dev/problems/session_required","title":"Forbidden","status":403,"detail":"use a session","code":"session_required"}`},
		{"conflict", problem.Conflict("already_open", "one is open"),
			`{"type":"https://duban.dev/problems/already_open","title":"Conflict","status":409,"detail":"one is open","code":"already_open"}`},
		{"invalid transition", problem.InvalidTransition("approve", "draft", nil),
			`{"type":"https://duban.dev/problems/invalid_transition","title":"Conflict","status":409,"detail":"action \"approve\" is not allowed in state \"draft\"","code":"invalid_transition","state":"draft","allowed_actions":[]}`},
		{"precondition failed", problem.PreconditionFailed("stale"),
			`{"type":"https://duban.dev/problems/precondition_failed","title":"Precondition Failed","status":412,"detail":"stale","code":"precondition_failed"}`},
		{"invalid fields", problem.Invalid(problem.FieldError{Field: "title", Message: "is required", Rule: "required"}, problem.FieldError{Field: "due", Message: "is required"}),
			`{"type":"https://duban.dev/problems/validation_failed","title":"Validation failed","status":422,"detail":"title: is required (and 1 more)","code":"validation_failed","errors":[{"field":"title","message":"is required","rule":"required"},{"field":"due","message":"is required"}]}`},
		{"invalid without fields", problem.New(problem.KindInvalid, "idempotency_key_reused", "another body"),
			`{"type":"https://duban.dev/problems/idempotency_key_reused","title":"Unprocessable Entity","status":422,"detail":"another body","code":"idempotency_key_reused"}`},
		{"too large", problem.TooLarge("big"),
			`{"type":"https://duban.dev/problems/payload_too_large","title":"Request Entity Too Large","status":413,"detail":"big","code":"payload_too_large"}`},
		{"unsupported media", problem.UnsupportedMedia("json please"),
			`{"type":"https://duban.dev/problems/unsupported_media_type","title":"Unsupported Media Type","status":415,"detail":"json please","code":"unsupported_media_type"}`},
		{"rate limited", problem.RateLimited("slow down", 30),
			`{"type":"https://duban.dev/problems/rate_limited","title":"Too Many Requests","status":429,"detail":"slow down","code":"rate_limited","retry_after":30}`},
		{"unavailable", problem.Unavailable("not ready"),
			`{"type":"https://duban.dev/problems/service_unavailable","title":"Service Unavailable","status":503,"detail":"not ready","code":"service_unavailable"}`},
		{"internal", problem.Internal(errors.New("disk on fire")),
			`{"type":"https://duban.dev/problems/internal_error","title":"Internal Server Error","status":500,"detail":"an unexpected error occurred; quote the request id when reporting it","code":"internal_error"}`},
		{"a plain error", errors.New("disk on fire"),
			`{"type":"https://duban.dev/problems/internal_error","title":"Internal Server Error","status":500,"detail":"an unexpected error occurred; quote the request id when reporting it","code":"internal_error"}`},
		{"echo's method not allowed", echo.ErrMethodNotAllowed,
			`{"type":"https://duban.dev/problems/method_not_allowed","title":"Method Not Allowed","status":405,"detail":"this method is not allowed on this resource","code":"method_not_allowed"}`},
		{"echo's other statuses", echo.NewHTTPError(http.StatusNotAcceptable),
			`{"type":"https://duban.dev/problems/http_406","title":"Not Acceptable","status":406,"detail":"Not Acceptable","code":"http_406"}`},
	}
	s := New(Options{})
	for i, tc := range cases {
		s.API.GET(fmt.Sprintf("/case/%d", i), func(echo.Context) error { return tc.err })
	}
	srv := httptest.NewServer(s.Echo)
	t.Cleanup(srv.Close)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := http.Get(fmt.Sprintf("%s%s/case/%d", srv.URL, APIPrefix, i))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			_ = res.Body.Close()
			var got, want map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if got["request_id"] == "" || got["request_id"] != res.Header.Get(echo.HeaderXRequestID) {
				t.Errorf("request_id %v, header %q", got["request_id"], res.Header.Get(echo.HeaderXRequestID))
			}
			want["request_id"] = got["request_id"]
			want["instance"] = fmt.Sprintf("%s/case/%d", APIPrefix, i)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("body\n %s\nwant\n %s", body, tc.want)
			}
			if int(want["status"].(float64)) != res.StatusCode || StatusOf(tc.err) != res.StatusCode {
				t.Errorf("status %d, StatusOf %d, want %v", res.StatusCode, StatusOf(tc.err), want["status"])
			}
			if ct := res.Header.Get(echo.HeaderContentType); ct != ContentTypeProblem {
				t.Errorf("content type %q", ct)
			}
		})
	}
}

// TestEveryKindHasAStatus keeps the mapping total: a kind added without a status would
// answer 500.
func TestEveryKindHasAStatus(t *testing.T) {
	t.Parallel()
	seen := map[int]problem.Kind{}
	for k := problem.KindBadRequest; k <= problem.KindInternal; k++ {
		st := KindStatus(k)
		if st < 400 || (st == http.StatusInternalServerError) != (k == problem.KindInternal) {
			t.Errorf("kind %s answers %d", k, st)
		}
		if other, dup := seen[st]; dup {
			t.Errorf("kinds %s and %s both answer %d", k, other, st)
		}
		seen[st] = k
	}
	if KindStatus(0) != http.StatusInternalServerError || StatusOf(nil) != http.StatusOK {
		t.Error("the zero kind must answer 500, no error 200")
	}
}

// TestRenderCopies: rendering fills status and title on a copy, so a problem value
// kept by the domain is never changed by a request.
func TestRenderCopies(t *testing.T) {
	t.Parallel()
	p := problem.NotFound("item")
	r := Render(p)
	if r == p || p.Status != 0 || p.Title != "" || r.Status != 404 || r.Title != "Not Found" {
		t.Fatalf("domain %+v, rendered %+v", p, r)
	}
}
