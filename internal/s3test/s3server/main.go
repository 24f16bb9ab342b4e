// Command s3server is the S3-compatible server Duban's tests start as a separate
// process: gofakes3 (an implementation of the S3 REST protocol) over a directory of
// the local disk, behind a check of AWS Signature Version 4, so that a client with
// the wrong credentials, region or signing is refused as a real service would refuse
// it, and a presigned URL stops working when it expires.
//
//	s3server -dir D -bucket B -access-key K -secret-key S [-region R] [-addr 127.0.0.1:0]
//
// It prints "listening on HOST:PORT" on stdout once it accepts connections.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"
)

func main() {
	dir := flag.String("dir", "", "directory that holds the buckets")
	bucket := flag.String("bucket", "", "bucket created at start")
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	access := flag.String("access-key", "", "the one access key id accepted")
	secret := flag.String("secret-key", "", "its secret")
	region := flag.String("region", "us-east-1", "region in the signing scope")
	flag.Parse()
	if *dir == "" || *bucket == "" || *access == "" || *secret == "" {
		flag.Usage()
		os.Exit(2)
	}
	// Objects end up in DIR/buckets/BUCKET/KEY, their metadata in DIR/metadata.
	data, err := s3afero.FsPath(*dir, s3afero.FsPathCreateAll)
	if err != nil {
		log.Fatal(err)
	}
	meta, err := s3afero.FsPath(filepath.Join(*dir, "metadata"), s3afero.FsPathCreateAll)
	if err != nil {
		log.Fatal(err)
	}
	backend, err := s3afero.MultiBucket(data, s3afero.MultiWithMetaFs(meta))
	if err != nil {
		log.Fatal(err)
	}
	if err := backend.CreateBucket(*bucket); err != nil && !gofakes3.IsAlreadyExists(err) {
		log.Fatal(err)
	}
	s3 := gofakes3.New(backend, gofakes3.WithLogger(gofakes3.DiscardLog()))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	v := verifier{access: *access, secret: *secret, region: *region}
	log.Fatal(http.Serve(ln, v.wrap(s3.Server())))
}
