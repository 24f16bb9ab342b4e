package ledger

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/clock"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/items"
)

// batchSize is how many items are read and written at a time: memory holds one
// batch, whatever the size of the ledger.
const batchSize = 500

// Service exports and imports the ledger.
type Service struct {
	db    *database.DB
	items *items.Service
	loc   *time.Location
	clock clock.Clock
}

// NewService returns the ledger service.
func NewService(db *database.DB, itemsSvc *items.Service, loc *time.Location, clk clock.Clock) *Service {
	return &Service{db: db, items: itemsSvc, loc: loc, clock: clock.Or(clk)}
}

// extras are what the ledger shows beside the item: its last feedback, its urges
// and its approved extensions.
type extras struct {
	feedback     map[uuid.UUID]lastFeedback
	urges, exts  map[uuid.UUID]int64
	units, users map[uuid.UUID]string
}

type lastFeedback struct {
	Content string
	At      time.Time
}

func (s *Service) extrasOf(ctx context.Context, vs []items.ItemView, units map[uuid.UUID]string) (*extras, error) {
	ids := make([]uuid.UUID, len(vs))
	userSet := map[uuid.UUID]bool{}
	for i, v := range vs {
		ids[i] = v.ID
		if v.SupervisingLeaderID != nil {
			userSet[*v.SupervisingLeaderID] = true
		}
		for _, u := range v.AssistingLeaderIDs {
			userSet[u] = true
		}
	}
	x := &extras{feedback: map[uuid.UUID]lastFeedback{}, urges: map[uuid.UUID]int64{}, exts: map[uuid.UUID]int64{}, units: units, users: map[uuid.UUID]string{}}
	conn := s.db.Conn(ctx)
	var fb []struct {
		ItemID      uuid.UUID
		Content     string
		SubmittedAt time.Time
	}
	if err := conn.Table("item_feedback").Select("item_id, content, submitted_at").
		Where("item_id IN ? AND state IN ? AND submitted_at IS NOT NULL", ids, []string{"submitted", "accepted"}).Find(&fb).Error; err != nil {
		return nil, fmt.Errorf("ledger feedback: %w", err)
	}
	for _, f := range fb {
		if cur, ok := x.feedback[f.ItemID]; !ok || f.SubmittedAt.After(cur.At) {
			x.feedback[f.ItemID] = lastFeedback{Content: f.Content, At: f.SubmittedAt}
		}
	}
	count := func(table, where string, dst map[uuid.UUID]int64) error {
		var rows []struct {
			ItemID uuid.UUID
			N      int64
		}
		if err := conn.Table(table).Select("item_id, COUNT(*) AS n").Where("item_id IN ?", ids).Where(where).Group("item_id").Find(&rows).Error; err != nil {
			return fmt.Errorf("ledger %s: %w", table, err)
		}
		for _, r := range rows {
			dst[r.ItemID] = r.N
		}
		return nil
	}
	if err := count("item_urges", "1=1", x.urges); err != nil {
		return nil, err
	}
	if err := count("extension_requests", "state = 'approved'", x.exts); err != nil {
		return nil, err
	}
	if len(userSet) > 0 {
		var us []struct {
			ID          uuid.UUID
			DisplayName string
		}
		uids := make([]uuid.UUID, 0, len(userSet))
		for u := range userSet {
			uids = append(uids, u)
		}
		if err := conn.Table("users").Select("id, display_name").Where("id IN ?", uids).Find(&us).Error; err != nil {
			return nil, fmt.Errorf("ledger users: %w", err)
		}
		for _, u := range us {
			x.users[u.ID] = u.DisplayName
		}
	}
	return x, nil
}

func (s *Service) allUnits(ctx context.Context) (map[uuid.UUID]string, error) {
	var us []struct {
		ID   uuid.UUID
		Name string
	}
	if err := s.db.Conn(ctx).Table("org_units").Select("id, name").Find(&us).Error; err != nil {
		return nil, fmt.Errorf("ledger units: %w", err)
	}
	out := make(map[uuid.UUID]string, len(us))
	for _, u := range us {
		out[u.ID] = u.Name
	}
	return out, nil
}

// row renders one item as the ledger's cells (strings and numbers).
func (s *Service) row(v *items.ItemView, x *extras, lang Lang) []any {
	sep := "、"
	if lang == En {
		sep = "; "
	}
	names := func(ids []uuid.UUID, m map[uuid.UUID]string) string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			out = append(out, m[id])
		}
		return strings.Join(out, sep)
	}
	one := func(id *uuid.UUID, m map[uuid.UUID]string) string {
		if id == nil {
			return ""
		}
		return m[*id]
	}
	day := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return civil.Of(t.In(s.loc)).String()
	}
	date := func(d civil.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	code := ""
	if v.Code != nil {
		code = *v.Code
	}
	fb, fbAt := "", ""
	if f, ok := x.feedback[v.ID]; ok {
		fb, fbAt = f.Content, day(&f.At)
	}
	return []any{
		code, v.Title, v.Content, Enum("source", string(v.Source), lang), v.SourceRef, v.DocNumber, Enum("category", string(v.Category), lang),
		one(v.LeadUnitID, x.units), names(v.CooperatingUnitIDs, x.units), one(v.SupervisingLeaderID, x.users),
		names(v.AssistingLeaderIDs, x.users), day(v.IssuedAt), date(v.Deadline), date(v.OriginalDeadline), overdueRecord(&v.Item, lang),
		Enum("state", string(v.State), lang), v.Progress, Enum("light", v.Light, lang), fb, fbAt,
		x.urges[v.ID], x.exts[v.ID], day(v.ClosedAt),
	}
}

// Walk hands every ledger row of the items p may see that match f to fn, one
// batch at a time.
func (s *Service) Walk(ctx context.Context, p *access.Principal, f items.Filter, lang Lang, fn func(row []any) error) error {
	units, err := s.allUnits(ctx)
	if err != nil {
		return err
	}
	return s.items.Stream(ctx, p, f, batchSize, func(vs []items.ItemView) error {
		x, err := s.extrasOf(ctx, vs, units)
		if err != nil {
			return err
		}
		for i := range vs {
			if err := fn(s.row(&vs[i], x, lang)); err != nil {
				return err
			}
		}
		return nil
	})
}

// WriteCSV writes the ledger as CSV (UTF-8 with a byte order mark, which Excel
// needs to read Chinese), flushing each batch.
func (s *Service) WriteCSV(ctx context.Context, w io.Writer, p *access.Principal, f items.Filter, lang Lang) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Headers(lang)); err != nil {
		return err
	}
	n := 0
	err := s.Walk(ctx, p, f, lang, func(row []any) error {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = csvSafe(fmt.Sprint(c))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
		if n++; n%batchSize == 0 {
			cw.Flush()
			return cw.Error()
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from running a cell as a formula (CSV injection): text
// that starts with = + - @ gets a leading apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// BuildXLSX writes the ledger into a workbook through excelize's stream writer
// (rows go to a temporary file past 16 MB, so memory stays flat) with a frozen
// header row, an auto-filter (a table over the rows) and column widths. The caller
// writes it out (File.Write) and closes it, which removes the temporary files.
func (s *Service) BuildXLSX(ctx context.Context, p *access.Principal, f items.Filter, lang Lang) (*excelize.File, error) {
	x := excelize.NewFile()
	sheet := "台账"
	if lang == En {
		sheet = "Ledger"
	}
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		_ = x.Close()
		return nil, err
	}
	fail := func(err error) (*excelize.File, error) {
		_ = x.Close()
		return nil, err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return fail(err)
	}
	for i, c := range ledgerColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return fail(err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fail(err)
	}
	head, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return fail(err)
	}
	heads := make([]any, len(ledgerColumns))
	for i, h := range Headers(lang) {
		heads[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", heads, excelize.RowOpts{Height: 24}); err != nil {
		return fail(err)
	}
	n := 1
	err = s.Walk(ctx, p, f, lang, func(row []any) error {
		n++
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return fail(err)
	}
	last, err := excelize.CoordinatesToCellName(len(ledgerColumns), max(n, 2))
	if err != nil {
		return fail(err)
	}
	noStripes := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Ledger", StyleName: "TableStyleLight1", ShowRowStripes: &noStripes}); err != nil {
		return fail(err)
	}
	if err := sw.Flush(); err != nil {
		return fail(err)
	}
	return x, nil
}

// overdueRecord is the item's stored overdue record against its original
// deadline (was_overdue), in lang; empty when it never ran late before a new
// deadline was set.
func overdueRecord(it *items.Item, lang Lang) string {
	if !it.WasOverdue {
		return ""
	}
	if lang == Zh {
		return fmt.Sprintf("曾逾期%d个工作日", it.OverdueWorkdays)
	}
	return fmt.Sprintf("overdue %d working days", it.OverdueWorkdays)
}
