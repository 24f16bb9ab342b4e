package stats_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/stats"
	"github.com/duban/duban/internal/stats/statstest"
)

// TestRebuildAlongsideWrites: a rebuild recounts the items in batches of their own
// transactions while the items keep changing. Urges made between its batches (on
// an item it has recounted and on items it has not reached) and by a writer
// running beside it are each counted once: the rollup equals a recount afterwards.
// A stale rollup is not rebuilt inside a statistics request: the request answers
// from the live tables and asks the workers, whose job then rebuilds it.
func TestRebuildAlongsideWrites(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		ctx := context.Background()
		h := statstest.Build(env)
		st := env.App.Stats
		sup := env.As(env.Login("sup"))
		urge := func(id uuid.UUID) int {
			return sup.Do("POST", "/api/v1/items/"+id.String()+"/urges", map[string]any{"message": "请加快进度"}).Status
		}
		// A change written around the items package: only a rebuild counts it.
		if err := env.DB.Gorm().Table("items").Where("id = ?", h.Items["open"]).
			Update("issued_at", h.Today.AddDays(-70).In(h.Loc).UTC()).Error; err != nil {
			t.Fatal(err)
		}
		// Six issued items in batches of two, in the order they were made: onTime
		// and late, overdue and open, lastYear and cLeads.
		between := []uuid.UUID{h.Items["overdue"], h.Items["cLeads"], h.Items["open"]}
		batches := 0
		st.RebuildInBatches(2, func(context.Context) {
			if batches < len(between) {
				if s := urge(between[batches]); s != 201 {
					t.Errorf("urge between batches: %d", s)
				}
			}
			batches++
		})
		beside := make(chan int, 4)
		go func() {
			for range 4 {
				beside <- urge(h.Items["overdue"])
			}
			close(beside)
		}()
		if err := st.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
		for s := range beside {
			if s != 201 {
				t.Errorf("urge beside the rebuild: %d", s)
			}
		}
		if batches != 3 {
			t.Fatalf("%d batches, want 3", batches)
		}
		sameAsRecount(t, st, "a rebuild alongside writes")
		var urges int64
		if err := env.DB.Gorm().Table("item_urges").Where("item_id = ?", h.Items["overdue"]).Count(&urges).Error; err != nil || urges != 7 {
			t.Fatalf("urges of the overdue item: %d (%v), want 7", urges, err)
		}

		// Stale: the request answers (live) and leaves the rebuild to a job.
		st.RebuildInBatches(500, nil)
		if err := stats.MarkStale(ctx, env.DB); err != nil {
			t.Fatal(err)
		}
		year := fmt.Sprint(h.Today.Year)
		var ov struct {
			Figures struct {
				Assigned int64 `json:"assigned"`
			} `json:"figures"`
		}
		sup.Do("GET", "/api/v1/stats/overview?period="+year, nil).Expect(200).JSON(&ov)
		if ov.Figures.Assigned == 0 {
			t.Fatalf("the live answer counts nothing: %+v", ov)
		}
		if stored, cur, err := st.RollupBasis(ctx); err != nil || stored == cur {
			t.Fatalf("rebuilt inside the request (%q, %v)", stored, err)
		}
		if err := env.App.Jobs.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if stored, cur, err := st.RollupBasis(ctx); err != nil || stored != cur {
			t.Fatalf("after the job the rollup is built with %q, want %q (%v)", stored, cur, err)
		}
		sameAsRecount(t, st, "the job's rebuild")
		var again struct {
			Figures struct {
				Assigned int64 `json:"assigned"`
			} `json:"figures"`
		}
		sup.Do("GET", "/api/v1/stats/overview?period="+year, nil).Expect(200).JSON(&again)
		if again.Figures.Assigned != ov.Figures.Assigned {
			t.Fatalf("rollup answers %d assigned, live %d", again.Figures.Assigned, ov.Figures.Assigned)
		}
	})
}
