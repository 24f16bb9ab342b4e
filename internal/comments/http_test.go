package comments_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"slices"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

type listJSON struct {
	Data []struct {
		ID          string `json:"id"`
		Kind        string `json:"kind"`
		Body        string `json:"body"`
		AuthorID    string `json:"author_id"`
		Attachments []struct {
			ID string `json:"id"`
		} `json:"attachments"`
	} `json:"data"`
	Total        int      `json:"total"`
	AllowedKinds []string `json:"allowed_kinds"`
}

func upload(t *testing.T, env *apitest.Env, itemID string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("item_id", itemID)
	fw, _ := mw.CreateFormFile("file", "协调会纪要.txt")
	_, _ = fw.Write([]byte("协调会纪要：明确资金由财务部落实。\n"))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", env.URL+"/api/v1/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+env.Token)
	var out struct {
		ID string `json:"id"`
	}
	env.Send(req).Expect(201).JSON(&out)
	return out.ID
}

func count(t *testing.T, env *apitest.Env) int64 {
	t.Helper()
	var n int64
	if err := env.DB.Gorm().Table("item_comments").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestComments: leaders instruct, the office records coordination, those who work
// on the item comment; auditors read everything and write nothing.
func TestComments(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := apitest.NewWorld(env)
		item := w.ItemInProgress("安全生产专项整治", 30).String()
		other := w.ItemInProgress("另一个事项", 30).String()
		path := "/api/v1/items/" + item + "/comments"
		leader := env.As(env.Login("leader"))
		leader2 := env.As(env.Login("leader2"))
		sup := env.As(env.Login("sup"))
		headB := env.As(env.Login("headb"))
		memberB := env.As(env.Login("memberb"))
		headC := env.As(env.Login("headc"))
		stranger := env.As(env.Login("stranger"))
		auditor := env.As(env.Login("auditor"))
		admin := env.As(env.Login("admin1"))

		post := func(c *apitest.Env, kind, body string) *apitest.Response {
			return c.Do("POST", path, map[string]any{"kind": kind, "body": body})
		}
		var c map[string]any
		post(leader, "instruction", "请安全生产部牵头，6月底前完成全部整改。").Expect(201).JSON(&c)
		if c["kind"] != "instruction" || c["author_id"] != w.Leader.String() || c["item_id"] != item {
			t.Fatalf("instruction: %v", c)
		}
		post(leader2, "instruction", "同意。").Expect(201) // any leader of the scope
		minutes := upload(t, sup, item)
		sup.Do("POST", path, map[string]any{"kind": "coordination", "body": "协调会明确：资金由财务部落实。", "attachment_ids": []string{minutes}}).
			Expect(201).JSON(&c)
		if files, _ := c["attachments"].([]any); len(files) != 1 || files[0].(map[string]any)["id"] != minutes {
			t.Fatalf("coordination files: %v", c)
		}
		post(memberB, "comment", "已按批示部署。").Expect(201)
		post(headC, "comment", "资金已在安排。").Expect(201)

		// Who may not.
		before := count(t, env)
		post(memberB, "instruction", "x").Problem(403, "forbidden")
		post(headB, "instruction", "x").Problem(403, "forbidden")
		post(sup, "instruction", "x").Problem(403, "forbidden")
		post(headB, "coordination", "x").Problem(403, "forbidden")
		post(leader, "coordination", "x").Problem(403, "forbidden")
		post(auditor, "comment", "x").Problem(403, "forbidden")
		post(admin, "comment", "x").Problem(403, "forbidden")
		post(stranger, "comment", "x").Problem(404, "not_found")
		// Bad input.
		post(memberB, "remark", "x").Problem(422, "validation_failed")
		post(memberB, "comment", "").Problem(422, "validation_failed")
		post(memberB, "comment", "  ").Problem(422, "validation_failed")
		theirs := upload(t, headB, other)
		p := memberB.Do("POST", path, map[string]any{"kind": "comment", "body": "x", "attachment_ids": []string{theirs}}).Problem(422, "validation_failed")
		if errs, _ := p["errors"].([]any); len(errs) != 1 || errs[0].(map[string]any)["field"] != "attachment_ids[0]" {
			t.Fatalf("attachment of another item: %v", p)
		}
		if count(t, env) != before {
			t.Fatal("refused comments were written")
		}

		// Everyone who sees the item reads the thread, oldest first.
		var l listJSON
		auditor.Do("GET", path, nil).Expect(200).JSON(&l)
		kinds := []string{}
		for _, d := range l.Data {
			kinds = append(kinds, d.Kind)
		}
		if l.Total != 5 || !slices.Equal(kinds, []string{"instruction", "instruction", "coordination", "comment", "comment"}) || len(l.AllowedKinds) != 0 {
			t.Fatalf("auditor's list: %+v", l)
		}
		stranger.Do("GET", path, nil).Problem(404, "not_found")
		for who, want := range map[*apitest.Env][]string{
			leader: {"comment", "instruction"}, sup: {"comment", "coordination"}, memberB: {"comment"}, admin: {},
		} {
			who.Do("GET", path+"?kind=instruction", nil).Expect(200).JSON(&l)
			if l.Total != 2 || !slices.Equal(l.AllowedKinds, want) {
				t.Fatalf("allowed kinds %v, want %v (total %d)", l.AllowedKinds, want, l.Total)
			}
		}
		memberB.Do("GET", path+"?kind=bogus", nil).Problem(422, "validation_failed")

		// The timeline keeps each one with its text.
		var ev struct {
			Data []struct {
				Action  string `json:"action"`
				Comment string `json:"comment"`
			} `json:"data"`
		}
		sup.Do("GET", "/api/v1/items/"+item+"/events?page_size=100", nil).Expect(200).JSON(&ev)
		var got []string
		for _, e := range ev.Data {
			switch e.Action {
			case "instruction", "comment", "coordination":
				got = append(got, e.Action)
			}
		}
		if !slices.Equal(got, kinds) {
			t.Fatalf("timeline %v, want %v", got, kinds)
		}

		// Not once the item is cancelled.
		sup.Do("POST", "/api/v1/items/"+item+"/cancel", map[string]string{"comment": "任务取消"}).Expect(200)
		post(leader, "instruction", "x").Problem(409, "invalid_transition")
	})
}
