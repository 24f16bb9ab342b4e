package notifications

import "github.com/duban/duban/internal/events"

// Kind is a kind of notification: what a user's settings choose channels for.
// Several event kinds map to one (kindOf). Kinds are a contract: never rename one.
type Kind string // @name NotificationKind

// The kinds, following "what notifies whom" (issue 12).
const (
	// KindItemIssued: an item was issued (下达) or assigned to my unit.
	KindItemIssued Kind = "item_issued"
	// KindAssignmentReturned: a unit returned its assignment (退回).
	KindAssignmentReturned Kind = "assignment_returned"
	// KindItemDecided: my item was approved or rejected (立项).
	KindItemDecided Kind = "item_decided"
	// KindFeedbackReviewed: my unit's feedback was accepted or returned.
	KindFeedbackReviewed Kind = "feedback_reviewed"
	// KindUrge: the supervision office urged my unit (催办).
	KindUrge Kind = "urge"
	// KindReminder: an automatic reminder or escalation (urge of kind auto).
	KindReminder Kind = "reminder"
	// KindDecisionWaiting: an approval, extension or completion request waits
	// for my decision.
	KindDecisionWaiting Kind = "decision_waiting"
	// KindRequestDecided: the outcome of an extension or completion request.
	KindRequestDecided Kind = "request_decided"
	// KindVerificationFailed: a verification failed and the item reopened (反弹).
	KindVerificationFailed Kind = "verification_failed"
	// KindInstruction: a leader's instruction (批示) on my item.
	KindInstruction Kind = "instruction"
	// KindWebhookDisabled: an outgoing webhook was turned off after failures
	// (administrators).
	KindWebhookDisabled Kind = "webhook_disabled"
	// KindBulletin: the supervision office published a bulletin (通报) of my scope.
	KindBulletin Kind = "bulletin_published"
)

// Kinds lists every kind in the order the settings show them.
var Kinds = []Kind{KindItemIssued, KindAssignmentReturned, KindItemDecided, KindFeedbackReviewed, KindUrge, KindReminder,
	KindDecisionWaiting, KindRequestDecided, KindVerificationFailed, KindInstruction, KindBulletin, KindWebhookDisabled}

// EventKinds are the domain events the subscriber reacts to.
var EventKinds = []events.Kind{
	events.KindItemIssued, events.KindAssignmentAdded, events.KindAssignmentReturned,
	events.KindItemSubmitted, events.KindItemApproved, events.KindItemRejected,
	events.KindFeedbackAccepted, events.KindFeedbackReturned, events.KindUrgeSent,
	events.KindExtensionRequested, events.KindExtensionForwarded, events.KindExtensionApproved, events.KindExtensionRejected,
	events.KindCompletionRequested, events.KindCompletionForwarded, events.KindCompletionApproved, events.KindCompletionRejected,
	events.KindVerificationFailed, events.KindInstructionAdded, events.KindWebhookDisabled,
	events.KindBulletinPublished,
}

// valid reports whether k is a kind.
func (k Kind) valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}
