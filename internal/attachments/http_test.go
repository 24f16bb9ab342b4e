package attachments_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

// upload sends a multipart upload as the env's token holder.
func upload(env *apitest.Env, itemID, filename string, content []byte) *apitest.Response {
	env.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if itemID != "" {
		_ = mw.WriteField("item_id", itemID)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+env.Token)
	return env.Send(req)
}

type uploadType struct {
	ContentType string `json:"content_type"`
	Kind        string `json:"kind"`
}

func count(env *apitest.Env) int64 {
	var n int64
	env.DB.Gorm().Table("attachments").Count(&n)
	return n
}

func TestAttachmentsThroughHTTP(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("安全生产专项整治", 30).String()
		headB := env.As(env.Login("headb"))
		stranger := env.As(env.Login("stranger"))
		auditor := env.As(env.Login("auditor"))
		sup := env.As(env.Login("sup"))

		pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		r := upload(headB, item, "整改方案（第二稿）.pdf", pdf).Expect(201)
		var a struct {
			ID, Filename, ContentType, SHA256, ContentURL string
			Size                                          int64
		}
		m := r.Map()
		a.ID, a.Filename, a.ContentType = m["id"].(string), m["filename"].(string), m["content_type"].(string)
		a.SHA256, a.ContentURL, a.Size = m["sha256"].(string), m["content_url"].(string), int64(m["size"].(float64))
		sum := sha256.Sum256(pdf)
		if a.Filename != "整改方案（第二稿）.pdf" || a.ContentType != "application/pdf" || a.Size != int64(len(pdf)) || a.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("metadata %+v", a)
		}

		// Until a record cites it, the file is its uploader's alone.
		headB.Do("GET", a.ContentURL, nil).Expect(200)
		sup.Do("GET", "/api/v1/attachments/"+a.ID, nil).Problem(404, "not_found")
		sup.Do("GET", a.ContentURL, nil).Problem(404, "not_found")
		headB.Do("POST", "/api/v1/items/"+item+"/feedback", map[string]any{
			"progress": 20, "content": "已制定整改方案。", "attachment_ids": []string{a.ID}, "submit": true,
		}).Expect(201)

		// The supervision office downloads it with the Chinese name intact.
		dl := sup.Do("GET", a.ContentURL, nil).Expect(200)
		if !bytes.Equal(dl.Body, pdf) {
			t.Fatal("downloaded bytes differ")
		}
		_, params, err := mime.ParseMediaType(dl.Header.Get("Content-Disposition"))
		if err != nil || params["filename"] != "整改方案（第二稿）.pdf" {
			t.Fatalf("Content-Disposition %q: %v %v", dl.Header.Get("Content-Disposition"), params, err)
		}
		if dl.Header.Get("Content-Type") != "application/pdf" || dl.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download headers %v", dl.Header)
		}
		auditor.Do("GET", "/api/v1/attachments/"+a.ID, nil).Expect(200)

		// Another unit sees neither the file nor its content.
		stranger.Do("GET", "/api/v1/attachments/"+a.ID, nil).Problem(404, "not_found")
		stranger.Do("GET", "/api/v1/attachments/"+a.ID+"/content", nil).Problem(404, "not_found")
		upload(stranger, item, "x.pdf", pdf).Problem(404, "not_found")
		// Auditors read but do not add.
		upload(auditor, item, "x.pdf", pdf).Problem(403, "forbidden")

		before := count(env)
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 512)...)
		upload(headB, item, "报告.pdf", exe).Problem(415, "unsupported_media_type")
		upload(headB, item, "page.txt", []byte("<!DOCTYPE html><html><script>alert(1)</script>")).Problem(415, "unsupported_media_type")
		upload(headB, "", "a.pdf", pdf).Problem(422, "validation_failed")
		upload(headB, "not-a-uuid", "a.pdf", pdf).Problem(422, "validation_failed")
		upload(headB, "0190a0a0-0000-7000-8000-000000000000", "a.pdf", pdf).Problem(404, "not_found")
		upload(headB, item, "empty.pdf", nil).Problem(422, "validation_failed")
		// The policy a client checks before sending says what the server then does.
		var policy struct {
			MaxBytes int64        `json:"max_bytes"`
			Types    []uploadType `json:"types"`
		}
		headB.Do("GET", "/api/v1/attachments/policy", nil).Expect(200).JSON(&policy)
		if policy.MaxBytes != 20<<20 || !slices.Contains(policy.Types, uploadType{"application/pdf", "pdf"}) ||
			slices.ContainsFunc(policy.Types, func(t uploadType) bool { return t.ContentType == "text/html" }) {
			t.Fatalf("upload policy %+v", policy)
		}
		big := append(append([]byte{}, pdf...), bytes.Repeat([]byte("0"), int(policy.MaxBytes)+1)...)
		upload(headB, item, "big.pdf", big).Problem(413, "payload_too_large")
		// JSON instead of multipart.
		headB.Do("POST", "/api/v1/attachments", `{"item_id":"`+item+`"}`).Problem(415, "unsupported_media_type")
		if after := count(env); after != before {
			t.Fatalf("%d attachments written by refused uploads", after-before)
		}
		headB.Do("GET", fmt.Sprintf("/api/v1/attachments/%s", "nope"), nil).Problem(404, "not_found")
	})
}
