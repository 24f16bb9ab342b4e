package migrations

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// m0081ItemSearch makes the item list's search (q: a substring of code, title or
// content, Chinese as often as not) use an index for queries of three or more
// characters (issue 16).
//
//   - PostgreSQL: trigram GIN indexes (pg_trgm) on exactly the expressions the list
//     compares with LIKE, so the same SQL is answered from the index. pg_trgm is a
//     trusted extension; where it cannot be created (not installed, no right) the
//     migration goes on without it and search stays a scan, as before.
//   - SQLite: an FTS5 table with the trigram tokenizer, kept by triggers on items
//     (so every writer keeps it, in its transaction). Its rows carry the item's id;
//     their rowid is the item's rowid, which only a VACUUM could renumber (Duban
//     never runs one): a search always rechecks with LIKE, so a stale row can hide
//     an item but never show a wrong one, and re-running the INSERT below after a
//     DELETE FROM items_fts rebuilds it.
func m0081ItemSearch() *gormigrate.Migration {
	postgres := []string{
		`CREATE INDEX idx_items_title_trgm ON items USING gin (LOWER(title) gin_trgm_ops)`,
		`CREATE INDEX idx_items_content_trgm ON items USING gin (LOWER(content) gin_trgm_ops)`,
		`CREATE INDEX idx_items_code_trgm ON items USING gin (LOWER(COALESCE(code, '')) gin_trgm_ops)`,
	}
	fts := `INSERT INTO items_fts (rowid, item_id, code, title, content) `
	sqlite := []string{
		`CREATE VIRTUAL TABLE items_fts USING fts5(item_id UNINDEXED, code, title, content, tokenize = 'trigram')`,
		fts + `SELECT rowid, id, COALESCE(code, ''), title, content FROM items`,
		`CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN ` +
			fts + `VALUES (new.rowid, new.id, COALESCE(new.code, ''), new.title, new.content); END`,
		`CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN DELETE FROM items_fts WHERE rowid = old.rowid; END`,
		`CREATE TRIGGER items_fts_update AFTER UPDATE OF code, title, content ON items BEGIN ` +
			`DELETE FROM items_fts WHERE rowid = old.rowid; ` +
			fts + `VALUES (new.rowid, new.id, COALESCE(new.code, ''), new.title, new.content); END`,
	}
	return &gormigrate.Migration{
		ID: "0081_item_search",
		Migrate: func(tx *gorm.DB) error {
			if tx.Dialector.Name() != "postgres" {
				for _, s := range sqlite {
					if err := tx.Exec(s).Error; err != nil {
						return err
					}
				}
				return nil
			}
			// A failed CREATE EXTENSION would abort the migrations' transaction:
			// try it under a savepoint and carry on without trigrams.
			if err := tx.SavePoint("pg_trgm").Error; err != nil {
				return err
			}
			if err := tx.Exec(`CREATE EXTENSION IF NOT EXISTS pg_trgm`).Error; err != nil {
				return tx.RollbackTo("pg_trgm").Error
			}
			for _, s := range postgres {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
		Rollback: func(tx *gorm.DB) error {
			var stmts []string
			if tx.Dialector.Name() == "postgres" {
				stmts = append(stmts, `DROP INDEX IF EXISTS idx_items_title_trgm`, `DROP INDEX IF EXISTS idx_items_content_trgm`,
					`DROP INDEX IF EXISTS idx_items_code_trgm`)
			} else {
				stmts = append(stmts, `DROP TRIGGER IF EXISTS items_fts_insert`, `DROP TRIGGER IF EXISTS items_fts_delete`,
					`DROP TRIGGER IF EXISTS items_fts_update`, `DROP TABLE IF EXISTS items_fts`)
			}
			for _, s := range stmts {
				if err := tx.Exec(s).Error; err != nil {
					return err
				}
			}
			return nil
		},
	}
}
