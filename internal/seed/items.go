package seed

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/attachments"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/comments"
	"github.com/duban/duban/internal/completion"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/extensions"
	"github.com/duban/duban/internal/feedback"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/urges"
	"github.com/duban/duban/internal/users"
	"github.com/duban/duban/internal/verification"
	"github.com/duban/duban/internal/warnings"
)

// The demo's supervision items (DemoItems) are made on top of the demo organisation
// through the same services the API calls, each step as the person who would take
// it: the planning liaison drafts, the supervision office issues, the heads accept
// and report, the office reviews and urges, the leaders instruct and decide. So
// every item's timeline is a real, hash-chained history and every follow-up record
// (feedback, urges, instructions, extensions, completion requests, verifications,
// attachments) exists as the API would have left it. story.go tells the story.
//
// Two facts need the past: an overdue item and a missed milestone. The services
// run on the story's own clock (a clock.Fake that stands at the real time), and
// those two items are registered while it stands some weeks back (demo.past), with
// deadlines that were ahead then and are behind now — as in real life, nothing is
// moved after the fact.

// ItemOptions are what the demo items need besides the database.
type ItemOptions struct {
	// Calendar is the company calendar; its time zone decides "today".
	Calendar *calendar.Service
	// Files stores the demo's uploaded files: the application's
	// attachments.LocalStorage{Dir: DATA_DIR/files}, so that the server serves them.
	Files attachments.Storage
}

// Counts are the records a run made.
type Counts struct {
	Items, Feedback, Urges, Comments, Extensions, CompletionRequests, Verifications, Attachments, WarningsCleared int
}

// ItemsResult is what DemoItems made (or found).
type ItemsResult struct {
	// AlreadySeeded is true when the database held items: nothing was written.
	AlreadySeeded bool
	// Items maps the keys of the demo items (Item* constants) to their ids; when
	// already seeded, the demo items found by title.
	Items map[string]uuid.UUID
	// Made counts what this run wrote (zero when already seeded).
	Made Counts
}

// maxDemoFile bounds the demo's uploads (they are a few hundred bytes).
const maxDemoFile = 1 << 20

// DemoItems adds the demo supervision items and their follow-up to the demo
// organisation org (as returned by Demo), in one transaction: all of it or nothing.
// It writes nothing when the database holds any item already.
func DemoItems(ctx context.Context, db *database.DB, log *audit.Log, org *Result, opts ItemOptions) (*ItemsResult, error) {
	if org == nil || opts.Calendar == nil || opts.Files == nil {
		return nil, errors.New("demo items: the organisation, a calendar and a file storage are required")
	}
	var n int64
	if err := db.Conn(ctx).Model(&items.Item{}).Count(&n).Error; err != nil {
		return nil, fmt.Errorf("count items: %w", err)
	}
	if n > 0 {
		found, err := findDemoItems(ctx, db)
		return &ItemsResult{AlreadySeeded: true, Items: found}, err
	}
	files := &trackedStorage{Storage: opts.Files}
	real := opts.Calendar.Clock()
	story := clock.NewFake(real.Now())
	cal := calendar.NewService(db, opts.Calendar.Location(), story)
	itemsSvc := items.NewService(db, cal, log)
	itemsSvc.UseWarnings(warnings.NewService(db, log))
	attachSvc := attachments.NewService(db, files, itemsSvc, maxDemoFile)
	d := &demo{
		db: db, cal: cal, clock: story, real: real, units: org.Units, people: org.Users,
		principals: map[string]*access.Principal{}, ids: map[string]uuid.UUID{},
		items:        itemsSvc,
		files:        attachSvc,
		feedback:     feedback.NewService(db, itemsSvc, attachSvc, cal),
		urges:        urges.NewService(db, itemsSvc),
		comments:     comments.NewService(db, itemsSvc, attachSvc),
		extensions:   extensions.NewService(db, itemsSvc),
		completion:   completion.NewService(db, itemsSvc, attachSvc),
		verification: verification.NewService(db, itemsSvc, attachSvc),
	}
	err := db.InTx(ctx, func(ctx context.Context) error {
		d.ctx = ctx
		return d.run()
	})
	if err != nil {
		// The transaction is gone; so must be the files it uploaded.
		files.removeAll(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("demo items: %w", err)
	}
	return &ItemsResult{Items: d.ids, Made: d.made}, nil
}

// findDemoItems finds the demo items of an earlier run by their titles (unique in
// the demo); the oldest item wins when someone reused a title.
func findDemoItems(ctx context.Context, db *database.DB) (map[string]uuid.UUID, error) {
	byTitle := map[string]string{}
	titles := make([]string, 0, len(demoTitles))
	for key, title := range demoTitles {
		byTitle[title] = key
		titles = append(titles, title)
	}
	var rows []struct {
		ID    uuid.UUID `gorm:"type:uuid"`
		Title string
	}
	if err := db.Conn(ctx).Model(&items.Item{}).Select("id, title").Where("title IN ?", titles).
		Order("created_at DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find demo items: %w", err)
	}
	out := map[string]uuid.UUID{}
	for _, r := range rows {
		out[byTitle[r.Title]] = r.ID
	}
	return out, nil
}

// principal loads a demo user's principal (their roles, unit, head and liaison
// posts), once.
func (d *demo) principal(username string) (*access.Principal, error) {
	if p, ok := d.principals[username]; ok {
		return p, nil
	}
	id, ok := d.people[username]
	if !ok {
		return nil, fmt.Errorf("no demo user %q", username)
	}
	p, err := users.LoadPrincipal(d.ctx, d.db, id)
	if err != nil {
		return nil, fmt.Errorf("demo user %s: %w", username, err)
	}
	d.principals[username] = p
	return p, nil
}
