package items_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/database"
)

// benchFixture is the organisation of BenchmarkList: a group with its supervision
// office and 30 departments, and 60 enterprises (a fifth of the items are theirs).
type benchFixture struct {
	group, office uuid.UUID
	units         []uuid.UUID
	enterprises   []uuid.UUID
	sup, member   uuid.UUID
	leader        uuid.UUID
	// entUser initiates the enterprises' own items.
	entUser uuid.UUID
}

func benchWorld(b *testing.B, env *apitest.Env) *benchFixture {
	f := &benchFixture{}
	f.group = env.Unit("集团公司", "group", nil, false)
	f.office = env.Unit("办公厅", "department", &f.group, true)
	for i := range 30 {
		f.units = append(f.units, env.Unit(fmt.Sprintf("部门%02d", i), "department", &f.group, false))
	}
	for i := range 60 {
		f.enterprises = append(f.enterprises, env.Unit(fmt.Sprintf("企业%02d", i), "enterprise", &f.group, false))
	}
	f.sup = env.User("bench.sup", f.office, "supervisor")
	f.leader = env.User("bench.leader", f.group, "leader")
	f.member = env.User("bench.member", f.units[3], "member")
	f.entUser = env.User("bench.ent", f.enterprises[0], "supervisor")
	return f
}

// Seeded shapes, chosen so that every benchmarked variant finds a real page:
// titles rotate every 7 items, lead units every 30, and one item in fifty is about
// "隐患排查", so such items of department 1 exist in every state; one open item in
// ten is overdue.
var (
	benchStates = []string{"draft", "pending_approval", "issued", "issued", "in_progress", "in_progress", "in_progress",
		"in_progress", "in_progress", "in_progress", "in_progress", "in_progress", "completion_requested", "suspended",
		"closed", "closed", "closed", "archived", "archived", "cancelled"}
	benchTitles = []string{"落实安全生产责任制", "推进年度重点项目", "完成专项审计整改", "提升科技创新能力", "加强党风廉政建设"}
)

func benchOpen(st string) bool {
	switch st {
	case "pending_approval", "approved", "issued", "in_progress", "suspended", "completion_requested":
		return true
	}
	return false
}

// seedItems writes n items with their cooperating units, assignments (lead and
// cooperating, one in a thousand naming the member as responsible person),
// milestones on every tenth item and a cleared red light on some overdue ones:
// COPY on PostgreSQL, multi-row INSERTs in one transaction on SQLite.
func seedItems(b *testing.B, env *apitest.Env, f *benchFixture, n int) {
	ctx := context.Background()
	today := civil.Today(time.UTC)
	now := time.Now().UTC().Truncate(time.Microsecond)
	w := newBulkWriter(b, env.DB)
	itemCols := []string{"id", "code", "scope_id", "title", "content", "requirements", "category", "source", "basis", "meeting_type",
		"source_ref", "method", "urgency", "feedback_cadence", "initiator_unit_id", "initiator_user_id", "supervising_leader_id",
		"lead_unit_id", "deadline", "original_deadline", "progress", "state", "verified", "reopened_count", "flagged",
		"cancel_reason", "suspend_reason", "event_seq", "last_event_hash", "version", "created_at", "updated_at", "issued_at"}
	coopCols := []string{"item_id", "unit_id", "sort"}
	asgCols := []string{"id", "item_id", "unit_id", "role", "responsible_user_id", "state", "reason", "created_by", "version",
		"created_at", "updated_at", "next_feedback_due", "accepted_at"}
	msCols := []string{"id", "item_id", "title", "due_date", "done", "sort", "version", "created_at", "updated_at"}
	clrCols := []string{"item_id", "cleared_light", "deadline", "reason", "cleared_by", "cleared_at"}
	const chunk = 5000
	// PostgreSQL: the indexes of the seeded tables (trigram GIN ones above all) are
	// built once after the load instead of row by row (10x faster at a million).
	restore := w.dropIndexes(ctx, "items", "item_assignments", "item_cooperating_units", "item_milestones")
	var its, coops, asgs, mss, clrs [][]any
	flush := func() {
		w.write(ctx, "items", itemCols, its)
		w.write(ctx, "item_cooperating_units", coopCols, coops)
		w.write(ctx, "item_assignments", asgCols, asgs)
		w.write(ctx, "item_milestones", msCols, mss)
		w.write(ctx, "item_warning_clears", clrCols, clrs)
		its, coops, asgs, mss, clrs = its[:0], coops[:0], asgs[:0], mss[:0], clrs[:0]
	}
	for i := range n {
		id := uuid.Must(uuid.NewV7())
		st := benchStates[i%len(benchStates)]
		scope, lead, coop := f.group, f.units[i%len(f.units)], f.units[(i+7)%len(f.units)]
		initUnit, initUser, leader := f.office, f.sup, any(f.leader)
		if i%5 == 4 { // an enterprise's own item, led by the enterprise
			e := f.enterprises[(i/5)%len(f.enterprises)]
			scope, lead, coop = e, e, f.enterprises[(i/5+1)%len(f.enterprises)]
			initUnit, initUser, leader = e, f.entUser, nil
		}
		deadline := today.AddDays(i%200 - 20)
		created := now.Add(-time.Duration(n-i) * time.Minute)
		var code, issued any
		if st != "draft" && st != "pending_approval" {
			code, issued = fmt.Sprintf("DB-%d-%07d", today.Year, i+1), created
		}
		title := fmt.Sprintf("%s（%d）", benchTitles[(i/7)%len(benchTitles)], i)
		if i%50 == 1 { // the searched phrase: one item in fifty
			title = fmt.Sprintf("开展安全隐患排查专项行动（%d）", i)
		}
		its = append(its, []any{id, code, scope, title,
			"按照会议部署抓好落实，第" + strconv.Itoa(i) + "项", "", "important_matter", "group_meeting", "", "", "",
			"special", "normal", "monthly", initUnit, initUser, leader, lead, deadline, deadline, i % 100, st, false, 0, false,
			"", "", 0, "", 1, created, created, issued})
		coops = append(coops, []any{id, coop, 0})
		if issued != nil {
			live := benchOpen(st)
			var due any
			if live {
				due = today.AddDays(i%40 - 10)
			}
			var resp any
			if i%1000 == 0 {
				resp = f.member
			}
			asgs = append(asgs,
				[]any{uuid.Must(uuid.NewV7()), id, lead, "lead", nil, "accepted", "", initUser, 1, created, created, due, created},
				[]any{uuid.Must(uuid.NewV7()), id, coop, "cooperating", resp, "accepted", "", initUser, 1, created, created, nil, created})
		}
		if i%10 == 0 {
			mss = append(mss, []any{uuid.Must(uuid.NewV7()), id, "节点", today.AddDays(i%40 - 20), i%20 == 0, 0, 1, created, created})
		}
		if benchOpen(st) && i%200 < 20 && i%3 == 0 { // overdue: a third cleared by the office
			clrs = append(clrs, []any{id, "red", deadline, "已研究", f.sup, now})
		}
		if len(its) == chunk {
			flush()
		}
	}
	flush()
	restore()
	w.done(ctx)
}

// dropIndexes drops the secondary indexes (not the primary or unique ones, which
// constraints and ON CONFLICT need) of the tables on PostgreSQL and returns what
// recreates them.
func (w *bulkWriter) dropIndexes(ctx context.Context, tables ...string) func() {
	if w.db.Dialect() != database.Postgres {
		return func() {}
	}
	var defs []struct{ Indexname, Indexdef string }
	if err := w.db.Gorm().WithContext(ctx).Raw(`SELECT indexname, indexdef FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename IN ? AND indexdef NOT LIKE 'CREATE UNIQUE%'`, tables).Scan(&defs).Error; err != nil {
		w.b.Fatal(err)
	}
	for _, d := range defs {
		if err := w.long(ctx, "DROP INDEX "+d.Indexname); err != nil {
			w.b.Fatalf("drop %s: %v", d.Indexname, err)
		}
	}
	return func() {
		for _, d := range defs {
			if err := w.long(ctx, d.Indexdef); err != nil {
				w.b.Fatalf("recreate %s: %v", d.Indexname, err)
			}
		}
	}
}

// bulkWriter writes rows fast: COPY on PostgreSQL; on SQLite multi-row INSERTs
// inside one transaction (committed by done).
type bulkWriter struct {
	b  *testing.B
	db *database.DB
	tx *sql.Tx
}

func newBulkWriter(b *testing.B, db *database.DB) *bulkWriter {
	w := &bulkWriter{b: b, db: db}
	if db.Dialect() == database.SQLite {
		sqlDB, err := db.Gorm().DB()
		if err != nil {
			b.Fatal(err)
		}
		if w.tx, err = sqlDB.Begin(); err != nil {
			b.Fatal(err)
		}
	}
	return w
}

func (w *bulkWriter) write(ctx context.Context, table string, cols []string, rows [][]any) {
	if len(rows) == 0 {
		return
	}
	pg := w.db.Dialect() == database.Postgres
	for _, r := range rows {
		for j, v := range r {
			r[j] = bulkValue(v, pg)
		}
	}
	if pg {
		sqlDB, err := w.db.Gorm().DB()
		if err != nil {
			w.b.Fatal(err)
		}
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			w.b.Fatal(err)
		}
		defer conn.Close()
		err = conn.Raw(func(dc any) error {
			_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
			return err
		})
		if err != nil {
			w.b.Fatalf("copy %s: %v", table, err)
		}
		return
	}
	// SQLite allows 32766 parameters per statement.
	per := 32000 / len(cols)
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	for start := 0; start < len(rows); start += per {
		part := rows[start:min(len(rows), start+per)]
		args := make([]any, 0, len(part)*len(cols))
		for _, r := range part {
			args = append(args, r...)
		}
		q := "INSERT INTO " + table + " (" + strings.Join(cols, ",") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(one+",", len(part)), ",")
		if _, err := w.tx.ExecContext(ctx, q, args...); err != nil {
			w.b.Fatalf("insert %s: %v", table, err)
		}
	}
}

// done commits (SQLite) and refreshes the planner's statistics.
func (w *bulkWriter) done(ctx context.Context) {
	if w.tx != nil {
		if err := w.tx.Commit(); err != nil {
			w.b.Fatal(err)
		}
	}
	// The subjects each item names (migration 0080's backfill; the application
	// keeps them as it writes).
	if err := w.long(ctx, `INSERT INTO item_visibility (subject_id, item_id)
		SELECT lead_unit_id, id FROM items WHERE lead_unit_id IS NOT NULL
		UNION SELECT unit_id, item_id FROM item_cooperating_units
		UNION SELECT unit_id, item_id FROM item_assignments
		UNION SELECT responsible_user_id, item_id FROM item_assignments WHERE responsible_user_id IS NOT NULL`); err != nil {
		w.b.Fatalf("seed item_visibility: %v", err)
	}
	stmt := "ANALYZE"
	if w.db.Dialect() == database.Postgres {
		stmt = "VACUUM ANALYZE"
	}
	if err := w.long(ctx, stmt); err != nil {
		w.b.Fatalf("analyze: %v", err)
	}
}

// long runs a statement without the application's statement timeout.
func (w *bulkWriter) long(ctx context.Context, stmt string) error {
	sqlDB, err := w.db.Gorm().DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if w.db.Dialect() == database.Postgres {
		if _, err := conn.ExecContext(ctx, "SET statement_timeout = 0"); err != nil {
			return err
		}
		defer conn.ExecContext(ctx, "RESET statement_timeout") //nolint:errcheck
	}
	_, err = conn.ExecContext(ctx, stmt)
	return err
}

// bulkValue turns the seed's Go values into what each path stores: UUIDs as
// pgtype.UUID for COPY and as text on SQLite (as GORM writes them), dates as text.
func bulkValue(v any, pg bool) any {
	switch x := v.(type) {
	case uuid.UUID:
		if pg {
			return pgtype.UUID{Bytes: x, Valid: true}
		}
		return x.String()
	case civil.Date:
		return x.String()
	}
	return v
}
