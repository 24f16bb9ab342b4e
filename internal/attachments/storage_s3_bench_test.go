package attachments_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/s3test"
)

// BenchmarkS3Upload streams a 20 MiB upload (the default upload limit) of unknown
// length into the S3 backend and reads it back, against the real test server:
// MB/s both ways, and the peak heap growth during the upload, which stays near one
// 5 MiB part whatever the file's size.
//
//	go test -run '^$' -bench S3Upload -benchtime 5x ./internal/attachments/
func BenchmarkS3Upload(b *testing.B) {
	srv := s3test.Start(b)
	ctx := context.Background()
	st, err := attachments.NewS3Storage(ctx, attachments.S3Options{Endpoint: srv.Endpoint, Bucket: srv.Bucket, Region: srv.Region,
		AccessKeyID: srv.AccessKey, SecretAccessKey: srv.SecretKey, PathStyle: true})
	if err != nil {
		b.Fatal(err)
	}
	const size = 20 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	for i := range b.N {
		key := fmt.Sprintf("bench/%d", i)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		done := make(chan uint64)
		stop := make(chan struct{})
		go func() { // samples the heap while the upload runs
			var m runtime.MemStats
			var top uint64
			for {
				select {
				case <-stop:
					done <- top
					return
				default:
				}
				runtime.ReadMemStats(&m)
				top = max(top, m.HeapInuse)
				runtime.Gosched()
			}
		}()
		if err := st.Put(ctx, key, io.LimitReader(zeros{}, size)); err != nil {
			b.Fatal(err)
		}
		close(stop)
		if top := <-done; top > before.HeapInuse {
			peak = max(peak, top-before.HeapInuse)
		}
		rc, err := st.Open(ctx, key)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.Copy(io.Discard, rc); err != nil || n != size {
			b.Fatalf("read back %d bytes: %v", n, err)
		}
		rc.Close()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
