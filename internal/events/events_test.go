package events_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/events"
)

func submitted(title string) *events.ItemSubmitted {
	ev := &events.ItemSubmitted{}
	ev.Item = events.ItemRef{ID: uuid.Must(uuid.NewV7()), ScopeID: uuid.Must(uuid.NewV7()), Title: title, State: "pending_approval"}
	ev.From, ev.To = "draft", "pending_approval"
	return ev
}

// TestOutboxEmitsOnlyWhatCommits: a rolled-back change emits nothing; a committed
// one emits exactly its events, which the dispatcher hands over once, in order, to
// the subscribers that asked for their kind.
func TestOutboxEmitsOnlyWhatCommits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
		out := events.NewOutbox(db, clk)
		bus := events.NewBus()
		var got []string
		var kinds []events.Kind
		bus.Subscribe("titles", []events.Kind{events.KindItemSubmitted}, func(ctx context.Context, env events.Envelope) error {
			ev, ok := env.Event.(*events.ItemSubmitted)
			if !ok {
				t.Fatalf("decoded %T, want *events.ItemSubmitted", env.Event)
			}
			got = append(got, ev.Item.Title)
			return nil
		})
		bus.Subscribe("all", nil, func(ctx context.Context, env events.Envelope) error {
			kinds = append(kinds, env.Kind)
			return nil
		})
		d := events.NewDispatcher(db, bus, clk, nil)
		woken := 0
		out.OnCommit(func() { woken++ })

		actor := uuid.Must(uuid.NewV7())
		boom := errors.New("boom")
		err := db.InTx(ctx, func(ctx context.Context) error {
			if err := out.Emit(ctx, &actor, submitted("rolled back")); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		if woken != 0 {
			t.Fatalf("a rolled-back transaction woke the dispatcher")
		}
		err = db.InTx(ctx, func(ctx context.Context) error {
			for _, title := range []string{"first", "second"} {
				if err := out.Emit(ctx, &actor, submitted(title)); err != nil {
					return err
				}
			}
			ev := &events.ItemIssued{}
			ev.Item.ID = uuid.Must(uuid.NewV7())
			return out.Emit(ctx, &actor, ev)
		})
		if err != nil {
			t.Fatal(err)
		}
		if woken != 2*1+1 {
			// One wake per emit, all after the commit.
			t.Fatalf("woken %d times, want 3", woken)
		}
		n, err := d.RunOnce(ctx)
		if err != nil || n != 3 {
			t.Fatalf("RunOnce = %d, %v; want 3 events", n, err)
		}
		if len(got) != 2 || got[0] != "first" || got[1] != "second" {
			t.Fatalf("subscriber saw %v, want [first second]", got)
		}
		if len(kinds) != 3 || kinds[2] != events.KindItemIssued {
			t.Fatalf("all-kinds subscriber saw %v", kinds)
		}
		if n, err := d.RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("second RunOnce = %d, %v; want nothing left", n, err)
		}
	})
}

// TestFailedDispatchIsRetriedWithBackoff: a subscriber's failure rolls back the
// dispatch (its writes included) and the event comes back after the backoff.
func TestFailedDispatchIsRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
		out := events.NewOutbox(db, clk)
		bus := events.NewBus()
		calls := 0
		bus.Subscribe("flaky", nil, func(ctx context.Context, env events.Envelope) error {
			calls++
			if calls == 1 {
				return errors.New("not yet")
			}
			return nil
		})
		d := events.NewDispatcher(db, bus, clk, nil)
		if err := out.Emit(ctx, nil, submitted("x")); err != nil {
			t.Fatal(err)
		}
		if n, err := d.RunOnce(ctx); err != nil || n != 0 || calls != 1 {
			t.Fatalf("first RunOnce = %d, %v, calls %d", n, err, calls)
		}
		// Not due again before the backoff.
		if n, _ := d.RunOnce(ctx); n != 0 || calls != 1 {
			t.Fatalf("retried before the backoff (calls %d)", calls)
		}
		clk.Advance(events.Backoff(1))
		if n, err := d.RunOnce(ctx); err != nil || n != 1 || calls != 2 {
			t.Fatalf("after the backoff RunOnce = %d, %v, calls %d", n, err, calls)
		}
	})
}

func TestAuditKindsDecodeToTheirFamily(t *testing.T) {
	t.Parallel()
	ev, err := events.Decode("auth.login_succeeded", []byte(`{"action":"auth.login_succeeded","target_type":"user","target_id":"u"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ev.(*events.SecurityEvent); !ok || ev.Kind() != "auth.login_succeeded" {
		t.Fatalf("decoded %T %s", ev, ev.Kind())
	}
	if ev, _ := events.Decode("something.new", []byte(`{}`)); ev.Kind() != "something.new" {
		t.Fatalf("unknown kind decoded as %s", ev.Kind())
	}
}
