package items_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/items"
)

// wnItem is the part of an item read these tests look at.
type wnItem struct {
	ID                  uuid.UUID `json:"id"`
	Light               string    `json:"light"`
	Overdue             bool      `json:"overdue"`
	WarningCleared      bool      `json:"warning_cleared"`
	WarningClearedLight *string   `json:"warning_cleared_light"`
	WarningClearReason  *string   `json:"warning_clear_reason"`
	WarningClearedBy    *string   `json:"warning_cleared_by"`
	AllowedActions      []string  `json:"allowed_actions"`
	Version             int       `json:"version"`
}

func wnGet(env *apitest.Env, id uuid.UUID) wnItem {
	env.T.Helper()
	var it wnItem
	env.Do("GET", "/api/v1/items/"+id.String(), nil).Expect(200).JSON(&it)
	return it
}

// wnList lists the ids of a query, sorted.
func wnList(env *apitest.Env, q string) []uuid.UUID {
	env.T.Helper()
	var pg struct {
		Data  []wnItem `json:"data"`
		Total int      `json:"total"`
	}
	env.Do("GET", "/api/v1/items?page_size=100&"+q, nil).Expect(200).JSON(&pg)
	out := make([]uuid.UUID, len(pg.Data))
	for i, it := range pg.Data {
		out[i] = it.ID
	}
	if pg.Total != len(out) {
		env.T.Fatalf("%s: total %d, listed %d", q, pg.Total, len(out))
	}
	slices.SortFunc(out, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return out
}

// wnLightsAgree checks that every light filter lists exactly the items whose read
// shows that light.
func wnLightsAgree(t *testing.T, env *apitest.Env, all []uuid.UUID) {
	t.Helper()
	want := map[string][]uuid.UUID{}
	for _, id := range all {
		l := wnGet(env, id).Light
		want[l] = append(want[l], id)
	}
	for _, l := range items.Lights {
		w := want[l]
		slices.SortFunc(w, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
		if got := wnList(env, "light="+l); !slices.Equal(got, w) && !(len(got) == 0 && len(w) == 0) {
			t.Errorf("light=%s lists %v, reads say %v", l, got, w)
		}
	}
}

// wnPass makes days pass on the application's clock and signs the user in again
// (the session ran out meanwhile).
func wnPass(env *apitest.Env, days int, user string) *apitest.Env {
	env.T.Helper()
	env.Clock.Advance(time.Duration(days) * 24 * time.Hour)
	return env.As(env.Login(user))
}

// TestHTTPClearWarning: the supervision office clears a light with a reason (摘牌);
// the item shows green with warning_cleared until the underlying light gets worse
// or the deadline moves; the light filter agrees with the reads at every step;
// only the office may clear (403), others who cannot see get 404. Time passes on
// the application's clock; the deadline moves through the office's endpoint.
func TestHTTPClearWarning(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		// The red item was registered 32 days ago with 30 days to go.
		now := env.Clock.Now()
		env.Clock.Set(now.AddDate(0, 0, -32))
		red := w.ItemInProgress("逾期事项", 30)
		env.Clock.Set(now)
		sup := env.As(env.Login("sup"))
		// The units' monthly reports are not the point here (the red item's are
		// due by now): a grace covers them.
		env.As(env.Login("admin1")).Do("PUT", "/api/v1/settings/warnings", map[string]int{"feedback_grace_workdays": 30}).Expect(200)
		today := env.App.Items.Today()
		blue := w.ItemInProgress("临近期限事项", 1)
		green := w.ItemInProgress("正常推进事项", 90)
		all := []uuid.UUID{red, blue, green}
		wnLightsAgree(t, sup, all)
		if l := wnGet(sup, red).Light; l != "red" {
			t.Fatalf("red item shows %s", l)
		}
		if !slices.Contains(wnGet(sup, red).AllowedActions, "clear_warning") {
			t.Errorf("the office is not offered clear_warning on a red item")
		}
		if slices.Contains(wnGet(sup, green).AllowedActions, "clear_warning") {
			t.Errorf("clear_warning offered on a green item")
		}
		path := func(id uuid.UUID) string { return "/api/v1/items/" + id.String() + "/clear-warning" }
		reason := map[string]string{"reason": "受上级政策调整影响，属客观原因"}

		// Who may: 404 for those who cannot see, 403 for those who can but are not
		// the office.
		env.As(env.Login("stranger")).Do("POST", path(red), reason).Problem(404, "not_found")
		for _, u := range []string{"headb", "leader", "auditor", "memberc"} {
			if !slices.Contains(wnGet(env.As(env.Login(u)), red).AllowedActions, "clear_warning") {
				env.As(env.Login(u)).Do("POST", path(red), reason).Problem(403, "forbidden")
			} else {
				t.Errorf("%s is offered clear_warning", u)
			}
		}
		// Validation, state and light.
		sup.Do("POST", path(red), map[string]string{"reason": "  "}).Problem(422, "validation_failed")
		sup.Do("POST", path(red), nil).Problem(422, "validation_failed")
		sup.Do("POST", path(green), reason).Problem(409, items.CodeNoWarning)
		sup.Do("POST", path(red), reason, "If-Match", `"999"`).Problem(412, "precondition_failed")
		draft, err := env.App.Items.Create(context.Background(), env.Principal(w.Sup), items.ItemInput{
			Title: "草稿", Content: "内容", Category: items.CategoryImportantMatter, Source: items.SourceBoard,
			LeadUnitID: &w.DeptB, Deadline: today.AddDays(1)})
		if err != nil {
			t.Fatal(err)
		}
		sup.Do("POST", path(draft.ID), reason).Problem(409, "invalid_transition")
		all = append(all, draft.ID)

		// Clear the red light.
		var cleared wnItem
		sup.Do("POST", path(red), reason, "If-Match", `"`+strconv.Itoa(wnGet(sup, red).Version)+`"`).Expect(200).JSON(&cleared)
		if cleared.Light != "green" || !cleared.WarningCleared || cleared.WarningClearedLight == nil || *cleared.WarningClearedLight != "red" ||
			cleared.WarningClearReason == nil || *cleared.WarningClearReason != reason["reason"] || cleared.WarningClearedBy == nil ||
			*cleared.WarningClearedBy != w.Sup.String() || !cleared.Overdue {
			t.Fatalf("after clearing: %+v", cleared)
		}
		if slices.Contains(cleared.AllowedActions, "clear_warning") {
			t.Errorf("clear_warning still offered after clearing")
		}
		sup.Do("POST", path(red), reason).Problem(409, items.CodeNoWarning)
		// Others read the same.
		if it := wnGet(env.As(env.Login("headb")), red); it.Light != "green" || !it.WarningCleared {
			t.Errorf("the lead unit reads %+v", it)
		}
		if got := wnList(sup, "overdue=true"); !slices.Equal(got, []uuid.UUID{red}) {
			t.Errorf("a cleared item is still overdue: overdue=true lists %v", got)
		}
		wnLightsAgree(t, sup, all)
		// The timeline records it.
		var evs struct {
			Data []struct {
				Action  string         `json:"action"`
				Comment string         `json:"comment"`
				Changes map[string]any `json:"changes"`
			} `json:"data"`
		}
		sup.Do("GET", "/api/v1/items/"+red.String()+"/events?page_size=100", nil).Expect(200).JSON(&evs)
		last := evs.Data[len(evs.Data)-1]
		if last.Action != items.EvClearWarning || last.Comment != reason["reason"] || last.Changes["light"] == nil {
			t.Errorf("last event: %+v", last)
		}

		// Blue cleared; a missed milestone makes it yellow (worse): it shows again,
		// and can be cleared again; overdue makes it red.
		sup.Do("POST", path(blue), map[string]string{"reason": "已协调解决"}).Expect(200)
		if it := wnGet(sup, blue); it.Light != "green" || !it.WarningCleared || *it.WarningClearedLight != "blue" {
			t.Fatalf("blue cleared: %+v", it)
		}
		wnLightsAgree(t, sup, all)
		var ms struct {
			ID uuid.UUID `json:"id"`
		}
		sup.Do("POST", "/api/v1/items/"+blue.String()+"/milestones", map[string]string{"title": "节点一", "due_date": today.String()}).Expect(201).JSON(&ms)
		// A day later the milestone is missed (and the deadline is today).
		sup = wnPass(env, 1, "sup")
		if it := wnGet(sup, blue); it.Light != "yellow" || it.WarningCleared {
			t.Fatalf("worse than the cleared light: %+v", it)
		}
		wnLightsAgree(t, sup, all)
		sup.Do("POST", path(blue), map[string]string{"reason": "节点调整已报领导同意"}).Expect(200)
		if it := wnGet(sup, blue); it.Light != "green" || *it.WarningClearedLight != "yellow" {
			t.Fatalf("yellow cleared: %+v", it)
		}
		wnLightsAgree(t, sup, all)
		// Another day: past the deadline.
		sup = wnPass(env, 1, "sup")
		if it := wnGet(sup, blue); it.Light != "red" || it.WarningCleared {
			t.Fatalf("overdue after a cleared yellow: %+v", it)
		}
		wnLightsAgree(t, sup, all)

		// The red item is still cleared, two days on. A moved deadline ends the
		// clearing: the office sets a new one on a leader's decision, due in two
		// days (blue, not cleared).
		if it := wnGet(sup, red); it.Light != "green" || !it.WarningCleared {
			t.Fatalf("cleared red, two days on: %+v", it)
		}
		moved := env.App.Items.Today().AddDays(2)
		sup.Do("POST", "/api/v1/items/"+red.String()+"/deadline", map[string]any{"deadline": moved.String(),
			"leader_id": w.Leader, "decision_note": "经领导同意调整期限"}).Expect(200)
		if it := wnGet(sup, red); it.Light != "blue" || it.WarningCleared || it.Overdue {
			t.Fatalf("deadline moved: %+v", it)
		}
		wnLightsAgree(t, sup, all)
		// Past the new deadline the item is red again and not cleared, though no
		// worse than the light cleared: the clearing belongs to the deadline it
		// was made against (TestClearingHoldsForItsDeadline), and the office may
		// clear again.
		sup = wnPass(env, 3, "sup")
		if it := wnGet(sup, red); it.Light != "red" || it.WarningCleared || !it.Overdue {
			t.Fatalf("past the moved deadline: %+v", it)
		}
		wnLightsAgree(t, sup, all)
		sup.Do("POST", path(red), map[string]string{"reason": "新期限内确有客观困难"}).Expect(200)
		if it := wnGet(sup, red); it.Light != "green" || !it.WarningCleared || *it.WarningClearedLight != "red" {
			t.Fatalf("cleared against the new deadline: %+v", it)
		}
		wnLightsAgree(t, sup, all)
		// Other filters keep working together with the light.
		if got := wnList(sup, "light=green&lead_unit_id="+w.DeptB.String()+"&state=in_progress"); len(got) != 2 {
			t.Errorf("green in progress led by B: %v", got)
		}
	})
}

// TestHTTPMissedFeedbackLight: a missed feedback (a live assignment's
// next_feedback_due, plus the grace of the warning settings, before today) turns
// the light yellow while the item is issued or in progress; a report moves the due
// date on; the light filter agrees with the reads at every step. Time passes on
// the application's clock.
func TestHTTPMissedFeedbackLight(t *testing.T) {
	t.Parallel()
	apitest.EachClocked(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		now := env.Clock.Now()
		env.Clock.Set(now.AddDate(0, 0, -40))
		late := w.ItemInProgress("月报逾期事项", 130)
		if l := wnGet(env.As(env.Login("sup")), late).Light; l != "green" {
			t.Fatalf("just issued, monthly: %s", l)
		}
		// Forty days later, monthly, never reported: missed.
		env.Clock.Set(now)
		sup := env.As(env.Login("sup"))
		admin := env.As(env.Login("admin1"))
		fine := w.ItemInProgress("月报正常事项", 90)
		all := []uuid.UUID{late, fine}
		if l := wnGet(sup, late).Light; l != "yellow" {
			t.Fatalf("missed monthly feedback: %s", l)
		}
		if l := wnGet(sup, fine).Light; l != "green" {
			t.Fatalf("other item: %s", l)
		}
		wnLightsAgree(t, sup, all)

		// A grace of 30 working days covers the ten days late.
		admin.Do("PUT", "/api/v1/settings/warnings", map[string]int{"feedback_grace_workdays": 30}).Expect(200)
		if l := wnGet(sup, late).Light; l != "green" {
			t.Fatalf("within the grace: %s", l)
		}
		wnLightsAgree(t, sup, all)
		admin.Do("PUT", "/api/v1/settings/warnings", map[string]int{"feedback_grace_workdays": 0}).Expect(200)
		if l := wnGet(sup, late).Light; l != "yellow" {
			t.Fatalf("grace back to 0: %s", l)
		}

		// Suspended: the clock is paused, nothing is missed.
		ctx := context.Background()
		if _, err := env.App.Items.Act(ctx, env.Principal(w.Sup), late, items.ActSuspend, "等待上级批复", nil); err != nil {
			t.Fatal(err)
		}
		if l := wnGet(sup, late).Light; l != "green" {
			t.Fatalf("suspended: %s", l)
		}
		wnLightsAgree(t, sup, all)
		if _, err := env.App.Items.Act(ctx, env.Principal(w.Sup), late, items.ActResume, "", nil); err != nil {
			t.Fatal(err)
		}
		if l := wnGet(sup, late).Light; l != "yellow" {
			t.Fatalf("resumed: %s", l)
		}
		wnLightsAgree(t, sup, all)

		// The lead unit reports: its next report is due in a month; the
		// cooperating unit has still missed its own.
		headb := env.As(env.Login("headb"))
		headb.Do("POST", "/api/v1/items/"+late.String()+"/feedback",
			map[string]any{"progress": 40, "content": "按计划推进", "unit_id": w.DeptB, "submit": true}).Expect(201)
		if l := wnGet(sup, late).Light; l != "yellow" {
			t.Fatalf("lead reported, cooperating unit still late: %s", l)
		}
		headc := env.As(env.Login("headc"))
		headc.Do("POST", "/api/v1/items/"+late.String()+"/feedback",
			map[string]any{"progress": 40, "content": "配合完成", "unit_id": w.DeptC, "submit": true}).Expect(201)
		if l := wnGet(sup, late).Light; l != "green" {
			t.Fatalf("every unit reported: %s", l)
		}
		wnLightsAgree(t, sup, all)
	})
}
