package authzmatrix

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/duban/duban/internal/items"
)

// Follow-up on a running item: feedback (反馈), and what comes after it. The
// relation is the item's, as for items (see rows_items_test.go); the member is the
// head of the lead unit of the own item.
func init() {
	register(byRelation(feedbackRows())...)
	register(byRelation(urgeRows())...)
	register(byRelation(extensionRows())...)
	register(byRelation(completionRows())...)
	register(byRelation(verificationRows())...)
	register(byRelation(commentRows())...)
	register(byRelation(warningRows())...)
}

// post sends a request as user through HTTP for a setup and returns the decoded
// JSON answer; any status but want fails the cell's setup.
func (f *fixture) post(user, path string, body any, want int) map[string]any {
	status, out := f.send("POST", path, body, user)
	if status != want {
		f.failf("setup POST %s: %d %s", path, status, truncate(string(out), 300))
	}
	var m map[string]any
	f.must(json.Unmarshal(out, &m), "decode "+path)
	return m
}

// feedback writes a feedback of the lead unit on the item, as the lead unit's head,
// and submits it unless draft; it returns the feedback's id.
func (f *fixture) feedback(it itemRef, draft bool) string {
	tok := f.sessionOf(it.party.initiator)
	fb := f.post(tok, it.path("/feedback"), map[string]any{"progress": 40, "content": "已完成隐患排查，整改过半。"}, http.StatusCreated)
	id, _ := fb["id"].(string)
	if !draft {
		f.post(tok, "/api/v1/feedback/"+id+"/submit", nil, http.StatusOK)
	}
	return id
}

// draftFeedback is a shared item of the relation with a draft feedback of its lead
// unit, for GET rows.
func (f *fixture) draftFeedback(rel relation) (itemRef, string) {
	type pair struct {
		it itemRef
		id string
	}
	p := once(f, "feedback/draft/"+rel.String(), func() pair {
		it := f.item(rel, items.StateInProgress)
		return pair{it, f.feedback(it, true)}
	})
	return p.it, p.id
}

// feedbackRows: everyone who sees the item reads its submitted feedback; a draft
// only the people of its unit (404 for everyone else, the office included); the
// people of an assigned unit write, its head or liaison submits, the office of
// the item's scope reviews. Admins and auditors only read.
func feedbackRows() []row {
	// draftOnly: only the people of the reporting unit see a draft at all; of
	// those, the roles in who may take the action, the rest get 403.
	draftOnly := func(ok int, who ...role) grid {
		g := all(http.StatusNotFound)
		for _, r := range []role{member, undertaker} {
			g[r] = [3]int{403, 404, 404}
			if slices.Contains(who, r) {
				g[r] = [3]int{ok, 404, 404}
			}
		}
		return g
	}
	return []row{
		{
			// The item carries a draft of the lead unit: listed for the people of
			// that unit only.
			method: "GET", route: "/api/v1/items/:id/feedback",
			setup: func(f *fixture, c *cell) (string, any) {
				it, _ := f.draftFeedback(c.rel)
				return it.path("/feedback"), nil
			},
			want: seeItem(200),
			check: func(f *fixture, c *cell, body []byte) string {
				_, id := f.draftFeedback(c.rel)
				return listed(body, id, (c.role == member || c.role == undertaker) && c.rel == own)
			},
		},
		{
			method: "POST", route: "/api/v1/items/:id/feedback", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateInProgress).path("/feedback"),
					map[string]any{"progress": 30, "content": "已召开专题会部署。", "next_steps": "月底前完成排查"}
			},
			want: actItem(201, member, undertaker),
		},
		{
			// The template for the caller's unit: only for people of an assigned unit.
			method: "GET", route: "/api/v1/items/:id/feedback/draft",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.sharedItem(c.rel, items.StateInProgress).path("/feedback/draft"), nil
			},
			want: actItem(200, member, undertaker),
		},
		{
			method: "GET", route: "/api/v1/feedback/:id", variant: "submitted",
			setup: func(f *fixture, c *cell) (string, any) {
				id := once(f, "feedback/submitted/"+c.rel.String(), func() string {
					return f.feedback(f.sharedItem(c.rel, items.StateInProgress), false)
				})
				return "/api/v1/feedback/" + id, nil
			},
			want: seeItem(200),
		},
		{
			method: "GET", route: "/api/v1/feedback/:id", variant: "draft",
			setup: func(f *fixture, c *cell) (string, any) {
				_, id := f.draftFeedback(c.rel)
				return "/api/v1/feedback/" + id, nil
			},
			want: draftOnly(200, member, undertaker),
		},
		{
			method: "PATCH", route: "/api/v1/feedback/:id", variant: "draft",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/feedback/" + f.feedback(f.item(c.rel, items.StateInProgress), true),
					map[string]any{"progress": 60, "problems": "设备采购周期较长"}
			},
			want: draftOnly(200, member, undertaker),
		},
		{
			method: "POST", route: "/api/v1/feedback/:id/submit", variant: "draft",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/feedback/" + f.feedback(f.item(c.rel, items.StateInProgress), true) + "/submit", nil
			},
			// Only the head or a liaison submits (the undertaker drafts).
			want: draftOnly(200, member),
		},
		{
			method: "POST", route: "/api/v1/feedback/:id/accept", variant: "submitted",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/feedback/" + f.feedback(f.item(c.rel, items.StateInProgress), false) + "/accept",
					map[string]string{"comment": "进展符合要求"}
			},
			want: actItem(200, supervisor),
		},
		{
			method: "POST", route: "/api/v1/feedback/:id/return", variant: "submitted",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/feedback/" + f.feedback(f.item(c.rel, items.StateInProgress), false) + "/return",
					map[string]string{"comment": "请补充整改佐证材料"}
			},
			want: actItem(200, supervisor),
		},
	}
}

// urge has the supervision office of the item's scope urge its lead unit and
// returns the urge's id.
func (f *fixture) urge(it itemRef) string {
	u := f.post(f.sessionOf(it.party.supervisor), it.path("/urges"), map[string]string{"message": "请抓紧办理并及时反馈进展。"}, http.StatusCreated)
	id, _ := u["id"].(string)
	return id
}

// urgeRows: everyone who sees the item sees its urges; the office of its scope
// urges a running item, the head or a liaison of the urged unit acknowledges.
func urgeRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/items/:id/urges",
			setup: func(f *fixture, c *cell) (string, any) {
				it := once(f, "urged/"+c.rel.String(), func() itemRef {
					it := f.item(c.rel, items.StateInProgress)
					f.urge(it)
					return it
				})
				return it.path("/urges"), nil
			},
			want: seeItem(200),
		},
		{
			method: "POST", route: "/api/v1/items/:id/urges", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateInProgress).path("/urges"), map[string]string{"message": "请于本周内报送进展。"}
			},
			want: actItem(201, supervisor),
		},
		{
			// The urge went to the lead unit, whose head is the member (own).
			method: "POST", route: "/api/v1/urges/:id/acknowledge",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/urges/" + f.urge(f.item(c.rel, items.StateInProgress)) + "/acknowledge", nil
			},
			want: actItem(200, member),
		},
	}
}

// extension has the lead unit's head request an extension of the item (a month
// past its deadline) and, when forwarded, the office forward it to the
// supervising leader; it returns the request's id.
func (f *fixture) extension(it itemRef, forwarded bool) string {
	e := f.post(f.sessionOf(it.party.initiator), it.path("/extensions"), map[string]any{
		"requested_deadline": f.items.Today().AddDays(90).String(), "reason": "设备到货延迟，需顺延一个月。", "progress": 50,
	}, http.StatusCreated)
	id, _ := e["id"].(string)
	if forwarded {
		f.post(f.sessionOf(it.party.supervisor), "/api/v1/extensions/"+id+"/review",
			map[string]string{"decision": "forward", "comment": "理由充分，报主管领导审批"}, http.StatusOK)
	}
	return id
}

// overdue moves the item's deadline to yesterday (straight in the row: no
// endpoint sets a past deadline).
func (f *fixture) overdue(it itemRef) itemRef {
	err := f.env.DB.Gorm().Table("items").Where("id = ?", it.ID).Update("deadline", f.items.Today().AddDays(-1).String()).Error
	f.must(err, "make item overdue")
	return it
}

// extensionRows: the lead unit's head or liaison requests before the deadline, the
// office reviews (forwards or rejects), the supervising leader decides; after the
// deadline the office sets a new one with a leader's decision. Everyone who sees
// the item reads its requests and deadline history.
func extensionRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/items/:id/extensions",
			setup: func(f *fixture, c *cell) (string, any) {
				it, _ := f.sharedExtension(c.rel)
				return it.path("/extensions"), nil
			},
			want: seeItem(200),
		},
		{
			method: "POST", route: "/api/v1/items/:id/extensions", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateInProgress).path("/extensions"), map[string]any{
					"requested_deadline": f.items.Today().AddDays(90).String(), "reason": "需协调外部单位，申请顺延。",
				}
			},
			want: actItem(201, member),
		},
		{
			method: "GET", route: "/api/v1/extensions/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				_, id := f.sharedExtension(c.rel)
				return "/api/v1/extensions/" + id, nil
			},
			want: seeItem(200),
		},
		{
			method: "POST", route: "/api/v1/extensions/:id/review", variant: "requested",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/extensions/" + f.extension(f.item(c.rel, items.StateInProgress), false) + "/review",
					map[string]string{"decision": "forward", "comment": "报主管领导审批"}
			},
			want: actItem(200, supervisor),
		},
		{
			method: "POST", route: "/api/v1/extensions/:id/approve", variant: "forwarded",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/extensions/" + f.extension(f.item(c.rel, items.StateInProgress), true) + "/approve",
					map[string]string{"comment": "同意延期"}
			},
			want: actItem(200, leader),
		},
		{
			method: "POST", route: "/api/v1/extensions/:id/reject", variant: "forwarded",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/extensions/" + f.extension(f.item(c.rel, items.StateInProgress), true) + "/reject",
					map[string]string{"comment": "不同意延期，请按期完成"}
			},
			want: actItem(200, leader),
		},
		{
			method: "POST", route: "/api/v1/items/:id/deadline", variant: "overdue",
			setup: func(f *fixture, c *cell) (string, any) {
				it := f.overdue(f.item(c.rel, items.StateInProgress))
				return it.path("/deadline"), map[string]string{
					"deadline": f.items.Today().AddDays(30).String(), "leader_id": it.party.leader.String(),
					"decision_note": "经主管领导同意，限期办结",
				}
			},
			want: actItem(200, supervisor),
		},
		{
			method: "GET", route: "/api/v1/items/:id/deadline-changes",
			setup: func(f *fixture, c *cell) (string, any) {
				it, _ := f.sharedExtension(c.rel)
				return it.path("/deadline-changes"), nil
			},
			want: seeItem(200),
		},
	}
}

// sharedExtension is a shared item of the relation with a requested extension,
// for GET rows.
func (f *fixture) sharedExtension(rel relation) (itemRef, string) {
	type pair struct {
		it itemRef
		id string
	}
	p := once(f, "extension/"+rel.String(), func() pair {
		it := f.item(rel, items.StateInProgress)
		return pair{it, f.extension(it, false)}
	})
	return p.it, p.id
}

// completion has the lead unit's head request completion of the in-progress item
// and, when forwarded, the office forward it to the supervising leader; it
// returns the request's id.
func (f *fixture) completion(it itemRef, forwarded bool) string {
	r := f.post(f.sessionOf(it.party.initiator), it.path("/completion-requests"),
		map[string]any{"summary": "已完成全部整改，整改率100%。"}, http.StatusCreated)
	id, _ := r["id"].(string)
	if forwarded {
		f.post(f.sessionOf(it.party.supervisor), "/api/v1/completion-requests/"+id+"/review",
			map[string]string{"decision": "forward", "comment": "材料齐全，报主管领导审批"}, http.StatusOK)
	}
	return id
}

// sharedCompletion is a shared item of the relation with a requested completion,
// for GET rows.
func (f *fixture) sharedCompletion(rel relation) (itemRef, string) {
	type pair struct {
		it itemRef
		id string
	}
	p := once(f, "completion/"+rel.String(), func() pair {
		it := f.item(rel, items.StateInProgress)
		return pair{it, f.completion(it, false)}
	})
	return p.it, p.id
}

// completionRows: closing (办结) — the lead unit's head or liaison requests it, the
// office reviews (forwards or 退办), the supervising leader approves or rejects.
func completionRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/items/:id/completion-requests",
			setup: func(f *fixture, c *cell) (string, any) {
				it, _ := f.sharedCompletion(c.rel)
				return it.path("/completion-requests"), nil
			},
			want: seeItem(200),
		},
		{
			method: "POST", route: "/api/v1/items/:id/completion-requests", variant: "in_progress",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateInProgress).path("/completion-requests"),
					map[string]any{"summary": "各项任务已按要求完成。"}
			},
			want: actItem(201, member),
		},
		{
			method: "GET", route: "/api/v1/completion-requests/:id",
			setup: func(f *fixture, c *cell) (string, any) {
				_, id := f.sharedCompletion(c.rel)
				return "/api/v1/completion-requests/" + id, nil
			},
			want: seeItem(200),
		},
		{
			method: "POST", route: "/api/v1/completion-requests/:id/review", variant: "requested",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/completion-requests/" + f.completion(f.item(c.rel, items.StateInProgress), false) + "/review",
					map[string]string{"decision": "forward", "comment": "报主管领导审批"}
			},
			want: actItem(200, supervisor),
		},
		{
			method: "POST", route: "/api/v1/completion-requests/:id/approve", variant: "forwarded",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/completion-requests/" + f.completion(f.item(c.rel, items.StateInProgress), true) + "/approve",
					map[string]string{"comment": "同意办结"}
			},
			want: actItem(200, leader),
		},
		{
			method: "POST", route: "/api/v1/completion-requests/:id/reject", variant: "forwarded",
			setup: func(f *fixture, c *cell) (string, any) {
				return "/api/v1/completion-requests/" + f.completion(f.item(c.rel, items.StateInProgress), true) + "/reject",
					map[string]string{"comment": "佐证材料不足，请补充"}
			},
			want: actItem(200, leader),
		},
	}
}

// verificationRows: the office of the item's scope verifies a closed item (§13);
// everyone who sees the item reads the verifications.
func verificationRows() []row {
	return []row{
		{
			method: "GET", route: "/api/v1/items/:id/verifications",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.sharedItem(c.rel, items.StateClosed).path("/verifications"), nil
			},
			want: seeItem(200),
		},
		{
			method: "POST", route: "/api/v1/items/:id/verifications", variant: "closed",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.item(c.rel, items.StateClosed).path("/verifications"), map[string]string{
					"method": "return_visit", "findings": "回访确认整改措施已落实。", "result": "passed",
				}
			},
			want: actItem(201, supervisor),
		},
	}
}

// commentRows: everyone who sees the item reads its comments. Writing depends on
// the kind: instructions (批示) by any leader of the item's scope (not only the
// supervising one), coordination records by the office, comments by anyone who
// sees the item and writes at all (not admins and auditors). A comment changes
// nothing on the item, so the cells write on the shared running item.
func commentRows() []row {
	write := func(kind string) func(f *fixture, c *cell) (string, any) {
		return func(f *fixture, c *cell) (string, any) {
			return f.sharedItem(c.rel, items.StateInProgress).path("/comments"),
				map[string]string{"kind": kind, "body": "请加快推进，按期办结。"}
		}
	}
	return []row{
		{
			method: "GET", route: "/api/v1/items/:id/comments",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.sharedItem(c.rel, items.StateInProgress).path("/comments"), nil
			},
			want: seeItem(200),
		},
		{
			method: "POST", route: "/api/v1/items/:id/comments", variant: "instruction",
			setup: write("instruction"),
			want: grid{
				admin: {403, 403, 404}, supervisor: {403, 403, 404}, leader: {201, 201, 404},
				member: {403, 404, 404}, undertaker: {403, 404, 404}, auditor: {403, 403, 404},
			},
		},
		{
			method: "POST", route: "/api/v1/items/:id/comments", variant: "coordination",
			setup: write("coordination"),
			want:  actItem(201, supervisor),
		},
		{
			method: "POST", route: "/api/v1/items/:id/comments", variant: "comment",
			setup: write("comment"),
			want: grid{
				admin: {403, 403, 404}, supervisor: {201, 201, 404}, leader: {201, 201, 404},
				member: {201, 404, 404}, undertaker: {201, 404, 404}, auditor: {403, 403, 404},
			},
		},
	}
}

// warningRows: the office of the item's scope clears a warning light with a reason
// (摘牌); the item is overdue, so its light is red.
func warningRows() []row {
	return []row{
		{
			method: "POST", route: "/api/v1/items/:id/clear-warning", variant: "overdue",
			setup: func(f *fixture, c *cell) (string, any) {
				return f.overdue(f.item(c.rel, items.StateInProgress)).path("/clear-warning"),
					map[string]string{"reason": "受上级政策调整影响，客观原因延误"}
			},
			want: actItem(200, supervisor),
		},
	}
}
