// Package statstest builds a small supervision history for the reporting tests
// (statistics, bulletins, assessment): items issued over several months, closed on
// time and late, overdue, urged, extended and failed at verification.
//
// Items are made through the items service (every rule holds); the history that
// only time could make — an item issued last month, closed two days early — is then
// written into their timestamps, because the items service still reads the system
// clock (once it reads cfg.Clock, moving a fake clock can build the same history).
package statstest

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/items"
)

// History is the fixture: the World and its items by name.
type History struct {
	W     *apitest.World
	Today civil.Date
	Loc   *time.Location
	Items map[string]uuid.UUID
}

// Build makes the history on env:
//
//	onTime     B leads, C cooperates; issued 40 days ago, closed 5 days ago, 3 days before its original deadline
//	late       B leads; issued 60 days ago, closed 10 days ago, 4 days after its original deadline; one failed verification
//	overdue    B leads; issued 30 days ago, deadline 5 days ago, in progress; two urges (manual, auto)
//	open       B leads; issued today, deadline in 20 days; an extension requested
//	lastYear   B leads; issued a year and a half ago, closed on time then, archived
//	cLeads     C leads, X cooperates (source group_meeting); issued 10 days ago, in progress
//	draft      B leads; a draft (never issued)
func Build(env *apitest.Env) *History {
	t := env.T
	t.Helper()
	w := apitest.NewWorld(env)
	h := &History{W: w, Loc: env.App.Config.Location, Items: map[string]uuid.UUID{}}
	ctx := context.Background()
	h.Today = env.App.Items.Today()
	for _, name := range []string{"onTime", "late", "overdue", "open", "lastYear"} {
		h.Items[name] = w.ItemInProgress("统计测试事项 "+name, 30)
	}
	h.Items["cLeads"] = h.item(env, "C 牵头事项", w.DeptC, []uuid.UUID{w.DeptX}, "group_meeting", true)
	h.Items["draft"] = h.item(env, "草稿事项", w.DeptB, nil, "board", false)

	day := func(n int) civil.Date { return h.Today.AddDays(n) }
	at := func(d civil.Date) time.Time { return d.In(h.Loc).Add(10 * time.Hour).UTC() }
	set := func(name string, cols map[string]any) {
		if err := env.DB.Gorm().Table("items").Where("id = ?", h.Items[name]).Updates(cols).Error; err != nil {
			t.Fatalf("history %s: %v", name, err)
		}
	}
	set("onTime", map[string]any{"issued_at": at(day(-40)), "deadline": day(-2), "original_deadline": day(-2),
		"state": "closed", "closed_at": at(day(-5)), "progress": 100})
	set("late", map[string]any{"issued_at": at(day(-60)), "deadline": day(-14), "original_deadline": day(-14),
		"state": "closed", "closed_at": at(day(-10)), "progress": 100})
	set("overdue", map[string]any{"issued_at": at(day(-30)), "deadline": day(-5), "original_deadline": day(-5)})
	set("open", map[string]any{"deadline": day(20), "original_deadline": day(20)})
	set("lastYear", map[string]any{"issued_at": at(day(-560)), "deadline": day(-500), "original_deadline": day(-500),
		"state": "archived", "closed_at": at(day(-510)), "archived_at": at(day(-505))})
	set("cLeads", map[string]any{"issued_at": at(day(-10))})

	sup := env.As(env.Login("sup"))
	sup.Do("POST", "/api/v1/items/"+h.Items["overdue"].String()+"/urges", map[string]any{"unit_id": w.DeptB.String(), "message": "请抓紧办理"}).Expect(201)
	auto := map[string]any{"id": uuid.Must(uuid.NewV7()), "item_id": h.Items["overdue"], "unit_id": w.DeptB, "kind": "auto",
		"message": "已超期", "created_at": at(day(-1)), "version": 1}
	if err := env.DB.Gorm().Table("item_urges").Create(auto).Error; err != nil {
		t.Fatalf("auto urge: %v", err)
	}
	headB := env.As(env.Login("headb"))
	headB.Do("POST", "/api/v1/items/"+h.Items["open"].String()+"/extensions",
		map[string]any{"requested_deadline": day(40).String(), "reason": "设备到货延迟"}).Expect(201)
	sup.Do("POST", "/api/v1/items/"+h.Items["late"].String()+"/verifications",
		map[string]any{"method": "document_review", "findings": "整改不到位", "result": "failed"}).Expect(201)
	// the failed verification reopened it: close it again, late as before
	set("late", map[string]any{"state": "closed", "closed_at": at(day(-10))})
	// the timestamps above were written around the items package: recount the
	// statistics rollup from them
	if err := env.App.Stats.Rebuild(ctx); err != nil {
		t.Fatalf("rebuild the statistics rollup: %v", err)
	}
	return h
}

func (h *History) item(env *apitest.Env, title string, lead uuid.UUID, coop []uuid.UUID, source string, issue bool) uuid.UUID {
	t := env.T
	t.Helper()
	svc := env.App.Items
	ctx := context.Background()
	sup := env.Principal(h.W.Sup)
	leader := h.W.Leader
	v, err := svc.Create(ctx, sup, items.ItemInput{Title: title, Content: title + "的内容", Category: items.CategoryImportantMatter,
		Source: items.Source(source), LeadUnitID: &lead, CooperatingUnitIDs: coop, SupervisingLeaderID: &leader,
		Deadline: svc.Today().AddDays(30)})
	if err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	if !issue {
		return v.ID
	}
	if _, err := svc.Act(ctx, sup, v.ID, items.ActSubmit, "", nil); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if _, err := svc.Issue(ctx, sup, v.ID, nil, "", nil); err != nil {
		t.Fatalf("issue: %v", err)
	}
	return v.ID
}

// Principal is a shorthand for env.Principal.
func Principal(env *apitest.Env, id uuid.UUID) *access.Principal { return env.Principal(id) }
