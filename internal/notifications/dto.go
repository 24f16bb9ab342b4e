package notifications

import (
	"time"

	"github.com/google/uuid"
)

// LocalizedText is a text in Chinese and English.
type LocalizedText struct {
	Zh string `json:"zh" example:"新督办事项：落实年度安全生产工作会议部署"`
	En string `json:"en" example:"New supervision item: Implement the annual work-safety meeting"`
} // @name LocalizedText

// Response is a notification as read.
type Response struct {
	ID uuid.UUID `json:"id" swaggertype:"string" format:"uuid"`
	// Seq numbers the user's notifications in order (the stream's event id).
	Seq  int64 `json:"seq" example:"42"`
	Kind Kind  `json:"kind" example:"item_issued"`
	// EventKind is the domain event that caused it (item.issued, urge.sent, …).
	EventKind string        `json:"event_kind" example:"item.issued"`
	Title     LocalizedText `json:"title"`
	Body      LocalizedText `json:"body"`
	// Link is the web app's path to the object (relative to the app's address).
	Link       string     `json:"link" example:"/items/0190c3f4-7a2b-7c1d-9e8f-0123456789ab?tab=assignments"`
	ItemID     *uuid.UUID `json:"item_id" swaggertype:"string" format:"uuid"`
	ObjectType string     `json:"object_type" example:"item"`
	ObjectID   *uuid.UUID `json:"object_id" swaggertype:"string" format:"uuid"`
	// ActorID is who caused it (null: the system).
	ActorID   *uuid.UUID `json:"actor_id" swaggertype:"string" format:"uuid"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
} // @name Notification

// ToResponse renders a notification.
func ToResponse(n *Notification) Response {
	r := Response{ID: n.ID, Seq: n.Seq, Kind: n.Kind, EventKind: n.EventKind, Title: LocalizedText{n.TitleZh, n.TitleEn},
		Body: LocalizedText{n.BodyZh, n.BodyEn}, Link: n.Link, ItemID: n.ItemID, ObjectType: n.ObjectType, ObjectID: n.ObjectID,
		ActorID: n.ActorID, CreatedAt: n.CreatedAt.UTC(), ReadAt: n.ReadAt}
	if r.ReadAt != nil {
		t := r.ReadAt.UTC()
		r.ReadAt = &t
	}
	return r
}

// ListResponse is a page of the caller's notifications.
type ListResponse struct {
	Data     []Response `json:"data"`
	Total    int64      `json:"total" example:"12"`
	Page     int        `json:"page" example:"1"`
	PageSize int        `json:"page_size" example:"20"`
	// Unread counts all the caller's unread notifications.
	Unread int64 `json:"unread" example:"3"`
} // @name NotificationList

// CountResponse is the number of unread notifications.
type CountResponse struct {
	Count int64 `json:"count" example:"3"`
} // @name NotificationCount

// ReadAllResponse says how many notifications were marked read.
type ReadAllResponse struct {
	Marked int64 `json:"marked" example:"3"`
	Unread int64 `json:"unread" example:"0"`
} // @name NotificationsReadAll

// KindChannels are the channels of one kind.
type KindChannels struct {
	Kind  Kind `json:"kind" example:"urge"`
	InApp bool `json:"in_app" example:"true"`
	Email bool `json:"email" example:"true"`
} // @name NotificationKindChannels

// QuietHours are the hours without e-mail.
type QuietHours struct {
	Enabled bool   `json:"enabled" example:"true"`
	Start   string `json:"start" example:"22:00"`
	End     string `json:"end" example:"07:00"`
} // @name QuietHours

// SettingsResponse are the caller's notification settings.
type SettingsResponse struct {
	// Language of the notifications' e-mail (and the web app's choice).
	Language string `json:"language" enums:"zh-CN,en" example:"zh-CN"`
	// Kinds has every kind with its channels.
	Kinds []KindChannels `json:"kinds"`
	// Digest: e-mail comes once a day at digest_time instead of one message per
	// notification.
	Digest     bool       `json:"digest" example:"false"`
	DigestTime string     `json:"digest_time" example:"08:00"`
	QuietHours QuietHours `json:"quiet_hours"`
	// EmailAvailable: the server can send e-mail (an SMTP server is configured).
	EmailAvailable bool `json:"email_available" example:"true"`
	// EmailAddress is where e-mail goes ("" : none on the account, no e-mail).
	EmailAddress string     `json:"email_address" example:"wang@example.com"`
	TimeZone     string     `json:"time_zone" example:"Asia/Shanghai"`
	Version      int        `json:"version" example:"1"`
	UpdatedAt    *time.Time `json:"updated_at"`
} // @name NotificationSettings

// KindChannelsInput changes one kind's channels; absent fields stay.
type KindChannelsInput struct {
	Kind  string `json:"kind" validate:"required" example:"urge"`
	InApp *bool  `json:"in_app,omitempty" example:"true"`
	Email *bool  `json:"email,omitempty" example:"false"`
} // @name NotificationKindChannelsInput

// QuietHoursInput sets the quiet hours.
type QuietHoursInput struct {
	Enabled bool   `json:"enabled" example:"true"`
	Start   string `json:"start,omitempty" example:"22:00"`
	End     string `json:"end,omitempty" example:"07:00"`
} // @name QuietHoursInput

// UpdateSettingsRequest is the body of PUT /me/notification-settings; absent
// fields stay.
type UpdateSettingsRequest struct {
	Language   *string             `json:"language,omitempty" example:"en"`
	Kinds      []KindChannelsInput `json:"kinds,omitempty" validate:"omitempty,max=50,dive"`
	Digest     *bool               `json:"digest,omitempty" example:"true"`
	DigestTime *string             `json:"digest_time,omitempty" example:"08:30"`
	QuietHours *QuietHoursInput    `json:"quiet_hours,omitempty"`
	// Version, when given, must be the current version (412 otherwise), like
	// If-Match.
	Version *int `json:"version,omitempty" example:"1"`
} // @name UpdateNotificationSettings

// settingsResponse renders prefs.
func settingsResponse(p Prefs, email string, emailOn bool, tz string) SettingsResponse {
	r := SettingsResponse{Language: p.Language, Digest: p.Digest, DigestTime: p.DigestTime.String(), EmailAvailable: emailOn,
		EmailAddress: email, TimeZone: tz, Version: p.Version, UpdatedAt: p.UpdatedAt, Kinds: make([]KindChannels, len(Kinds))}
	for i, k := range Kinds {
		c := p.Channels[k]
		r.Kinds[i] = KindChannels{Kind: k, InApp: c.InApp, Email: c.Email}
	}
	r.QuietHours = QuietHours{Enabled: p.Quiet, Start: "22:00", End: "07:00"}
	if p.Quiet {
		r.QuietHours.Start, r.QuietHours.End = p.QuietStart.String(), p.QuietEnd.String()
	}
	return r
}
