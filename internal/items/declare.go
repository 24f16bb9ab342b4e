package items

import (
	"context"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// mayDeclare reports whether p may register an item of src in scope. The §14
// sources that skip the supervising leader's approval (board, party group, leader
// activity, group meeting) are declared only by the bodies that issue their task
// notices: the supervision office, and the members of the issuing unit (the board
// office, the party-group office). Anyone else choosing one would skip approval by
// a mere choice in a form (issue 14, point 11).
func (s *Service) mayDeclare(ctx context.Context, p *access.Principal, scope uuid.UUID, c Category, src Source) (bool, error) {
	// Documents are submitted by the supervision office whatever their source.
	if c == CategoryDocument || !src.SkipsApproval() || p.Has(access.RoleSupervisor) {
		return true, nil
	}
	issuer, err := s.noticeIssuer(ctx, scope, src, nil)
	if err != nil || issuer == nil {
		return false, err
	}
	return p.UnitID == *issuer || p.IsHeadOrLiaison(*issuer), nil
}

// checkDeclarer adds the field error when p may not declare src.
func (s *Service) checkDeclarer(ctx context.Context, p *access.Principal, e *fieldErrs, scope uuid.UUID, c Category, src Source) error {
	ok, err := s.mayDeclare(ctx, p, scope, c, src)
	if err != nil {
		return err
	}
	if !ok {
		e.add("source", "declarer", "only the supervision office or the unit that issues its task notice (board office, party-group office) may register items of this source")
	}
	return nil
}
