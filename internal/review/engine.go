package review

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/problem"
)

// The engine runs the two-step review of a request the same way for every kind:
// load the request, lock its item (the item's row lock serialises every change to
// its requests), read the request again under it, decide who may take the step,
// check If-Match and the step, write the request's columns under its own
// optimistic lock, and tell the kind to apply the step to the item. A kind
// (completion, extensions) keeps only what its steps do to the item and any rule
// of its own.

// Fields are the columns every reviewed request has; a kind's model embeds them.
type Fields struct {
	ID              uuid.UUID `gorm:"type:uuid;primaryKey"`
	ItemID          uuid.UUID `gorm:"type:uuid"`
	RequestedBy     uuid.UUID `gorm:"type:uuid"`
	UnitID          uuid.UUID `gorm:"type:uuid"`
	State           State
	ReviewedBy      *uuid.UUID `gorm:"type:uuid"`
	ReviewedAt      *time.Time
	ReviewComment   string
	DecidedBy       *uuid.UUID `gorm:"type:uuid"`
	DecidedAt       *time.Time
	DecisionComment string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Base gives the shared fields (the Request constraint).
func (f *Fields) Base() *Fields { return f }

// Ref names the request in its domain events.
func (f *Fields) Ref() events.RequestRef {
	return events.RequestRef{ID: f.ID, UnitID: f.UnitID, RequestedBy: f.RequestedBy, State: string(f.State)}
}

// Request is a kind's model: a pointer to a struct embedding Fields.
type Request interface {
	Base() *Fields
	TableName() string
}

// Kind is what one kind of request adds to the engine.
type Kind[R Request] struct {
	// What names the request in messages ("completion request").
	What string
	// CodeChanged is the 409 code when the request changed under a step.
	CodeChanged string
	// Check is the kind's own rule for a step, after the shared ones (the
	// request's state, never one's own request, the office reviews, the
	// supervising leader decides); nil for none.
	Check func(p *access.Principal, it *items.Item, asgs []items.Assignment, r R, action string) error
	// Apply does what the written step means for the item: record it on the
	// item's timeline and, for a decision, change the item through the items door.
	Apply func(ctx context.Context, p *access.Principal, it *items.Item, asgs []items.Assignment, r R, from State, step Step) error
}

// Engine reviews the requests of one kind.
type Engine[R Request] struct {
	db    *database.DB
	items *items.Service
	kind  Kind[R]
}

// New returns the engine of a kind.
func New[R Request](db *database.DB, it *items.Service, k Kind[R]) *Engine[R] {
	return &Engine[R]{db: db, items: it, kind: k}
}

// Load reads one request (404 when absent).
func (e *Engine[R]) Load(ctx context.Context, id uuid.UUID) (R, error) {
	var r R
	rv := newRequest[R]()
	if err := e.db.Conn(ctx).Where("id = ?", id).Take(rv).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return r, problem.NotFound(e.kind.What)
		}
		return r, fmt.Errorf("load %s: %w", e.kind.What, err)
	}
	return rv, nil
}

// NotFound names the request, not its item, when the item is not visible.
func (e *Engine[R]) NotFound(err error) error {
	if problem.IsNotFound(err) {
		return problem.NotFound(e.kind.What)
	}
	return err
}

// Step runs one review step (review, approve or reject) on request id for p.
func (e *Engine[R]) Step(ctx context.Context, p *access.Principal, id uuid.UUID, step Step, pc etag.Precondition) error {
	return e.db.InTx(ctx, func(ctx context.Context) error {
		r, err := e.Load(ctx, id)
		if err != nil {
			return err
		}
		it, asgs, err := e.items.Load(ctx, p, r.Base().ItemID, true)
		if err != nil {
			return e.NotFound(err)
		}
		if r, err = e.Load(ctx, id); err != nil {
			return err
		}
		if err := e.Decide(p, it, asgs, r, step.Action); err != nil {
			return err
		}
		if err := pc.Check(r.Base().Version); err != nil {
			return err
		}
		if err := step.Check(); err != nil {
			return err
		}
		from := r.Base().State
		if err := e.write(ctx, p, r, step); err != nil {
			return err
		}
		return e.kind.Apply(ctx, p, it, asgs, r, from, step)
	})
}

// write stores the step on the request under its optimistic lock.
func (e *Engine[R]) write(ctx context.Context, p *access.Principal, r R, step Step) error {
	f := r.Base()
	at := e.items.Now()
	res := e.db.Conn(ctx).Table(r.TableName()).Where("id = ? AND version = ?", f.ID, f.Version).Updates(step.Columns(p.UserID, at, f.Version))
	if res.Error != nil {
		return fmt.Errorf("update %s: %w", e.kind.What, res.Error)
	}
	if res.RowsAffected != 1 {
		return problem.Conflict(e.kind.CodeChanged, "the "+e.kind.What+" changed while this request ran; reload it and retry")
	}
	f.State, f.Version, f.UpdatedAt = step.To(), f.Version+1, at
	if step.Action == ActReview {
		f.ReviewedBy, f.ReviewedAt, f.ReviewComment = &p.UserID, &at, step.Comment
	} else {
		f.DecidedBy, f.DecidedAt, f.DecisionComment = &p.UserID, &at, step.Comment
	}
	return nil
}

// errWrongState marks a request whose state does not allow the step.
var errWrongState = errors.New("wrong state")

// Decide answers a step on a request of a visible item: 403 read-only
// credentials, 409 (naming the request's state) when its state does not allow the
// step, 403 on one's own request or without the role for the step, then the kind's
// own rule.
func (e *Engine[R]) Decide(p *access.Principal, it *items.Item, asgs []items.Assignment, r R, action string) error {
	err := e.check(p, it, asgs, r, action)
	if errors.Is(err, errWrongState) {
		return problem.InvalidTransition(action, string(r.Base().State), e.Actions(p, it, asgs, r))
	}
	return err
}

func (e *Engine[R]) check(p *access.Principal, it *items.Item, asgs []items.Assignment, r R, action string) error {
	if !p.CanWrite() {
		return problem.Forbidden("these credentials may only read")
	}
	f := r.Base()
	want := Forwarded
	if action == ActReview {
		want = Requested
	}
	if f.State != want {
		return errWrongState
	}
	if f.RequestedBy == p.UserID {
		return problem.Forbidden("you may not " + action + " a " + e.kind.What + " you made yourself")
	}
	switch {
	case action == ActReview && !items.IsSupervisor(p, it):
		return problem.Forbidden("only the supervision office reviews " + e.kind.What + "s")
	case action != ActReview && !items.IsSupervisingLeader(p, it):
		return problem.Forbidden("only the item's supervising leader decides a " + e.kind.What)
	}
	if e.kind.Check != nil {
		return e.kind.Check(p, it, asgs, r, action)
	}
	return nil
}

// Actions lists what p may do to the request now (`allowed_actions`).
func (e *Engine[R]) Actions(p *access.Principal, it *items.Item, asgs []items.Assignment, r R) []string {
	checks := map[string]bool{}
	if p == nil || !items.CanSee(p, it, asgs) {
		return []string{}
	}
	for _, a := range []string{ActReview, ActApprove, ActReject} {
		checks[a] = e.check(p, it, asgs, r, a) == nil
	}
	return access.Actions(checks)
}

// HasOpen reports whether the item has a request of this kind waiting for a
// decision.
func (e *Engine[R]) HasOpen(ctx context.Context, itemID uuid.UUID) (bool, error) {
	var n int64
	err := e.db.Conn(ctx).Table(newRequest[R]().TableName()).Where("item_id = ? AND state IN ?", itemID, []State{Requested, Forwarded}).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("count open %ss: %w", e.kind.What, err)
	}
	return n > 0, nil
}

// newRequest allocates the struct R points to.
func newRequest[R Request]() R {
	var r R
	return reflectNew(r).(R)
}
