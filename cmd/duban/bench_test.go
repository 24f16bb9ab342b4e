package main

import (
	"net/http"
	"testing"
	"time"
)

// BenchmarkColdStartToReady measures a fresh process on an empty SQLite database:
// from exec to the first 200 from /readyz (migrations included).
//
//	go test -run '^$' -bench ColdStart -benchtime 10x ./cmd/duban
func BenchmarkColdStartToReady(b *testing.B) {
	var total time.Duration
	n := 0
	for b.Loop() {
		begin := time.Now()
		p := start(b)
		for {
			resp, err := http.Get("http://" + p.addr + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Since(begin) > 30*time.Second {
				b.Fatal("not ready after 30 s")
			}
			time.Sleep(2 * time.Millisecond)
		}
		total += time.Since(begin)
		n++
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(n), "ms-to-ready")
}
