package migrations

import (
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// changeSeqTables are the tables integrators sync by cursor (internal/changes).
var changeSeqTables = []string{
	"items", "item_feedback", "item_urges", "item_assignments", "extension_requests", "completion_requests",
}

// m0120ChangeSeq gives every synced row a change_seq, written by the database on
// every insert and update whatever code path writes (issue 15): on PostgreSQL the
// id of the writing transaction (pg_current_xact_id), which readers hand out only
// below the oldest running transaction; on SQLite, whose writers take turns
// (BEGIN IMMEDIATE), a counter bumped inside the writing transaction, so in commit
// order. internal/changes/README.md explains why a cursor over (change_seq, id)
// then neither skips nor repeats a change.
func m0120ChangeSeq() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0120_change_seq",
		Migrate: func(tx *gorm.DB) error {
			pg := tx.Dialector.Name() == "postgres"
			var stmts []string
			if pg {
				stmts = append(stmts, `CREATE FUNCTION duban_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.change_seq := pg_current_xact_id()::text::bigint;
	RETURN NEW;
END $$`)
			} else {
				stmts = append(stmts, `CREATE TABLE change_counter (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)`,
					`INSERT INTO change_counter (id, n) VALUES (1, 0)`)
			}
			for _, t := range changeSeqTables {
				stmts = append(stmts,
					fmt.Sprintf(`ALTER TABLE %s ADD COLUMN change_seq bigint NOT NULL DEFAULT 0`, t),
					fmt.Sprintf(`CREATE INDEX idx_%s_change_seq ON %s (change_seq, id)`, t, t))
				if pg {
					stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER %s_change_seq BEFORE INSERT OR UPDATE ON %s
						FOR EACH ROW EXECUTE FUNCTION duban_change_seq()`, t, t))
					continue
				}
				// The inner UPDATE changes change_seq, so the WHEN keeps it from
				// firing the update trigger again (recursive triggers are off anyway).
				body := fmt.Sprintf(`BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1;
					UPDATE %s SET change_seq = (SELECT n FROM change_counter WHERE id = 1) WHERE rowid = NEW.rowid; END`, t)
				stmts = append(stmts,
					fmt.Sprintf(`CREATE TRIGGER %s_change_seq_insert AFTER INSERT ON %s %s`, t, t, body),
					fmt.Sprintf(`CREATE TRIGGER %s_change_seq_update AFTER UPDATE ON %s WHEN NEW.change_seq IS OLD.change_seq %s`, t, t, body))
			}
			for _, s := range stmts {
				if err := tx.Exec(s).Error; err != nil {
					return fmt.Errorf("%.60s: %w", s, err)
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			pg := tx.Dialector.Name() == "postgres"
			for _, t := range changeSeqTables {
				drops := []string{fmt.Sprintf(`DROP TRIGGER IF EXISTS %s_change_seq_insert`, t),
					fmt.Sprintf(`DROP TRIGGER IF EXISTS %s_change_seq_update`, t)}
				if pg {
					drops = []string{fmt.Sprintf(`DROP TRIGGER IF EXISTS %s_change_seq ON %s`, t, t)}
				}
				drops = append(drops, fmt.Sprintf(`DROP INDEX IF EXISTS idx_%s_change_seq`, t),
					fmt.Sprintf(`ALTER TABLE %s DROP COLUMN change_seq`, t))
				for _, s := range drops {
					if err := tx.Exec(s).Error; err != nil {
						return err
					}
				}
			}
			if pg {
				return tx.Exec(`DROP FUNCTION IF EXISTS duban_change_seq()`).Error
			}
			return tx.Exec(`DROP TABLE IF EXISTS change_counter`).Error
		},
	}
}
