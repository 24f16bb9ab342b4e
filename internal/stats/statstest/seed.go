package statstest

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/civil"
)

// Big is the organisation of the benchmarks: a group with 30 departments and two
// enterprises of 5 departments each.
type Big struct {
	Group, Office uuid.UUID
	Depts         []uuid.UUID
	Enterprises   []uuid.UUID
	EntDepts      []uuid.UUID
	Sup, Leader   uuid.UUID
	// Head heads Depts[3].
	Head uuid.UUID
}

// NewBig inserts the organisation.
func NewBig(env *apitest.Env) *Big {
	b := &Big{}
	b.Group = env.Unit("集团公司", "group", nil, false)
	b.Office = env.Unit("办公厅督办处", "department", &b.Group, true)
	for i := range 30 {
		b.Depts = append(b.Depts, env.Unit(fmt.Sprintf("部门%02d", i), "department", &b.Group, false))
	}
	for e := range 2 {
		ent := env.Unit(fmt.Sprintf("企业%d", e), "enterprise", &b.Group, false)
		b.Enterprises = append(b.Enterprises, ent)
		for i := range 5 {
			b.EntDepts = append(b.EntDepts, env.Unit(fmt.Sprintf("企业%d部门%d", e, i), "department", &ent, false))
		}
	}
	b.Sup = env.User("bench.sup", b.Office, access.RoleSupervisor)
	b.Leader = env.User("bench.leader", b.Group, access.RoleLeader)
	b.Head = env.User("bench.head", b.Depts[3], access.RoleMember)
	env.SetHead(b.Depts[3], b.Head)
	return b
}

// SeedPostgres writes n items of ten years' history straight into PostgreSQL with
// set-based INSERT … SELECT over generate_series (a million items take about a
// minute): issued evenly from ten years ago to today, 80 % in the group and 20 %
// in the enterprises; older items mostly closed or archived (on time or late),
// some cancelled, one in a hundred still running and overdue; the last four months open. Each
// item has a lead and a cooperating unit with their assignments; every fifth an
// urge (a third of them automatic), every twentieth an extension request, every
// fiftieth a verification (a fifth failed).
func SeedPostgres(env *apitest.Env, b *Big, n int, today civil.Date) error {
	db := env.DB.Gorm()
	start := today.AddDays(-3650).In(time.UTC)
	span := today.In(time.UTC).Sub(start).Seconds()
	arr := func(ids []uuid.UUID) string {
		s := "ARRAY["
		for i, id := range ids {
			if i > 0 {
				s += ","
			}
			s += "'" + id.String() + "'::uuid"
		}
		return s + "]"
	}
	stmts := []string{
		`CREATE TEMP TABLE bench_seq AS SELECT g AS i,
			(?::timestamptz + make_interval(secs => ?::float8 * g / ?::float8)) AS issued
			FROM generate_series(1, ?) g`,
		fmt.Sprintf(`INSERT INTO items (id, code, scope_id, title, content, category, source, method, urgency, feedback_cadence,
			initiator_unit_id, initiator_user_id, supervising_leader_id, lead_unit_id, deadline, original_deadline, progress, state,
			version, created_at, updated_at, issued_at, closed_at, archived_at, cancelled_at)
		SELECT gen_random_uuid(), 'B-' || i,
			CASE WHEN i %% 5 = 0 THEN (%[1]s)[1 + (i / 5) %% 2] ELSE '%[3]s'::uuid END,
			'基准事项 ' || i, '基准测试事项内容 ' || i, CASE WHEN i %% 7 = 0 THEN 'document' ELSE 'important_matter' END,
			(ARRAY['board','party_group','leader_activity','group_meeting','special_meeting','other'])[1 + i %% 6],
			'special', 'normal', 'monthly', '%[4]s'::uuid, '%[5]s'::uuid, '%[6]s'::uuid,
			CASE WHEN i %% 5 = 0 THEN (%[2]s)[1 + (i / 5) %% 2 * 5 + i %% 5] ELSE (%[7]s)[1 + i %% 30] END,
			to_char(issued + make_interval(days => 30 + i %% 150), 'YYYY-MM-DD'),
			to_char(issued + make_interval(days => 30 + i %% 150), 'YYYY-MM-DD'),
			CASE WHEN issued < now() - interval '120 days' THEN 100 ELSE i %% 100 END,
			CASE WHEN issued >= now() - interval '120 days' THEN (ARRAY['issued','in_progress','in_progress','completion_requested'])[1 + i %% 4]
			     WHEN i %% 20 = 0 THEN 'cancelled' WHEN i %% 100 = 1 THEN 'in_progress'
			     WHEN i %% 3 = 0 THEN 'closed' ELSE 'archived' END,
			1, issued, issued, issued,
			CASE WHEN issued < now() - interval '120 days' AND i %% 20 <> 0 AND i %% 100 <> 1 THEN issued + make_interval(days => 20 + i %% 200) END,
			CASE WHEN issued < now() - interval '120 days' AND i %% 20 <> 0 AND i %% 100 <> 1 AND i %% 3 <> 0 THEN issued + make_interval(days => 230) END,
			CASE WHEN issued < now() - interval '120 days' AND i %% 20 = 0 THEN issued + make_interval(days => 10) END
		FROM bench_seq`, arr(b.Enterprises), arr(b.EntDepts), b.Group, b.Office, b.Sup, b.Leader, arr(b.Depts)),
		// a cooperating unit: the next department of the same scope
		fmt.Sprintf(`INSERT INTO item_cooperating_units (item_id, unit_id, sort)
		SELECT id, CASE WHEN scope_id = '%[1]s'::uuid THEN (%[2]s)[1 + (substr(code, 3)::int + 7) %% 30]
			ELSE (%[3]s)[1 + (substr(code, 3)::int / 5) %% 2 * 5 + (substr(code, 3)::int + 1) %% 5] END, 0
		FROM items WHERE code LIKE 'B-%%'`, b.Group, arr(b.Depts), arr(b.EntDepts)),
		`INSERT INTO item_assignments (id, item_id, unit_id, role, state, created_by, version, created_at, updated_at, next_feedback_due)
		SELECT gen_random_uuid(), id, lead_unit_id, 'lead', 'accepted', initiator_user_id, 1, issued_at, issued_at,
			to_char(now() + make_interval(days => (substr(code, 3)::int % 40) - 10), 'YYYY-MM-DD')
		FROM items WHERE code LIKE 'B-%' AND state <> 'cancelled'`,
		`INSERT INTO item_assignments (id, item_id, unit_id, role, state, created_by, version, created_at, updated_at)
		SELECT gen_random_uuid(), c.item_id, c.unit_id, 'cooperating', 'accepted', i.initiator_user_id, 1, i.issued_at, i.issued_at
		FROM item_cooperating_units c JOIN items i ON i.id = c.item_id WHERE i.code LIKE 'B-%' AND i.state <> 'cancelled'`,
		`INSERT INTO item_urges (id, item_id, unit_id, kind, message, created_at, version)
		SELECT gen_random_uuid(), id, lead_unit_id, CASE WHEN substr(code, 3)::int % 3 = 0 THEN 'auto' ELSE 'manual' END, '请抓紧办理',
			issued_at + interval '25 days', 1
		FROM items WHERE code LIKE 'B-%' AND substr(code, 3)::int % 5 = 0 AND issued_at + interval '25 days' < now()`,
		`INSERT INTO extension_requests (id, item_id, requested_by, unit_id, current_deadline, requested_deadline, reason, state, version, created_at, updated_at, decided_at)
		SELECT gen_random_uuid(), id, initiator_user_id, lead_unit_id, deadline, deadline, '延期', CASE WHEN substr(code, 3)::int % 40 = 0 THEN 'rejected' ELSE 'approved' END,
			1, issued_at + interval '20 days', issued_at + interval '22 days', issued_at + interval '22 days'
		FROM items WHERE code LIKE 'B-%' AND substr(code, 3)::int % 20 = 0 AND issued_at + interval '22 days' < now()`,
		`INSERT INTO verifications (id, item_id, method, findings, result, state_before, verified_by, created_at)
		SELECT gen_random_uuid(), id, 'document_review', '核查', CASE WHEN substr(code, 3)::int % 250 = 0 THEN 'failed' ELSE 'passed' END,
			'closed', initiator_user_id, closed_at + interval '10 days'
		FROM items WHERE code LIKE 'B-%' AND substr(code, 3)::int % 50 = 0 AND closed_at IS NOT NULL AND closed_at + interval '10 days' < now()`,
		// the subjects each item names, which the items package keeps as it writes
		`INSERT INTO item_visibility (subject_id, item_id)
		SELECT lead_unit_id, id FROM items WHERE code LIKE 'B-%' AND lead_unit_id IS NOT NULL
		UNION SELECT c.unit_id, c.item_id FROM item_cooperating_units c JOIN items i ON i.id = c.item_id WHERE i.code LIKE 'B-%'
		UNION SELECT a.unit_id, a.item_id FROM item_assignments a JOIN items i ON i.id = a.item_id WHERE i.code LIKE 'B-%'`,
		`DROP TABLE bench_seq`,
		`VACUUM ANALYZE`,
	}
	// The application's connections carry a statement timeout; seeding a million
	// items takes longer. VACUUM cannot run in a transaction: it runs after.
	last := len(stmts) - 1
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`SET LOCAL statement_timeout = 0`).Error; err != nil {
			return err
		}
		if err := tx.Exec(stmts[0], start, span, n, n).Error; err != nil {
			return fmt.Errorf("seed sequence: %w", err)
		}
		for i, s := range stmts[1:last] {
			if err := tx.Exec(s).Error; err != nil {
				return fmt.Errorf("seed step %d: %w", i+1, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return db.Connection(func(c *gorm.DB) error {
		if err := c.Exec(`SET statement_timeout = 0`).Error; err != nil {
			return err
		}
		if err := c.Exec(stmts[last]).Error; err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		return c.Exec(`RESET statement_timeout`).Error
	})
}
