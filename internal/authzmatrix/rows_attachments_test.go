package authzmatrix

import (
	"encoding/json"
	"net/http"

	"github.com/duban/duban/internal/items"
)

// Attachments. A file belongs to an item and is as visible as the record citing
// it: a comment's (or a submitted report's) file to whoever sees the item, a draft
// feedback's file only to the people of the draft's unit, a file nothing cites yet
// only to its uploader. The relation is the item's, as in rows_items_test.go.
func init() {
	register(byRelation(attachmentRows())...)
}

// uploadAs stores a small text file on the item as user and returns its id.
func (f *fixture) uploadAs(user string, it itemRef) string {
	status, body := f.send("POST", "/api/v1/attachments", upload{
		fields: map[string]string{"item_id": it.ID.String()}, filename: "材料.txt", content: []byte("共享附件\n"),
	}, user)
	if status != http.StatusCreated {
		f.failf("upload attachment: %d %s", status, truncate(string(body), 300))
	}
	var out struct {
		ID string `json:"id"`
	}
	f.must(json.Unmarshal(body, &out), "decode attachment")
	return out.ID
}

// itemFiles is an in-progress item of the relation with three files: one on a
// coordination comment of the supervision office, one on a draft feedback of the
// lead unit (uploaded by its head), and one the office uploaded and nothing cites.
type itemFiles struct {
	it                        itemRef
	comment, draft, unclaimed string
}

func (f *fixture) itemFiles(rel relation) itemFiles {
	return once(f, "attachments/"+rel.String(), func() itemFiles {
		it := f.item(rel, items.StateInProgress)
		sup, head := f.sessionOf(it.party.supervisor), f.sessionOf(it.party.initiator)
		out := itemFiles{it: it, comment: f.uploadAs(sup, it), draft: f.uploadAs(head, it), unclaimed: f.uploadAs(sup, it)}
		f.post(sup, it.path("/comments"), map[string]any{
			"kind": "coordination", "body": "协调会议定分工。", "attachment_ids": []string{out.comment},
		}, http.StatusCreated)
		f.post(head, it.path("/feedback"), map[string]any{
			"progress": 10, "content": "正在排查。", "attachment_ids": []string{out.draft},
		}, http.StatusCreated)
		return out
	})
}

// draftFileGrid: only the people of the draft's unit (the member and the
// undertaker of department A, on the own item) see a draft feedback's file.
func draftFileGrid() grid {
	g := all(http.StatusNotFound)
	g[member] = [3]int{200, 404, 404}
	g[undertaker] = [3]int{200, 404, 404}
	return g
}

// unclaimedFileGrid: only the uploader, the supervision office of the group (the
// supervisor column, on the own and other items), sees a file nothing cites.
func unclaimedFileGrid() grid {
	g := all(http.StatusNotFound)
	g[supervisor] = [3]int{200, 200, 404}
	return g
}

func attachmentRows() []row {
	file := func(pick func(itemFiles) string, suffix string) func(f *fixture, c *cell) (string, any) {
		return func(f *fixture, c *cell) (string, any) {
			return "/api/v1/attachments/" + pick(f.itemFiles(c.rel)) + suffix, nil
		}
	}
	comment := func(x itemFiles) string { return x.comment }
	draft := func(x itemFiles) string { return x.draft }
	unclaimed := func(x itemFiles) string { return x.unclaimed }
	return []row{
		{
			// The upload rules are the same for everyone signed in.
			method: "GET", route: "/api/v1/attachments/policy",
			setup: func(f *fixture, c *cell) (string, any) { return "/api/v1/attachments/policy", nil },
			want:  all(http.StatusOK),
		},
		{
			method: "POST", route: "/api/v1/attachments",
			setup: func(f *fixture, c *cell) (string, any) {
				it := f.sharedItem(c.rel, items.StateInProgress)
				return "/api/v1/attachments", upload{
					fields: map[string]string{"item_id": it.ID.String()}, filename: "办理情况.txt", content: []byte("矩阵测试附件内容\n"),
				}
			},
			// Any leader of the item's scope attaches (a file to an instruction 批示),
			// not only the supervising one.
			want: grid{
				admin: {403, 403, 404}, supervisor: {201, 201, 404}, leader: {201, 201, 404},
				member: {201, 404, 404}, undertaker: {201, 404, 404}, auditor: {403, 403, 404},
			},
		},
		{method: "GET", route: "/api/v1/attachments/:id", variant: "comment", setup: file(comment, ""), want: seeItem(200)},
		{method: "GET", route: "/api/v1/attachments/:id", variant: "draft feedback", setup: file(draft, ""), want: draftFileGrid()},
		{method: "GET", route: "/api/v1/attachments/:id", variant: "unclaimed", setup: file(unclaimed, ""), want: unclaimedFileGrid()},
		{method: "GET", route: "/api/v1/attachments/:id/content", variant: "comment", setup: file(comment, "/content"), want: seeItem(200)},
		{method: "GET", route: "/api/v1/attachments/:id/content", variant: "draft feedback", setup: file(draft, "/content"), want: draftFileGrid()},
		{method: "GET", route: "/api/v1/attachments/:id/content", variant: "unclaimed", setup: file(unclaimed, "/content"), want: unclaimedFileGrid()},
		{
			// Everyone who sees the item gets the list; the draft's file is in it for
			// the draft's unit only, the unclaimed file for nobody.
			method: "GET", route: "/api/v1/items/:id/attachments",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.itemFiles(c.rel).it.path("/attachments"), nil
			},
			want: seeItem(200),
			check: func(f *fixture, c *cell, body []byte) string {
				x := f.itemFiles(c.rel)
				if msg := listed(body, x.comment, true); msg != "" {
					return msg
				}
				if msg := listed(body, x.unclaimed, false); msg != "" {
					return msg
				}
				return listed(body, x.draft, (c.role == member || c.role == undertaker) && c.rel == own)
			},
		},
	}
}
