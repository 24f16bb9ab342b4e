package ledger_test

import (
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/dbtest"
	"github.com/duban/duban/internal/stats/statstest"
)

// BenchmarkExport measures GET /items/export.xlsx and .csv of DUBAN_BENCH_EXPORT_ROWS
// items (default 100,000) on PostgreSQL: the time of the whole download and the
// peak heap of the process while it runs (sampled every 5 ms; the server runs in
// this process, so this is the server's memory plus the client's small buffer).
// It runs only when asked (seeding takes a while):
//
//	scripts/bench-reporting.sh    (or)
//	DUBAN_BENCH_EXPORT=1 go test ./internal/ledger -run '^$' -bench Export -benchtime 1x
func BenchmarkExport(b *testing.B) {
	if os.Getenv("DUBAN_BENCH_EXPORT") == "" {
		b.Skip("set DUBAN_BENCH_EXPORT=1 (scripts/bench-reporting.sh) to seed 100,000 items and measure")
	}
	n := 100_000
	if v := os.Getenv("DUBAN_BENCH_EXPORT_ROWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("DUBAN_BENCH_EXPORT_ROWS=%q", v)
		}
	}
	env := apitest.Start(b, dbtest.New(b, database.Postgres), apitest.Config(b))
	big := statstest.NewBig(env)
	if err := statstest.SeedPostgres(env, big, n, env.App.Items.Today()); err != nil {
		b.Fatal(err)
	}
	token := env.OpenSession(big.Sup)
	for _, ext := range []string{"xlsx", "csv"} {
		b.Run(ext, func(b *testing.B) {
			for b.Loop() {
				runtime.GC()
				var base runtime.MemStats
				runtime.ReadMemStats(&base)
				var peak atomic.Uint64
				done := make(chan struct{})
				go func() {
					var m runtime.MemStats
					for {
						select {
						case <-done:
							return
						case <-time.After(5 * time.Millisecond):
							runtime.ReadMemStats(&m)
							if m.HeapInuse > peak.Load() {
								peak.Store(m.HeapInuse)
							}
						}
					}
				}()
				t0 := time.Now()
				req, _ := http.NewRequest("GET", env.URL+"/api/v1/items/export."+ext, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := env.Client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				size, err := io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				close(done)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("export: %d %v", resp.StatusCode, err)
				}
				var end runtime.MemStats
				runtime.ReadMemStats(&end)
				b.ReportMetric(time.Since(t0).Seconds(), "seconds")
				b.ReportMetric(float64(peak.Load())/(1<<20), "peak_heap_MB")
				b.ReportMetric(float64(end.Sys)/(1<<20), "sys_MB")
				b.ReportMetric(float64(size)/(1<<20), "file_MB")
				b.ReportMetric(float64(n), "rows")
			}
		})
	}
}
