package items

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/civil"
	"github.com/duban/duban/internal/problem"
)

// fieldErrs collects validation failures and turns them into one 422.
type fieldErrs []problem.FieldError

func (e *fieldErrs) add(field, rule, msg string) {
	*e = append(*e, problem.FieldError{Field: field, Rule: rule, Message: msg})
}

func (e fieldErrs) err() error {
	if len(e) == 0 {
		return nil
	}
	return problem.Invalid(e...)
}

func oneOf[T ~string](e *fieldErrs, field string, v T, allowed []T) {
	if !slices.Contains(allowed, v) {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a)
		}
		e.add(field, "oneof", "must be one of: "+strings.Join(names, ", "))
	}
}

func textLen(e *fieldErrs, field, v string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(v) == "":
		e.add(field, "required", "is required")
	case max > 0 && utf8.RuneCountInString(v) > max:
		e.add(field, "max", fmt.Sprintf("must be at most %d characters", max))
	}
}

// notPast checks a date that must be today or later.
func notPast(e *fieldErrs, field string, d, today civil.Date) {
	if !d.IsZero() && d.Before(today) {
		e.add(field, "future", "must not be in the past (today is "+today.String()+")")
	}
}

func noDuplicates(e *fieldErrs, field string, ids []uuid.UUID) {
	seen := map[uuid.UUID]bool{}
	for _, id := range ids {
		if seen[id] {
			e.add(field, "unique", "must not repeat a value")
			return
		}
		seen[id] = true
	}
}

func normTags(e *fieldErrs, tags []string) []string {
	out := []string{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || slices.Contains(out, t) {
			continue
		}
		if utf8.RuneCountInString(t) > 50 {
			e.add("tags", "max", "a tag must be at most 50 characters")
			continue
		}
		out = append(out, t)
	}
	if len(out) > 20 {
		e.add("tags", "max", "must have at most 20 entries")
	}
	return out
}

// unitInfo is what the reference checks need of an org unit.
type unitInfo struct {
	ID          uuid.UUID `gorm:"type:uuid"`
	ScopeID     uuid.UUID `gorm:"type:uuid"`
	Kind        string
	Name        string
	ShortName   string
	ParentScope *uuid.UUID `gorm:"type:uuid"`
}

func (s *Service) units(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]unitInfo, error) {
	out := map[uuid.UUID]unitInfo{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []unitInfo
	err := s.db.Conn(ctx).Table("org_units u").
		Select("u.id, u.scope_id, u.kind, u.name, u.short_name, p.scope_id AS parent_scope").
		Joins("LEFT JOIN org_units p ON p.id = u.parent_id").Where("u.id IN ?", ids).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// unitFits reports whether a unit may take part in an item of the scope: a unit of
// the scope, or an enterprise directly under it (group items handed to enterprises).
func unitFits(u unitInfo, scope uuid.UUID) bool {
	return u.ScopeID == scope || (u.Kind == "enterprise" && u.ParentScope != nil && *u.ParentScope == scope)
}

// checkUnits validates unit references against the item's scope.
func (s *Service) checkUnits(ctx context.Context, e *fieldErrs, scope uuid.UUID, refs map[string][]uuid.UUID) error {
	var all []uuid.UUID
	for _, ids := range refs {
		all = append(all, ids...)
	}
	info, err := s.units(ctx, all)
	if err != nil {
		return err
	}
	for _, field := range sortedKeys(refs) {
		for _, id := range refs[field] {
			u, ok := info[id]
			switch {
			case !ok:
				e.add(field, "exists", "no such org unit: "+id.String())
			case !unitFits(u, scope):
				e.add(field, "scope", "the unit "+u.Name+" is not in the item's supervision scope")
			}
		}
	}
	return nil
}

// checkLeaders validates that users are active leaders of the scope.
func (s *Service) checkLeaders(ctx context.Context, e *fieldErrs, scope uuid.UUID, refs map[string][]uuid.UUID) error {
	var all []uuid.UUID
	for _, ids := range refs {
		all = append(all, ids...)
	}
	if len(all) == 0 {
		return nil
	}
	var rows []struct {
		ID      uuid.UUID `gorm:"type:uuid"`
		ScopeID uuid.UUID `gorm:"type:uuid"`
		Leader  int
	}
	err := s.db.Conn(ctx).Table("users u").
		Select("u.id, ou.scope_id, (SELECT COUNT(*) FROM user_roles r WHERE r.user_id = u.id AND r.role = 'leader') AS leader").
		Joins("JOIN org_units ou ON ou.id = u.org_unit_id").Where("u.id IN ? AND u.active = ?", all, true).Find(&rows).Error
	if err != nil {
		return fmt.Errorf("load leaders: %w", err)
	}
	found := map[uuid.UUID]int{}
	for _, r := range rows {
		found[r.ID] = 1
		if r.Leader > 0 && r.ScopeID == scope {
			found[r.ID] = 2
		}
	}
	for _, field := range sortedKeys(refs) {
		for _, id := range refs[field] {
			switch found[id] {
			case 0:
				e.add(field, "exists", "no such active user: "+id.String())
			case 1:
				e.add(field, "leader", "must be a user with the leader role in the item's supervision scope")
			}
		}
	}
	return nil
}

// checkResponsible validates a responsible person for an assigned unit: an active
// user of the unit, of a department under it, or of the enterprise it is.
func (s *Service) checkResponsible(ctx context.Context, e *fieldErrs, field string, user, unit uuid.UUID) error {
	var n int64
	err := s.db.Conn(ctx).Table("users u").Joins("JOIN org_units ou ON ou.id = u.org_unit_id").
		Where("u.id = ? AND u.active = ? AND (u.org_unit_id = ? OR ou.parent_id = ? OR ou.scope_id = ?)", user, true, unit, unit, unit).
		Count(&n).Error
	if err != nil {
		return fmt.Errorf("check responsible person: %w", err)
	}
	if n == 0 {
		e.add(field, "member", "must be an active user of the assigned unit")
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// noticeIssuer derives the unit that issues the task notice from the source
// (第十四条) when none is given:
//   - board: the scope's Board Office (a unit named 董事会办公室 or short-named 董办);
//   - party_group: the unit of the party-group secretary (a unit whose name contains
//     党组 or 党委办公室);
//   - leader_activity, group_meeting: the General Office, i.e. the scope's
//     supervision office (办公厅);
//   - special_meeting, other and the document sources: the lead unit itself.
//
// When the scope has no such unit it falls back to the supervision office, and to
// nothing when there is none either. A given notice_issuer_unit_id always wins.
func (s *Service) noticeIssuer(ctx context.Context, scope uuid.UUID, src Source, lead *uuid.UUID) (*uuid.UUID, error) {
	find := func(where string, args ...any) (*uuid.UUID, error) {
		var ids []uuid.UUID
		err := s.db.Conn(ctx).Table("org_units").Where("scope_id = ?", scope).Where(where, args...).
			Order("sort_order, name").Limit(1).Pluck("id", &ids).Error
		if err != nil || len(ids) == 0 {
			return nil, err
		}
		return &ids[0], nil
	}
	office := func() (*uuid.UUID, error) { return find("is_supervision_office = ?", true) }
	var (
		id  *uuid.UUID
		err error
	)
	switch src {
	case SourceBoard:
		id, err = find("name LIKE ? OR short_name = ?", "%董事会办公室%", "董办")
	case SourcePartyGroup:
		id, err = find("name LIKE ? OR name LIKE ?", "%党组%", "%党委办公室%")
	case SourceLeaderActivity, SourceGroupMeeting, SourceLeaderInstruction:
		return office()
	default:
		if lead != nil {
			return lead, nil
		}
	}
	if err != nil || id != nil {
		return id, err
	}
	return office()
}
