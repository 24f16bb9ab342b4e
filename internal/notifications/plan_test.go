package notifications

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/duban/duban/internal/events"
)

// An automatic reminder names its recipients in the payload (internal/reminders);
// an escalation also goes to the item's leaders.
func TestReminderPlan(t *testing.T) {
	t.Parallel()
	decider, leader := uuid.New(), uuid.New()
	ev := &events.UrgeSent{UrgeEvent: events.UrgeEvent{
		ItemHeader: events.ItemHeader{Item: events.ItemRef{ID: uuid.New(), Title: "整改", SupervisingLeaderID: &leader}},
		Urge:       events.UrgeRef{ID: uuid.New(), UnitID: uuid.New(), Kind: "auto", Reminder: "escalation", Message: "已逾期5个工作日"}}}
	b, _ := json.Marshal(ev)
	var raw map[string]any
	_ = json.Unmarshal(b, &raw)
	raw["urge"].(map[string]any)["recipients"] = []string{decider.String()}
	payload, _ := json.Marshal(raw)
	p := planFor(events.Envelope{Kind: events.KindUrgeSent, Event: ev, Payload: payload})
	if p.kind != KindReminder || !p.leaders || !slices.Contains(p.users, decider) || p.text.titleZh != "督办升级：整改" {
		t.Fatalf("plan %+v", p)
	}
	ev.Urge.Kind, ev.Urge.Reminder = "manual", ""
	if p := planFor(events.Envelope{Kind: events.KindUrgeSent, Event: ev, Payload: []byte(`{}`)}); p.kind != KindUrge || p.leaders || len(p.users) != 0 {
		t.Fatalf("manual plan %+v", p)
	}
}
