package auth

import (
	"context"
	"sync"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/users"
)

// The principal of a user (roles, unit, scope, the units they head or liaise for)
// changes only when people or the organisation change, which is rare; every
// request needs it. So it is cached per process and dropped whole whenever a user
// or a unit changes: the change's transaction calls PeopleChanged, which clears
// this process's cache after the commit and NOTIFYs the other processes on
// PostgreSQL (principalsChannel), which clear theirs. The session itself is still
// checked on every request (a logout or a revoked token ends at once).

// principalsChannel is the notification channel of people and organisation changes.
const principalsChannel = "duban_principals"

type principalCache struct {
	mu sync.Mutex
	// gen counts the clearings: a load that raced with a change does not store
	// what it read before it.
	gen uint64
	m   map[uuid.UUID]*access.Principal
}

func (c *principalCache) get(id uuid.UUID) (*access.Principal, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[id], c.gen
}

func (c *principalCache) put(id uuid.UUID, p *access.Principal, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.m == nil || len(c.m) > 50000 {
		c.m = map[uuid.UUID]*access.Principal{}
	}
	c.m[id] = p
}

func (c *principalCache) clear() {
	c.mu.Lock()
	c.gen++
	c.m = nil
	c.mu.Unlock()
}

// loadPrincipal is users.LoadPrincipal through the cache; the caller gets its own
// copy, acting under the delegations running now.
func (s *Service) loadPrincipal(ctx context.Context, id uuid.UUID) (*access.Principal, error) {
	cached, gen := s.principals.get(id)
	if cached != nil {
		cp := *cached
		access.ApplyDeputyships(&cp, s.now())
		return &cp, nil
	}
	p, err := users.LoadPrincipal(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	cp := *p
	s.principals.put(id, &cp, gen)
	// The delegations (代理) running now: by the clock of this request, so one
	// ends by itself although the principal stays cached.
	access.ApplyDeputyships(p, s.now())
	return p, nil
}

// ClearPrincipals drops the cached principals of this process (tests that edit
// people straight in the database call it).
func (s *Service) ClearPrincipals() { s.principals.clear() }

// PeopleChanged is called in the transaction of a change to a user or a unit: the
// cached principals of every process are dropped once it commits.
func (s *Service) PeopleChanged(ctx context.Context) error {
	database.AfterCommit(ctx, func(context.Context) { s.principals.clear() })
	return s.db.Notify(ctx, principalsChannel, "")
}

// ListenForPeopleChanges subscribes to the changes other processes commit to
// people or the organisation; the returned function clears the cache on each (and
// after the listener reconnects) until its context ends.
func (s *Service) ListenForPeopleChanges(hub *database.Hub) func(context.Context) {
	ch := hub.Subscribe(principalsChannel)
	return func(ctx context.Context) {
		for {
			select {
			case <-ctx.Done():
				return
			case <-ch:
				s.principals.clear()
			}
		}
	}
}
