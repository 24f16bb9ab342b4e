package items_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	gormlogger "gorm.io/gorm/logger"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/database"
)

// captureLogger keeps the SQL (values interpolated) of the statements run while
// it is installed.
type captureLogger struct {
	gormlogger.Interface
	mu  sync.Mutex
	sql []string
}

func (l *captureLogger) LogMode(gormlogger.LogLevel) gormlogger.Interface { return l }

func (l *captureLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	s, _ := fc()
	l.mu.Lock()
	l.sql = append(l.sql, s)
	l.mu.Unlock()
}

// explainRequest runs one request with the statements captured, then shows the
// plan of each SELECT on items with its time (EXPLAIN ANALYZE on PostgreSQL,
// EXPLAIN QUERY PLAN and a timed run on SQLite). DUBAN_BENCH_EXPLAIN=1 turns it on.
func explainRequest(b *testing.B, env *apitest.Env, c *apitest.Env, path string) {
	gdb := env.DB.Gorm()
	prev := gdb.Logger
	capt := &captureLogger{Interface: prev}
	gdb.Logger = capt
	c.Do("GET", path, nil).Expect(200)
	gdb.Logger = prev
	for _, s := range capt.sql {
		if !strings.HasPrefix(s, "SELECT") || !strings.Contains(s, "FROM items") && !strings.Contains(s, "FROM (SELECT 1 FROM items") {
			continue
		}
		var lines []string
		if env.DB.Dialect() == database.Postgres {
			rows, err := gdb.Raw("EXPLAIN (ANALYZE, BUFFERS) " + s).Rows()
			if err != nil {
				b.Logf("explain: %v", err)
				continue
			}
			for rows.Next() {
				var l string
				_ = rows.Scan(&l)
				lines = append(lines, l)
			}
			rows.Close()
		} else {
			rows, err := gdb.Raw("EXPLAIN QUERY PLAN " + s).Rows()
			if err != nil {
				b.Logf("explain: %v", err)
				continue
			}
			for rows.Next() {
				var id, parent, notused int
				var detail string
				_ = rows.Scan(&id, &parent, &notused, &detail)
				lines = append(lines, detail)
			}
			rows.Close()
			t0 := time.Now()
			var n []map[string]any
			gdb.Raw(s).Scan(&n)
			lines = append(lines, "time: "+time.Since(t0).String())
		}
		b.Logf("%s\n  %s\n  %s", path, s, strings.Join(lines, "\n  "))
	}
}
