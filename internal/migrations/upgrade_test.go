package migrations_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/migrations"
	"github.com/duban/duban/internal/users"
)

// The upgrade test: for every migration N, a database is migrated up to N, filled
// with realistic rows for that schema by raw SQL (the data every migration up to N
// brought: upgradeSteps), migrated to the newest schema, and then read back, first
// by SQL (the rows survived) and then by the application over HTTP (a user logs in
// with the password set before the upgrade and sees the item, its timeline, files,
// feedback and the settings). The last N is the newest schema itself: it checks that
// the fixtures still describe what the application reads.
//
// A new migration adds its step to upgradeSteps: the rows its tables hold, written
// for the schema right after it, and what the application must then show; a
// migration that brings no data of its own (an index, say) adds a step with a note.
// TestEveryMigrationHasAnUpgradeStep fails until it does.

// upgradeData holds the fixed ids and secrets the steps share.
type upgradeData struct {
	dataDir string
	now     time.Time

	group, office, planning uuid.UUID
	admin, clerk, head      uuid.UUID
	item                    uuid.UUID
	leadAsg, coopAsg        uuid.UUID
	milestone               uuid.UUID
	feedback, urge, comment uuid.UUID
	attachment              uuid.UUID
	extension, deadline     uuid.UUID
	apiToken                string
}

// upgradeStep is the data one migration brings.
type upgradeStep struct {
	id string
	// note says why a migration brings no rows of its own (insert and check nil).
	note   string
	insert func(d *upgradeData, tx *gorm.DB) error
	// sql checks with SQL after the upgrade; app checks through the application.
	sql func(t *testing.T, d *upgradeData, db *gorm.DB)
	app func(t *testing.T, d *upgradeData, env *apitest.Env)
}

var (
	hashOnce     sync.Once
	passwordHash string
)

func testPasswordHash(t *testing.T) string {
	hashOnce.Do(func() {
		h, err := users.HashPassword(apitest.TestPassword)
		if err != nil {
			panic(err)
		}
		passwordHash = h
	})
	return passwordHash
}

// exec runs each statement with its arguments, stopping at the first error.
func exec(tx *gorm.DB, stmts ...[]any) error {
	for _, s := range stmts {
		if err := tx.Exec(s[0].(string), s[1:]...).Error; err != nil {
			return fmt.Errorf("%s: %w", s[0], err)
		}
	}
	return nil
}

func row(sql string, args ...any) []any { return append([]any{sql}, args...) }

func fakeHash(parts ...string) string {
	s := sha256.Sum256([]byte(strings.Join(parts, "|")))
	return hex.EncodeToString(s[:])
}

var upgradeSteps = []upgradeStep{
	{
		id: "0001_settings",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?)`,
				"warnings", `{"blue_workdays":5,"feedback_grace_workdays":2,"version":3}`, d.now))
		},
		// The application reads the settings in step 0002's check: before it there
		// is no user to ask.
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "app_settings WHERE key = 'warnings'", 1)
		},
	},
	{
		id: "0002_identity",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			unit := `INSERT INTO org_units (id, parent_id, scope_id, name, short_name, kind, is_supervision_office, head_user_id, sort_order, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, 1, ?, ?)`
			user := `INSERT INTO users (id, username, display_name, password_hash, org_unit_id, email, phone, title, active, must_change_password, password_changed_at, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, 1, ?, ?)`
			h := testPasswordHash(nil)
			return exec(tx,
				row(unit, d.group, nil, d.group, "华东能源集团有限公司", "集团", "group", false, 0, d.now, d.now),
				row(unit, d.office, d.group, d.group, "办公厅督办处", "督办处", "department", true, 1, d.now, d.now),
				row(unit, d.planning, d.group, d.group, "规划发展部", "规划部", "department", false, 2, d.now, d.now),
				row(user, d.admin, "upgrade.admin", "系统管理员", h, d.group, "admin@example.com", "", true, false, d.now, d.now, d.now),
				row(user, d.clerk, "upgrade.clerk", "李督办", h, d.office, "", "督办处处长", true, false, d.now, d.now, d.now),
				row(user, d.head, "upgrade.head", "陈规划", h, d.planning, "", "规划发展部主任", true, false, nil, d.now, d.now),
				row(`INSERT INTO user_roles (user_id, role) VALUES (?, 'admin'), (?, 'supervisor'), (?, 'member')`, d.admin, d.clerk, d.head),
				row(`UPDATE org_units SET head_user_id = ? WHERE id = ?`, d.head, d.planning),
				row(`UPDATE org_units SET head_user_id = ? WHERE id = ?`, d.clerk, d.office),
				row(`INSERT INTO org_unit_liaisons (org_unit_id, user_id) VALUES (?, ?)`, d.planning, d.head),
				row(`INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, expires_at, used_at, revoked_at, user_agent, ip, created_at)
					VALUES (?, ?, ?, ?, ?, NULL, NULL, 'Mozilla/5.0', '10.1.2.3', ?)`,
					uuid.New(), uuid.New(), d.head, fakeHash("refresh", d.head.String()), d.now.Add(720*time.Hour), d.now),
				row(`INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, scopes, expires_at, last_used_at, revoked_at, created_at)
					VALUES (?, ?, 'OA 集成', ?, ?, 'read', NULL, NULL, NULL, ?)`,
					uuid.New(), d.head, d.apiToken[:8], hashHex(d.apiToken), d.now),
				row(`INSERT INTO login_throttles (key, failures, window_start, locked_until, updated_at) VALUES ('user:upgrade.head', 1, ?, NULL, ?)`, d.now, d.now),
				row(`INSERT INTO audit_events (id, at, actor_id, action, target_type, target_id, ip, request_id, details) VALUES (?, ?, ?, 'user.created', 'user', ?, '10.1.2.3', 'req-1', '{"username":"upgrade.head"}')`,
					uuid.New(), d.now, d.admin, d.head.String()),
			)
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "org_units", 3)
			expectCount(t, db, "user_roles", 3)
			expectCount(t, db, "audit_events WHERE action = 'user.created'", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			me := env.As(env.Login("upgrade.head")).Do("GET", "/api/v1/me", nil).Expect(200).Map()
			if me["display_name"] != "陈规划" {
				t.Errorf("me after upgrade: %v", me)
			}
			// The personal API token made before the upgrade still works.
			env.As(d.apiToken).Do("GET", "/api/v1/me", nil).Expect(200)
			s := env.As(env.Login("upgrade.admin")).Do("GET", "/api/v1/settings/warnings", nil).Expect(200).Map()
			if s["blue_workdays"] != 5.0 || s["feedback_grace_workdays"] != 2.0 {
				t.Errorf("warning settings (step 0001) after upgrade: %v", s)
			}
		},
	},
	{
		id: "0003_items",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			deadline := d.now.AddDate(0, 2, 0).Format("2006-01-02")
			ev := `INSERT INTO item_events (id, item_id, seq, at, actor_id, action, state_before, state_after, changes, comment, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`
			h1, h2 := fakeHash("1"), fakeHash("2")
			return exec(tx,
				row(`INSERT INTO items (id, code, scope_id, parent_id, parent_scope_id, title, content, requirements, category, source, basis, meeting_type, source_ref,
					notice_issuer_unit_id, method, urgency, feedback_cadence, initiator_unit_id, initiator_user_id, supervising_leader_id, lead_unit_id,
					deadline, original_deadline, progress, state, verified, reopened_count, flagged, cancel_reason, suspend_reason, event_seq, last_event_hash,
					version, created_at, updated_at, submitted_at, approved_at, issued_at, accepted_at)
					VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, 'important_matter', 'group_meeting', '2026年第3次总经理办公会', 'gm_office', '会议纪要〔2026〕3号',
					NULL, 'tracking', 'urgent', 'monthly', ?, ?, NULL, ?,
					?, ?, 30, 'in_progress', false, 0, false, '', '', 2, ?,
					4, ?, ?, ?, ?, ?, ?)`,
					d.item, "督〔2026〕1号", d.group, "推进新能源基地项目前期工作", "完成可研报告编制并报集团审议。", "每月底前反馈进展",
					d.office, d.clerk, d.planning, deadline, deadline, h2, d.now, d.now, d.now, d.now, d.now, d.now),
				row(`INSERT INTO item_cooperating_units (item_id, unit_id, sort) VALUES (?, ?, 0)`, d.item, d.office),
				row(`INSERT INTO item_tags (item_id, tag) VALUES (?, '新能源'), (?, '重点项目')`, d.item, d.item),
				row(`INSERT INTO item_assignments (id, item_id, unit_id, role, responsible_user_id, state, reason, accepted_at, accepted_by, created_by, version, created_at, updated_at)
					VALUES (?, ?, ?, 'lead', ?, 'accepted', '', ?, ?, ?, 2, ?, ?)`, d.leadAsg, d.item, d.planning, d.head, d.now, d.head, d.clerk, d.now, d.now),
				row(`INSERT INTO item_assignments (id, item_id, unit_id, role, responsible_user_id, state, reason, created_by, version, created_at, updated_at)
					VALUES (?, ?, ?, 'cooperating', NULL, 'pending', '', ?, 1, ?, ?)`, d.coopAsg, d.item, d.office, d.clerk, d.now, d.now),
				row(`INSERT INTO item_milestones (id, item_id, title, due_date, done, sort, version, created_at, updated_at)
					VALUES (?, ?, '可研报告初稿', ?, false, 0, 1, ?, ?)`, d.milestone, d.item, d.now.AddDate(0, 1, 0).Format("2006-01-02"), d.now, d.now),
				row(ev, uuid.New(), d.item, 1, d.now, d.clerk, "create", "", "draft", "", "", h1),
				row(ev, uuid.New(), d.item, 2, d.now, d.head, "accept", "issued", "in_progress", "已签收", h1, h2),
				row(`INSERT INTO item_code_sequences (scope_id, year, last_number) VALUES (?, 2026, 1)`, d.group),
			)
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "item_events", 2)
			expectCount(t, db, "item_tags", 2)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			office := env.As(env.Login("upgrade.clerk"))
			it := office.Do("GET", "/api/v1/items/"+d.item.String(), nil).Expect(200).Map()
			if it["title"] != "推进新能源基地项目前期工作" || it["state"] != "in_progress" || it["code"] != "督〔2026〕1号" {
				t.Errorf("item after upgrade: %v", it)
			}
			list := office.Do("GET", "/api/v1/items", nil).Expect(200).Map()
			if list["total"] != 1.0 {
				t.Errorf("item list after upgrade: total %v", list["total"])
			}
			// The lead unit's head lists it through item_visibility (0080 fills it
			// from the rows written before it, the application after it).
			if mine := env.As(env.Login("upgrade.head")).Do("GET", "/api/v1/items", nil).Expect(200).Map(); mine["total"] != 1.0 {
				t.Errorf("the lead unit's list after upgrade: total %v", mine["total"])
			}
			// Found by search through 0081's index (filled from the rows before it).
			if found := office.Do("GET", "/api/v1/items?q="+url.QueryEscape("新能源基地"), nil).Expect(200).Map(); found["total"] != 1.0 {
				t.Errorf("search after upgrade: total %v", found["total"])
			}
			ev := office.Do("GET", "/api/v1/items/"+d.item.String()+"/events", nil).Expect(200).Map()
			if data, _ := ev["data"].([]any); len(data) != 2 {
				t.Errorf("timeline after upgrade: %v", ev)
			}
			// Rows from before 0009 get their next feedback date when the application
			// starts (feedback.Service.Backfill); rows from after keep theirs.
			var due int64
			env.DB.Gorm().Raw("SELECT count(*) FROM item_assignments WHERE id = ? AND next_feedback_due IS NOT NULL", d.leadAsg).Scan(&due)
			if due != 1 {
				t.Errorf("the lead assignment has no next feedback date after upgrade")
			}
			// The lead unit's head sees it too (visibility by assignment).
			env.As(env.Login("upgrade.head")).Do("GET", "/api/v1/items/"+d.item.String()+"/milestones", nil).Expect(200)
		},
	},
	{
		id: "0004_calendar",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx,
				row(`INSERT INTO calendar_years (year, version, note, updated_by, updated_at) VALUES (2030, 2, '暂定', ?, ?)`, d.admin, d.now),
				row(`INSERT INTO calendar_days (date, year, kind, name) VALUES ('2030-10-01', 2030, 'holiday', '国庆节'), ('2030-09-29', 2030, 'workday', '国庆节调休')`),
				row(`INSERT INTO idempotency_keys (id, user_id, key, method, path, state, request_hash, status, headers, body, locked_until, created_at, expires_at)
					VALUES (?, ?, 'retry-1', 'POST', '/api/v1/items', 'done', ?, 201, '{}', ?, ?, ?, ?)`,
					fakeHash("idem"), d.clerk, fakeHash("body"), []byte(`{"id":"x"}`), d.now, d.now, d.now.Add(24*time.Hour)),
			)
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "idempotency_keys WHERE key = 'retry-1'", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			y := env.As(env.Login("upgrade.admin")).Do("GET", "/api/v1/calendar/2030", nil).Expect(200).Map()
			if days, _ := y["days"].([]any); len(days) != 2 || y["note"] != "暂定" {
				t.Errorf("calendar 2030 after upgrade: %v", y)
			}
		},
	},
	{
		id: "0005_attachments",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			content := []byte("可研报告提纲：一、项目概况；二、建设方案。\n")
			key := d.now.Format("2006/01") + "/" + d.attachment.String()
			p := filepath.Join(d.dataDir, "files", filepath.FromSlash(key))
			if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
				return err
			}
			if err := os.WriteFile(p, content, 0o600); err != nil {
				return err
			}
			sum := sha256.Sum256(content)
			return exec(tx, row(`INSERT INTO attachments (id, item_id, owner_type, owner_id, filename, content_type, size, sha256, storage_key, uploaded_by, created_at)
				VALUES (?, ?, 'item', ?, '可研提纲.txt', 'text/plain; charset=utf-8', ?, ?, ?, ?, ?)`,
				d.attachment, d.item, d.item, len(content), hex.EncodeToString(sum[:]), key, d.head, d.now))
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			office := env.As(env.Login("upgrade.clerk"))
			r := office.Do("GET", "/api/v1/attachments/"+d.attachment.String()+"/content", nil).Expect(200)
			if !strings.HasPrefix(string(r.Body), "可研报告提纲") {
				t.Errorf("attachment content after upgrade: %q", r.Body)
			}
		},
	},
	{
		id: "0006_followup",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx,
				row(`INSERT INTO item_feedback (id, item_id, unit_id, progress, content, problems, next_steps, state, created_by, updated_by, submitted_at, submitted_by, review_comment, version, created_at, updated_at)
					VALUES (?, ?, ?, 30, '已完成选址比选。', '用地指标紧张', '下月完成初稿', 'submitted', ?, ?, ?, ?, '', 2, ?, ?)`,
					d.feedback, d.item, d.planning, d.head, d.head, d.now, d.head, d.now, d.now),
				row(`INSERT INTO item_urges (id, item_id, unit_id, kind, message, created_by, created_at, version) VALUES (?, ?, ?, 'manual', '请加快进度', ?, ?, 1)`,
					d.urge, d.item, d.planning, d.clerk, d.now),
				row(`INSERT INTO item_comments (id, item_id, kind, body, author_id, created_at) VALUES (?, ?, 'coordination', '协调会议定：规划部牵头。', ?, ?)`,
					d.comment, d.item, d.clerk, d.now),
			)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			office := env.As(env.Login("upgrade.clerk"))
			fb := office.Do("GET", "/api/v1/items/"+d.item.String()+"/feedback", nil).Expect(200)
			if !strings.Contains(string(fb.Body), "已完成选址比选") {
				t.Errorf("feedback after upgrade: %s", fb.Body)
			}
			cm := office.Do("GET", "/api/v1/items/"+d.item.String()+"/comments", nil).Expect(200)
			if !strings.Contains(string(cm.Body), "协调会议定") {
				t.Errorf("comments after upgrade: %s", cm.Body)
			}
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "item_urges WHERE kind = 'manual'", 1)
		},
	},
	{
		id: "0007_closing",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			from := d.now.AddDate(0, 1, 0).Format("2006-01-02")
			to := d.now.AddDate(0, 2, 0).Format("2006-01-02")
			return exec(tx,
				row(`INSERT INTO extension_requests (id, item_id, requested_by, unit_id, current_deadline, requested_deadline, reason, progress, state, decided_by, decided_at, decision_comment, review_comment, version, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, '用地审批延后', 30, 'approved', NULL, ?, '同意', '', 3, ?, ?)`,
					d.extension, d.item, d.head, d.planning, from, to, d.now, d.now, d.now),
				row(`INSERT INTO deadline_changes (id, item_id, kind, from_deadline, to_deadline, extension_request_id, decision_note, changed_by, created_at)
					VALUES (?, ?, 'extension', ?, ?, ?, '', ?, ?)`, d.deadline, d.item, from, to, d.extension, d.clerk, d.now),
			)
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "deadline_changes", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			r := env.As(env.Login("upgrade.clerk")).Do("GET", "/api/v1/items/"+d.item.String()+"/extensions", nil)
			if r.Status != 200 || !strings.Contains(string(r.Body), "用地审批延后") {
				t.Errorf("extension requests after upgrade: %d %s", r.Status, r.Body)
			}
			r = env.As(env.Login("upgrade.clerk")).Do("GET", "/api/v1/items/"+d.item.String()+"/deadline-changes", nil)
			if r.Status != 200 || !strings.Contains(string(r.Body), d.deadline.String()) {
				t.Errorf("deadline changes after upgrade: %d %s", r.Status, r.Body)
			}
		},
	},
	{
		id: "0008_warnings",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`INSERT INTO item_warning_clears (item_id, cleared_light, deadline, reason, cleared_by, cleared_at) VALUES (?, 'blue', ?, '已协调', ?, ?)`,
				d.item, d.now.AddDate(0, 2, 0).Format("2006-01-02"), d.clerk, d.now))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "item_warning_clears", 1)
		},
	},
	{
		id: "0009_feedback_due",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`UPDATE item_assignments SET next_feedback_due = ? WHERE id = ?`, d.now.AddDate(0, 0, 20).Format("2006-01-02"), d.leadAsg))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "item_assignments WHERE next_feedback_due IS NOT NULL AND role = 'lead'", 1)
		},
	},
	{
		id: "0010_events",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			// An event committed but not yet dispatched when the upgrade stopped
			// the process: it must still be there to hand over.
			return exec(tx, row(`INSERT INTO domain_events (id, kind, at, item_id, scope_id, payload, attempts, last_error)
				VALUES (?, 'item.submitted', ?, ?, ?, '{"item":{"title":"升级前的事件"}}', 0, '')`,
				uuid.Must(uuid.NewV7()), d.now, d.item, d.group))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "domain_events WHERE kind = 'item.submitted' AND dispatched_at IS NULL", 1)
		},
	},
	{
		id: "0011_jobs",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`INSERT INTO jobs (id, kind, args, unique_key, state, attempts, max_attempts, run_at, locked_by, last_error, created_at)
				VALUES (?, 'upgrade.test', '{}', 'upgrade:1', 'available', 0, 20, ?, '', '', ?)`, uuid.Must(uuid.NewV7()), d.now, d.now))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "jobs WHERE unique_key = 'upgrade:1' AND state = 'available'", 1)
			expectCount(t, db, "users WHERE is_system", 0)
		},
	},
	{
		id: "0015_reminders",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx,
				row(`INSERT INTO item_urges (id, item_id, unit_id, kind, message, created_at, version, reminder, reminder_day)
					VALUES (?, ?, ?, 'auto', '距办结时限还有3个工作日', ?, 1, 'deadline_approaching', '2026-01-05')`,
					uuid.Must(uuid.NewV7()), d.item, d.planning, d.now))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "item_urges WHERE reminder = 'deadline_approaching'", 1)
			expectCount(t, db, "item_urges WHERE reminder IS NULL", 1)
			// The index refuses a second reminder of the same kind, unit and day.
			err := db.Exec(`INSERT INTO item_urges (id, item_id, unit_id, kind, message, created_at, version, reminder, reminder_day)
				VALUES (?, ?, ?, 'auto', 'again', ?, 1, 'deadline_approaching', '2026-01-05')`, uuid.Must(uuid.NewV7()), d.item, d.planning, d.now).Error
			if err == nil {
				t.Error("a second reminder of the same item, unit, kind and day was stored")
			}
		},
	},
	{
		id: "0020_notifications",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx,
				row(`INSERT INTO notifications (id, user_id, seq, event_id, event_kind, kind, item_id, object_type, link,
					title_zh, title_en, body_zh, body_en, in_app, email_state, created_at)
					VALUES (?, ?, 1, ?, 'item.issued', 'item_issued', ?, 'item', ?, '新督办事项：升级前', 'New item: before the upgrade',
					'升级前的通知', 'A notification from before the upgrade', ?, '', ?)`,
					uuid.New(), d.head, uuid.New(), d.item, "/items/"+d.item.String(), true, d.now),
				row(`INSERT INTO notification_counters (user_id, last_seq) VALUES (?, 1)`, d.head),
				row(`INSERT INTO notification_settings (user_id, language, channels, digest, digest_time, quiet_start, quiet_end, version, updated_at)
					VALUES (?, 'en', '{"urge":{"in_app":true,"email":false}}', ?, '08:30', '22:00', '07:00', 2, ?)`, d.head, true, d.now),
				row(`INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)`, d.head, hashHex("dcal_upgrade"), d.now))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "notifications WHERE read_at IS NULL", 1)
			expectCount(t, db, "notification_settings WHERE digest_time = '08:30'", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			head := env.As(env.Login("upgrade.head"))
			if n := head.Do("GET", "/api/v1/notifications/unread-count", nil).Expect(200).Map()["count"]; n != 1.0 {
				t.Errorf("unread notifications after upgrade: %v", n)
			}
			s := head.Do("GET", "/api/v1/me/notification-settings", nil).Expect(200).Map()
			if s["language"] != "en" || s["digest"] != true || s["digest_time"] != "08:30" {
				t.Errorf("notification settings after upgrade: %v", s)
			}
			if r := env.Do("GET", "/api/v1/me/calendar.ics?token=dcal_upgrade", nil); r.Status != 200 {
				t.Errorf("calendar feed after upgrade: %d %s", r.Status, r.Body)
			}
		},
	},
	{
		id: "0025_webhooks",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			hook := uuid.Must(uuid.NewV7())
			return exec(tx,
				row(`INSERT INTO webhooks (id, url, description, event_types, secret, enabled, disabled_reason, created_by, created_at, updated_at, version)
					VALUES (?, 'https://hooks.example.com/duban', '升级前的订阅', '["item.issued"]', 'whsec_dXBncmFkZQ==', ?, '', ?, ?, ?, 1)`,
					hook, true, d.clerk, d.now, d.now),
				row(`INSERT INTO webhook_deliveries (id, webhook_id, message_id, event_type, trigger, payload, state, attempts, created_at,
					response_status, latency_ms, response_excerpt, error)
					VALUES (?, ?, 'msg_upgrade', 'item.issued', 'event', '{}', 'pending', 1, ?, 503, 12, 'down', '')`,
					uuid.Must(uuid.NewV7()), hook, d.now))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "webhooks WHERE enabled", 1)
			expectCount(t, db, "webhook_deliveries WHERE message_id = 'msg_upgrade' AND state = 'pending'", 1)
		},
	},
	{
		id:   "0026_channels",
		note: "a new table of robot channels; nothing to carry over",
	},
	{
		id: "0030_login_hardening",
		note: "new columns are filled by the migration itself (session_started_at from the family's first token); " +
			"the earlier steps' refresh tokens and API tokens are what it works on, and logging in after the upgrade reads them",
	},
	{
		id:   "0031_rate_limits",
		note: "a table of counters that live a minute; nothing to carry over",
	},
	{
		id: "0032_audit_chain",
		note: "the earlier steps' audit events are numbered by the migration and sealed with the key at the next start " +
			"(integrity.Seal); the application's start in this test does that, and duban audit verify's tests check it",
	},
	{
		id: "0040_directory",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx,
				row(`UPDATE users SET employee_no = 'E1001', source = 'import' WHERE id = ?`, d.head),
				row(`UPDATE org_units SET code = 'GH' WHERE id = ?`, d.planning))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "users WHERE employee_no = 'E1001'", 1)
			expectCount(t, db, "org_units WHERE code = 'GH'", 1)
		},
	},
	{
		id: "0050_reporting",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`INSERT INTO bulletins (id, scope_id, kind, period, period_from, period_to, title, state, year, number, doc_no,
				sections, data, created_by, updated_by, published_by, published_at, version, created_at, updated_at)
				VALUES (?, ?, 'monthly', '2026-11', '2026-11-01', '2026-11-30', '督查督办通报（2026年11月）', 'published', 2026, 11,
				'督办通报〔2026〕11号', '{}', '{}', ?, ?, ?, ?, 2, ?, ?)`,
				uuid.Must(uuid.NewV7()), d.group, d.clerk, d.clerk, d.clerk, d.now, d.now, d.now))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "bulletins WHERE number = 11 AND state = 'published'", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			r := env.As(env.Login("upgrade.clerk")).Do("GET", "/api/v1/bulletins", nil)
			if r.Status != 200 || !strings.Contains(string(r.Body), "督办通报〔2026〕11号") {
				t.Errorf("bulletins after upgrade: %d %s", r.Status, r.Body)
			}
		},
	},
	{
		id: "0070_overdue_record",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`UPDATE items SET was_overdue = ?, overdue_workdays = 4 WHERE id = ?`, true, d.item),
				row(`UPDATE item_assignments SET reassigned_at = ? WHERE id = ?`, d.now, d.coopAsg))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "items WHERE was_overdue AND overdue_workdays = 4", 1)
			expectCount(t, db, "item_assignments WHERE reassigned_at IS NOT NULL", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			r := env.As(env.Login("upgrade.clerk")).Do("GET", "/api/v1/items?was_overdue=true", nil)
			if r.Status != 200 || !strings.Contains(string(r.Body), d.item.String()) || !strings.Contains(string(r.Body), `"overdue_workdays":4`) {
				t.Errorf("was_overdue after upgrade: %d %s", r.Status, r.Body)
			}
		},
	},
	{
		id: "0080_item_visibility",
		// Written by the application for the item of step 0003 (a schema from before
		// 0080 gets them from the migration's backfill, checked in step 0003's app).
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`INSERT INTO item_visibility (subject_id, item_id) VALUES (?, ?), (?, ?), (?, ?)`,
				d.planning, d.item, d.office, d.item, d.head, d.item))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			// the lead unit (planning, also the lead assignment's), the cooperating office
			// and the lead assignment's responsible person
			expectCount(t, db, "item_visibility WHERE item_id = '"+d.item.String()+"'", 3)
		},
	},
	{
		id: "0081_item_search",
		note: "indexes for the list's search (trigrams on PostgreSQL; on SQLite an FTS5 table filled from the items " +
			"and kept by triggers); step 0003's item is found by a three-character query after the upgrade",
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			m := env.As(env.Login("upgrade.clerk")).Do("GET", "/api/v1/items?q="+url.QueryEscape("新能源"), nil).Expect(200).Map()
			if m["total"] != 1.0 {
				t.Errorf("search after upgrade: total %v", m["total"])
			}
		},
	},
	{
		id:   "0082_item_list_order",
		note: "an index of the open items in deadline order; no rows of its own",
	},
	{
		id: "0090_delegations",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`INSERT INTO delegations (id, principal_id, deputy_id, starts_at, ends_at, reason, created_by, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, '出差', ?, 1, ?, ?)`,
				uuid.Must(uuid.NewV7()), d.head, d.clerk, d.now, d.now.Add(24*time.Hour), d.head, d.now, d.now))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "delegations WHERE reason = '出差' AND ended_at IS NULL", 1)
		},
	},
	{
		id: "0100_stats_rollup",
		note: "the statistics rollup is derived from the items: the migration leaves it empty and marked unbuilt, " +
			"and the application builds it (company time zone, holiday calendar) at the first statistics request",
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "stats_rollup_state WHERE basis = ''", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			if err := env.App.Stats.Rebuild(context.Background()); err != nil {
				t.Fatalf("rebuild the statistics rollup: %v", err)
			}
			// step 0003's item is issued: counted once as the item and once for its lead unit
			expectCount(t, env.DB.Gorm(), "stats_rollup_marks WHERE item_id = '"+d.item.String()+"'", 1)
			expectCount(t, env.DB.Gorm(), "stats_rollup WHERE role = 'item' AND assigned = 1", 1)
		},
	},
	{
		id: "0110_service_accounts",
		// A service account of the planning department. The token of step 0002
		// (scope read) is rewritten to its fine scopes when it was made before
		// 0110; made after, it keeps the alias, which reads the same.
		insert: func(d *upgradeData, tx *gorm.DB) error {
			id := uuid.Must(uuid.NewV7())
			return exec(tx,
				row(`INSERT INTO users (id, username, display_name, password_hash, org_unit_id, email, phone, title, active, must_change_password, kind, version, created_at, updated_at)
					VALUES (?, 'upgrade.oa', 'OA 系统', '', ?, '', '', '待办同步', true, false, 'service', 1, ?, ?)`, id, d.planning, d.now, d.now))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "api_tokens WHERE scopes IN ('items:read,todo:read', 'read')", 1)
			expectCount(t, db, "users WHERE kind = 'service'", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			me := env.As(d.apiToken).Do("GET", "/api/v1/me", nil).Expect(200).Map()
			if fmt.Sprint(me["token_scopes"]) != "[items:read todo:read]" {
				t.Errorf("scopes of the old read token after upgrade: %v", me["token_scopes"])
			}
		},
	},
	{
		id:   "0120_change_seq",
		note: "a change_seq on the synced tables, written by triggers; rows from before start at 0 and move on their next write",
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			if err := db.Exec("UPDATE items SET title = title").Error; err != nil {
				t.Fatalf("touch items: %v", err)
			}
			expectCount(t, db, "items WHERE change_seq = 0", 0)
		},
	},
	{
		id: "0130_item_documents",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			return exec(tx, row(`UPDATE items SET doc_number = '大唐集团〔2026〕12号', doc_issuer = '国资委', doc_received_on = '2026-03-02',
				doc_classification = 'internal', source_url = 'https://oa.example.com/doc/12' WHERE id = ?`, d.item))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "items WHERE doc_number = '大唐集团〔2026〕12号' AND doc_received_on = '2026-03-02'", 1)
		},
	},
	{
		id: "0140_supervision_methods",
		insert: func(d *upgradeData, tx *gorm.DB) error {
			visit, meeting := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
			return exec(tx,
				row(`INSERT INTO item_joint_units (item_id, unit_id, added_by, added_at) VALUES (?, ?, ?, ?)`, d.item, d.office, d.clerk, d.now),
				row(`INSERT INTO item_visits (id, item_id, visited_on, place, authorised_by, findings, created_by, created_at)
					VALUES (?, ?, '2026-05-12', '项目现场', ?, '主体工程完成六成', ?, ?)`, visit, d.item, d.head, d.clerk, d.now),
				row(`INSERT INTO item_visit_people (visit_id, user_id, sort) VALUES (?, ?, 0)`, visit, d.clerk),
				row(`INSERT INTO item_coordinations (id, item_id, held_on, place, minutes, created_by, created_at)
					VALUES (?, ?, '2026-05-14', '第二会议室', '研究资金缺口', ?, ?)`, meeting, d.item, d.clerk, d.now),
				row(`INSERT INTO item_coordination_attendees (coordination_id, subject_id, kind, sort) VALUES (?, ?, 'unit', 1)`, meeting, d.planning),
				row(`INSERT INTO item_coordination_decisions (id, coordination_id, item_id, sort, text, milestone_id)
					VALUES (?, ?, ?, 0, '报送调整方案', ?)`, uuid.Must(uuid.NewV7()), meeting, d.item, d.milestone))
		},
		sql: func(t *testing.T, d *upgradeData, db *gorm.DB) {
			expectCount(t, db, "item_coordination_decisions WHERE milestone_id IS NOT NULL", 1)
		},
		app: func(t *testing.T, d *upgradeData, env *apitest.Env) {
			m := env.As(env.Login("upgrade.clerk")).Do("GET", "/api/v1/items/"+d.item.String()+"/methods", nil).Expect(200).Map()
			c := m["coordinations"].([]any)
			if len(m["joint_units"].([]any)) != 1 || len(m["visits"].([]any)) != 1 || len(c) != 1 ||
				len(c[0].(map[string]any)["decisions"].([]any)) != 1 {
				t.Errorf("methods after upgrade: %v", m)
			}
		},
	},
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func expectCount(t *testing.T, db *gorm.DB, from string, want int64) {
	t.Helper()
	var n int64
	if err := db.Raw("SELECT count(*) FROM " + from).Scan(&n).Error; err != nil {
		t.Errorf("count %s: %v", from, err)
		return
	}
	if n != want {
		t.Errorf("count %s = %d, want %d", from, n, want)
	}
}

func TestEveryMigrationHasAnUpgradeStep(t *testing.T) {
	t.Parallel()
	steps := map[string]upgradeStep{}
	for _, s := range upgradeSteps {
		steps[s.id] = s
	}
	for _, m := range migrations.All() {
		s, ok := steps[m.ID]
		switch {
		case !ok:
			t.Errorf("migration %s has no step in upgradeSteps (upgrade_test.go): add the rows its schema holds, or a note why it has none", m.ID)
		case s.insert == nil && s.note == "":
			t.Errorf("upgrade step %s inserts nothing and gives no note why", m.ID)
		}
		delete(steps, m.ID)
	}
	for id := range steps {
		t.Errorf("upgrade step %s names no migration", id)
	}
}

func TestUpgradeFromEveryEarlierSchema(t *testing.T) {
	t.Parallel()
	all := migrations.All()
	for n := 1; n <= len(all); n++ {
		from := all[n-1].ID
		for _, d := range dbtest.Dialects {
			t.Run(from+"/"+string(d), func(t *testing.T) {
				t.Parallel()
				upgradeFrom(t, d, all[:n])
			})
		}
	}
}

func upgradeFrom(t *testing.T, dialect database.Dialect, applied []*gormigrate.Migration) {
	ctx := context.Background()
	db := emptyDB(t, dialect)
	if err := migrations.RunList(ctx, db.Gorm(), applied); err != nil {
		t.Fatalf("migrate to %s: %v", applied[len(applied)-1].ID, err)
	}
	cfg := apitest.Config(t)
	now := time.Now().UTC().Truncate(time.Second)
	d := &upgradeData{
		dataDir: cfg.DataDir, now: now,
		group: uuid.New(), office: uuid.New(), planning: uuid.New(),
		admin: uuid.New(), clerk: uuid.New(), head: uuid.New(),
		item: uuid.New(), leadAsg: uuid.New(), coopAsg: uuid.New(), milestone: uuid.New(),
		feedback: uuid.New(), urge: uuid.New(), comment: uuid.New(), attachment: uuid.New(),
		extension: uuid.New(), deadline: uuid.New(),
		apiToken: "dbn_" + strings.ReplaceAll(uuid.NewString(), "-", ""),
	}
	ids := map[string]bool{}
	for _, m := range applied {
		ids[m.ID] = true
	}
	var steps []upgradeStep
	for _, s := range upgradeSteps {
		if ids[s.id] {
			steps = append(steps, s)
		}
	}
	err := db.Gorm().Transaction(func(tx *gorm.DB) error {
		for _, s := range steps {
			if s.insert == nil {
				continue
			}
			if err := s.insert(d, tx); err != nil {
				return fmt.Errorf("step %s: %w", s.id, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("insert data for schema %s: %v", applied[len(applied)-1].ID, err)
	}
	if err := migrations.Run(ctx, db.Gorm()); err != nil {
		t.Fatalf("upgrade from %s: %v", applied[len(applied)-1].ID, err)
	}
	for _, s := range steps {
		if s.sql != nil {
			s.sql(t, d, db.Gorm())
		}
	}
	env := apitest.Start(t, db, cfg)
	for _, s := range steps {
		if s.app != nil {
			s.app(t, d, env)
		}
	}
}
