package feedback_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/duban/duban/internal/apitest"
)

type feedbackJSON struct {
	ID             string  `json:"id"`
	ItemID         string  `json:"item_id"`
	UnitID         string  `json:"unit_id"`
	Progress       int     `json:"progress"`
	Content        string  `json:"content"`
	Problems       string  `json:"problems"`
	NextSteps      string  `json:"next_steps"`
	MilestoneID    *string `json:"milestone_id"`
	BasedOnID      *string `json:"based_on_id"`
	State          string  `json:"state"`
	ReviewComment  string  `json:"review_comment"`
	Version        int     `json:"version"`
	AllowedActions []string
	Attachments    []struct {
		ID        string `json:"id"`
		OwnerType string `json:"owner_type"`
	} `json:"attachments"`
}

// listJSON is the answer of GET /items/{id}/feedback.
type listJSON struct {
	Data           []map[string]any `json:"data"`
	Total          int              `json:"total"`
	AllowedActions []string         `json:"allowed_actions"`
	Page           int              `json:"page"`
	PageSize       int              `json:"page_size"`
	Due            []struct {
		UnitID  string  `json:"unit_id"`
		Role    string  `json:"role"`
		NextDue *string `json:"next_due"`
		Overdue bool    `json:"overdue"`
	} `json:"due"`
}

func decode(t *testing.T, r *apitest.Response) feedbackJSON {
	t.Helper()
	var f feedbackJSON
	r.JSON(&f)
	m := r.Map()
	acts, ok := m["allowed_actions"].([]any)
	if !ok {
		t.Fatalf("allowed_actions missing or not a list: %s", r.Body)
	}
	f.AllowedActions = []string{}
	for _, a := range acts {
		f.AllowedActions = append(f.AllowedActions, a.(string))
	}
	return f
}

// upload stores a small text file for the item as env's token holder.
func upload(t *testing.T, env *apitest.Env, itemID string) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("item_id", itemID)
	fw, _ := mw.CreateFormFile("file", "整改台账.txt")
	_, _ = fw.Write([]byte("整改台账：已完成8项，剩余4项。\n"))
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

// count counts the rows of a table matching where.
func count(t *testing.T, env *apitest.Env, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := env.DB.Gorm().Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// events lists the item's timeline actions in order.
func events(t *testing.T, env *apitest.Env, itemID string) ([]string, []map[string]any) {
	t.Helper()
	var out struct {
		Data []struct {
			Action  string         `json:"action"`
			Changes map[string]any `json:"changes"`
		} `json:"data"`
	}
	env.Do("GET", "/api/v1/items/"+itemID+"/events?page_size=100", nil).Expect(200).JSON(&out)
	actions := make([]string, len(out.Data))
	changes := make([]map[string]any, len(out.Data))
	for i, e := range out.Data {
		actions[i], changes[i] = e.Action, e.Changes
	}
	return actions, changes
}

func itemProgress(t *testing.T, env *apitest.Env, itemID string) int {
	t.Helper()
	var it struct {
		Progress int `json:"progress"`
	}
	env.Do("GET", "/api/v1/items/"+itemID, nil).Expect(200).JSON(&it)
	return it.Progress
}
