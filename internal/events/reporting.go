package events

import "github.com/google/uuid"

// BulletinPublished: the supervision office published a periodic bulletin
// (督查督办通报); the scope's units may read it now.
type BulletinPublished struct {
	BulletinID uuid.UUID `json:"bulletin_id"`
	ScopeID    uuid.UUID `json:"scope_id"`
	Title      string    `json:"title"`
	DocNo      string    `json:"doc_no"`
	Period     string    `json:"period"`
}

// KindBulletinPublished is its kind.
const KindBulletinPublished Kind = "bulletin.published"

func (BulletinPublished) Kind() Kind { return KindBulletinPublished }

func init() { register(&BulletinPublished{}) }
