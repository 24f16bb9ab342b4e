package users

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/audit"
	"github.com/duban/duban/internal/database"
	"github.com/duban/duban/internal/etag"
	"github.com/duban/duban/internal/org"
	"github.com/duban/duban/internal/problem"
)

// Problem codes of this package.
const (
	CodeUsernameTaken = "username_taken"
	// CodeSelfLockout: an admin tried to remove their own admin role or deactivate
	// themself.
	CodeSelfLockout = "self_lockout"
	// CodeLastAdmin: the change would leave no active admin.
	CodeLastAdmin = "last_admin"
)

// Service manages user accounts.
type Service struct {
	db    *database.DB
	audit *audit.Log
	// handoff hands a departing person's posts over (handoff.go); nil: released.
	handoff Handoff
}

// NewService returns the users service.
func NewService(db *database.DB, log *audit.Log) *Service { return &Service{db: db, audit: log} }

// NewUser is an account to create.
type NewUser struct {
	Username    string
	DisplayName string
	Password    string
	OrgUnitID   uuid.UUID
	Roles       []string
	Email       string
	Phone       string
	Title       string
	// MustChangePassword nil means true, the rule for new accounts; the demo seed
	// passes false.
	MustChangePassword *bool
}

// Changes change an account; nil fields stay as they are.
type Changes struct {
	DisplayName *string
	OrgUnitID   *uuid.UUID
	// Roles, when not nil, replaces the roles.
	Roles  []string
	Email  *string
	Phone  *string
	Title  *string
	Active *bool
	// Password is an admin's reset: the user must change it at the next login.
	Password *string
	// IfMatch lists the versions the caller's copy may have; nil skips the check.
	IfMatch etag.Precondition
	// Handover names successors to the posts of a person deactivated or moved;
	// nil takes the defaults (handoff.go).
	Handover *Successors
}

// Visibility returns what p may see of the directory.
func (s *Service) Visibility(ctx context.Context, p *access.Principal) (Visibility, error) {
	if p.Has(access.RoleAdmin) {
		return Visibility{Everything: true}, nil
	}
	root, err := rootScope(ctx, s.db)
	if err != nil {
		return Visibility{}, err
	}
	return VisibilityOf(p, root), nil
}

// Get returns one account visible to p.
func (s *Service) Get(ctx context.Context, p *access.Principal, id uuid.UUID) (*Account, Visibility, error) {
	v, err := s.Visibility(ctx, p)
	if err != nil {
		return nil, v, err
	}
	a, err := getAccount(ctx, s.db, id)
	if err != nil {
		return nil, v, err
	}
	if err := CanSee(p, a, v).Err("user", "read"); err != nil {
		return nil, v, err
	}
	return a, v, nil
}

// List returns one page of the accounts visible to p that match f.
func (s *Service) List(ctx context.Context, p *access.Principal, f ListFilter, sort string, page Page) ([]Account, int64, Visibility, error) {
	if p == nil {
		return nil, 0, Visibility{}, problem.Unauthorized("sign in first")
	}
	if f.Role != "" && !access.ValidRole(f.Role) {
		return nil, 0, Visibility{}, problem.Field("role", "oneof", "must be one of: "+roleList())
	}
	order, err := orderBy(sort)
	if err != nil {
		return nil, 0, Visibility{}, err
	}
	v, err := s.Visibility(ctx, p)
	if err != nil {
		return nil, 0, v, err
	}
	accts, total, err := listAccounts(ctx, s.db, v, f, order, page)
	return accts, total, v, err
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9._-]{3,64}$`)

// Create adds an account. Every field is checked before anything is written.
func (s *Service) Create(ctx context.Context, p *access.Principal, in NewUser) (*Account, error) {
	if err := CanCreate(p).Err("user", "create"); err != nil {
		return nil, err
	}
	in.Username = strings.TrimSpace(in.Username)
	in.DisplayName, in.Title = strings.TrimSpace(in.DisplayName), strings.TrimSpace(in.Title)
	in.Email, in.Phone = strings.TrimSpace(in.Email), strings.TrimSpace(in.Phone)
	var errs []problem.FieldError
	if !usernamePattern.MatchString(in.Username) {
		errs = append(errs, fieldError("username", "pattern", "must be 3 to 64 characters of a-z, 0-9, dot, underscore and hyphen"))
	}
	errs = append(errs, checkProfile(&in.DisplayName, &in.Email, &in.Phone, &in.Title)...)
	if msg := CheckPasswordPolicy(in.Username, in.Password); msg != "" {
		errs = append(errs, fieldError("password", "policy", msg))
	}
	roles, fe := checkRoles(in.Roles)
	errs = append(errs, fe...)
	if len(errs) > 0 {
		return nil, problem.Invalid(errs...)
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	must := in.MustChangePassword == nil || *in.MustChangePassword
	id := uuid.Must(uuid.NewV7())
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		ok, err := unitExists(ctx, s.db, in.OrgUnitID)
		if err != nil {
			return err
		}
		if !ok {
			return problem.Field("org_unit_id", "exists", "no such org unit")
		}
		taken, err := usernameTaken(ctx, s.db, in.Username)
		if err != nil {
			return err
		}
		if taken {
			return usernameTakenProblem(in.Username)
		}
		now := s.audit.Now()
		u := User{ID: id, Username: in.Username, DisplayName: in.DisplayName, PasswordHash: hash, OrgUnitID: in.OrgUnitID,
			Email: in.Email, Phone: in.Phone, Title: in.Title, Active: true, MustChangePassword: must,
			Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := s.db.Conn(ctx).Create(&u).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return usernameTakenProblem(in.Username)
			}
			return fmt.Errorf("create user: %w", err)
		}
		if err := replaceRoles(ctx, s.db, id, roles); err != nil {
			return err
		}
		return s.audit.Record(ctx, actor(p), audit.UserCreated, "user", id.String(), map[string]any{
			"username": u.Username, "roles": roles, "org_unit_id": u.OrgUnitID,
		})
	})
	if err != nil {
		return nil, err
	}
	a, _, err := s.Get(ctx, p, id)
	return a, err
}

// Update changes an account. Every field is checked before anything is written,
// and everything is written in one transaction.
func (s *Service) Update(ctx context.Context, p *access.Principal, id uuid.UUID, ch Changes) (*Account, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if err := lockAdmins(ctx, s.db); err != nil {
			return err
		}
		a, v, err := s.Get(ctx, p, id)
		if err != nil {
			return err
		}
		if err := CanUpdate(p, a, v).Err("user", "update"); err != nil {
			return err
		}
		if err := ch.IfMatch.Check(a.Version); err != nil {
			return err
		}
		next, roles, errs, err := s.planUpdate(ctx, a, ch)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return problem.Invalid(errs...)
		}
		if err := s.guardAdmins(ctx, p, a, next.Active, roles); err != nil {
			return err
		}
		return s.apply(ctx, p, a, next, roles, ch)
	})
	if err != nil {
		return nil, err
	}
	a, _, err := s.Get(ctx, p, id)
	return a, err
}

// planUpdate applies ch to a copy of a's row and validates it; roles is the new set
// (nil when unchanged).
func (s *Service) planUpdate(ctx context.Context, a *Account, ch Changes) (User, []string, []problem.FieldError, error) {
	next := a.User
	pick := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	pick(&next.DisplayName, ch.DisplayName)
	pick(&next.Email, ch.Email)
	pick(&next.Phone, ch.Phone)
	pick(&next.Title, ch.Title)
	errs := checkProfile(&next.DisplayName, &next.Email, &next.Phone, &next.Title)
	if ch.Active != nil {
		next.Active = *ch.Active
	}
	if ch.OrgUnitID != nil {
		next.OrgUnitID = *ch.OrgUnitID
		ok, err := unitExists(ctx, s.db, next.OrgUnitID)
		if err != nil {
			return next, nil, nil, err
		}
		if !ok {
			errs = append(errs, fieldError("org_unit_id", "exists", "no such org unit"))
		}
	}
	var roles []string
	if ch.Roles != nil {
		var fe []problem.FieldError
		roles, fe = checkRoles(ch.Roles)
		errs = append(errs, fe...)
	}
	if ch.Password != nil {
		if msg := CheckPasswordPolicy(a.Username, *ch.Password); msg != "" {
			errs = append(errs, fieldError("password", "policy", msg))
		}
	}
	return next, roles, errs, nil
}

// guardAdmins refuses an admin locking themself out and any change that leaves no
// active admin.
func (s *Service) guardAdmins(ctx context.Context, p *access.Principal, a *Account, active bool, roles []string) error {
	wasAdmin := a.Active && slices.Contains(a.Roles, string(access.RoleAdmin))
	staysAdmin := active && (roles == nil && slices.Contains(a.Roles, string(access.RoleAdmin)) ||
		slices.Contains(roles, string(access.RoleAdmin)))
	if p.UserID == a.ID {
		if !active {
			return problem.Conflict(CodeSelfLockout, "you cannot deactivate your own account")
		}
		if wasAdmin && !staysAdmin {
			return problem.Conflict(CodeSelfLockout, "you cannot remove your own admin role")
		}
	}
	if wasAdmin && !staysAdmin {
		n, err := otherActiveAdmins(ctx, s.db, a.ID)
		if err != nil {
			return err
		}
		if n == 0 {
			return problem.Conflict(CodeLastAdmin, "this is the last active admin; make another user admin first")
		}
	}
	return nil
}

// apply writes a planned update and its audit events.
func (s *Service) apply(ctx context.Context, p *access.Principal, a *Account, next User, roles []string, ch Changes) error {
	var changed []string
	diff := func(name string, differs bool) {
		if differs {
			changed = append(changed, name)
		}
	}
	diff("display_name", next.DisplayName != a.DisplayName)
	diff("email", next.Email != a.Email)
	diff("phone", next.Phone != a.Phone)
	diff("title", next.Title != a.Title)
	diff("org_unit_id", next.OrgUnitID != a.OrgUnitID)
	diff("active", next.Active != a.Active)
	rolesChanged := roles != nil && !slices.Equal(roles, a.Roles)
	reset := ch.Password != nil
	if len(changed) == 0 && !rolesChanged && !reset {
		return nil
	}
	now := s.audit.Now()
	cols := map[string]any{
		"display_name": next.DisplayName, "email": next.Email, "phone": next.Phone, "title": next.Title,
		"org_unit_id": next.OrgUnitID, "active": next.Active, "version": a.Version + 1, "updated_at": now,
	}
	if reset {
		hash, err := HashPassword(*ch.Password)
		if err != nil {
			return err
		}
		cols["password_hash"], cols["must_change_password"], cols["password_changed_at"] = hash, true, now
	}
	res := s.db.Conn(ctx).Model(&User{}).Where("id = ? AND version = ?", a.ID, a.Version).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return problem.PreconditionFailed("the user was changed meanwhile; reload it and try again")
	}
	if rolesChanged {
		if err := replaceRoles(ctx, s.db, a.ID, roles); err != nil {
			return err
		}
	}
	details := map[string]any{"changed": changed}
	if reset || !next.Active {
		n, err := revokeSessions(ctx, s.db, a.ID, s.audit.Now())
		if err != nil {
			return err
		}
		if n > 0 {
			details["api_tokens_revoked"] = n
		}
	}
	if err := s.handOver(ctx, p, a, next, ch, details); err != nil {
		return err
	}
	if next.OrgUnitID != a.OrgUnitID || !next.Active {
		var keep *uuid.UUID
		if next.Active {
			keep = &next.OrgUnitID
		}
		released, err := org.ReleaseUser(ctx, s.db, a.ID, keep)
		if err != nil {
			return err
		}
		if len(released) > 0 {
			details["released_units"] = released
		}
	}
	target := a.ID.String()
	if len(changed) > 0 {
		if err := s.audit.Record(ctx, actor(p), audit.UserUpdated, "user", target, details); err != nil {
			return err
		}
	}
	if rolesChanged {
		if err := s.audit.Record(ctx, actor(p), audit.UserRolesChanged, "user", target,
			map[string]any{"before": a.Roles, "after": roles}); err != nil {
			return err
		}
	}
	if reset {
		return s.audit.Record(ctx, actor(p), audit.UserPasswordReset, "user", target,
			map[string]any{"api_tokens_revoked": details["api_tokens_revoked"]})
	}
	return nil
}

func actor(p *access.Principal) *uuid.UUID {
	if p == nil || p.UserID == uuid.Nil {
		return nil
	}
	id := p.UserID
	return &id
}
