package items_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/duban/duban/internal/apitest"
	"github.com/duban/duban/internal/items"
)

// TestConcurrentIssuesGiveConsecutiveCodes: 50 items issued at once get 50 distinct,
// consecutive codes (the sequence row serialises them inside their transactions).
func TestConcurrentIssuesGiveConsecutiveCodes(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		sup := w.p(w.Sup)
		const n = 50
		var list []*items.ItemView
		for range n {
			v := must(w.svc.Create(w.ctx, sup, w.draft(items.SourceBoard)))(t)
			list = append(list, must(w.svc.Act(w.ctx, sup, v.ID, items.ActSubmit, "", nil))(t))
		}
		codes := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, v := range list {
			wg.Go(func() {
				<-start
				got, err := w.svc.Issue(w.ctx, sup, v.ID, nil, "", nil)
				if err == nil {
					codes[i] = *got.Code
				}
				errs[i] = err
			})
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("issue: %v", err)
			}
		}
		slices.Sort(codes)
		for i, c := range codes {
			if want := fmt.Sprintf("DB-%d-%04d", today().Year, i+1); c != want {
				t.Fatalf("code %d is %s, want %s (all: %v)", i, c, want, codes)
			}
		}
	})
}

// TestConcurrentPatchesSameIfMatch: 20 edits sent with the same If-Match; exactly one
// wins, the others answer 412.
func TestConcurrentPatchesSameIfMatch(t *testing.T) {
	t.Parallel()
	apitest.Each(t, func(t *testing.T, env *apitest.Env) {
		w := newWorld(t, env)
		sup := w.p(w.Sup)
		v := must(w.svc.Create(w.ctx, sup, w.draft(items.SourceOther)))(t)
		const n = 20
		statuses := make([]int, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				_, err := w.svc.Update(w.ctx, sup, v.ID, items.ItemPatch{Title: ptr(fmt.Sprintf("标题 %d", i))}, items.Precondition{v.Version})
				statuses[i] = status(err)
			})
		}
		close(start)
		wg.Wait()
		ok, stale := 0, 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 412:
				stale++
			default:
				t.Fatalf("unexpected status %d (all: %v)", s, statuses)
			}
		}
		if ok != 1 || stale != n-1 {
			t.Fatalf("%d succeeded, %d stale; want 1 and %d", ok, stale, n-1)
		}
		got := must(w.svc.Get(w.ctx, sup, v.ID))(t)
		if got.Version != v.Version+1 {
			t.Fatalf("version %d, want %d", got.Version, v.Version+1)
		}
		if rep := must(items.VerifyChain(w.ctx, env.DB))(t); !rep.OK() {
			t.Fatalf("chain: %+v", rep.Breaks)
		}
	})
}
