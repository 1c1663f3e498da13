package box

import "strings"

// SignRequestStatus is where a sign request stands (the status list in
// internal/emulator/FIDELITY.md, "Lifecycle and conversion"). It is an open
// string: Box may add statuses, and an unknown one is passed on as it is.
type SignRequestStatus string

// Box's status enum (13 values in the spec).
const (
	StatusConverting      SignRequestStatus = "converting"
	StatusCreated         SignRequestStatus = "created"
	StatusSent            SignRequestStatus = "sent"
	StatusViewed          SignRequestStatus = "viewed"
	StatusFinalizing      SignRequestStatus = "finalizing"
	StatusSigned          SignRequestStatus = "signed"
	StatusDeclined        SignRequestStatus = "declined"
	StatusCancelled       SignRequestStatus = "cancelled"
	StatusExpired         SignRequestStatus = "expired"
	StatusError           SignRequestStatus = "error"
	StatusErrorConverting SignRequestStatus = "error_converting"
	StatusErrorSending    SignRequestStatus = "error_sending"
	StatusErrorFinalizing SignRequestStatus = "error_finalizing"
)

// SignRequestStatuses lists Box's status enum, in lifecycle order.
func SignRequestStatuses() []SignRequestStatus {
	return []SignRequestStatus{
		StatusConverting, StatusCreated, StatusSent, StatusViewed, StatusFinalizing, StatusSigned,
		StatusDeclined, StatusCancelled, StatusExpired,
		StatusError, StatusErrorConverting, StatusErrorSending, StatusErrorFinalizing,
	}
}

// IsError reports an error_* status (or plain error): Box does not retry
// these, the request must be created again.
func (s SignRequestStatus) IsError() bool { return strings.HasPrefix(string(s), "error") }

// IsFinal reports a status that no signer or sender can move any further:
// signed, declined, cancelled, expired or an error.
func (s SignRequestStatus) IsFinal() bool {
	switch s {
	case StatusSigned, StatusDeclined, StatusCancelled, StatusExpired:
		return true
	}
	return s.IsError()
}

// CanCancel reports whether Box accepts a cancel in this status: not once
// the request is final, nor while it is finalizing (everyone has signed).
// An unknown status is left for Box to judge.
func (s SignRequestStatus) CanCancel() bool { return !s.IsFinal() && s != StatusFinalizing }

// CanResend reports whether Box sends reminders in this status: only while
// some signer is still outstanding, which is when it can be cancelled too.
func (s SignRequestStatus) CanResend() bool { return s.CanCancel() }

// IsLive reports a request that can still mail its signers: one that is
// converting, created (waiting for preparation), sent or viewed. Only a
// live request may be adopted as an orphan; an unknown status is not live.
func (s SignRequestStatus) IsLive() bool {
	switch s {
	case StatusConverting, StatusCreated, StatusSent, StatusViewed:
		return true
	}
	return false
}
