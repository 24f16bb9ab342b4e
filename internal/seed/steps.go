package seed

import (
	"time"

	"bytes"
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/comments"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/extensions"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/urges"
	"github.com/duban/duban/internal/verification"
)

// demo runs the story. Every step calls a service as a demo user; the first
// failure is kept in err and every later step does nothing, so the story reads as
// a list of steps and the transaction rolls back on the first error.
type demo struct {
	db  *database.DB
	cal *calendar.Service
	ctx context.Context
	// clock is the story's clock, standing at the real time (real) except
	// during past.
	clock *clock.Fake
	real  clock.Clock

	units, people map[string]uuid.UUID
	principals    map[string]*access.Principal
	ids           map[string]uuid.UUID
	made          Counts
	err           error

	today    civil.Date
	workdays *calendar.Calendar

	items        *items.Service
	files        *attachments.Service
	feedback     *feedback.Service
	urges        *urges.Service
	comments     *comments.Service
	extensions   *extensions.Service
	completion   *completion.Service
	verification *verification.Service
}

// as returns the principal of a demo user, or nil after a failure.
func (d *demo) as(username string) *access.Principal {
	if d.err != nil {
		return nil
	}
	p, err := d.principal(username)
	d.fail("", err)
	return p
}

// fail keeps the first error, naming the step.
func (d *demo) fail(step string, err error) {
	if err == nil || d.err != nil {
		return
	}
	if step != "" {
		err = fmt.Errorf("%s: %w", step, err)
	}
	d.err = err
}

func (d *demo) unit(key string) *uuid.UUID {
	id, ok := d.units[key]
	if !ok {
		d.fail("", fmt.Errorf("no demo unit %q", key))
	}
	return &id
}

func (d *demo) unitList(keys ...string) []uuid.UUID {
	out := make([]uuid.UUID, len(keys))
	for i, k := range keys {
		out[i] = *d.unit(k)
	}
	return out
}

func (d *demo) user(username string) *uuid.UUID {
	id, ok := d.people[username]
	if !ok {
		d.fail("", fmt.Errorf("no demo user %q", username))
	}
	return &id
}

// workday is n working days from today (negative: before today).
func (d *demo) workday(n int) civil.Date { return d.workdays.AddWorkdays(d.today, n) }

// around is the first working day on or after n calendar days from today.
func (d *demo) around(n int) civil.Date { return d.workdays.NextWorkday(d.today.AddDays(n)) }

// defaultLeader is the supervising leader of a demo item that names none: every
// item is submitted and issued with one (items.checkLeader). The first demo
// leader of the item's scope (scope, or the registering user's).
func (d *demo) defaultLeader(p *access.Principal, scope *uuid.UUID) *uuid.UUID {
	want := p.ScopeID
	if scope != nil {
		want = *scope
	}
	for _, name := range []string{leader1, "huadong.leader", "xinan.leader"} {
		if l, err := d.principal(name); err == nil && l.ScopeID == want {
			return &l.UserID
		}
	}
	return nil
}

// item registers a demo item as by; its title is demoTitles[key].
func (d *demo) item(key, by string, in items.ItemInput) uuid.UUID {
	p := d.as(by)
	if p == nil {
		return uuid.Nil
	}
	title, ok := demoTitles[key]
	if !ok {
		d.fail("", fmt.Errorf("no title for demo item %q", key))
		return uuid.Nil
	}
	in.Title = title
	if in.Content == "" {
		in.Content = title
	}
	if in.Category == "" {
		in.Category = items.CategoryImportantMatter
	}
	if in.SupervisingLeaderID == nil {
		in.SupervisingLeaderID = d.defaultLeader(p, in.ScopeID)
	}
	v, err := d.items.Create(d.ctx, p, in)
	if err != nil {
		d.fail("item "+title, err)
		return uuid.Nil
	}
	d.ids[key] = v.ID
	d.made.Items++
	return v.ID
}

// act takes a state action on the item (issue with the default assignments).
func (d *demo) act(by string, id uuid.UUID, a items.Action, comment string) {
	p := d.as(by)
	if p == nil {
		return
	}
	var err error
	if a == items.ActIssue {
		_, err = d.items.Issue(d.ctx, p, id, nil, comment, nil)
	} else {
		_, err = d.items.Act(d.ctx, p, id, a, comment, nil)
	}
	d.fail(fmt.Sprintf("%s by %s", a, by), err)
}

// answer accepts (or returns, with reason) the unit's pending assignment.
func (d *demo) answer(by string, id uuid.UUID, unit string, accept bool, reason string) {
	p := d.as(by)
	if p == nil {
		return
	}
	asgs, err := d.items.ListAssignments(d.ctx, p, id)
	if err != nil {
		d.fail("assignments", err)
		return
	}
	u := *d.unit(unit)
	for _, a := range asgs {
		if a.UnitID != u || a.State != items.AssignmentPending {
			continue
		}
		if accept {
			_, err = d.items.AcceptAssignment(d.ctx, p, a.ID, nil)
		} else {
			_, err = d.items.ReturnAssignment(d.ctx, p, a.ID, reason, nil)
		}
		d.fail("answer the assignment of "+unit+" by "+by, err)
		return
	}
	d.fail("", fmt.Errorf("no pending assignment of %s", unit))
}

// milestone adds a milestone (节点) and marks it done when asked.
func (d *demo) milestone(by string, id uuid.UUID, title string, due civil.Date, done bool) uuid.UUID {
	p := d.as(by)
	if p == nil {
		return uuid.Nil
	}
	m, err := d.items.CreateMilestone(d.ctx, p, id, items.MilestoneInput{Title: title, DueDate: due})
	if err == nil && done {
		yes := true
		_, err = d.items.UpdateMilestone(d.ctx, p, m.ID, items.MilestonePatch{Done: &yes}, nil)
	}
	if err != nil {
		d.fail("milestone "+title, err)
		return uuid.Nil
	}
	return m.ID
}

// upload stores a demo file on the item as by (POST /attachments).
func (d *demo) upload(by string, id uuid.UUID, name string, content []byte) uuid.UUID {
	p := d.as(by)
	if p == nil {
		return uuid.Nil
	}
	a, err := d.files.Upload(d.ctx, p, id, name, bytes.NewReader(content))
	if err != nil {
		d.fail("upload "+name, err)
		return uuid.Nil
	}
	d.made.Attachments++
	return a.ID
}

// report writes a feedback of the unit (submitted when in.Submit).
func (d *demo) report(by string, id uuid.UUID, unit string, in feedback.Input) uuid.UUID {
	p := d.as(by)
	if p == nil {
		return uuid.Nil
	}
	in.UnitID = d.unit(unit)
	v, err := d.feedback.Create(d.ctx, p, id, in)
	if err != nil {
		d.fail("feedback of "+unit+" by "+by, err)
		return uuid.Nil
	}
	d.made.Feedback++
	return v.ID
}

// review accepts or returns (with comment) a submitted feedback.
func (d *demo) review(by string, feedbackID uuid.UUID, accept bool, comment string) {
	p := d.as(by)
	if p == nil {
		return
	}
	var err error
	if accept {
		_, err = d.feedback.Accept(d.ctx, p, feedbackID, comment, nil)
	} else {
		_, err = d.feedback.Return(d.ctx, p, feedbackID, comment, nil)
	}
	d.fail("review feedback by "+by, err)
}

// urge sends a manual urge (催办) to the unit.
func (d *demo) urge(by string, id uuid.UUID, unit, message string) uuid.UUID {
	p := d.as(by)
	if p == nil {
		return uuid.Nil
	}
	u, err := d.urges.Send(d.ctx, p, id, *d.unit(unit), message, urges.KindManual)
	if err != nil {
		d.fail("urge "+unit, err)
		return uuid.Nil
	}
	d.made.Urges++
	return u.ID
}

func (d *demo) acknowledge(by string, urgeID uuid.UUID) {
	if p := d.as(by); p != nil {
		_, err := d.urges.Acknowledge(d.ctx, p, urgeID, nil)
		d.fail("acknowledge an urge by "+by, err)
	}
}

// write adds an instruction (批示), a coordination record or a comment.
func (d *demo) write(by string, id uuid.UUID, kind comments.Kind, body string) {
	if p := d.as(by); p != nil {
		_, err := d.comments.Create(d.ctx, p, id, comments.Input{Kind: kind, Body: body})
		d.fail(string(kind)+" by "+by, err)
		if err == nil {
			d.made.Comments++
		}
	}
}

// requestExtension is the lead unit's extension request (延期申请).
func (d *demo) requestExtension(by string, id uuid.UUID, to civil.Date, progress int, reason string) uuid.UUID {
	p := d.as(by)
	if p == nil {
		return uuid.Nil
	}
	r, err := d.extensions.Create(d.ctx, p, id, extensions.Input{RequestedDeadline: to, Reason: reason, Progress: &progress}, nil)
	if err != nil {
		d.fail("extension request by "+by, err)
		return uuid.Nil
	}
	d.made.Extensions++
	return r.ID
}

// forwardExtension is the supervision office's review, forwarding to the leader.
func (d *demo) forwardExtension(by string, id uuid.UUID, comment string) {
	if p := d.as(by); p != nil {
		_, err := d.extensions.Review(d.ctx, p, id, extensions.DecisionForward, comment, nil)
		d.fail("forward the extension request by "+by, err)
	}
}

// approveExtension is the supervising leader's decision: the deadline moves.
func (d *demo) approveExtension(by string, id uuid.UUID, comment string) {
	if p := d.as(by); p != nil {
		_, err := d.extensions.Approve(d.ctx, p, id, comment, nil)
		d.fail("approve the extension by "+by, err)
	}
}

// requestCompletion is the lead unit's completion request (办结申请); each file
// is a material of the given kind (请示, 报告, 方案, 办理情况).
func (d *demo) requestCompletion(by string, id uuid.UUID, summary string, materials ...completion.MaterialInput) uuid.UUID {
	p := d.as(by)
	if p == nil {
		return uuid.Nil
	}
	r, err := d.completion.Create(d.ctx, p, id, completion.Input{Summary: summary, Materials: materials}, nil)
	if err != nil {
		d.fail("completion request by "+by, err)
		return uuid.Nil
	}
	d.made.CompletionRequests++
	return r.ID
}

// reviewCompletion is the supervision office's review: forward, or reject (退办).
func (d *demo) reviewCompletion(by string, id uuid.UUID, forward bool, comment string) {
	if p := d.as(by); p != nil {
		decision := completion.DecisionForward
		if !forward {
			decision = completion.DecisionReject
		}
		_, err := d.completion.Review(d.ctx, p, id, decision, comment, nil)
		d.fail("review the completion request by "+by, err)
	}
}

// approveCompletion is the supervising leader's approval: the item is closed.
func (d *demo) approveCompletion(by string, id uuid.UUID, comment string) {
	if p := d.as(by); p != nil {
		_, err := d.completion.Approve(d.ctx, p, id, comment, nil)
		d.fail("approve the completion by "+by, err)
	}
}

// verify records a result verification (结果核查); failed reopens the item.
func (d *demo) verify(by string, id uuid.UUID, method, result, findings string, files ...uuid.UUID) {
	if p := d.as(by); p != nil {
		_, err := d.verification.Create(d.ctx, p, id, verification.Input{Method: method, Result: result, Findings: findings, AttachmentIDs: files}, nil)
		d.fail("verification by "+by, err)
		if err == nil {
			d.made.Verifications++
		}
	}
}

// clearWarning clears the item's warning light with a reason (摘牌).
func (d *demo) clearWarning(by string, id uuid.UUID, reason string) {
	if p := d.as(by); p != nil {
		_, err := d.items.ClearWarning(d.ctx, p, id, reason, nil)
		d.fail("clear the warning by "+by, err)
		if err == nil {
			d.made.WarningsCleared++
		}
	}
}

// past runs fn as of `days` calendar days ago, on the story's clock, and comes back
// to the real time: what fn registers happened then, with the deadlines it gives.
func (d *demo) past(days int, fn func()) {
	d.clock.Set(d.real.Now().Add(-time.Duration(days) * 24 * time.Hour))
	defer d.clock.Set(d.real.Now())
	fn()
}
