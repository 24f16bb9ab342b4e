package items

import (
	"strings"

	"gorm.io/gorm"

	"github.com/duban/duban/internal/database"
)

// searchSQL adds the list's q: the items whose code, title, content or document
// number (文号, migration 0130) contains q,
// ignoring ASCII case. The condition is always the LIKE below; for q of three or
// more characters an index finds the candidates first (migration 0081):
//   - PostgreSQL: trigram GIN indexes on these very expressions answer the LIKE
//     (when pg_trgm could not be installed, it stays a scan);
//   - SQLite: the FTS5 trigram table items_fts, as a pre-filter (a trigram phrase
//     matches the same substrings, case-folded), with the LIKE rechecking each hit.
//
// Shorter queries have no trigram to look up: they scan with LIKE alone.
func searchSQL(q *gorm.DB, text string) *gorm.DB {
	pat := database.LikePattern(text)
	q = q.Where(`(LOWER(COALESCE(items.code, '')) LIKE ? ESCAPE '\' OR LOWER(items.title) LIKE ? ESCAPE '\' OR LOWER(items.content) LIKE ? ESCAPE '\'
		OR LOWER(items.doc_number) LIKE ? ESCAPE '\')`,
		pat, pat, pat, pat)
	if len([]rune(text)) >= 3 && q.Dialector.Name() == "sqlite" {
		// A phrase: the text in double quotes, its own quotes doubled, so FTS5's
		// operators (OR, NEAR, *, ^, :) are only characters.
		phrase := `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
		q = q.Where("items.id IN (SELECT fts.item_id FROM items_fts fts WHERE items_fts MATCH ?)", phrase)
	}
	return q
}
