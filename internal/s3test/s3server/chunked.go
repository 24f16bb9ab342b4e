package main

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
)

const streamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"

var emptySHA256 = sha256.Sum256(nil)

// decodeChunked reads a body sent with a streaming signature (aws-chunked: each
// chunk "SIZE;chunk-signature=SIG\r\nDATA\r\n", ending with a chunk of size 0),
// checks every chunk's signature against the chain that starts at the request's
// own, and hands the decoded body on as a plain one. gofakes3 decodes it only on a
// single PUT and without checking; clients (minio-go among them) also use it for
// the parts of multipart uploads.
func decodeChunked(r *http.Request, sig signed) *authError {
	br := bufio.NewReader(r.Body)
	var out bytes.Buffer
	prev := sig.signature
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return denied("IncompleteBody", "truncated chunk header")
		}
		sizeHex, sigPart, ok := strings.Cut(strings.TrimRight(line, "\r\n"), ";chunk-signature=")
		size, err := strconv.ParseInt(sizeHex, 16, 64)
		if !ok || err != nil || size < 0 {
			return denied("InvalidRequest", "malformed chunk header %q", line)
		}
		data := make([]byte, size)
		if _, err := io.ReadFull(br, data); err != nil {
			return denied("IncompleteBody", "truncated chunk")
		}
		if size > 0 {
			if crlf, err := br.ReadString('\n'); err != nil || crlf != "\r\n" {
				return denied("InvalidRequest", "chunk not followed by CRLF")
			}
		}
		sum := sha256.Sum256(data)
		toSign := strings.Join([]string{"AWS4-HMAC-SHA256-PAYLOAD", sig.date, sig.scope, prev,
			hex.EncodeToString(emptySHA256[:]), hex.EncodeToString(sum[:])}, "\n")
		want := hex.EncodeToString(hmacSHA256(sig.key, toSign))
		if !hmac.Equal([]byte(want), []byte(sigPart)) {
			return denied("SignatureDoesNotMatch", "chunk signature does not match")
		}
		prev = sigPart
		out.Write(data)
		if size == 0 {
			break
		}
	}
	if decoded := r.Header.Get("X-Amz-Decoded-Content-Length"); decoded != strconv.Itoa(out.Len()) {
		return denied("IncompleteBody", "decoded length %d, declared %s", out.Len(), decoded)
	}
	r.Body = io.NopCloser(&out)
	r.ContentLength = int64(out.Len())
	r.Header.Set("Content-Length", strconv.Itoa(out.Len()))
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	r.Header.Del("Content-Encoding")
	r.Header.Del("X-Amz-Decoded-Content-Length")
	return nil
}
