package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/jobs"
)

var start = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

type args struct {
	N int `json:"n"`
}

func states(t *testing.T, db *database.DB) map[string]int {
	t.Helper()
	var rows []struct {
		State string
		N     int
	}
	if err := db.Gorm().Table("jobs").Select("state, COUNT(*) AS n").Group("state").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out
}

// TestQueue: a job enqueued in a transaction that rolls back never exists; a
// committed one runs once; a unique key is inserted once; a failing job is retried
// after its backoff (on the clock) and set aside after its last attempt; Discard
// ends it at once.
func TestQueue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		q := jobs.NewQueue(db, clk)
		w := jobs.NewWorker(db, clk, jobs.Options{})
		woken := 0
		q.OnCommit(func() { woken++ })
		var seen []int
		w.Handle("count", func(ctx context.Context, j *jobs.Job) error {
			var a args
			if err := j.Decode(&a); err != nil {
				return err
			}
			seen = append(seen, a.N)
			return nil
		})
		failures := 0
		w.Handle("flaky", func(ctx context.Context, j *jobs.Job) error {
			failures++
			return errors.New("receiver down")
		})
		w.Handle("hopeless", func(ctx context.Context, j *jobs.Job) error { return jobs.Discard(errors.New("bad address")) })

		boom := errors.New("boom")
		if err := db.InTx(ctx, func(ctx context.Context) error {
			if _, err := q.Enqueue(ctx, "count", args{1}); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if n := len(states(t, db)); n != 0 || woken != 0 {
			t.Fatalf("a rolled-back enqueue left %d states, woke %d", n, woken)
		}
		for _, n := range []int{2, 3} {
			if ok, err := q.Enqueue(ctx, "count", args{n}, jobs.Unique("day:1")); err != nil || ok != (n == 2) {
				t.Fatalf("unique enqueue %d: %v %v", n, ok, err)
			}
		}
		if _, err := q.Enqueue(ctx, "count", args{4}, jobs.At(start.Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		if n, err := w.RunOnce(ctx); err != nil || n != 1 || len(seen) != 1 || seen[0] != 2 {
			t.Fatalf("RunOnce = %d %v, seen %v", n, err, seen)
		}
		clk.Advance(time.Hour)
		if n, _ := w.RunOnce(ctx); n != 1 || seen[1] != 4 {
			t.Fatalf("the scheduled job: %d, seen %v", n, seen)
		}

		if _, err := q.Enqueue(ctx, "flaky", args{}, jobs.Attempts(3)); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(ctx, "hopeless", args{}); err != nil {
			t.Fatal(err)
		}
		w.RunOnce(ctx)
		if failures != 1 {
			t.Fatalf("first attempt: %d", failures)
		}
		w.RunOnce(ctx) // not due yet
		if failures != 1 {
			t.Fatalf("retried before the backoff")
		}
		clk.Advance(jobs.Backoff(1))
		w.RunOnce(ctx)
		clk.Advance(jobs.Backoff(2))
		w.RunOnce(ctx)
		clk.Advance(time.Hour)
		w.RunOnce(ctx)
		if failures != 3 {
			t.Fatalf("attempts %d, want 3", failures)
		}
		if s := states(t, db); s[jobs.StateFailed] != 2 || s[jobs.StateDone] != 2 {
			t.Fatalf("states %v", s)
		}
	})
}

// TestDeadWorkersJobIsTakenOver: a job claimed by a worker that died (its lease
// ran out) is run by another; the job keeps its id.
func TestDeadWorkersJobIsTakenOver(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		q := jobs.NewQueue(db, clk)
		dead := jobs.NewWorker(db, clk, jobs.Options{Lease: time.Minute})
		stuck := make(chan struct{})
		dead.Handle("work", func(ctx context.Context, j *jobs.Job) error {
			close(stuck)
			<-ctx.Done() // dies holding the job
			return ctx.Err()
		})
		if _, err := q.Enqueue(ctx, "work", args{}); err != nil {
			t.Fatal(err)
		}
		dctx, kill := context.WithCancel(ctx)
		go dead.RunOnce(dctx)
		<-stuck
		alive := jobs.NewWorker(db, clk, jobs.Options{Lease: time.Minute})
		ran := 0
		alive.Handle("work", func(ctx context.Context, j *jobs.Job) error { ran++; return nil })
		if n, _ := alive.RunOnce(ctx); n != 0 {
			t.Fatalf("took over a job whose lease still runs")
		}
		clk.Advance(2 * time.Minute)
		if n, _ := alive.RunOnce(ctx); n != 1 || ran != 1 {
			t.Fatalf("after the lease: ran %d", ran)
		}
		kill()
		if s := states(t, db); s[jobs.StateDone] != 1 {
			t.Fatalf("states %v", s)
		}
	})
}

// TestSchedulerLeads: of two schedulers one holds the lease and enqueues each
// period once; when it stops renewing, the other takes over.
func TestSchedulerLeads(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		q := jobs.NewQueue(db, clk)
		a := jobs.NewScheduler(db, q, clk, time.UTC, "a", nil)
		b := jobs.NewScheduler(db, q, clk, time.UTC, "b", nil)
		for _, s := range []*jobs.Scheduler{a, b} {
			s.Add(jobs.Periodic{Name: "sweep", Kind: "sweep", Args: args{}, Every: 24 * time.Hour, Offset: 8 * time.Hour})
		}
		if ok, err := a.Lead(ctx); !ok || err != nil {
			t.Fatalf("a leads: %v %v", ok, err)
		}
		if ok, _ := b.Lead(ctx); ok {
			t.Fatalf("b leads while a holds the lease")
		}
		for range 3 {
			if _, err := a.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Tick(ctx); err != nil { // even a tick of the other enqueues nothing new
				t.Fatal(err)
			}
		}
		if s := states(t, db); s[jobs.StateAvailable] != 1 {
			t.Fatalf("one period enqueued %v", s)
		}
		clk.Advance(10 * time.Second)
		if ok, _ := b.Lead(ctx); ok {
			t.Fatalf("b leads within a's lease")
		}
		clk.Advance(time.Hour)
		if ok, _ := b.Lead(ctx); !ok {
			t.Fatalf("b does not take over an expired lease")
		}
		if n, _ := b.Tick(ctx); n != 0 {
			t.Fatalf("same day: %d enqueued", n)
		}
		clk.Advance(24 * time.Hour)
		if n, _ := b.Tick(ctx); n != 1 {
			t.Fatalf("next day: %d enqueued", n)
		}
	})
}

// TestEnqueueMany: a page of jobs in one statement; keys taken (by an earlier
// page or a single Enqueue) are skipped and not counted; each runs once.
func TestEnqueueMany(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		clk := clock.NewFake(start)
		q := jobs.NewQueue(db, clk)
		w := jobs.NewWorker(db, clk, jobs.Options{})
		ran := map[int]int{}
		w.Handle("count", func(ctx context.Context, j *jobs.Job) error {
			var a args
			if err := j.Decode(&a); err != nil {
				return err
			}
			ran[a.N]++
			return nil
		})
		if _, err := q.Enqueue(ctx, "count", args{N: 1}, jobs.Unique("k1")); err != nil {
			t.Fatal(err)
		}
		page := []jobs.Many{{Args: args{N: 1}, Unique: "k1"}, {Args: args{N: 2}, Unique: "k2"}, {Args: args{N: 3}, Unique: "k3"}}
		var n int
		err := db.InTx(ctx, func(ctx context.Context) error {
			var err error
			n, err = q.EnqueueMany(ctx, "count", page)
			return err
		})
		if err != nil || n != 2 {
			t.Fatalf("inserted %d, %v", n, err)
		}
		if n, err := q.EnqueueMany(ctx, "count", page); err != nil || n != 0 {
			t.Fatalf("again: %d, %v", n, err)
		}
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if ran[1] != 1 || ran[2] != 1 || ran[3] != 1 || len(ran) != 3 {
			t.Fatalf("ran %v", ran)
		}
	})
}
