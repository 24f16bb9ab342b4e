package notifications

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/duban/duban/internal/access"
	"github.com/duban/duban/internal/events"
	"github.com/duban/duban/internal/jobs"
)

// recipient is a user to tell, with what the subscriber needs of them.
type recipient struct {
	ID    uuid.UUID `gorm:"type:uuid"`
	Email string
}

// Handle is the event subscriber (internal/app registers it for EventKinds): it
// runs inside the dispatch's transaction and only writes rows — a notification
// per recipient (at most one per user and event, whatever the retries), the
// e-mail job or the digest's, and the NOTIFY that wakes the streams at commit.
func (s *Service) Handle(ctx context.Context, env events.Envelope) error {
	p := planFor(env)
	if p == nil {
		return nil
	}
	ids, err := s.recipients(ctx, p)
	if err != nil {
		return err
	}
	if env.ActorID != nil {
		ids = slices.DeleteFunc(ids, func(id uuid.UUID) bool { return id == *env.ActorID })
	}
	if len(ids) == 0 {
		return nil
	}
	// Active people only (the system user is inactive), in a fixed order: the
	// counters are locked in it, so two dispatches never wait on each other
	// in a circle.
	var users []recipient
	if err := s.db.Conn(ctx).Table("users").Select("id, email").
		Where("id IN ? AND active = ? AND is_system = ?", ids, true, false).Find(&users).Error; err != nil {
		return fmt.Errorf("notification recipients: %w", err)
	}
	slices.SortFunc(users, func(a, b recipient) int { return slices.Compare(a.ID[:], b.ID[:]) })
	prefs, err := s.prefsOf(ctx, ids)
	if err != nil {
		return err
	}
	text := p.text
	if p.unit != nil {
		text = text.with(s.unitName(ctx, *p.unit))
	}
	if len(s.told) > 0 && len(users) > 0 {
		t := Told{EventID: env.ID, EventKind: string(env.Kind), Kind: p.kind, Link: p.link,
			TitleZh: text.titleZh, BodyZh: text.bodyZh, TitleEn: text.titleEn, BodyEn: text.bodyEn}
		for _, u := range users {
			t.Users = append(t.Users, u.ID)
		}
		if p.item != nil {
			id := p.item.ID
			t.ItemID = &id
		}
		if err := s.tell(ctx, t); err != nil {
			return err
		}
	}
	now := s.clock.Now().UTC()
	for _, u := range users {
		pr := prefs[u.ID]
		ch := pr.Channels[p.kind]
		email := ch.Email && s.mail != nil && u.Email != ""
		if !ch.InApp && !email {
			continue
		}
		n := Notification{ID: uuid.Must(uuid.NewV7()), UserID: u.ID, EventID: env.ID, EventKind: string(env.Kind), Kind: p.kind,
			ObjectType: p.objectType, ObjectID: p.objectID, Link: p.link, ActorID: env.ActorID,
			TitleZh: text.titleZh, TitleEn: text.titleEn, BodyZh: text.bodyZh, BodyEn: text.bodyEn, InApp: ch.InApp, CreatedAt: now}
		if p.item != nil {
			id := p.item.ID
			n.ItemID = &id
		}
		if email {
			n.EmailState = EmailQueued
			if pr.Digest {
				n.EmailState = EmailDigest
			}
		}
		if n.Seq, err = s.nextSeq(ctx, u.ID); err != nil {
			return err
		}
		res := s.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}, {Name: "event_id"}}, DoNothing: true}).Create(&n)
		if res.Error != nil {
			return fmt.Errorf("write notification: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			continue // told already
		}
		switch n.EmailState {
		case EmailQueued:
			if _, err := s.queue.Enqueue(ctx, JobEmail, emailArgs{NotificationID: n.ID}, jobs.Unique(JobEmail+":"+n.ID.String())); err != nil {
				return err
			}
		case EmailDigest:
			if err := s.enqueueDigest(ctx, u.ID, pr); err != nil {
				return err
			}
		}
		if n.InApp {
			if err := s.signal(ctx, u.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// nextSeq takes the user's next sequence number, locking their counter until the
// transaction ends: a user's notifications commit in the order of their numbers.
func (s *Service) nextSeq(ctx context.Context, user uuid.UUID) (int64, error) {
	var seq int64
	err := s.db.Conn(ctx).Raw(`INSERT INTO notification_counters (user_id, last_seq) VALUES (?, 1)
		ON CONFLICT (user_id) DO UPDATE SET last_seq = notification_counters.last_seq + 1 RETURNING last_seq`, user).Scan(&seq).Error
	if err != nil {
		return 0, fmt.Errorf("notification counter: %w", err)
	}
	return seq, nil
}

// prefsOf reads the settings of users (defaults for those without).
func (s *Service) prefsOf(ctx context.Context, users []uuid.UUID) (map[uuid.UUID]Prefs, error) {
	var rows []Setting
	if err := s.db.Conn(ctx).Where("user_id IN ?", users).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("notification settings: %w", err)
	}
	out := make(map[uuid.UUID]Prefs, len(users))
	for _, u := range users {
		out[u] = Defaults()
	}
	for i := range rows {
		out[rows[i].UserID] = prefsOf(&rows[i])
	}
	return out, nil
}

func (s *Service) unitName(ctx context.Context, unit uuid.UUID) string {
	var names []string
	if err := s.db.Conn(ctx).Table("org_units").Where("id = ?", unit).Pluck("name", &names).Error; err != nil || len(names) == 0 {
		return "—"
	}
	return names[0]
}

// recipients are the people the plan names, before the actor and inactive users
// are left out.
func (s *Service) recipients(ctx context.Context, p *plan) ([]uuid.UUID, error) {
	set := map[uuid.UUID]bool{}
	add := func(ids ...uuid.UUID) {
		for _, id := range ids {
			if id != uuid.Nil {
				set[id] = true
			}
		}
	}
	it := p.item
	if it != nil {
		for _, a := range p.actNow {
			ids, err := s.actNow.Recipients(ctx, a.key, it.ID, a.ref)
			if err != nil {
				return nil, fmt.Errorf("who must act now (%s): %w", a.key, err)
			}
			add(ids...)
		}
	}
	add(p.users...)
	units := slices.Clone(p.units)
	if it != nil && (p.followers || p.leaders) {
		if it.SupervisingLeaderID != nil {
			add(*it.SupervisingLeaderID)
		}
		add(it.AssistingLeaderIDs...)
	}
	if it != nil && p.followers {
		add(it.InitiatorUserID)
		add(it.ResponsibleUserIDs...)
		units = append(units, it.UnitIDs...)
	}
	conn := s.db.Conn(ctx)
	if len(units) > 0 {
		var ids []uuid.UUID
		q := `SELECT head_user_id FROM org_units WHERE id IN @units AND head_user_id IS NOT NULL
			UNION SELECT user_id FROM org_unit_liaisons WHERE org_unit_id IN @units`
		args := map[string]any{"units": units}
		if it != nil {
			q += ` UNION SELECT responsible_user_id FROM item_assignments
				WHERE item_id = @item AND unit_id IN @units AND state <> 'returned' AND responsible_user_id IS NOT NULL`
			args["item"] = it.ID
		}
		if err := conn.Raw(q, args).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("heads and liaisons: %w", err)
		}
		add(ids...)
	}
	if p.office && it != nil {
		var ids []uuid.UUID
		err := conn.Raw(`SELECT u.id FROM users u JOIN org_units ou ON ou.id = u.org_unit_id
			WHERE ou.scope_id = ? AND u.id IN (SELECT r.user_id FROM user_roles r WHERE r.role = ?)`, it.ScopeID, string(access.RoleSupervisor)).Scan(&ids).Error
		if err != nil {
			return nil, fmt.Errorf("supervision office: %w", err)
		}
		add(ids...)
	}
	if p.scope != nil {
		var ids []uuid.UUID
		err := conn.Raw(`SELECT head_user_id FROM org_units WHERE scope_id = ? AND head_user_id IS NOT NULL
			UNION SELECT l.user_id FROM org_unit_liaisons l JOIN org_units ou ON ou.id = l.org_unit_id WHERE ou.scope_id = ?
			UNION SELECT u.id FROM users u JOIN org_units ou ON ou.id = u.org_unit_id
				JOIN user_roles r ON r.user_id = u.id AND r.role = ? WHERE ou.scope_id = ?`,
			*p.scope, *p.scope, string(access.RoleLeader), *p.scope).Scan(&ids).Error
		if err != nil {
			return nil, fmt.Errorf("units and leaders of the scope: %w", err)
		}
		add(ids...)
	}
	if p.admins {
		var ids []uuid.UUID
		if err := conn.Table("user_roles").Where("role = ?", string(access.RoleAdmin)).Pluck("user_id", &ids).Error; err != nil {
			return nil, fmt.Errorf("administrators: %w", err)
		}
		add(ids...)
	}
	out := make([]uuid.UUID, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.SortFunc(out, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return out, nil
}
