package items_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gormlogger "gorm.io/gorm/logger"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/database"
)

// itemsQuery: a statement on the items table (GORM quotes its name).
var itemsQuery = regexp.MustCompile("FROM\\s+[`\"]?items[`\"]?\\s")

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
// EXPLAIN QUERY PLAN and a timed run on SQLite), appended to the file named by
// DUBAN_BENCH_EXPLAIN (a benchmark's log is cut after a few lines).
func explainRequest(b *testing.B, env *apitest.Env, c *apitest.Env, path string) {
	out, err := os.OpenFile(os.Getenv("DUBAN_BENCH_EXPLAIN"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	gdb := env.DB.Gorm()
	prev := gdb.Logger
	capt := &captureLogger{Interface: prev}
	gdb.Logger = capt
	c.Do("GET", path, nil).Expect(200)
	gdb.Logger = prev
	for _, s := range capt.sql {
		if !strings.HasPrefix(s, "SELECT") || !itemsQuery.MatchString(s) {
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
		fmt.Fprintf(out, "== %s %s\n%s\n  %s\n\n", env.DB.Dialect(), path, s, strings.Join(lines, "\n  "))
	}
}
