package auth_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
)

func equalJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return false
	}
	var va, vb any
	_ = json.Unmarshal(ja, &va)
	_ = json.Unmarshal(jb, &vb)
	return reflect.DeepEqual(va, vb)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func stringify(m map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// assertField checks for a 422 naming field.
func assertField(t *testing.T, r *apitest.Response, field string) {
	t.Helper()
	p := r.Problem(422, "validation_failed")
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if m, _ := e.(map[string]any); m["field"] == field {
			return
		}
	}
	t.Errorf("422 does not name field %s: %s", field, r.Body)
}

func refresh(env *apitest.Env, token string) *apitest.Response {
	return env.As("").Do("POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": token})
}

// createToken creates a personal API token with the scopes and returns its secret.
func createToken(env *apitest.Env, scopes ...string) string {
	env.T.Helper()
	var out struct {
		Token string `json:"token"`
	}
	env.Do("POST", "/api/v1/me/tokens", map[string]any{"name": "test", "scopes": scopes}).Expect(201).JSON(&out)
	return out.Token
}

// expireLocks ends every brute-force lock as if its time had run out.
func expireLocks(t *testing.T, env *apitest.Env) {
	t.Helper()
	past := time.Now().UTC().Add(-time.Minute)
	if err := env.DB.Gorm().Table("login_throttles").Where("locked_until IS NOT NULL").
		Updates(map[string]any{"locked_until": past, "window_start": past.Add(-time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
}
