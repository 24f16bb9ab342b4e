package auth

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/duban/duban/internal/problem"
)

// hashGate bounds how many password hashes run at once. Each argon2id hash holds
// its memory cost (19 MiB by default) for its whole run, so without a bound a
// burst of logins takes as many times that as there are requests. A login waits
// for a slot at most wait, and only while no more than queue others wait; beyond
// that it is answered 503 with Retry-After, before anything is hashed.
type hashGate struct {
	slots   chan struct{}
	wait    time.Duration
	queue   int64
	waiting atomic.Int64
}

func newHashGate(n int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, n), wait: wait, queue: int64(4 * n)}
}

// CodeBusy: too many password checks at once (503 with Retry-After).
const CodeBusy = "login_busy"

func errBusy() *problem.Problem {
	return problem.New(problem.KindUnavailable, CodeBusy,
		"too many logins are being checked right now; retry in a moment").With("retry_after", 1)
}

// acquire takes a slot; release it with the returned function.
func (g *hashGate) acquire(ctx context.Context) (func(), error) {
	select {
	case g.slots <- struct{}{}:
		return g.release, nil
	default:
	}
	if g.waiting.Add(1) > g.queue {
		g.waiting.Add(-1)
		return nil, errBusy()
	}
	defer g.waiting.Add(-1)
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.release, nil
	case <-t.C:
		return nil, errBusy()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (g *hashGate) release() { <-g.slots }
