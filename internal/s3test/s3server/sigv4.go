package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// verifier checks AWS Signature Version 4 on every request: in the Authorization
// header, or in the query of a presigned URL (which also carries its expiry).
// Payload hashes are taken as the client declares them (X-Amz-Content-Sha256), as
// S3 does before it reads the body; gofakes3 then checks Content-MD5 itself.
type verifier struct{ access, secret, region string }

const amzDate = "20060102T150405Z"

func (v verifier) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sig, err := v.check(r, time.Now().UTC())
		if err == nil && r.Header.Get("X-Amz-Content-Sha256") == streamingPayload {
			err = decodeChunked(r, sig)
		}
		if err != nil {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, err.code, err.msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

type authError struct{ code, msg string }

func denied(code, format string, args ...any) *authError {
	return &authError{code: code, msg: fmt.Sprintf(format, args...)}
}

// signed is what a verified request was signed with: what the signatures of the
// chunks of a streaming upload chain from.
type signed struct {
	key                    []byte
	date, scope, signature string
}

func (v verifier) check(r *http.Request, now time.Time) (signed, *authError) {
	q := r.URL.Query()
	var (
		credential, signedHeaders, signature, date, payload string
		presigned                                           = q.Get("X-Amz-Signature") != ""
	)
	if presigned {
		credential, signedHeaders, signature, date = q.Get("X-Amz-Credential"), q.Get("X-Amz-SignedHeaders"), q.Get("X-Amz-Signature"), q.Get("X-Amz-Date")
		payload = "UNSIGNED-PAYLOAD"
		t, err := time.Parse(amzDate, date)
		secs, err2 := strconv.Atoi(q.Get("X-Amz-Expires"))
		if err != nil || err2 != nil {
			return signed{}, denied("AuthorizationQueryParametersError", "bad X-Amz-Date or X-Amz-Expires")
		}
		if now.After(t.Add(time.Duration(secs) * time.Second)) {
			return signed{}, denied("AccessDenied", "Request has expired")
		}
	} else {
		auth := r.Header.Get("Authorization")
		rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
		if !ok {
			return signed{}, denied("AccessDenied", "anonymous access is not allowed")
		}
		for _, part := range strings.Split(rest, ",") {
			k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch k {
			case "Credential":
				credential = val
			case "SignedHeaders":
				signedHeaders = val
			case "Signature":
				signature = val
			}
		}
		date = r.Header.Get("X-Amz-Date")
		payload = r.Header.Get("X-Amz-Content-Sha256")
		if payload == "" {
			payload = "UNSIGNED-PAYLOAD"
		}
	}
	// Credential is KEY/DATE/REGION/s3/aws4_request.
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[3] != "s3" {
		return signed{}, denied("AuthorizationHeaderMalformed", "malformed credential %q", credential)
	}
	if parts[0] != v.access {
		return signed{}, denied("InvalidAccessKeyId", "the access key id %q does not exist", parts[0])
	}
	if parts[2] != v.region {
		return signed{}, denied("AuthorizationHeaderMalformed", "the region %q is wrong; expecting %q", parts[2], v.region)
	}
	if len(date) < 8 || date[:8] != parts[1] {
		return signed{}, denied("SignatureDoesNotMatch", "date does not match the credential scope")
	}
	canonical := strings.Join([]string{
		r.Method,
		canonicalURI(r.URL),
		canonicalQuery(q),
		canonicalHeaders(r, signedHeaders),
		signedHeaders,
		payload,
	}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	scope := strings.Join(parts[1:], "/")
	toSign := "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	key := hmacSHA256([]byte("AWS4"+v.secret), parts[1])
	key = hmacSHA256(key, parts[2])
	key = hmacSHA256(key, "s3")
	key = hmacSHA256(key, "aws4_request")
	want := hex.EncodeToString(hmacSHA256(key, toSign))
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return signed{}, denied("SignatureDoesNotMatch", "the request signature we calculated does not match the signature you provided")
	}
	return signed{key: key, date: date, scope: scope, signature: signature}, nil
}

func hmacSHA256(key []byte, s string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return m.Sum(nil)
}

// canonicalURI is the path, each segment URI-encoded (S3 does not double-encode).
func canonicalURI(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		raw, err := url.PathUnescape(s)
		if err != nil {
			raw = s
		}
		segs[i] = uriEncode(raw)
	}
	return strings.Join(segs, "/")
}

// canonicalQuery sorts the parameters (all but the signature) and encodes them.
func canonicalQuery(q url.Values) string {
	var pairs []string
	for k, vs := range q {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, uriEncode(k)+"="+uriEncode(v))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

func canonicalHeaders(r *http.Request, signed string) string {
	var b strings.Builder
	for _, h := range strings.Split(signed, ";") {
		var v string
		if h == "host" {
			v = r.Host
		} else {
			v = strings.Join(r.Header.Values(h), ",")
			if h == "content-length" && v == "" {
				v = strconv.FormatInt(r.ContentLength, 10)
			}
		}
		b.WriteString(h + ":" + strings.Join(strings.Fields(v), " ") + "\n")
	}
	return b.String()
}

// uriEncode encodes everything but the unreserved characters, as SigV4 wants.
func uriEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
