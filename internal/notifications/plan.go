package notifications

import (
	"encoding/json"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/todo"
)

// actNow names a to-do group whose members are told: the people who must act
// now on the item (todo.Service.Recipients), the entry ref when given.
type actNow struct {
	key string
	ref *uuid.UUID
}

// plan is who is told about one event, and what.
type plan struct {
	kind Kind
	item *events.ItemRef
	// actNow: the to-do groups whose members must act now.
	actNow []actNow
	// units: the heads and liaisons of these units, and the responsible persons
	// of their live assignments on the item.
	units []uuid.UUID
	// users: named people (the initiator, a requester).
	users []uuid.UUID
	// followers: the item's followers (initiator, supervising and assisting
	// leaders, the heads and liaisons of its units, responsible persons).
	followers bool
	// leaders: the supervising and assisting leaders (escalations).
	leaders bool
	// office: the supervision office (supervisors) of the item's scope.
	office bool
	// admins: every active administrator.
	admins bool
	// scope: the heads and liaisons of every unit of this scope, and its leaders.
	scope *uuid.UUID

	objectType string
	objectID   *uuid.UUID
	link       string
	// unit, when set, is named in the text ({unit}).
	unit *uuid.UUID
	text texts
}

// texts are a notification's title and body in both languages; {unit} is
// replaced by the name of plan.unit.
type texts struct{ titleZh, bodyZh, titleEn, bodyEn string }

func (t texts) with(unit string) texts {
	r := strings.NewReplacer("{unit}", unit)
	return texts{r.Replace(t.titleZh), r.Replace(t.bodyZh), r.Replace(t.titleEn), r.Replace(t.bodyEn)}
}

func itemLink(it *events.ItemRef, tab string) string {
	l := "/items/" + it.ID.String()
	if tab != "" {
		l += "?tab=" + tab
	}
	return l
}

// labels of an item in the texts.
func zhItem(it *events.ItemRef) string {
	if it.Code != "" {
		return "「" + it.Title + "」（" + it.Code + "）"
	}
	return "「" + it.Title + "」"
}

func enItem(it *events.ItemRef) string {
	if it.Code != "" {
		return "“" + it.Title + "” (" + it.Code + ")"
	}
	return "“" + it.Title + "”"
}

func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}

// zhSuffix and enSuffix append a comment, a reason or a message when there is one.
func zhSuffix(label, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return label + "：" + clip(s, 500)
}

func enSuffix(label, s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return " " + label + ": " + clip(s, 500)
}

// planFor decides who is told about the event and what; nil: nobody.
func planFor(env events.Envelope) *plan {
	switch ev := env.Event.(type) {
	case *events.ItemIssued:
		it := &ev.Item
		return &plan{kind: KindItemIssued, item: it, actNow: []actNow{{key: todo.KeyAssignmentsToAccept}},
			units: it.UnitIDs, users: it.ResponsibleUserIDs, objectType: "item", objectID: &it.ID, link: itemLink(it, "assignments"),
			text: texts{"新督办事项：" + it.Title, "督办事项" + zhItem(it) + "已下达给你单位，办结时限 " + it.Deadline + "，请及时签收办理。",
				"New supervision item: " + it.Title, "The item " + enItem(it) + " was issued to your unit, due " + it.Deadline + ". Please accept it and start work."}}
	case *events.AssignmentAdded:
		it, a := &ev.Item, &ev.Assignment
		p := &plan{kind: KindItemIssued, item: it, actNow: []actNow{{key: todo.KeyAssignmentsToAccept, ref: &a.ID}},
			units: []uuid.UUID{a.UnitID}, objectType: "assignment", objectID: &a.ID, link: itemLink(it, "assignments"),
			text: texts{"新交办事项：" + it.Title, "督办事项" + zhItem(it) + "已交办给你单位，办结时限 " + it.Deadline + "，请及时签收办理。",
				"Item assigned to your unit: " + it.Title, "The item " + enItem(it) + " was assigned to your unit, due " + it.Deadline + ". Please accept it."}}
		if a.ResponsibleUserID != nil {
			p.users = []uuid.UUID{*a.ResponsibleUserID}
		}
		return p
	case *events.AssignmentReturned:
		it, a := &ev.Item, &ev.Assignment
		return &plan{kind: KindAssignmentReturned, item: it, users: []uuid.UUID{it.InitiatorUserID}, office: true,
			objectType: "assignment", objectID: &a.ID, link: itemLink(it, "assignments"), unit: &a.UnitID,
			text: texts{"交办被退回：" + it.Title, "{unit}退回了督办事项" + zhItem(it) + "，请重新交办。" + zhSuffix("理由", ev.Reason),
				"Assignment returned: " + it.Title, "{unit} returned the item " + enItem(it) + "; please reassign it." + enSuffix("Reason", ev.Reason)}}
	case *events.ItemSubmitted:
		it := &ev.Item
		return &plan{kind: KindDecisionWaiting, item: it, actNow: []actNow{{key: todo.KeyApprovals}}, objectType: "item", objectID: &it.ID,
			link: itemLink(it, ""),
			text: texts{"待审批立项：" + it.Title, "督办事项" + zhItem(it) + "已提交，等待你审批立项。",
				"Awaiting your approval: " + it.Title, "The item " + enItem(it) + " was submitted and waits for your approval."}}
	case *events.ItemApproved:
		it := &ev.Item
		return &plan{kind: KindItemDecided, item: it, users: []uuid.UUID{it.InitiatorUserID}, actNow: []actNow{{key: todo.KeyToIssue}},
			objectType: "item", objectID: &it.ID, link: itemLink(it, ""),
			text: texts{"立项已批准：" + it.Title, "督办事项" + zhItem(it) + "已批准立项，待下达。" + zhSuffix("意见", ev.Comment),
				"Item approved: " + it.Title, "The item " + enItem(it) + " was approved and waits to be issued." + enSuffix("Comment", ev.Comment)}}
	case *events.ItemRejected:
		it := &ev.Item
		return &plan{kind: KindItemDecided, item: it, users: []uuid.UUID{it.InitiatorUserID}, objectType: "item", objectID: &it.ID,
			link: itemLink(it, ""),
			text: texts{"立项被退回：" + it.Title, "督办事项" + zhItem(it) + "未获批准，已退回修改。" + zhSuffix("意见", ev.Comment),
				"Item rejected: " + it.Title, "The item " + enItem(it) + " was not approved and is back in draft." + enSuffix("Comment", ev.Comment)}}
	case *events.FeedbackAccepted:
		it, f := &ev.Item, &ev.Feedback
		return &plan{kind: KindFeedbackReviewed, item: it, units: []uuid.UUID{f.UnitID}, objectType: "feedback", objectID: &f.ID,
			link: itemLink(it, "feedback"),
			text: texts{"反馈已采纳：" + it.Title, "你单位关于督办事项" + zhItem(it) + "的进展反馈已被采纳。" + zhSuffix("意见", ev.Comment),
				"Feedback accepted: " + it.Title, "Your unit's progress report on " + enItem(it) + " was accepted." + enSuffix("Comment", ev.Comment)}}
	case *events.FeedbackReturned:
		it, f := &ev.Item, &ev.Feedback
		return &plan{kind: KindFeedbackReviewed, item: it, actNow: []actNow{{key: todo.KeyFeedbackToSubmit, ref: &f.ID}},
			units: []uuid.UUID{f.UnitID}, objectType: "feedback", objectID: &f.ID, link: itemLink(it, "feedback"),
			text: texts{"反馈被退回：" + it.Title, "你单位关于督办事项" + zhItem(it) + "的进展反馈被退回，请修改后重新报送。" + zhSuffix("意见", ev.Comment),
				"Feedback returned: " + it.Title, "Your unit's progress report on " + enItem(it) + " was returned; please revise and resubmit." + enSuffix("Comment", ev.Comment)}}
	case *events.UrgeSent:
		p := urgePlan(ev)
		p.users = append(p.users, reminderRecipients(env.Payload)...)
		return p
	case *events.ExtensionRequested, *events.ExtensionForwarded, *events.CompletionRequested, *events.CompletionForwarded:
		return requestWaiting(env.Event)
	case *events.ExtensionApproved, *events.ExtensionRejected, *events.CompletionApproved, *events.CompletionRejected:
		return requestDecided(env.Event)
	case *events.VerificationFailed:
		it := &ev.Item
		return &plan{kind: KindVerificationFailed, item: it, followers: true, objectType: "verification", objectID: &ev.VerificationID,
			link: itemLink(it, "verifications"),
			text: texts{"核查未通过（反弹）：" + it.Title, "督办事项" + zhItem(it) + "结果核查未通过，已重新打开办理。" + zhSuffix("核查发现", ev.Findings),
				"Verification failed: " + it.Title, "The item " + enItem(it) + " failed its verification and was reopened." + enSuffix("Findings", ev.Findings)}}
	case *events.InstructionAdded:
		it := &ev.Item
		return &plan{kind: KindInstruction, item: it, followers: true, objectType: "comment", objectID: &ev.CommentID,
			link: itemLink(it, "comments"),
			text: texts{"领导批示：" + it.Title, "督办事项" + zhItem(it) + "有新的领导批示：" + clip(ev.Body, 500),
				"Leader's instruction: " + it.Title, "A leader gave an instruction on " + enItem(it) + ": " + clip(ev.Body, 500)}}
	case *events.BulletinPublished:
		id, scope := ev.BulletinID, ev.ScopeID
		return &plan{kind: KindBulletin, scope: &scope, objectType: "bulletin", objectID: &id,
			link: "/bulletins/" + id.String(),
			text: texts{"督查督办通报：" + ev.Title, "督办处印发了" + ev.DocNo + "《" + ev.Title + "》，请查阅本单位的办理情况。",
				"Supervision bulletin: " + ev.Title, "The supervision office published " + ev.DocNo + " \"" + ev.Title + "\"; see how your unit stands."}}
	case *events.WebhookDisabled:
		id := ev.WebhookID
		return &plan{kind: KindWebhookDisabled, admins: true, objectType: "webhook", objectID: &id,
			link: "/settings/webhooks?id=" + id.String(),
			text: texts{"Webhook 已停用：" + ev.URL, "推送地址 " + ev.URL + " 多次投递失败，已自动停用。" + zhSuffix("原因", ev.Reason),
				"Webhook disabled: " + ev.URL, "The webhook to " + ev.URL + " kept failing and was turned off." + enSuffix("Reason", ev.Reason)}}
	}
	return nil
}

// reminderRecipients reads urge.recipients from an automatic reminder's payload:
// whom internal/reminders found, by the to-do list's rules, the reminder is for
// (the decider of a waiting request, the leader on escalation). Read from the
// JSON, the catalogue's contract, so that this works whichever build added the
// field.
func reminderRecipients(payload []byte) []uuid.UUID {
	var v struct {
		Urge struct {
			Recipients []uuid.UUID `json:"recipients"`
		} `json:"urge"`
	}
	if json.Unmarshal(payload, &v) != nil {
		return nil
	}
	return v.Urge.Recipients
}

// Escalation reminders (the reminder kind names escalation) also go to the
// item's leaders.
func isEscalation(reminder string) bool { return strings.Contains(reminder, "escalat") }

func urgePlan(ev *events.UrgeSent) *plan {
	it, u := &ev.Item, &ev.Urge
	p := &plan{kind: KindUrge, item: it, actNow: []actNow{{key: todo.KeyUrgesToAcknowledge, ref: &u.ID}},
		units: []uuid.UUID{u.UnitID}, objectType: "urge", objectID: &u.ID, link: itemLink(it, "urges"),
		text: texts{"催办：" + it.Title, "督办处对督办事项" + zhItem(it) + "发出催办，请抓紧办理并及时反馈。" + zhSuffix("催办内容", u.Message),
			"Urge: " + it.Title, "The supervision office urged your unit on " + enItem(it) + "; please speed up and report." + enSuffix("Message", u.Message)}}
	if u.Kind == "auto" {
		p.kind = KindReminder
		p.text = texts{"自动提醒：" + it.Title, "督办事项" + zhItem(it) + "：" + clip(u.Message, 500),
			"Reminder: " + it.Title, "Item " + enItem(it) + ": " + clip(u.Message, 500)}
		if strings.HasSuffix(u.Reminder, "_waiting") {
			// A request waiting for a decision: the reminder presses the decider
			// (urge.recipients), not the unit that asked.
			p.units, p.actNow = nil, nil
		}
		if isEscalation(u.Reminder) {
			p.leaders = true
			p.text.titleZh, p.text.titleEn = "督办升级："+it.Title, "Escalation: "+it.Title
		}
	}
	return p
}

func requestWaiting(ev events.Event) *plan {
	var (
		r        *events.RequestEvent
		key, tab string
		zh, en   string
	)
	noun := "延期申请"
	switch e := ev.(type) {
	case *events.ExtensionRequested:
		r, key, tab, zh, en = &e.RequestEvent, todo.KeyExtensionDecisions, "extensions", "延期申请待审核", "Extension request to review"
	case *events.ExtensionForwarded:
		r, key, tab, zh, en = &e.RequestEvent, todo.KeyExtensionDecisions, "extensions", "延期申请待审批", "Extension request awaiting your decision"
	case *events.CompletionRequested:
		r, key, tab, zh, en = &e.RequestEvent, todo.KeyCompletionDecisions, "completion", "办结申请待审核", "Completion request to review"
		noun = "办结申请"
	case *events.CompletionForwarded:
		r, key, tab, zh, en = &e.RequestEvent, todo.KeyCompletionDecisions, "completion", "办结申请待审批", "Completion request awaiting your decision"
		noun = "办结申请"
	}
	it, q := &r.Item, &r.Request
	bodyZh, bodyEn := "{unit}就督办事项"+zhItem(it)+"提出的"+noun+"等待你处理。", "{unit}'s request on "+enItem(it)+" waits for your decision."
	if q.RequestedDeadline != "" {
		bodyZh += "申请延至 " + q.RequestedDeadline + "。"
		bodyEn += " Requested deadline: " + q.RequestedDeadline + "."
	}
	return &plan{kind: KindDecisionWaiting, item: it, actNow: []actNow{{key: key, ref: &q.ID}}, objectType: tab, objectID: &q.ID,
		link: itemLink(it, tab), unit: &q.UnitID,
		text: texts{zh + "：" + it.Title, bodyZh + zhSuffix("说明", r.Comment), en + ": " + it.Title, bodyEn + enSuffix("Note", r.Comment)}}
}

func requestDecided(ev events.Event) *plan {
	var (
		r      *events.RequestEvent
		tab    string
		zh, en string
	)
	switch e := ev.(type) {
	case *events.ExtensionApproved:
		r, tab, zh, en = &e.RequestEvent, "extensions", "延期申请已批准", "Extension approved"
	case *events.ExtensionRejected:
		r, tab, zh, en = &e.RequestEvent, "extensions", "延期申请未获批准", "Extension rejected"
	case *events.CompletionApproved:
		r, tab, zh, en = &e.RequestEvent, "completion", "办结申请已批准", "Completion approved"
	case *events.CompletionRejected:
		r, tab, zh, en = &e.RequestEvent, "completion", "办结申请被退回", "Completion rejected"
	}
	it, q := &r.Item, &r.Request
	bodyZh, bodyEn := "督办事项"+zhItem(it)+"："+zh+"。", "Item "+enItem(it)+": "+strings.ToLower(en[:1])+en[1:]+"."
	if _, ok := ev.(*events.ExtensionApproved); ok && q.RequestedDeadline != "" {
		bodyZh += "新的办结时限为 " + q.RequestedDeadline + "。"
		bodyEn += " The new deadline is " + q.RequestedDeadline + "."
	}
	return &plan{kind: KindRequestDecided, item: it, users: []uuid.UUID{q.RequestedBy}, followers: true, objectType: tab, objectID: &q.ID,
		link: itemLink(it, tab),
		text: texts{zh + "：" + it.Title, bodyZh + zhSuffix("意见", r.Comment), en + ": " + it.Title, bodyEn + enSuffix("Comment", r.Comment)}}
}
