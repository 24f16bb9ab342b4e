package sso

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/users"
)

// identity is a person as single sign-on proved them: the value that names them
// in Duban and what the provider says about them.
type identity struct {
	method string
	// field (username, employee_no or email) is compared with value.
	field, value string
	// externalID is the OIDC subject or the directory entry's id.
	externalID                                             string
	username, displayName, email, phone, employeeNo, title string
	// roles, when not nil, are the roles the directory's groups grant; managed are
	// the roles those groups decide (the others stay as Duban's admins set them).
	roles, managed []string
}

// Reasons a proven identity is still refused, as the audit log and the web app's
// message name them.
const (
	reasonUnknownUser = "unknown_user"
	reasonInactive    = "inactive"
	reasonAmbiguous   = "ambiguous"
	reasonNoClaim     = "no_match_claim"
	reasonNoUnit      = "no_default_unit"
)

// errNoDefaultUnit: DUBAN_SSO_DEFAULT_UNIT names no unit (a configuration error,
// logged; the person is refused like an unknown one).
var errNoDefaultUnit = errors.New("DUBAN_SSO_DEFAULT_UNIT names no unit (or several): give a unit code, id or unique name")

// resolve finds the Duban account of id, creating it when the configuration says
// so, and brings its directory-managed roles up to date. reason is set when the
// person may not log in.
func (s *Service) resolve(ctx context.Context, id identity) (user uuid.UUID, reason string, err error) {
	id.value = strings.TrimSpace(id.value)
	if id.value == "" {
		return uuid.Nil, reasonNoClaim, nil
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		var found []users.User
		// A service account never signs in, whatever the provider says.
		q := s.db.Conn(ctx).Model(&users.User{}).Where("kind = ?", users.KindPerson)
		switch id.field {
		case "employee_no":
			q = q.Where("employee_no = ?", id.value)
		case "email":
			q = q.Where("LOWER(email) = ?", strings.ToLower(id.value))
		default:
			q = q.Where("LOWER(username) = ?", strings.ToLower(id.value))
		}
		if err := q.Limit(2).Find(&found).Error; err != nil {
			return fmt.Errorf("find the user of %s %q: %w", id.field, id.value, err)
		}
		switch {
		case len(found) > 1:
			reason = reasonAmbiguous
			return nil
		case len(found) == 0 && !s.cfg.CreateUsers:
			reason = reasonUnknownUser
			return nil
		case len(found) == 0:
			user, err = s.create(ctx, id)
			if errors.Is(err, errNoDefaultUnit) {
				s.log.ErrorContext(ctx, "cannot create the user of a first SSO login", "err", err)
				user, reason, err = uuid.Nil, reasonNoUnit, nil
			}
			return err
		case !found[0].Active:
			user, reason = found[0].ID, reasonInactive
			return nil
		}
		user = found[0].ID
		if id.roles != nil {
			return s.syncRoles(ctx, user, id)
		}
		return nil
	})
	return user, reason, err
}

var usernameChars = regexp.MustCompile(`[^a-z0-9._-]+`)

// create makes the account of a person seen for the first time, in the configured
// unit, without a local password.
func (s *Service) create(ctx context.Context, id identity) (uuid.UUID, error) {
	unit, err := s.defaultUnit(ctx)
	if err != nil {
		return uuid.Nil, err
	}
	name, err := s.freeUsername(ctx, id)
	if err != nil {
		return uuid.Nil, err
	}
	display := strings.TrimSpace(id.displayName)
	if display == "" {
		display = name
	}
	email := strings.TrimSpace(id.email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 200 {
		email = ""
	}
	now := s.clock.Now()
	u := users.User{
		ID: uuid.Must(uuid.NewV7()), Username: name, DisplayName: clip(display, 100), OrgUnitID: unit,
		Email: email, Phone: clip(id.phone, 50), Title: clip(id.title, 100), Active: true,
		Source: id.method, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if id.employeeNo != "" {
		var n int64
		if err := s.db.Conn(ctx).Model(&users.User{}).Where("employee_no = ?", id.employeeNo).Count(&n).Error; err != nil {
			return uuid.Nil, fmt.Errorf("check employee number: %w", err)
		}
		if n == 0 {
			no := clip(id.employeeNo, 64)
			u.EmployeeNo = &no
		}
	}
	if id.externalID != "" {
		ext := clip(id.externalID, 255)
		u.ExternalID = &ext
	}
	if err := s.db.Conn(ctx).Create(&u).Error; err != nil {
		return uuid.Nil, fmt.Errorf("create user %s: %w", name, err)
	}
	roles := validRoles(id.roles)
	if len(roles) == 0 {
		roles = []string{string(access.RoleMember)}
	}
	for _, r := range roles {
		if err := s.db.Conn(ctx).Create(&users.UserRole{UserID: u.ID, Role: r}).Error; err != nil {
			return uuid.Nil, fmt.Errorf("add role: %w", err)
		}
	}
	return u.ID, s.audit.Record(ctx, nil, audit.UserCreated, "user", u.ID.String(), map[string]any{
		"username": u.Username, "roles": roles, "org_unit_id": u.OrgUnitID, "source": id.method,
	})
}

// freeUsername derives a login name from what the provider said, made unique.
func (s *Service) freeUsername(ctx context.Context, id identity) (string, error) {
	base := ""
	for _, cand := range []string{id.username, id.employeeNo, strings.Split(id.email, "@")[0], id.value} {
		c := strings.Trim(usernameChars.ReplaceAllString(strings.ToLower(strings.TrimSpace(cand)), "."), ".-_")
		if utf8.RuneCountInString(c) >= 3 {
			base = clip(c, 56)
			break
		}
	}
	if base == "" {
		base = "user"
	}
	for i := 1; i < 1000; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		var n int64
		if err := s.db.Conn(ctx).Model(&users.User{}).Where("username = ?", name).Count(&n).Error; err != nil {
			return "", fmt.Errorf("check username: %w", err)
		}
		if n == 0 {
			return name, nil
		}
	}
	return "", errors.New("no free username for " + base)
}

// defaultUnit resolves DUBAN_SSO_DEFAULT_UNIT: a unit code, id or unique name.
func (s *Service) defaultUnit(ctx context.Context) (uuid.UUID, error) {
	ref := strings.TrimSpace(s.cfg.DefaultUnit)
	conn := s.db.Conn(ctx)
	var ids []uuid.UUID
	if err := conn.Table("org_units").Where("code = ?", ref).Pluck("id", &ids).Error; err != nil {
		return uuid.Nil, fmt.Errorf("find the default unit: %w", err)
	}
	if len(ids) == 0 {
		if id, err := uuid.Parse(ref); err == nil {
			if err := conn.Table("org_units").Where("id = ?", id).Pluck("id", &ids).Error; err != nil {
				return uuid.Nil, fmt.Errorf("find the default unit: %w", err)
			}
		}
	}
	if len(ids) == 0 {
		if err := conn.Table("org_units").Where("name = ?", ref).Limit(2).Pluck("id", &ids).Error; err != nil {
			return uuid.Nil, fmt.Errorf("find the default unit: %w", err)
		}
	}
	if len(ids) != 1 {
		return uuid.Nil, fmt.Errorf("%w: %q", errNoDefaultUnit, ref)
	}
	return ids[0], nil
}

// syncRoles sets the directory-managed roles of an existing user. The last active
// admin keeps the role whatever the directory says, so a directory change cannot
// lock everyone out.
func (s *Service) syncRoles(ctx context.Context, user uuid.UUID, id identity) error {
	var current []string
	if err := s.db.Conn(ctx).Model(&users.UserRole{}).Where("user_id = ?", user).Order("role").Pluck("role", &current).Error; err != nil {
		return fmt.Errorf("load roles: %w", err)
	}
	next := []string{}
	for _, r := range current {
		if !slices.Contains(id.managed, r) {
			next = append(next, r)
		}
	}
	for _, r := range validRoles(id.roles) {
		if !slices.Contains(next, r) {
			next = append(next, r)
		}
	}
	admin := string(access.RoleAdmin)
	if slices.Contains(current, admin) && !slices.Contains(next, admin) {
		var others int64
		err := s.db.Conn(ctx).Table("users").Where("users.active = ? AND users.id <> ?", true, user).
			Where("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = users.id AND r.role = ?)", admin).Count(&others).Error
		if err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		if others == 0 {
			s.log.WarnContext(ctx, "the directory no longer grants admin to the last active admin; kept", "user", user)
			next = append(next, admin)
		}
	}
	if len(next) == 0 {
		next = []string{string(access.RoleMember)}
	}
	slices.Sort(next)
	if slices.Equal(current, next) {
		return nil
	}
	if err := s.db.Conn(ctx).Where("user_id = ?", user).Delete(&users.UserRole{}).Error; err != nil {
		return fmt.Errorf("clear roles: %w", err)
	}
	for _, r := range next {
		if err := s.db.Conn(ctx).Create(&users.UserRole{UserID: user, Role: r}).Error; err != nil {
			return fmt.Errorf("add role: %w", err)
		}
	}
	if err := s.db.Conn(ctx).Model(&users.User{}).Where("id = ?", user).
		Updates(map[string]any{"version": gorm.Expr("version + 1"), "updated_at": s.clock.Now()}).Error; err != nil {
		return fmt.Errorf("bump user version: %w", err)
	}
	return s.audit.Record(ctx, nil, audit.UserRolesChanged, "user", user.String(),
		map[string]any{"before": current, "after": next, "source": id.method})
}

func validRoles(in []string) []string {
	var out []string
	for _, r := range in {
		if access.ValidRole(r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
