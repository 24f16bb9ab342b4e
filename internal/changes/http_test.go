package changes_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
)

// page is a sync list's answer.
type page struct {
	Data []struct {
		ID string `json:"id"`
	} `json:"data"`
	HasMore    bool   `json:"has_more"`
	NextCursor string `json:"next_cursor"`
}

// walk pages path (with its query) from cursor to the end, one row a page, and
// returns the ids in order and the cursor to poll with next.
func walk(t *testing.T, c *apitest.Env, path, cursor string) ([]string, string) {
	t.Helper()
	var ids []string
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	for range 50 {
		var p page
		c.Do("GET", path+sep+"page_size=1&cursor="+url.QueryEscape(cursor), nil).Expect(200).JSON(&p)
		for _, d := range p.Data {
			ids = append(ids, d.ID)
		}
		if p.NextCursor == "" {
			t.Fatalf("%s: no next_cursor", path)
		}
		cursor = p.NextCursor
		if !p.HasMore {
			return ids, cursor
		}
	}
	t.Fatalf("%s: does not end", path)
	return nil, ""
}

// settle walks until ok holds of the ids (at most 20 s) and returns the last walk.
// On PostgreSQL a change shows once every transaction that started writing before
// it has ended, in any database of the server: the tests share one server, and
// another test's transaction may hold a change back for a moment. The cursor never
// moves past a change held back, so walking again from it is safe.
func settle(t *testing.T, c *apitest.Env, path, cursor string, ok func([]string) bool) ([]string, string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ids, next := walk(t, c, path, cursor)
		if ok(ids) || time.Now().After(deadline) {
			return ids, next
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func is(want ...string) func([]string) bool {
	return func(got []string) bool { return slices.Equal(got, want) }
}

func count(n int) func([]string) bool { return func(got []string) bool { return len(got) == n } }

// TestSyncLists: every sync list pages in change order with a cursor, hands out
// a change once, picks up later changes from the kept cursor, filters by
// updated_since, ids, item and unit, and shows nothing of items the caller does
// not see.
func TestSyncLists(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		f := apitest.NewFixture(t, env)
		start := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
		a := f.W.ItemInProgress("安全生产专项整治", 30)
		b := f.W.ItemInProgress("财务预算执行", 40)
		sup, stranger := f.As("sup"), f.As("stranger")
		pa, pb := "/api/v1/items/"+a.String(), "/api/v1/items/"+b.String()

		// Items: b was written last.
		got, itemsCur := settle(t, sup, "/api/v1/items", "", is(a.String(), b.String()))
		if !slices.Equal(got, []string{a.String(), b.String()}) {
			t.Fatalf("items in change order: %v", got)
		}
		if got, _ := settle(t, sup, "/api/v1/items?updated_since="+url.QueryEscape(start), "", count(2)); len(got) != 2 {
			t.Fatalf("updated_since before both: %v", got)
		}
		future := time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
		if got, _ := walk(t, sup, "/api/v1/items?updated_since="+url.QueryEscape(future), ""); len(got) != 0 {
			t.Fatalf("updated_since in the future: %v", got)
		}
		// ids in offset mode (the SPA's paging) and in sync mode.
		l := sup.Do("GET", "/api/v1/items?ids="+b.String(), nil).Expect(200).Map()
		if l["total"] != 1.0 || l["has_more"] != false || l["next_cursor"] != nil {
			t.Fatalf("ids in offset mode: %v", l)
		}
		if got, _ := settle(t, sup, "/api/v1/items?ids="+a.String(), "", is(a.String())); !slices.Equal(got, []string{a.String()}) {
			t.Fatalf("ids in sync mode: %v", got)
		}
		if got, _ := walk(t, stranger, "/api/v1/items", ""); len(got) != 0 {
			t.Fatalf("stranger syncs items: %v", got)
		}

		// Assignments: lead B and cooperating C on each item.
		asg, _ := settle(t, sup, "/api/v1/assignments", "", count(4))
		if len(asg) != 4 {
			t.Fatalf("assignments: %v", asg)
		}
		if got, _ := walk(t, sup, "/api/v1/assignments?item_id="+b.String()+"&unit_id="+f.W.DeptB.String(), ""); len(got) != 1 {
			t.Fatalf("b's lead assignment: %v", got)
		}

		// Feedback: a draft only for its unit; submitted for everyone who sees the item.
		fb := f.As("memberb").Do("POST", pa+"/feedback", map[string]any{"progress": 30, "content": "已完成隐患排查。"}).Expect(201).Map()
		_, fbCur := walk(t, sup, "/api/v1/feedback", "")
		if got, _ := settle(t, f.As("memberb"), "/api/v1/feedback", "", is(fb["id"].(string))); !slices.Equal(got, []string{fb["id"].(string)}) {
			t.Fatalf("unit's draft: %v", got)
		}
		f.As("headb").Do("POST", "/api/v1/feedback/"+fb["id"].(string)+"/submit", nil).Expect(200)
		if got, _ := settle(t, sup, "/api/v1/feedback", fbCur, is(fb["id"].(string))); !slices.Equal(got, []string{fb["id"].(string)}) {
			t.Fatalf("office after submit: %v", got)
		}

		// Urges: sent, then acknowledged: the kept cursor sees it again.
		u := sup.Do("POST", pb+"/urges", map[string]any{"unit_id": f.W.DeptB.String(), "message": "请加快进度"}).Expect(201).Map()
		got, urgeCur := settle(t, sup, "/api/v1/urges", "", is(u["id"].(string)))
		if !slices.Equal(got, []string{u["id"].(string)}) {
			t.Fatalf("urges: %v", got)
		}
		if got, _ := walk(t, sup, "/api/v1/urges", urgeCur); len(got) != 0 {
			t.Fatalf("urges repeated: %v", got)
		}
		f.As("headb").Do("POST", "/api/v1/urges/"+u["id"].(string)+"/acknowledge", nil).Expect(200)
		if got, _ := settle(t, sup, "/api/v1/urges", urgeCur, is(u["id"].(string))); !slices.Equal(got, []string{u["id"].(string)}) {
			t.Fatalf("acknowledged urge: %v", got)
		}

		// Extension and completion requests.
		ext := f.As("headb").Do("POST", pb+"/extensions", map[string]any{
			"requested_deadline": f.Today().AddDays(60).String(), "reason": "设备到货延迟"}).Expect(201).Map()
		if got, _ := settle(t, sup, "/api/v1/extensions", "", is(ext["id"].(string))); !slices.Equal(got, []string{ext["id"].(string)}) {
			t.Fatalf("extensions: %v", got)
		}
		report := f.Upload("headb", a, "整改报告.pdf")
		cr := f.As("headb").Do("POST", pa+"/completion-requests", map[string]any{"summary": "已完成整改",
			"materials": []map[string]any{{"kind": "report", "attachment_id": report}}}).Expect(201).Map()
		if got, _ := settle(t, sup, "/api/v1/completion-requests?item_id="+a.String(), "", is(cr["id"].(string))); !slices.Equal(got, []string{cr["id"].(string)}) {
			t.Fatalf("completion requests: %v", got)
		}

		// The items changed since the kept cursor: both (feedback moved a's progress,
		// the requests b's and a's state), each once.
		if got, _ := settle(t, sup, "/api/v1/items", itemsCur, count(2)); len(got) != 2 || got[0] == got[1] {
			t.Fatalf("items changed since: %v", got)
		}

		// Nobody reads rows of items they do not see.
		for _, p := range []string{"/api/v1/feedback", "/api/v1/urges", "/api/v1/assignments", "/api/v1/extensions", "/api/v1/completion-requests"} {
			if got, _ := walk(t, stranger, p, ""); len(got) != 0 {
				t.Errorf("stranger syncs %s: %v", p, got)
			}
		}
		// Bad input.
		sup.Do("GET", "/api/v1/items?cursor=nonsense", nil).Problem(422, "validation_failed")
		sup.Do("GET", "/api/v1/feedback?updated_since=yesterday", nil).Problem(422, "validation_failed")
		sup.Do("GET", "/api/v1/urges?item_id=x", nil).Problem(422, "validation_failed")
		many := make([]string, 101)
		for i := range many {
			many[i] = a.String()
		}
		sup.Do("GET", "/api/v1/assignments?ids="+strings.Join(many, ","), nil).Problem(422, "validation_failed")
		sup.Do("GET", "/api/v1/extensions?page_size=0", nil).Problem(422, "validation_failed")
		sup.Do("GET", "/api/v1/completion-requests?unit_id=1", nil).Problem(422, "validation_failed")
	})
}
