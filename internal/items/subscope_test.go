package items_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/items"
)

// TestServiceSubItemStaysInOwnScope: the head of an enterprise that leads a group
// item hands sub-items down only into the enterprise's own scope; a sibling
// enterprise's scope or the group's own scope is refused on scope_id (issue 14,
// point 3), while the group's supervision office may still place one anywhere
// under the parent.
func TestServiceSubItemStaysInOwnScope(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := w.ctx
		in := w.draft(items.SourceGroupMeeting)
		in.LeadUnitID, in.CooperatingUnitIDs = &w.Ent, []uuid.UUID{w.DeptB}
		parent := must(w.svc.Create(ctx, w.p(w.Sup), in))(t)
		must(w.svc.Act(ctx, w.p(w.Sup), parent.ID, items.ActSubmit, "", nil))(t)
		parent = must(w.svc.Issue(ctx, w.p(w.Sup), parent.ID, nil, "", nil))(t)

		sub := func(scope *uuid.UUID, lead, leader uuid.UUID) items.ItemInput {
			return items.ItemInput{Title: "分解事项", Content: "分解", Category: items.CategoryImportantMatter,
				Source: items.SourceOther, LeadUnitID: &lead, SupervisingLeaderID: &leader,
				Deadline: today().AddDays(20), ParentID: &parent.ID, ScopeID: scope}
		}
		for _, c := range []struct {
			name  string
			scope *uuid.UUID
			lead  uuid.UUID
		}{
			{"a sibling enterprise", &w.Ent2, w.Ent2},
			{"the group's own scope", &w.Group, w.DeptA},
		} {
			p := wantStatus(t, ignore(w.svc.Create(ctx, w.p(w.EntHead), sub(c.scope, c.lead, w.Leader))), 422)
			if len(p.Errors) == 0 || p.Errors[0].Field != "scope_id" {
				t.Errorf("%s: errors %+v, want scope_id", c.name, p.Errors)
			}
		}
		// Without scope_id the lead enterprise's sub-item lands in its own scope.
		own := must(w.svc.Create(ctx, w.p(w.EntHead), sub(nil, w.EntDept, w.EntLeader)))(t)
		if own.ScopeID != w.Ent {
			t.Fatalf("the lead enterprise's sub-item is in scope %s, want %s", own.ScopeID, w.Ent)
		}
		// The sibling enterprise's people never see it.
		wantStatus(t, ignore(w.svc.Get(ctx, w.p(w.Ent2Sup), own.ID)), 404)
		// The group's supervision office may hand down to any enterprise under it.
		ent2Leader := env.User("ent2leader", w.Ent2, access.RoleLeader)
		must(w.svc.Create(ctx, w.p(w.Sup), sub(&w.Ent2, w.Ent2, ent2Leader)))(t)
	})
}
