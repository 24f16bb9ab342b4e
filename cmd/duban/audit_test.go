package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
)

// TestAuditVerify runs `duban audit verify` on a database with an item, then after
// editing one of its timeline events. run reads the environment: not parallel.
func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DUBAN_DATA_DIR", dir)
	t.Setenv("DUBAN_DATABASE_URL", "")
	t.Setenv("DUBAN_LOG_LEVEL", "error")
	verify := func() (int, string) {
		var out, errb bytes.Buffer
		code := run([]string{"audit", "verify"}, strings.NewReader(""), &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := verify(); code != 1 || !strings.Contains(out, "not migrated") {
		t.Fatalf("unmigrated: code %d: %s", code, out)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"migrate"}, nil, &out, &errb); code != 0 {
		t.Fatalf("migrate: %s", errb.String())
	}
	db, err := database.Open(context.Background(), database.Options{SQLitePath: filepath.Join(dir, "duban.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// migrate made the chain key in the data directory; the test writes with it.
	key, err := os.ReadFile(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	audit.UseChainKey(db, bytes.TrimSpace(key))
	itemID := seedItem(t, db)
	if code, out := verify(); code != 0 || !strings.Contains(out, "checked 1 items, 2 timeline events") || !strings.Contains(out, "ok") {
		t.Fatalf("clean: code %d: %s", code, out)
	}
	if err := db.Gorm().Exec("UPDATE item_events SET comment = 'forged' WHERE item_id = ? AND seq = 2", itemID).Error; err != nil {
		t.Fatal(err)
	}
	if code, out := verify(); code != 1 || !strings.Contains(out, "BROKEN: item "+itemID) || !strings.Contains(out, "event 2") {
		t.Fatalf("tampered: code %d: %s", code, out)
	}
	if code, _ := (func() (int, string) {
		var o, e bytes.Buffer
		return run([]string{"audit"}, nil, &o, &e), ""
	})(); code != 2 {
		t.Fatalf("audit without verify: code %d, want 2", code)
	}
}

// seedItem creates a group, a supervisor, a leader and one submitted item; it returns the id.
func seedItem(t *testing.T, db *database.DB) string {
	env := &apitest.Env{T: t, DB: db}
	group := env.Unit("集团公司", "group", nil, false)
	office := env.Unit("办公厅", "department", &group, true)
	sup := env.User("sup", office, access.RoleSupervisor)
	leader := env.User("leader", group, access.RoleLeader)
	svc := items.NewService(db, calendar.NewService(db, time.UTC, nil), audit.New(db))
	p := env.Principal(sup)
	v, err := svc.Create(context.Background(), p, items.ItemInput{Title: "事项", Content: "内容",
		Category: items.CategoryImportantMatter, Source: items.SourceBoard, LeadUnitID: &office,
		SupervisingLeaderID: &leader, Deadline: civil.Today(time.UTC).AddDays(10)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(context.Background(), p, v.ID, items.ActSubmit, "", nil); err != nil {
		t.Fatal(err)
	}
	return v.ID.String()
}
