package events

// Events of people, the organisation, settings and security come from the audit
// log (internal/audit), which records each of them in the change's transaction:
// the audit action is the event's kind (user.created, org.unit_updated,
// auth.login_succeeded, …).

// Audited is the payload shared by the audit-born events.
type Audited struct {
	// Action is the audit action, and the event's kind.
	Action     string         `json:"action"`
	TargetType string         `json:"target_type"`
	TargetID   string         `json:"target_id"`
	Details    map[string]any `json:"details,omitempty"`
}

func (a *Audited) setKind(k Kind) {
	if a.Action == "" {
		a.Action = string(k)
	}
}

type (
	// UserChanged: an account was created, edited, given roles, reset or
	// (de)activated.
	UserChanged struct{ Audited }
	// OrgChanged: a unit of the organisation was created, edited or deleted.
	OrgChanged struct{ Audited }
	// SecurityEvent: a login, a lockout, a logout, a refresh token reused, a
	// password changed, an API token created or revoked.
	SecurityEvent struct{ Audited }
	// SettingsChanged: an administrator changed a setting (warning lights, the
	// calendar, reminders, …).
	SettingsChanged struct{ Audited }
)

func (e UserChanged) Kind() Kind     { return Kind(e.Action) }
func (e OrgChanged) Kind() Kind      { return Kind(e.Action) }
func (e SecurityEvent) Kind() Kind   { return Kind(e.Action) }
func (e SettingsChanged) Kind() Kind { return Kind(e.Action) }

// FromAudit returns the typed event of an audit action, its family read from the
// action's prefix; nil for actions whose event the domain emits itself (an item's
// deletion is items.deleted from the items door).
func FromAudit(a Audited) Event {
	switch {
	case hasPrefix(a.Action, "user."):
		return &UserChanged{a}
	case hasPrefix(a.Action, "org."):
		return &OrgChanged{a}
	case hasPrefix(a.Action, "auth."):
		return &SecurityEvent{a}
	case hasPrefix(a.Action, "settings.") || hasPrefix(a.Action, "calendar."):
		return &SettingsChanged{a}
	}
	return nil
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
