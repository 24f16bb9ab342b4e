package database

import "context"

// ParamsFilter keeps the values out of the SQL that GORM logs (slow and failed
// queries): statements are logged with their placeholders, so a password hash, a
// token hash or a user's text never reaches the log.
func (g *gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}
