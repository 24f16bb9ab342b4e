package todo_test

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/comments"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/extensions"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/review"
	"github.com/duban/duban/internal/todo"
	"github.com/duban/duban/internal/urges"
)

// ref is one entry of a group: the item and the thing it names (uuid.Nil when the
// item itself is the thing).
type ref struct{ item, ref uuid.UUID }

// groups are the entries of every group.
type groups map[string]map[ref]bool

func (g groups) add(key string, item, r uuid.UUID) {
	if g[key] == nil {
		g[key] = map[ref]bool{}
	}
	g[key][ref{item, r}] = true
}

// rows are the follow-up records of one item.
type rows struct {
	feedback []feedback.Feedback
	urges    []urges.Urge
	ext      []extensions.Request
	cmp      []completion.Request
	comments []comments.Comment
	rejected bool // a reject on the item's timeline
}

func (w *world) rows(id uuid.UUID) rows {
	w.t.Helper()
	var r rows
	db := w.env.DB.Gorm()
	w.ok(db.Where("item_id = ?", id).Find(&r.feedback).Error)
	w.ok(db.Where("item_id = ?", id).Find(&r.urges).Error)
	w.ok(db.Where("item_id = ?", id).Find(&r.ext).Error)
	w.ok(db.Where("item_id = ?", id).Find(&r.cmp).Error)
	w.ok(db.Where("item_id = ?", id).Find(&r.comments).Error)
	var n int64
	w.ok(db.Table("item_events").Where("item_id = ? AND action = ?", id, string(items.ActReject)).Count(&n).Error)
	r.rejected = n > 0
	return r
}

// rules are the groups as the owning packages' Go rules give them to p, with each
// group's waiting condition (todo/groups.go).
func (w *world) rules(p *access.Principal, horizon civil.Date) groups {
	t := w.t
	t.Helper()
	g := groups{}
	for _, id := range w.all {
		it, asgs, err := w.items.Load(w.ctx, p, id, false)
		if status(err) == 404 {
			continue
		}
		w.ok(err)
		r := w.rows(id)
		acts := items.AllowedActions(p, it, asgs)
		if slices.Contains(acts, string(items.ActApprove)) {
			g.add(todo.KeyApprovals, id, uuid.Nil)
		}
		if slices.Contains(acts, string(items.ActIssue)) {
			g.add(todo.KeyToIssue, id, uuid.Nil)
		}
		if slices.Contains(acts, string(items.ActVerify)) && it.State == items.StateClosed && !it.Verified {
			g.add(todo.KeyVerificationsDue, id, uuid.Nil)
		}
		views, err := w.items.Views(w.ctx, p, []uuid.UUID{id})
		w.ok(err)
		if views[id].Overdue && items.AnswersFor(p, it, asgs) {
			g.add(todo.KeyOverdue, id, uuid.Nil)
		}
		if slices.Contains(acts, string(items.ActSubmit)) && it.State == items.StateDraft && r.rejected {
			g.add(todo.KeyDraftsReturned, id, uuid.Nil)
		}
		if slices.Contains(acts, string(items.ActRequestCompletion)) &&
			(it.ReopenedCount > 0 || slices.ContainsFunc(r.cmp, func(c completion.Request) bool { return c.State == review.Rejected })) &&
			!slices.ContainsFunc(r.cmp, func(c completion.Request) bool { return c.State.Open() }) {
			g.add(todo.KeyRework, id, uuid.Nil)
		}
		if items.IsLeadUnit(p, it) && items.Writes(p) && it.State.Running() {
			for _, c := range r.comments {
				if c.Kind == comments.KindInstruction && !slices.ContainsFunc(r.feedback, func(f feedback.Feedback) bool {
					return f.UnitID == *it.LeadUnitID && f.SubmittedAt != nil && !f.SubmittedAt.Before(c.CreatedAt)
				}) {
					g.add(todo.KeyInstructions, id, c.ID)
				}
			}
		}
		for i := range asgs {
			if a := &asgs[i]; a.Live() && a.ResponsibleUserID != nil && *a.ResponsibleUserID == p.UserID && it.State.Running() {
				g.add(todo.KeyMyAssignments, id, a.ID)
			}
		}
		if slices.Contains(acts, string(items.ActReassign)) {
			for _, a := range items.AwaitingReassign(asgs) {
				g.add(todo.KeyReturnedAssignments, id, a.ID)
			}
		}
		for i := range asgs {
			a := &asgs[i]
			if slices.Contains(items.AssignmentActions(p, it, asgs, a), string(items.ActAccept)) {
				g.add(todo.KeyAssignmentsToAccept, id, a.ID)
			}
			if a.Live() && feedback.CanCreate(p, it, asgs, a.UnitID) && slices.Contains(items.FeedbackDueStates(), it.State) &&
				w.dueBy(p, id, a.UnitID, horizon) && !slices.ContainsFunc(r.feedback, func(f feedback.Feedback) bool {
				return f.UnitID == a.UnitID && f.State.Open()
			}) {
				g.add(todo.KeyFeedbackToWrite, id, a.ID)
			}
		}
		for i := range r.feedback {
			f := &r.feedback[i]
			acts := feedback.AllowedActions(p, it, asgs, f)
			if slices.Contains(acts, feedback.ActSubmit) {
				g.add(todo.KeyFeedbackToSubmit, id, f.ID)
			}
			if slices.Contains(acts, feedback.ActAccept) {
				g.add(todo.KeyFeedbackToReview, id, f.ID)
			}
			if slices.Contains(acts, feedback.ActUpdate) && f.State == feedback.StateReturned && f.CreatedBy == p.UserID {
				g.add(todo.KeyFeedbackReturned, id, f.ID)
			}
		}
		for i := range r.urges {
			if slices.Contains(urges.AllowedActions(p, &r.urges[i]), urges.ActAcknowledge) {
				g.add(todo.KeyUrgesToAcknowledge, id, r.urges[i].ID)
			}
		}
		for _, x := range r.ext {
			v, err := w.ext.Get(w.ctx, p, x.ID)
			w.ok(err)
			if len(v.AllowedActions) > 0 && it.State.Open() {
				g.add(todo.KeyExtensionDecisions, id, x.ID)
			}
		}
		for _, c := range r.cmp {
			v, err := w.cmp.Get(w.ctx, p, c.ID)
			w.ok(err)
			if len(v.AllowedActions) > 0 {
				g.add(todo.KeyCompletionDecisions, id, c.ID)
			}
		}
	}
	return g
}

// dueBy reports whether the unit's next feedback, as feedback's own reads compute
// it, is due by the horizon.
func (w *world) dueBy(p *access.Principal, id, unit uuid.UUID, horizon civil.Date) bool {
	w.t.Helper()
	pg, err := w.fb.List(w.ctx, p, id, feedback.Filter{UnitID: &unit, Page: items.Page{Page: 1, Size: 1}})
	w.ok(err)
	return len(pg.Due) == 1 && pg.Due[0].NextDue != nil && !pg.Due[0].NextDue.After(horizon)
}

// sql are the groups as the to-do's queries give them to p, checked against the
// limited answer of For.
func (w *world) sql(p *access.Principal) groups {
	t := w.t
	t.Helper()
	g := groups{}
	limited, err := w.todo.For(w.ctx, p)
	w.ok(err)
	for i, key := range todo.Keys {
		all, err := w.todo.All(w.ctx, p, key)
		w.ok(err)
		for _, e := range all {
			r := uuid.Nil
			if e.RefID != nil {
				r = *e.RefID
				if e.RefType != todo.RefTypes[key] {
					t.Errorf("%s: ref type %q", key, e.RefType)
				}
			}
			if g[key][ref{e.ItemID, r}] {
				t.Errorf("%s of %s: %v listed twice", key, p.Username, e)
			}
			g.add(key, e.ItemID, r)
		}
		lg := limited[i]
		if lg.Key != key || lg.Count != len(all) || len(lg.Entries) != min(len(all), todo.Limit) {
			t.Errorf("%s of %s: For counts %d and shows %d; all are %d", key, p.Username, lg.Count, len(lg.Entries), len(all))
		}
		for j, e := range lg.Entries {
			if e.ItemID != all[j].ItemID || (e.RefID == nil) != (all[j].RefID == nil) || (e.RefID != nil && *e.RefID != *all[j].RefID) {
				t.Errorf("%s of %s: entry %d differs from the unlimited query", key, p.Username, j)
			}
		}
	}
	return g
}

func (w *world) titles() map[uuid.UUID]string {
	w.t.Helper()
	var rs []struct {
		ID    uuid.UUID `gorm:"type:uuid"`
		Title string
	}
	w.ok(w.env.DB.Gorm().Table("items").Select("id, title").Scan(&rs).Error)
	out := map[uuid.UUID]string{}
	for _, r := range rs {
		out[r.ID] = r.Title
	}
	return out
}

// covered checks that the world holds every state of everything the groups look at.
func (w *world) covered() {
	t := w.t
	t.Helper()
	distinct := func(table, col string) []string {
		var vs []string
		w.ok(w.env.DB.Gorm().Table(table).Distinct(col).Pluck(col, &vs).Error)
		slices.Sort(vs)
		return vs
	}
	want := func(what string, got []string, all ...string) {
		for _, s := range all {
			if !slices.Contains(got, s) {
				t.Errorf("the world has no %s %s (has %v)", what, s, got)
			}
		}
	}
	var st, src []string
	for _, s := range items.States {
		st = append(st, string(s))
	}
	for _, s := range append(slices.Clone(items.MatterSources), items.DocumentSources...) {
		src = append(src, string(s))
	}
	want("item state", distinct("items", "state"), st...)
	want("item source", distinct("items", "source"), src...)
	want("assignment state", distinct("item_assignments", "state"), items.AssignmentPending, items.AssignmentAccepted, items.AssignmentReturned)
	var fs []string
	for _, s := range feedback.States {
		fs = append(fs, string(s))
	}
	want("feedback state", distinct("item_feedback", "state"), fs...)
	want("extension state", distinct("extension_requests", "state"), "requested", "forwarded", "approved", "rejected")
	want("completion state", distinct("completion_requests", "state"), "requested", "forwarded", "approved", "rejected")
	var acked []bool
	w.ok(w.env.DB.Gorm().Table("item_urges").Select("acknowledged_at IS NOT NULL").Distinct().Pluck("acknowledged_at IS NOT NULL", &acked).Error)
	if len(acked) != 2 {
		t.Errorf("urges acknowledged: %v, want both", acked)
	}
}

// TestGroupsMatchRules: for every person of a generated world, every to-do group
// holds exactly what the owning package's Go rule allows them to do now and the
// group's waiting condition says is waiting (todo/groups.go); and Recipients
// names exactly the people whose group holds an entry.
func TestGroupsMatchRules(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		w.covered()
		cal, err := w.cal.Calendar(w.ctx)
		w.ok(err)
		horizon := cal.AddWorkdays(w.items.Today(), items.DefaultBlueWorkdays)
		title := w.titles()
		names := make([]string, 0, len(w.u))
		for n := range w.u {
			names = append(names, n)
		}
		sort.Strings(names)

		got := map[string]groups{}
		nonEmpty := map[string]int{}
		for _, n := range names {
			p := w.p(n)
			rules, sql := w.rules(p, horizon), w.sql(p)
			got[n] = sql
			for _, key := range todo.Keys {
				nonEmpty[key] += len(sql[key])
				var missing, extra []string
				for r := range rules[key] {
					if !sql[key][r] {
						missing = append(missing, title[r.item])
					}
				}
				for r := range sql[key] {
					if !rules[key][r] {
						extra = append(extra, title[r.item])
					}
				}
				if len(missing)+len(extra) > 0 {
					t.Errorf("%s of %s: the query misses %v and adds %v", key, n, missing, extra)
				}
			}
		}
		for _, key := range todo.Keys {
			if nonEmpty[key] == 0 {
				t.Errorf("the world leaves %s empty for everyone", key)
			}
		}
		// The list is the person's: a read-only token shows the same.
		for _, n := range []string{"sup2", "headb", "leader2"} {
			p := w.p(n)
			p.TokenScopes = []string{access.ScopeRead}
			ro := w.sql(p)
			for _, key := range todo.Keys {
				if !maps.Equal(ro[key], got[n][key]) {
					t.Errorf("%s of %s: a read-only token shows %d, the session %d", key, n, len(ro[key]), len(got[n][key]))
				}
			}
		}
		if t.Failed() {
			return
		}

		// Recipients: for every item, and every thing a group may name on it, the
		// people whose group holds it.
		for _, id := range w.all {
			r := w.rows(id)
			var asgs []uuid.UUID
			w.ok(env.DB.Gorm().Table("item_assignments").Where("item_id = ?", id).Pluck("id", &asgs).Error)
			refs := map[string][]uuid.UUID{todo.RefAssignment: asgs}
			for _, f := range r.feedback {
				refs[todo.RefFeedback] = append(refs[todo.RefFeedback], f.ID)
			}
			for _, u := range r.urges {
				refs[todo.RefUrge] = append(refs[todo.RefUrge], u.ID)
			}
			for _, x := range r.ext {
				refs[todo.RefExtension] = append(refs[todo.RefExtension], x.ID)
			}
			for _, c := range r.cmp {
				refs[todo.RefCompletion] = append(refs[todo.RefCompletion], c.ID)
			}
			for _, c := range r.comments {
				refs[todo.RefComment] = append(refs[todo.RefComment], c.ID)
			}
			for _, key := range todo.Keys {
				asks := []*uuid.UUID{nil}
				for _, x := range refs[todo.RefTypes[key]] {
					asks = append(asks, &x)
				}
				for _, x := range asks {
					want := []string{}
					for _, n := range names {
						for e := range got[n][key] {
							if e.item == id && (x == nil || e.ref == *x) {
								want = append(want, n)
								break
							}
						}
					}
					ids, err := w.todo.Recipients(w.ctx, key, id, x)
					w.ok(err)
					gotNames := []string{}
					for _, u := range ids {
						n := "unknown " + u.String()
						for name, nid := range w.u {
							if nid == u {
								n = name
							}
						}
						gotNames = append(gotNames, n)
					}
					sort.Strings(gotNames)
					if !slices.Equal(gotNames, want) {
						t.Errorf("recipients of %s on %s (ref %v): %s, want %s", key, title[id], x != nil,
							strings.Join(gotNames, ","), strings.Join(want, ","))
					}
				}
			}
		}
	})
}
