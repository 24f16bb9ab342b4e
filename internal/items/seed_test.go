package items_test

import (
	"testing"
	"time"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/calendar"
	"github.com/duban/duban/internal/items"
	"github.com/duban/duban/internal/seed"
)

func TestSeedDemo(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		ctx := t.Context()
		org, err := seed.Demo(ctx, env.DB, audit.New(env.DB))
		if err != nil {
			t.Fatal(err)
		}
		cal := calendar.NewService(env.DB, time.FixedZone("CST", 8*3600))
		n, err := items.SeedDemo(ctx, env.DB, cal, audit.New(env.DB), org.Units, org.Users)
		if err != nil || n < 15 {
			t.Fatalf("seeded %d: %v", n, err)
		}
		var states []string
		if err := env.DB.Gorm().Table("items").Distinct("state").Pluck("state", &states).Error; err != nil {
			t.Fatal(err)
		}
		for _, s := range items.States {
			found := false
			for _, got := range states {
				found = found || got == string(s)
			}
			if !found {
				t.Errorf("no demo item in state %s", s)
			}
		}
		// Every light shows up for the supervision office.
		sup := env.Principal(org.Users["duban"])
		svc := items.NewService(env.DB, cal, audit.New(env.DB))
		for _, l := range items.Lights {
			pg, err := svc.List(ctx, sup, filter(t, "light="+l))
			if err != nil || pg.Total == 0 {
				t.Errorf("no demo item with light %s (%v)", l, err)
			}
		}
		if rep, err := items.VerifyChain(ctx, env.DB); err != nil || !rep.OK() {
			t.Fatalf("chain: %+v %v", rep, err)
		}
		if n, err := items.SeedDemo(ctx, env.DB, cal, audit.New(env.DB), org.Units, org.Users); n != 0 || err != nil {
			t.Fatalf("second run made %d: %v", n, err)
		}
	})
}
