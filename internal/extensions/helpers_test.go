package extensions_test

import (
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// fx is the shared follow-up fixture: the World with real logins.
type fx = apitest.Fixture

func newFx(t *testing.T, env *apitest.Env) *fx { return apitest.NewFixture(t, env) }
