package items

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
)

// SourceRoute is what 第十四条 makes of one source: who issues the task notice,
// whether the supervising leader approves, and who may submit the draft. The item
// form shows it so that the person registering knows the route before saving.
type SourceRoute struct {
	Category Category
	Source   Source
	// NeedsApproval: submit goes to pending_approval (the supervising leader decides).
	NeedsApproval bool
	// IssuerIsLeadUnit: the notice comes from the item's lead unit (专题会议, 其他);
	// otherwise IssuerUnitID names the issuing unit of the caller's scope.
	IssuerIsLeadUnit bool
	IssuerUnitID     *uuid.UUID
	// OfficeSubmits: only the supervision office may submit (documents are
	// registered directly by it); otherwise the initiator or the office.
	OfficeSubmits bool
}

// SourceRoutes lists the route of every category and source the caller may use,
// with the issuing units resolved in the caller's scope.
func (s *Service) SourceRoutes(ctx context.Context, p *access.Principal) ([]SourceRoute, error) {
	var out []SourceRoute
	// The issuer depends on the source alone: look each up once for both categories.
	issuers := map[Source]*uuid.UUID{}
	for _, c := range Categories {
		for _, src := range append(append([]Source{}, MatterSources...), DocumentSources...) {
			if !src.ValidFor(c) {
				continue
			}
			if ok, err := s.mayDeclare(ctx, p, p.ScopeID, c, src); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
			r := SourceRoute{Category: c, Source: src, OfficeSubmits: c == CategoryDocument,
				NeedsApproval: c != CategoryDocument && !src.SkipsApproval()}
			// The same lookup Create uses when notice_issuer_unit_id is not given;
			// without a lead unit it answers the unit that issues for every lead.
			lead := uuid.Nil
			id, seen := issuers[src]
			if !seen {
				var err error
				if id, err = s.noticeIssuer(ctx, p.ScopeID, src, &lead); err != nil {
					return nil, fmt.Errorf("notice issuer of %s: %w", src, err)
				}
				issuers[src] = id
			}
			if id != nil && *id == lead {
				r.IssuerIsLeadUnit = true
			} else {
				r.IssuerUnitID = id
			}
			out = append(out, r)
		}
	}
	return out, nil
}
