package todo

import (
	"context"

	"github.com/duban/duban/internal/access"
)

// All lists every entry of group key for p, without the limit of a group.
func (s *Service) All(ctx context.Context, p *access.Principal, key string) ([]Entry, error) {
	d, err := s.day(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.rows(ctx, p, key, d, 0, nil)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(rows))
	for i, r := range rows {
		out[i] = s.entry(key, r)
	}
	return out, nil
}
