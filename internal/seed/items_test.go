package seed_test

import (
	"context"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/seed"
	"github.com/duban/duban/internal/users"
)

// seeded is a demo on a fresh application: the organisation and the items, made
// as `duban seed --demo` makes them, with the files where the app keeps uploads.
type seeded struct {
	org   *seed.Result
	items *seed.ItemsResult
	files attachments.LocalStorage
	cal   *calendar.Service
}

func seedAll(t *testing.T, env *apitest.Env) *seeded {
	t.Helper()
	ctx := t.Context()
	log := audit.New(env.DB)
	if err := users.Bootstrap(ctx, env.DB, log, "Bootstrap-2026"); err != nil {
		t.Fatal(err)
	}
	org, err := seed.Demo(ctx, env.DB, log)
	if err != nil {
		t.Fatal(err)
	}
	s := &seeded{org: org, files: attachments.LocalStorage{Dir: filepath.Join(env.App.Config.DataDir, "files")},
		cal: calendar.NewService(env.DB, env.App.Config.Location, env.App.Config.Clock)}
	s.items, err = seed.DemoItems(ctx, env.DB, log, org, seed.ItemOptions{Calendar: s.cal, Files: s.files})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rowCounts counts the rows of every table.
func rowCounts(t *testing.T, db *database.DB) map[string]int64 {
	t.Helper()
	tables, err := db.Gorm().Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, name := range tables {
		var n int64
		if err := db.Gorm().Table(name).Count(&n).Error; err != nil {
			t.Fatalf("count %s: %v", name, err)
		}
		out[name] = n
	}
	return out
}

func distinct(t *testing.T, db *database.DB, table, col string) []string {
	t.Helper()
	var out []string
	if err := db.Gorm().Table(table).Distinct(col).Pluck(col, &out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDemoItems seeds the whole demo on both engines and checks, in order, that it
// holds what a newcomer should find and that the timelines verify; that each main
// user's to-do list shows their part; that a second run writes nothing; and that
// the waiting completion request goes through the real service.
func TestDemoItems(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		s := seedAll(t, env)
		t.Run("contents", func(t *testing.T) { checkContents(t, env, s) })
		t.Run("todo", func(t *testing.T) { checkTodo(t, env) })
		t.Run("second run writes nothing", func(t *testing.T) { checkSecondRun(t, env, s) })
		t.Run("completion request reviewable", func(t *testing.T) { checkCompletionReviewable(t, env, s) })
	})
}

// checkContents: every state, light and follow-up record the demo promises.
func checkContents(t *testing.T, env *apitest.Env, s *seeded) {
	ctx := t.Context()
	if s.items.AlreadySeeded || s.items.Made.Items != len(s.items.Items) || s.items.Made.Items < 20 {
		t.Fatalf("made %+v, %d keyed items", s.items.Made, len(s.items.Items))
	}
	m := s.items.Made
	if m.Feedback == 0 || m.Urges == 0 || m.Comments == 0 || m.Extensions == 0 || m.CompletionRequests == 0 ||
		m.Verifications == 0 || m.Attachments == 0 || m.WarningsCleared == 0 {
		t.Fatalf("made %+v", m)
	}
	counts := rowCounts(t, env.DB)
	for table, want := range map[string]int{"items": m.Items, "item_feedback": m.Feedback, "item_urges": m.Urges,
		"item_comments": m.Comments, "extension_requests": m.Extensions, "completion_requests": m.CompletionRequests,
		"verifications": m.Verifications, "attachments": m.Attachments, "item_warning_clears": m.WarningsCleared} {
		if counts[table] != int64(want) {
			t.Errorf("%s: %d rows, made %d", table, counts[table], want)
		}
	}

	// Every item state, every light, every feedback state, an acknowledged
	// urge and one not, both completion outcomes, both verification results.
	states := distinct(t, env.DB, "items", "state")
	for _, st := range items.States {
		if !slices.Contains(states, string(st)) {
			t.Errorf("no demo item in state %s", st)
		}
	}
	itemsSvc := env.App.Items
	office := env.Principal(s.org.Users["duban"])
	for _, l := range items.Lights {
		pg, err := itemsSvc.List(ctx, office, items.Filter{Light: l, Page: items.Page{Page: 1, Size: 50}})
		if err != nil || pg.Total == 0 {
			t.Errorf("no demo item with light %s (%v)", l, err)
		}
	}
	for table, want := range map[string][]string{
		"item_feedback":       {"draft", "submitted", "accepted", "returned"},
		"extension_requests":  {"approved", "forwarded"},
		"completion_requests": {"requested", "forwarded", "approved", "rejected"},
		"verifications":       {"passed", "failed"},
	} {
		col := "state"
		if table == "verifications" {
			col = "result"
		}
		got := distinct(t, env.DB, table, col)
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: no %s %s (have %v)", table, col, w, got)
			}
		}
	}
	var acked, open int64
	env.DB.Gorm().Table("item_urges").Where("acknowledged_at IS NOT NULL").Count(&acked)
	env.DB.Gorm().Table("item_urges").Where("acknowledged_at IS NULL").Count(&open)
	if acked == 0 || open == 0 {
		t.Errorf("urges: %d acknowledged, %d not", acked, open)
	}
	if kinds := distinct(t, env.DB, "item_comments", "kind"); len(kinds) != 3 {
		t.Errorf("comment kinds %v", kinds)
	}

	get := func(key string) *items.ItemView {
		t.Helper()
		id, ok := s.items.Items[key]
		if !ok {
			t.Fatalf("no demo item %s", key)
		}
		v, err := itemsSvc.Get(ctx, office, id)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		return v
	}
	today := s.cal.Today()
	if v := get(seed.ItemOverdue); !v.Overdue || v.Light != items.LightRed || !v.Deadline.Before(today) {
		t.Errorf("overdue item: overdue %v, light %s, deadline %s", v.Overdue, v.Light, v.Deadline)
	}
	if v := get(seed.ItemMissedMilestone); v.Light != items.LightYellow {
		t.Errorf("missed milestone: light %s", v.Light)
	}
	if v := get(seed.ItemExtended); !v.Deadline.After(v.OriginalDeadline) {
		t.Errorf("extended: deadline %s, original %s", v.Deadline, v.OriginalDeadline)
	}
	if v := get(seed.ItemWarningCleared); v.Light != items.LightGreen || v.Clear == nil || v.UnderlyingLight != items.LightBlue {
		t.Errorf("cleared: light %s over %s, clear %v", v.Light, v.UnderlyingLight, v.Clear)
	}
	if v := get(seed.ItemReopened); v.State != items.StateInProgress || v.ReopenedCount != 1 || !v.Flagged || v.Verified {
		t.Errorf("reopened: %s, reopened %d, flagged %v, verified %v", v.State, v.ReopenedCount, v.Flagged, v.Verified)
	}
	if v := get(seed.ItemArchived); v.State != items.StateArchived || !v.Verified {
		t.Errorf("archived: %s, verified %v", v.State, v.Verified)
	}
	if v := get(seed.ItemClosed); v.State != items.StateClosed || v.Verified || v.ClosedAt == nil {
		t.Errorf("closed: %s, verified %v", v.State, v.Verified)
	}
	if v := get(seed.ItemMilestones); v.Progress != 30 || v.Light != items.LightBlue {
		t.Errorf("milestones: progress %d, light %s", v.Progress, v.Light)
	}
	if v := get(seed.ItemEastSub); v.ScopeID != s.org.Units["east"] || v.ParentID == nil {
		t.Errorf("east sub-item: scope %s, parent %v", v.ScopeID, v.ParentID)
	}
	var changes int64
	env.DB.Gorm().Table("deadline_changes").Where("item_id = ?", s.items.Items[seed.ItemExtended]).Count(&changes)
	if changes != 1 {
		t.Errorf("extended: %d deadline changes", changes)
	}

	// The files are stored where the app serves them from, intact.
	var files []attachments.Attachment
	env.DB.Gorm().Find(&files)
	for _, f := range files {
		rc, err := s.files.Open(ctx, f.StorageKey)
		if err != nil {
			t.Fatalf("%s: %v", f.Filename, err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if int64(len(b)) != f.Size || f.OwnerType == "" {
			t.Errorf("%s: %d bytes stored, %d recorded, owner %q", f.Filename, len(b), f.Size, f.OwnerType)
		}
	}
	if types := distinct(t, env.DB, "attachments", "content_type"); !slices.Contains(types, "application/pdf") || !slices.Contains(types, "text/plain") {
		t.Errorf("attachment types %v", types)
	}

	// Every timeline verifies; the overdue item and the missed milestone were
	// registered in the story's past, so their timelines start weeks ago and no
	// date was moved after the fact.
	rep, err := items.VerifyChain(ctx, env.DB)
	if err != nil || !rep.OK() || rep.Items != m.Items {
		t.Fatalf("chain: %+v %v", rep, err)
	}
	now := time.Now().UTC()
	for _, key := range []string{seed.ItemOverdue, seed.ItemMissedMilestone} {
		var first time.Time
		if err := env.DB.Gorm().Table("item_events").Select("at").Where("item_id = ? AND seq = 1", s.items.Items[key]).
			Scan(&first).Error; err != nil {
			t.Fatal(err)
		}
		if age := now.Sub(first); age < 14*24*time.Hour {
			t.Errorf("%s: registered %s ago, want weeks ago", key, age.Round(time.Hour))
		}
	}
}

// checkSecondRun: seeding again writes no row and finds the same items.
func checkSecondRun(t *testing.T, env *apitest.Env, s *seeded) {
	ctx := t.Context()
	counts := rowCounts(t, env.DB)
	org, err := seed.Demo(ctx, env.DB, audit.New(env.DB))
	if err != nil {
		t.Fatal(err)
	}
	again, err := seed.DemoItems(ctx, env.DB, audit.New(env.DB), org, seed.ItemOptions{Calendar: s.cal, Files: s.files})
	if err != nil || !again.AlreadySeeded || again.Made != (seed.Counts{}) {
		t.Fatalf("second run: %+v %v", again, err)
	}
	for k, id := range s.items.Items {
		if again.Items[k] != id {
			t.Errorf("second run found %s as %s, want %s", k, again.Items[k], id)
		}
	}
	after := rowCounts(t, env.DB)
	for table, n := range counts {
		if after[table] != n {
			t.Errorf("second run: %s went from %d to %d rows", table, n, after[table])
		}
	}
}

// checkCompletionReviewable takes the demo's waiting completion request through the
// real completion service: the office forwards it, the supervising leader
// approves, the item is closed.
func checkCompletionReviewable(t *testing.T, env *apitest.Env, s *seeded) {
	ctx := t.Context()
	itemID := s.items.Items[seed.ItemCompletionRequested]
	files := attachments.NewService(env.DB, s.files, env.App.Items, 1<<20)
	svc := completion.NewService(env.DB, env.App.Items, files)
	office, leader := env.Principal(s.org.Users["duban"]), env.Principal(s.org.Users["leader1"])
	list, err := svc.ListFor(ctx, office, itemID)
	if err != nil || len(list.Data) != 1 {
		t.Fatalf("requests: %+v %v", list, err)
	}
	r := list.Data[0]
	if r.State != completion.StateRequested || len(r.Materials) != 1 || !slices.Contains(r.AllowedActions, completion.ActReview) {
		t.Fatalf("request: %s, %d materials, actions %v", r.State, len(r.Materials), r.AllowedActions)
	}
	if _, err := svc.Review(ctx, office, r.ID, completion.DecisionForward, "材料齐全，建议同意办结。", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Approve(ctx, leader, r.ID, "同意办结。", nil); err != nil {
		t.Fatal(err)
	}
	v, err := env.App.Items.Get(ctx, office, itemID)
	if err != nil || v.State != items.StateClosed {
		t.Fatalf("item after approval: %v %v", v, err)
	}
	// The forwarded one waits for leader1, who may approve it too.
	fwd, err := svc.ListFor(ctx, leader, s.items.Items[seed.ItemCompletionForwarded])
	if err != nil || len(fwd.Data) != 1 || !slices.Contains(fwd.Data[0].AllowedActions, completion.ActApprove) {
		t.Fatalf("forwarded request for leader1: %+v %v", fwd, err)
	}
	if rep, err := items.VerifyChain(ctx, env.DB); err != nil || !rep.OK() {
		t.Fatalf("chain: %+v %v", rep, err)
	}
}

// TestDemoItemsRollBack leaves nothing behind when a step fails: no rows, no files.
func TestDemoItemsRollBack(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		ctx := context.Background()
		org, err := seed.Demo(ctx, env.DB, audit.New(env.DB))
		if err != nil {
			t.Fatal(err)
		}
		// An organisation without the enterprise's supervisor: the story fails
		// when it reaches the enterprises, after files were uploaded.
		broken := *org
		broken.Users = map[string]uuid.UUID{}
		for k, v := range org.Users {
			if k != "huadong.duban" {
				broken.Users[k] = v
			}
		}
		files := attachments.LocalStorage{Dir: t.TempDir()}
		cal := calendar.NewService(env.DB, time.FixedZone("CST", 8*3600), nil)
		if _, err := seed.DemoItems(ctx, env.DB, audit.New(env.DB), &broken, seed.ItemOptions{Calendar: cal, Files: files}); err == nil {
			t.Fatal("the broken demo succeeded")
		}
		for _, table := range []string{"items", "item_events", "attachments", "item_feedback"} {
			var n int64
			env.DB.Gorm().Table(table).Count(&n)
			if n != 0 {
				t.Errorf("%s: %d rows left", table, n)
			}
		}
		left, _ := filepath.Glob(filepath.Join(files.Dir, "*", "*", "*"))
		if len(left) != 0 {
			t.Errorf("files left behind: %v", left)
		}
	})
}

// TestTourNamesDemoUsers keeps the printed tour in step with the demo's users.
func TestTourNamesDemoUsers(t *testing.T) {
	t.Parallel()
	env := apitest.Start(t, dbtest.NewSQLite(t), apitest.Config(t))
	org, err := seed.Demo(context.Background(), env.DB, audit.New(env.DB))
	if err != nil {
		t.Fatal(err)
	}
	for _, stop := range seed.Tour {
		for _, name := range strings.Split(stop.Username, ", ") {
			if _, ok := org.Users[name]; !ok {
				t.Errorf("the tour names %q, not a demo user", name)
			}
		}
	}
}

// checkTodo logs in as the main demo users with the demo password and reads GET
// /me/todo: each finds what the tour promises waiting for them.
func checkTodo(t *testing.T, env *apitest.Env) {
	want := map[string]map[string]string{
		"leader1": {"approvals": seed.ItemPendingApproval, "extension_decisions": seed.ItemExtensionForwarded,
			"completion_decisions": seed.ItemCompletionForwarded},
		"leader2": {"approvals": seed.ItemPendingApproval2},
		"duban": {"feedback_to_review": seed.ItemMilestones, "completion_decisions": seed.ItemCompletionRequested,
			"verifications_due": seed.ItemClosed, "overdue": seed.ItemOverdue},
		"guihua.liaison": {"feedback_to_submit": seed.ItemMilestones},
		"guihua.head":    {"feedback_to_submit": seed.ItemMilestones},
		"anquan.head": {"assignments_to_accept": seed.ItemIssued, "urges_to_acknowledge": seed.ItemIssued,
			"feedback_to_submit": seed.ItemMissedMilestone, "feedback_to_write": seed.ItemMilestones},
		"caiwu.head": {"assignments_to_accept": seed.ItemIssued, "feedback_to_write": seed.ItemOverdue,
			"overdue": seed.ItemOverdue},
		"huadong.duban":  {"feedback_to_review": seed.ItemEastSub},
		"huadong.leader": {"approvals": seed.ItemEastSubPending},
		"huadong.tech":   {"urges_to_acknowledge": seed.ItemEastSub},
		"xinan.leader":   {"assignments_to_accept": seed.ItemSouthwestParent},
		"xinan.tech":     {"assignments_to_accept": seed.ItemSouthwestOwn},
	}
	for user, groups := range want {
		var login struct {
			AccessToken string `json:"access_token"`
		}
		env.Do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": seed.DemoPassword}).Expect(200).JSON(&login)
		var todo struct {
			Groups []struct {
				Key   string
				Count int
				Items []struct {
					Title string
				}
			}
		}
		env.As(login.AccessToken).Do("GET", "/api/v1/me/todo", nil).Expect(200).JSON(&todo)
		for _, g := range todo.Groups {
			key, ok := groups[g.Key]
			if !ok {
				continue
			}
			delete(groups, g.Key)
			title := seed.Title(key)
			if !slices.ContainsFunc(g.Items, func(e struct{ Title string }) bool { return e.Title == title }) {
				t.Errorf("%s: %s (%d) lacks %s", user, g.Key, g.Count, title)
			}
		}
		for g := range groups {
			t.Errorf("%s: no group %s", user, g)
		}
	}
}
