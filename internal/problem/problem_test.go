package problem

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindPredicates(t *testing.T) {
	t.Parallel()
	plain := errors.New("boom")
	cases := []struct {
		err  error
		kind Kind
		is   func(error) bool
	}{
		{NotFound("item"), KindNotFound, IsNotFound},
		{fmt.Errorf("load: %w", NotFound("item")), KindNotFound, IsNotFound},
		{Forbidden("no"), KindForbidden, IsForbidden},
		{Conflict("c", "d"), KindConflict, IsConflict},
		{InvalidTransition("a", "s", nil), KindConflict, IsConflict},
		{Field("title", "required", "is required"), KindInvalid, IsInvalid},
		{PreconditionFailed("stale"), KindPreconditionFailed, IsPreconditionFailed},
		{Unauthorized("who"), KindUnauthenticated, IsUnauthenticated},
		{Internal(plain), KindInternal, IsInternal},
		{plain, KindInternal, IsInternal},
		{&Problem{Code: "x"}, KindInternal, IsInternal},
	}
	preds := []func(error) bool{IsNotFound, IsForbidden, IsConflict, IsInvalid, IsPreconditionFailed, IsUnauthenticated, IsInternal}
	for _, c := range cases {
		if got := KindOf(c.err); got != c.kind {
			t.Errorf("KindOf(%v) = %s, want %s", c.err, got, c.kind)
		}
		n := 0
		for _, p := range preds {
			if p(c.err) {
				n++
			}
		}
		if !c.is(c.err) || n != 1 {
			t.Errorf("%v: its predicate %v, %d predicates true", c.err, c.is(c.err), n)
		}
	}
	for _, p := range preds {
		if p(nil) {
			t.Error("a predicate holds for nil")
		}
	}
	if KindOf(nil) != 0 {
		t.Error("KindOf(nil)")
	}
}

func TestKindNames(t *testing.T) {
	t.Parallel()
	for k := KindBadRequest; k <= KindInternal; k++ {
		if k.String() == fmt.Sprintf("kind(%d)", uint8(k)) {
			t.Errorf("kind %d has no name", k)
		}
	}
}
