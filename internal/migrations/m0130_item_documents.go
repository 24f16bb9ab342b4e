package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0130ItemDocuments gives items the fields of a document (公文, §7(二)): its number
// (文号), issuing authority (发文机关), date received (收文日期) and classification
// (密级); the fields of a leader's instruction (§7(一) "公司领导批转、交办和布置的工作事项",
// source leader_instruction): its text, the instructing leader and its date; and
// source_url, the link to the document in the OA system (跟踪督办).
//
// The list's search (q) also finds the document number: PostgreSQL gets a trigram
// index on it (when pg_trgm exists, see 0081); SQLite's items_fts is rebuilt with a
// doc_number column and its triggers follow it.
func m0130ItemDocuments() *gormigrate.Migration {
	type Item struct {
		DocNumber           string  `gorm:"size:100;not null;default:''"`
		DocIssuer           string  `gorm:"size:200;not null;default:''"`
		DocReceivedOn       *string `gorm:"size:10"`
		DocClassification   string  `gorm:"size:20;not null;default:''"`
		InstructionText     string  `gorm:"type:text;not null;default:''"`
		InstructionLeaderID *string `gorm:"type:uuid"`
		InstructionDate     *string `gorm:"size:10"`
		SourceURL           string  `gorm:"column:source_url;size:2000;not null;default:''"`
	}
	cols := []string{"DocNumber", "DocIssuer", "DocReceivedOn", "DocClassification", "InstructionText",
		"InstructionLeaderID", "InstructionDate", "SourceURL"}
	fts := `INSERT INTO items_fts (rowid, item_id, code, title, content, doc_number) `
	sqliteUp := []string{
		`DROP TRIGGER IF EXISTS items_fts_insert`, `DROP TRIGGER IF EXISTS items_fts_delete`,
		`DROP TRIGGER IF EXISTS items_fts_update`, `DROP TABLE IF EXISTS items_fts`,
		`CREATE VIRTUAL TABLE items_fts USING fts5(item_id UNINDEXED, code, title, content, doc_number, tokenize = 'trigram')`,
		fts + `SELECT rowid, id, COALESCE(code, ''), title, content, doc_number FROM items`,
		`CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN ` +
			fts + `VALUES (new.rowid, new.id, COALESCE(new.code, ''), new.title, new.content, new.doc_number); END`,
		`CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN DELETE FROM items_fts WHERE rowid = old.rowid; END`,
		`CREATE TRIGGER items_fts_update AFTER UPDATE OF code, title, content, doc_number ON items BEGIN ` +
			`DELETE FROM items_fts WHERE rowid = old.rowid; ` +
			fts + `VALUES (new.rowid, new.id, COALESCE(new.code, ''), new.title, new.content, new.doc_number); END`,
	}
	oldFTS := `INSERT INTO items_fts (rowid, item_id, code, title, content) `
	sqliteDown := []string{
		`DROP TRIGGER IF EXISTS items_fts_insert`, `DROP TRIGGER IF EXISTS items_fts_delete`,
		`DROP TRIGGER IF EXISTS items_fts_update`, `DROP TABLE IF EXISTS items_fts`,
		`CREATE VIRTUAL TABLE items_fts USING fts5(item_id UNINDEXED, code, title, content, tokenize = 'trigram')`,
		oldFTS + `SELECT rowid, id, COALESCE(code, ''), title, content FROM items`,
		`CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN ` +
			oldFTS + `VALUES (new.rowid, new.id, COALESCE(new.code, ''), new.title, new.content); END`,
		`CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN DELETE FROM items_fts WHERE rowid = old.rowid; END`,
		`CREATE TRIGGER items_fts_update AFTER UPDATE OF code, title, content ON items BEGIN ` +
			`DELETE FROM items_fts WHERE rowid = old.rowid; ` +
			oldFTS + `VALUES (new.rowid, new.id, COALESCE(new.code, ''), new.title, new.content); END`,
	}
	exec := func(tx *gorm.DB, stmts []string) error {
		for _, s := range stmts {
			if err := tx.Exec(s).Error; err != nil {
				return err
			}
		}
		return nil
	}
	return &gormigrate.Migration{
		ID: "0130_item_documents",
		Migrate: func(tx *gorm.DB) error {
			for _, c := range cols {
				if err := tx.Migrator().AddColumn(&Item{}, c); err != nil {
					return err
				}
			}
			if err := tx.Exec(`CREATE INDEX idx_items_doc_number ON items (doc_number)`).Error; err != nil {
				return err
			}
			if tx.Dialector.Name() != "postgres" {
				return exec(tx, sqliteUp)
			}
			var trgm int64
			if err := tx.Raw(`SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'`).Scan(&trgm).Error; err != nil {
				return err
			}
			if trgm == 0 {
				return nil
			}
			return tx.Exec(`CREATE INDEX idx_items_doc_number_trgm ON items USING gin (LOWER(doc_number) gin_trgm_ops)`).Error
		},
		Rollback: func(tx *gorm.DB) error {
			if tx.Dialector.Name() == "postgres" {
				if err := tx.Exec(`DROP INDEX IF EXISTS idx_items_doc_number_trgm`).Error; err != nil {
					return err
				}
			} else if err := exec(tx, sqliteDown); err != nil {
				return err
			}
			if err := tx.Exec(`DROP INDEX IF EXISTS idx_items_doc_number`).Error; err != nil {
				return err
			}
			for _, c := range cols {
				if err := tx.Migrator().DropColumn(&Item{}, c); err != nil {
					return err
				}
			}
			return nil
		},
	}
}
