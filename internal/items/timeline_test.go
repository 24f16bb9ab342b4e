package items_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/items"
)

// TestVerifyChainFindsTampering edits, removes and truncates timeline rows behind the
// application's back and expects VerifyChain to name the item and the event.
func TestVerifyChainFindsTampering(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		v, _ := w.running(t) // create, submit, approve, issue, accept: 5 events
		other := must(w.svc.Create(w.ctx, w.p(w.Member), w.draft(items.SourceOther)))(t)
		db := env.DB.Gorm()
		verify := func() *items.ChainReport {
			t.Helper()
			return must(items.VerifyChain(w.ctx, env.DB))(t)
		}
		rep := verify()
		if !rep.OK() || rep.Items != 2 || rep.Events != 6 {
			t.Fatalf("clean chain: %+v", rep)
		}
		evs := must(w.svc.ListEvents(w.ctx, w.p(w.Sup), v.ID, items.Page{Page: 1, Size: 100}))(t).Events
		for i, e := range evs {
			if e.Seq != i+1 || (i > 0 && e.PrevHash != evs[i-1].Hash) || e.Hash != items.EventHash(audit.ChainKeyOf(env.DB), &e) {
				t.Fatalf("event %d does not chain: %+v", i+1, e)
			}
		}
		expectBreak := func(what string, seq int, reason string) {
			t.Helper()
			rep := verify()
			if len(rep.Breaks) != 1 {
				t.Fatalf("%s: breaks %+v", what, rep.Breaks)
			}
			b := rep.Breaks[0]
			if b.ItemID != v.ID || b.Seq != seq || !strings.Contains(b.Reason, reason) || b.Code != *v.Code {
				t.Fatalf("%s: break %+v, want item %s seq %d (%s)", what, b, v.ID, seq, reason)
			}
		}
		exec := func(sql string, args ...any) {
			t.Helper()
			if err := db.Exec(sql, args...).Error; err != nil {
				t.Fatal(err)
			}
		}
		// Edit the approval's comment.
		exec("UPDATE item_events SET comment = ? WHERE id = ?", "同意（篡改）", evs[2].ID)
		expectBreak("edited", 3, "edited")
		exec("UPDATE item_events SET comment = ? WHERE id = ?", evs[2].Comment, evs[2].ID)
		if !verify().OK() {
			t.Fatal("restored chain still broken")
		}
		// Edit the actor and recompute the event's own hash: the next link breaks.
		exec("UPDATE item_events SET actor_id = ? WHERE id = ?", uuid.New(), evs[1].ID)
		forged := evs[1]
		if err := db.Table("item_events").Where("id = ?", forged.ID).Take(&forged).Error; err != nil {
			t.Fatal(err)
		}
		exec("UPDATE item_events SET hash = ? WHERE id = ?", items.EventHash(audit.ChainKeyOf(env.DB), &forged), forged.ID)
		expectBreak("re-hashed", 3, "prev_hash")
		exec("UPDATE item_events SET actor_id = ?, hash = ? WHERE id = ?", evs[1].ActorID, evs[1].Hash, evs[1].ID)
		// Remove an event in the middle.
		exec("DELETE FROM item_events WHERE id = ?", evs[1].ID)
		expectBreak("deleted", 2, "missing")
		// Remove the newest event (with the middle one still gone, the first break
		// is still seq 2); put the middle one back first.
		if err := db.Create(&evs[1]).Error; err != nil {
			t.Fatal(err)
		}
		if !verify().OK() {
			t.Fatal("re-inserted chain still broken")
		}
		exec("DELETE FROM item_events WHERE id = ?", evs[len(evs)-1].ID)
		expectBreak("truncated", 0, "chain head")
		// The untouched item stays fine.
		if rep := verify(); rep.Breaks[0].ItemID == other.ID {
			t.Fatal("the other item was blamed")
		}
	})
}

// Issue 14 §7: whoever can write the database could recompute a whole timeline
// (the hash was an unkeyed sha256) and rewrite history undetected. The chain is
// keyed now with a secret kept outside the database: a chain recomputed without
// the key is found.
func TestTimelineRecomputedWithoutTheKeyIsFound(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		if len(audit.ChainKeyOf(env.DB)) == 0 {
			t.Fatal("the application runs without a chain key")
		}
		w := newWorld(t, env)
		v, _ := w.running(t)
		var evs []items.Event
		if err := env.DB.Gorm().Where("item_id = ?", v.ID).Order("seq").Find(&evs).Error; err != nil {
			t.Fatal(err)
		}
		// Rewrite the approval's comment and re-chain every event after it, as an
		// attacker with write access to the database would.
		evs[2].Comment = "同意（事后改写）"
		prev := ""
		for i := range evs {
			evs[i].PrevHash = prev
			evs[i].Hash = items.EventHash(nil, &evs[i])
			prev = evs[i].Hash
			if err := env.DB.Gorm().Model(&items.Event{}).Where("id = ?", evs[i].ID).
				Updates(map[string]any{"comment": evs[i].Comment, "prev_hash": evs[i].PrevHash, "hash": evs[i].Hash}).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := env.DB.Gorm().Table("items").Where("id = ?", v.ID).Update("last_event_hash", prev).Error; err != nil {
			t.Fatal(err)
		}
		rep := must(items.VerifyChain(w.ctx, env.DB))(t)
		if len(rep.Breaks) != 1 || rep.Breaks[0].ItemID != v.ID || rep.Breaks[0].Seq != 1 ||
			!strings.Contains(rep.Breaks[0].Reason, "without the chain key") {
			t.Fatalf("a timeline rewritten without the key: %+v", rep.Breaks)
		}
	})
}
