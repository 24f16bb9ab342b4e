package integrity_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/integrity"
	"github.com/duban/duban/internal/items"
)

// Issue 14 §7: deleted items and deleted security events went unnoticed, and the
// security log was not chained. The tests delete and edit behind the
// application's back, as someone with write access to the database would.

func checkpoint(t *testing.T, env *apitest.Env) {
	t.Helper()
	// Cover the events just written: the cutoff lies Margin behind "now".
	if _, err := integrity.Checkpoint(context.Background(), env.DB, time.Now().Add(integrity.Margin+time.Second), nil); err != nil {
		t.Fatal(err)
	}
}

func verify(t *testing.T, env *apitest.Env) *integrity.Report {
	t.Helper()
	rep, err := integrity.Verify(context.Background(), env.DB)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func exec(t *testing.T, env *apitest.Env, sql string, args ...any) {
	t.Helper()
	if err := env.DB.Gorm().Exec(sql, args...).Error; err != nil {
		t.Fatal(err)
	}
}

func draft(t *testing.T, env *apitest.Env, w *apitest.World, title string) uuid.UUID {
	t.Helper()
	lead := w.DeptB
	v, err := env.App.Items.Create(context.Background(), env.Principal(w.Sup), items.ItemInput{
		Title: title, Content: title, Category: items.CategoryImportantMatter, Source: "board",
		LeadUnitID: &lead, Deadline: env.App.Items.Today().AddDays(20),
	})
	if err != nil {
		t.Fatal(err)
	}
	return v.ID
}

func TestDeletedItemIsDetected(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		kept := w.ItemInProgress("保留事项", 30)
		gone := w.ItemInProgress("被删除的事项", 30)
		legit := draft(t, env, w, "正常删除的草稿")
		env.Login("sup") // a security event
		checkpoint(t, env)
		if rep := verify(t, env); !rep.OK() || rep.Deletions.Checkpoints != 1 {
			t.Fatalf("clean: %+v", rep)
		}
		// A draft deleted through the application leaves a tombstone: no break.
		if err := env.App.Items.Delete(context.Background(), env.Principal(w.Sup), legit, nil); err != nil {
			t.Fatal(err)
		}
		if rep := verify(t, env); !rep.OK() {
			t.Fatalf("after deleting a draft through the application: %+v", rep.Deletions)
		}
		// An item deleted with its events behind the application's back: its
		// timeline is gone, so no chain of its own breaks, but the checkpoint does.
		exec(t, env, "DELETE FROM item_events WHERE item_id = ?", gone)
		exec(t, env, "DELETE FROM item_cooperating_units WHERE item_id = ?", gone)
		exec(t, env, "DELETE FROM item_assignments WHERE item_id = ?", gone)
		exec(t, env, "DELETE FROM items WHERE id = ?", gone)
		rep := verify(t, env)
		if !rep.Timelines.OK() || len(rep.Deletions.Breaks) != 1 || !strings.Contains(rep.Deletions.Breaks[0], "deleted") {
			t.Fatalf("deleted item: timelines %+v, deletions %+v", rep.Timelines.Breaks, rep.Deletions.Breaks)
		}
		_ = kept
	})
}

func TestSecurityLogIsChained(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		apitest.NewWorld(env)
		for _, u := range []string{"sup", "headb", "leader", "auditor"} {
			env.Login(u)
		}
		env.As("").Do("POST", "/api/v1/auth/login", map[string]string{"username": "sup", "password": "wrong-pass-1"})
		checkpoint(t, env)
		rep := verify(t, env)
		if !rep.OK() || rep.Log.Events < 5 {
			t.Fatalf("clean log: %+v", rep.Log)
		}
		var evs []audit.Event
		if err := env.DB.Gorm().Order("seq").Find(&evs).Error; err != nil {
			t.Fatal(err)
		}
		for i, ev := range evs {
			if ev.Seq != int64(i+1) || ev.Hash == "" || (i > 0 && ev.PrevHash != evs[i-1].Hash) {
				t.Fatalf("event %d is not chained: %+v", i, ev)
			}
		}
		// Edit an event: its hash no longer matches.
		exec(t, env, "UPDATE audit_events SET ip = '10.9.9.9' WHERE seq = 2")
		if rep := verify(t, env); rep.Log.OK() || !strings.Contains(rep.Log.Breaks[0].Reason, "edited") {
			t.Fatalf("edited event: %+v", rep.Log.Breaks)
		}
		exec(t, env, "UPDATE audit_events SET ip = ? WHERE seq = 2", evs[1].IP)
		// Delete one in the middle: a gap.
		exec(t, env, "DELETE FROM audit_events WHERE seq = 3")
		if rep := verify(t, env); rep.Log.OK() || !strings.Contains(rep.Log.Breaks[0].Reason, "missing") {
			t.Fatalf("deleted event: %+v", rep.Log.Breaks)
		}
		if err := env.DB.Gorm().Create(&evs[2]).Error; err != nil {
			t.Fatal(err)
		}
		if rep := verify(t, env); !rep.OK() {
			t.Fatalf("restored: %+v %+v", rep.Log, rep.Deletions)
		}
		// Cut the newest events and move the head back to match: the chain alone
		// holds, the checkpoint does not.
		last := evs[len(evs)-1]
		prev := evs[len(evs)-2]
		exec(t, env, "DELETE FROM audit_events WHERE seq = ?", last.Seq)
		exec(t, env, "UPDATE audit_chain_heads SET seq = ?, hash = ? WHERE kind = 'audit'", prev.Seq, prev.Hash)
		rep = verify(t, env)
		if !rep.Log.OK() || len(rep.Deletions.Breaks) != 1 || !strings.Contains(rep.Deletions.Breaks[0], "no longer holds") {
			t.Fatalf("truncated log: log %+v, deletions %+v", rep.Log.Breaks, rep.Deletions.Breaks)
		}
	})
}

// A different chain key would break every chain from then on: the application
// refuses to start with one.
func TestWrongKeyIsRefused(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		apitest.NewWorld(env)
		env.Login("sup")
		audit.UseChainKey(env.DB, []byte("another-key-another-key-another-key-0"))
		err := integrity.Seal(context.Background(), env.DB)
		if !errors.Is(err, integrity.ErrWrongKey) {
			t.Fatalf("seal with another key: %v", err)
		}
	})
}

// The timelines and the security log written before the chain was keyed are
// sealed with the key on the first start that has one; a timeline already broken
// then stays broken.
func TestUpgradeSealsEarlierTrails(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		env := &apitest.Env{T: t, DB: db}
		group := env.Unit("集团公司", "group", nil, false)
		office := env.Unit("办公厅", "department", &group, true)
		sup := env.User("sup", office, access.RoleSupervisor)
		log := audit.New(db)
		svc := items.NewService(db, calendar.NewService(db, time.UTC, nil), log)
		var ids []uuid.UUID
		for _, title := range []string{"甲", "乙"} {
			v, err := svc.Create(ctx, env.Principal(sup), items.ItemInput{Title: title, Content: title,
				Category: items.CategoryImportantMatter, Source: items.SourceBoard, LeadUnitID: &office,
				Deadline: civil.Today(time.UTC).AddDays(10)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, v.ID)
		}
		if err := log.Record(ctx, &sup, audit.LoginSucceeded, "user", sup.String(), nil); err != nil {
			t.Fatal(err)
		}
		// Tampered with before the upgrade: it must not be laundered by it.
		if err := db.Gorm().Exec("UPDATE item_events SET comment = 'x' WHERE item_id = ?", ids[1]).Error; err != nil {
			t.Fatal(err)
		}
		audit.UseChainKey(db, []byte("the-chain-key-of-this-test-0123456789"))
		if err := integrity.Seal(ctx, db); err != nil {
			t.Fatal(err)
		}
		rep, err := integrity.Verify(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Log.OK() || rep.Log.Events != 1 {
			t.Errorf("security log after sealing: %+v", rep.Log)
		}
		if len(rep.Timelines.Breaks) != 1 || rep.Timelines.Breaks[0].ItemID != ids[1] {
			t.Errorf("timelines after sealing: %+v", rep.Timelines.Breaks)
		}
		// Sealing again changes nothing.
		if err := integrity.Seal(ctx, db); err != nil {
			t.Fatal(err)
		}
	})
}
