package events

import "github.com/google/uuid"

// FeedbackRef names a progress report (反馈).
type FeedbackRef struct {
	ID          uuid.UUID  `json:"id"`
	UnitID      uuid.UUID  `json:"unit_id"`
	Progress    int        `json:"progress"`
	MilestoneID *uuid.UUID `json:"milestone_id,omitempty"`
}

// FeedbackEvent is the payload of a report's step.
type FeedbackEvent struct {
	ItemHeader
	Feedback FeedbackRef `json:"feedback"`
	Comment  string      `json:"comment,omitempty"`
}

type (
	// FeedbackSubmitted: a unit sent a report for review.
	FeedbackSubmitted struct{ FeedbackEvent }
	// FeedbackAccepted: the supervision office accepted it.
	FeedbackAccepted struct{ FeedbackEvent }
	// FeedbackReturned: the supervision office sent it back with a comment.
	FeedbackReturned struct{ FeedbackEvent }
)

// UrgeRef names an urge (催办).
type UrgeRef struct {
	ID      uuid.UUID `json:"id"`
	UnitID  uuid.UUID `json:"unit_id"`
	Kind    string    `json:"kind"`
	Message string    `json:"message"`
	// Reminder is the automatic reminder's kind (deadline_approaching, overdue,
	// …) for urges of kind auto.
	Reminder string `json:"reminder,omitempty"`
	// Recipients are the people an automatic reminder is for beyond the urged
	// unit (the decider of a waiting request, the supervising leader on
	// escalation), found by the to-do list's rules (internal/reminders).
	Recipients []uuid.UUID `json:"recipients,omitempty"`
}

// UrgeEvent is the payload of an urge's step.
type UrgeEvent struct {
	ItemHeader
	Urge UrgeRef `json:"urge"`
}

type (
	// UrgeSent: a unit was urged (manually by the office, or by a reminder).
	UrgeSent struct{ UrgeEvent }
	// UrgeAcknowledged: the unit acknowledged the urge.
	UrgeAcknowledged struct{ UrgeEvent }
)

// RequestRef names an extension or completion request.
type RequestRef struct {
	ID          uuid.UUID `json:"id"`
	UnitID      uuid.UUID `json:"unit_id"`
	RequestedBy uuid.UUID `json:"requested_by"`
	// State is the request's state after the step.
	State string `json:"state"`
	// RequestedDeadline is the deadline asked for (extension requests).
	RequestedDeadline string `json:"requested_deadline,omitempty"`
}

// RequestEvent is the payload of a request's step: asked, forwarded by the
// supervision office to the supervising leader, approved or rejected.
type RequestEvent struct {
	ItemHeader
	Request RequestRef `json:"request"`
	Comment string     `json:"comment,omitempty"`
}

type (
	ExtensionRequested  struct{ RequestEvent }
	ExtensionForwarded  struct{ RequestEvent }
	ExtensionApproved   struct{ RequestEvent }
	ExtensionRejected   struct{ RequestEvent }
	CompletionRequested struct{ RequestEvent }
	CompletionForwarded struct{ RequestEvent }
	CompletionApproved  struct{ RequestEvent }
	CompletionRejected  struct{ RequestEvent }
)

// VerificationEvent is the payload of a verification after closing (结果核查).
type VerificationEvent struct {
	ItemHeader
	VerificationID uuid.UUID `json:"verification_id"`
	Method         string    `json:"method"`
	Findings       string    `json:"findings"`
}

type (
	// VerificationPassed: the item stays closed, marked verified.
	VerificationPassed struct{ VerificationEvent }
	// VerificationFailed: the item reopened (反弹).
	VerificationFailed struct{ VerificationEvent }
)

// CommentEvent is the payload of a comment, an instruction (批示) or a
// coordination opinion.
type CommentEvent struct {
	ItemHeader
	CommentID uuid.UUID `json:"comment_id"`
	// CommentKind is comment, instruction or coordination.
	CommentKind string `json:"comment_kind"`
	Body        string `json:"body"`
}

type (
	// CommentAdded: a comment or coordination opinion.
	CommentAdded struct{ CommentEvent }
	// InstructionAdded: a leader's instruction (批示).
	InstructionAdded struct{ CommentEvent }
)

// Kinds of the follow-up records.
const (
	KindFeedbackSubmitted   Kind = "feedback.submitted"
	KindFeedbackAccepted    Kind = "feedback.accepted"
	KindFeedbackReturned    Kind = "feedback.returned"
	KindUrgeSent            Kind = "urge.sent"
	KindUrgeAcknowledged    Kind = "urge.acknowledged"
	KindExtensionRequested  Kind = "extension.requested"
	KindExtensionForwarded  Kind = "extension.forwarded"
	KindExtensionApproved   Kind = "extension.approved"
	KindExtensionRejected   Kind = "extension.rejected"
	KindCompletionRequested Kind = "completion.requested"
	KindCompletionForwarded Kind = "completion.forwarded"
	KindCompletionApproved  Kind = "completion.approved"
	KindCompletionRejected  Kind = "completion.rejected"
	KindVerificationPassed  Kind = "verification.passed"
	KindVerificationFailed  Kind = "verification.failed"
	KindCommentAdded        Kind = "comment.added"
	KindInstructionAdded    Kind = "instruction.added"
)

func (FeedbackSubmitted) Kind() Kind   { return KindFeedbackSubmitted }
func (FeedbackAccepted) Kind() Kind    { return KindFeedbackAccepted }
func (FeedbackReturned) Kind() Kind    { return KindFeedbackReturned }
func (UrgeSent) Kind() Kind            { return KindUrgeSent }
func (UrgeAcknowledged) Kind() Kind    { return KindUrgeAcknowledged }
func (ExtensionRequested) Kind() Kind  { return KindExtensionRequested }
func (ExtensionForwarded) Kind() Kind  { return KindExtensionForwarded }
func (ExtensionApproved) Kind() Kind   { return KindExtensionApproved }
func (ExtensionRejected) Kind() Kind   { return KindExtensionRejected }
func (CompletionRequested) Kind() Kind { return KindCompletionRequested }
func (CompletionForwarded) Kind() Kind { return KindCompletionForwarded }
func (CompletionApproved) Kind() Kind  { return KindCompletionApproved }
func (CompletionRejected) Kind() Kind  { return KindCompletionRejected }
func (VerificationPassed) Kind() Kind  { return KindVerificationPassed }
func (VerificationFailed) Kind() Kind  { return KindVerificationFailed }
func (CommentAdded) Kind() Kind        { return KindCommentAdded }
func (InstructionAdded) Kind() Kind    { return KindInstructionAdded }

func init() {
	register(&FeedbackSubmitted{}, &FeedbackAccepted{}, &FeedbackReturned{}, &UrgeSent{}, &UrgeAcknowledged{},
		&ExtensionRequested{}, &ExtensionForwarded{}, &ExtensionApproved{}, &ExtensionRejected{},
		&CompletionRequested{}, &CompletionForwarded{}, &CompletionApproved{}, &CompletionRejected{},
		&VerificationPassed{}, &VerificationFailed{}, &CommentAdded{}, &InstructionAdded{})
}
