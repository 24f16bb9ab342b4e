package database

import "strings"

// Page is a 1-based page of a list.
type Page struct {
	Page, Size int
}

// Offset is the number of rows before the page.
func (p Page) Offset() int { return (p.Page - 1) * p.Size }

// MaxPageSize is the largest page a client may ask for.
const MaxPageSize = 100

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// LikePattern makes a case-insensitive contains-match for `LOWER(col) LIKE ? ESCAPE '\'`:
// the text is lowered, its % _ and \ are escaped (a user's "100%" means the
// characters), and it is wrapped in wildcards. It works for Chinese text on both
// engines.
func LikePattern(s string) string {
	return "%" + likeEscaper.Replace(strings.ToLower(s)) + "%"
}
