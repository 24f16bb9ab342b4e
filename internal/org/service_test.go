package org_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/httpserver"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/problem"
)

// world is a small organisation: the group with one HQ department and one
// enterprise with an office, an admin and a member.
type world struct {
	env                        *apitest.Env
	svc                        *org.Service
	group, hqDept, ent, entOff uuid.UUID
	admin, member              *access.Principal
	adminID, memberID          uuid.UUID
}

func newWorld(t *testing.T, env *apitest.Env) *world {
	t.Helper()
	w := &world{env: env, svc: org.NewService(env.DB, audit.New(env.DB))}
	w.group = env.Unit("集团公司", "group", nil, false)
	w.hqDept = env.Unit("规划发展部", "department", &w.group, false)
	w.ent = env.Unit("华东电力有限公司", "enterprise", &w.group, false)
	w.entOff = env.Unit("办公室", "department", &w.ent, true)
	w.adminID = env.User("root.admin", w.group, access.RoleAdmin)
	w.memberID = env.User("plain.member", w.hqDept, access.RoleMember)
	w.admin, w.member = env.Principal(w.adminID), env.Principal(w.memberID)
	return w
}

func ptr[T any](v T) *T { return &v }

// wantProblem fails unless err is a problem with the status (and, when given, the
// field of its first error).
func wantProblem(t *testing.T, err error, status int, field string) *problem.Problem {
	t.Helper()
	var p *problem.Problem
	if !errors.As(err, &p) {
		t.Fatalf("error %v, want a %d problem", err, status)
	}
	if got := httpserver.StatusOf(err); got != status {
		t.Fatalf("status %d (%s), want %d", got, p.Detail, status)
	}
	if field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != field) {
		t.Fatalf("field errors %+v, want one on %s", p.Errors, field)
	}
	return p
}

func countUnits(t *testing.T, env *apitest.Env) int64 {
	t.Helper()
	var n int64
	if err := env.DB.Gorm().Table("org_units").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateRules(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		before := countUnits(t, env)

		_, err := w.svc.Create(ctx, w.admin, org.CreateInput{Name: "另一个集团", Kind: org.KindGroup})
		wantProblem(t, err, 422, "kind")
		_, err = w.svc.Create(ctx, w.admin, org.CreateInput{Name: "子企业", Kind: org.KindEnterprise, ParentID: &w.ent})
		wantProblem(t, err, 422, "parent_id")
		_, err = w.svc.Create(ctx, w.admin, org.CreateInput{Name: "处室", Kind: org.KindDepartment, ParentID: &w.hqDept})
		wantProblem(t, err, 422, "parent_id")
		_, err = w.svc.Create(ctx, w.admin, org.CreateInput{Name: "无主部门", Kind: org.KindDepartment})
		wantProblem(t, err, 422, "parent_id")
		_, err = w.svc.Create(ctx, w.admin, org.CreateInput{Name: "幽灵", Kind: org.KindDepartment, ParentID: ptr(uuid.New())})
		wantProblem(t, err, 422, "parent_id")
		_, err = w.svc.Create(ctx, w.admin, org.CreateInput{Name: "规划发展部", Kind: org.KindDepartment, ParentID: &w.group})
		wantProblem(t, err, 422, "name")
		_, err = w.svc.Create(ctx, w.admin, org.CreateInput{Name: "  ", Kind: "team", ParentID: &w.group})
		p := wantProblem(t, err, 422, "name")
		if len(p.Errors) != 2 {
			t.Fatalf("want errors on name and kind, got %+v", p.Errors)
		}
		_, err = w.svc.Create(ctx, w.member, org.CreateInput{Name: "财务部", Kind: org.KindDepartment, ParentID: &w.group})
		wantProblem(t, err, 403, "")
		if after := countUnits(t, env); after != before {
			t.Fatalf("refused creations wrote units: %d → %d", before, after)
		}

		ent, err := w.svc.Create(ctx, w.admin, org.CreateInput{Name: "西南能源有限公司", ShortName: "西南能源", Kind: org.KindEnterprise, ParentID: &w.group, SortOrder: 20})
		if err != nil {
			t.Fatal(err)
		}
		if ent.ScopeID != ent.ID || ent.Version != 1 || ent.ShortName != "西南能源" {
			t.Fatalf("enterprise: %+v", ent.Unit)
		}
		dept, err := w.svc.Create(ctx, w.admin, org.CreateInput{Name: "生产技术部", Kind: org.KindDepartment, ParentID: &ent.ID})
		if err != nil {
			t.Fatal(err)
		}
		if dept.ScopeID != ent.ID {
			t.Fatalf("department scope %s, want the enterprise %s", dept.ScopeID, ent.ID)
		}
		if n := env.AuditCount(audit.UnitCreated); n != 2 {
			t.Fatalf("%d unit_created events, want 2", n)
		}
	})
}

func TestTree(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		env.SetHead(w.entOff, w.adminID) // any user: the fixture bypasses the rule
		roots, total, err := w.svc.Tree(context.Background(), w.member)
		if err != nil {
			t.Fatal(err)
		}
		if total != 4 || len(roots) != 1 || roots[0].ID != w.group {
			t.Fatalf("tree: total %d, %d roots", total, len(roots))
		}
		kids := roots[0].Children
		if len(kids) != 2 {
			t.Fatalf("root has %d children, want 2", len(kids))
		}
		var ent *org.Node
		for _, k := range kids {
			if k.ID == w.ent {
				ent = k
			}
		}
		if ent == nil || len(ent.Children) != 1 || ent.Children[0].ID != w.entOff || len(ent.Children[0].Children) != 0 {
			t.Fatalf("enterprise node wrong: %+v", ent)
		}
		if h := ent.Children[0].Head; h == nil || h.ID != w.adminID {
			t.Fatalf("head not resolved: %+v", h)
		}
	})
}

func TestMoveAndScopes(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		u, err := w.svc.Get(ctx, w.admin, w.hqDept)
		if err != nil {
			t.Fatal(err)
		}
		// Cycles: the enterprise under its own office, the group under anything.
		_, err = w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{ParentID: &w.entOff})
		wantProblem(t, err, 422, "parent_id")
		_, err = w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{ParentID: &w.ent})
		wantProblem(t, err, 422, "parent_id")
		_, err = w.svc.Update(ctx, w.admin, w.group, org.UpdateInput{ParentID: &w.ent})
		wantProblem(t, err, 422, "parent_id")
		_, err = w.svc.Update(ctx, w.admin, w.group, org.UpdateInput{Kind: ptr(org.KindEnterprise)})
		wantProblem(t, err, 422, "kind")
		// An enterprise with departments cannot become a department.
		_, err = w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{Kind: ptr(org.KindDepartment)})
		wantProblem(t, err, 422, "kind")

		// Move the HQ department into the enterprise: its scope follows.
		moved, err := w.svc.Update(ctx, w.admin, w.hqDept, org.UpdateInput{ParentID: &w.ent, IfMatch: []int{u.Version}})
		if err != nil {
			t.Fatal(err)
		}
		if moved.ScopeID != w.ent || moved.Version != u.Version+1 {
			t.Fatalf("moved: scope %s version %d", moved.ScopeID, moved.Version)
		}
		// Stale version → 412; nothing changes.
		_, err = w.svc.Update(ctx, w.admin, w.hqDept, org.UpdateInput{Name: ptr("改名"), IfMatch: []int{u.Version}})
		wantProblem(t, err, 412, "")
		// Turn the office into an enterprise of the group: it becomes its own scope.
		off, err := w.svc.Update(ctx, w.admin, w.entOff, org.UpdateInput{Kind: ptr(org.KindEnterprise), ParentID: &w.group})
		if err != nil {
			t.Fatal(err)
		}
		if off.ScopeID != off.ID {
			t.Fatalf("new enterprise scope %s, want itself", off.ScopeID)
		}
		// Move the department under the new enterprise.
		d, err := w.svc.Update(ctx, w.admin, w.hqDept, org.UpdateInput{ParentID: &w.entOff})
		if err != nil {
			t.Fatal(err)
		}
		if d.ScopeID != w.entOff {
			t.Fatalf("department scope %s, want %s", d.ScopeID, w.entOff)
		}
		// Non-admins may not change the tree.
		_, err = w.svc.Update(ctx, w.member, w.hqDept, org.UpdateInput{Name: ptr("x")})
		wantProblem(t, err, 403, "")
		_, err = w.svc.Update(ctx, w.admin, uuid.New(), org.UpdateInput{Name: ptr("x")})
		wantProblem(t, err, 404, "")
	})
}

func TestSubtreeScopeRecompute(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		// The enterprise becomes a department of the group after its office moves out:
		// first move the office to the group, then change the enterprise's kind.
		if _, err := w.svc.Update(ctx, w.admin, w.entOff, org.UpdateInput{ParentID: &w.group, Name: ptr("华东办公室")}); err != nil {
			t.Fatal(err)
		}
		e, err := w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{Kind: ptr(org.KindDepartment)})
		if err != nil {
			t.Fatal(err)
		}
		if e.ScopeID != w.group {
			t.Fatalf("scope %s, want the group", e.ScopeID)
		}
		// And back: an enterprise again, and its office returns under it.
		if _, err := w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{Kind: ptr(org.KindEnterprise)}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Update(ctx, w.admin, w.entOff, org.UpdateInput{ParentID: &w.ent}); err != nil {
			t.Fatal(err)
		}
		off, _ := w.svc.Get(ctx, w.admin, w.entOff)
		if off.ScopeID != w.ent {
			t.Fatalf("office scope %s, want the enterprise", off.ScopeID)
		}
	})
}

func TestHeadAndLiaisons(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		entHead := env.User("ent.head", w.entOff, access.RoleMember)
		entLiaison := env.User("ent.liaison", w.entOff, access.RoleMember)
		gone := env.User("ent.gone", w.entOff, access.RoleMember)
		env.SetActive(gone, false)

		// A user outside the unit's subtree cannot head it; an inactive one neither.
		_, err := w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{HeadUserID: org.OptionalID{Set: true, ID: &w.memberID}})
		wantProblem(t, err, 422, "head_user_id")
		_, err = w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{HeadUserID: org.OptionalID{Set: true, ID: &gone}})
		wantProblem(t, err, 422, "head_user_id")
		_, err = w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{LiaisonUserIDs: []uuid.UUID{entLiaison, w.memberID}})
		wantProblem(t, err, 422, "liaison_user_ids")

		// A user of a descendant may head the enterprise.
		d, err := w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{
			HeadUserID:     org.OptionalID{Set: true, ID: &entHead},
			LiaisonUserIDs: []uuid.UUID{entLiaison, entHead, entLiaison},
		})
		if err != nil {
			t.Fatal(err)
		}
		if d.Head == nil || d.Head.ID != entHead || len(d.Liaisons) != 2 {
			t.Fatalf("head %+v liaisons %+v", d.Head, d.Liaisons)
		}
		p := env.Principal(entHead)
		if !p.IsHeadOrLiaison(w.ent) {
			t.Fatal("principal does not see the new head post")
		}
		// Replace the set; clear the head.
		d, err = w.svc.Update(ctx, w.admin, w.ent, org.UpdateInput{HeadUserID: org.OptionalID{Set: true}, LiaisonUserIDs: []uuid.UUID{}})
		if err != nil {
			t.Fatal(err)
		}
		if d.Head != nil || d.HeadUserID != nil || len(d.Liaisons) != 0 {
			t.Fatalf("after clearing: head %+v liaisons %+v", d.Head, d.Liaisons)
		}
	})
}

func TestDelete(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		ctx := context.Background()
		err := w.svc.Delete(ctx, w.admin, w.ent, nil)
		p := wantProblem(t, err, 409, "")
		if p.Code != org.CodeUnitInUse {
			t.Fatalf("code %s", p.Code)
		}
		err = w.svc.Delete(ctx, w.admin, w.hqDept, nil) // has the member
		wantProblem(t, err, 409, "")
		err = w.svc.Delete(ctx, w.member, w.entOff, nil)
		wantProblem(t, err, 403, "")
		err = w.svc.Delete(ctx, w.admin, w.entOff, []int{7})
		wantProblem(t, err, 412, "")

		// The hook: another package may refuse.
		w.svc.AddInUseCheck(func(_ context.Context, unit uuid.UUID) (string, error) {
			if unit == w.entOff {
				return "3 supervision items refer to it", nil
			}
			return "", nil
		})
		p = wantProblem(t, w.svc.Delete(ctx, w.admin, w.entOff, nil), 409, "")
		if reasons, _ := p.Extra["reasons"].([]string); len(reasons) != 1 {
			t.Fatalf("reasons %v", p.Extra["reasons"])
		}
		empty, err := w.svc.Create(ctx, w.admin, org.CreateInput{Name: "临时部门", Kind: org.KindDepartment, ParentID: &w.ent})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Delete(ctx, w.admin, empty.ID, []int{1}); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, w.svc.Delete(ctx, w.admin, empty.ID, nil), 404, "")
		if n := env.AuditCount(audit.UnitDeleted); n != 1 {
			t.Fatalf("%d unit_deleted events", n)
		}
	})
}

func TestEnsureRoot(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		ctx := context.Background()
		root, created, err := org.EnsureRoot(ctx, env.DB, audit.New(env.DB), org.RootName)
		if err != nil || !created || root.Kind != org.KindGroup || root.ScopeID != root.ID {
			t.Fatalf("first: %+v %v %v", root, created, err)
		}
		again, created, err := org.EnsureRoot(ctx, env.DB, nil, org.RootName)
		if err != nil || created || again.ID != root.ID {
			t.Fatalf("second: %+v %v %v", again, created, err)
		}
	})
}
