package auth

import "github.com/consultantpro/consultantpro/internal/fault"

// Permission messages.
const (
	MsgForbidden = "You do not have permission to perform this action."
)

// Forbidden is the error of a caller the role matrix or an object rule refuses (403).
func Forbidden() error { return fault.New(fault.Forbidden, MsgForbidden) }

// CanRead allows listing and retrieving in the area.
func CanRead(a Actor, area Area) error {
	if a.Role.AccessTo(area) >= Read {
		return nil
	}
	return Forbidden()
}

// CanWrite allows creating, updating and deleting in the area by role alone. Object rules (a
// consultant's own clients, entries, tasks) are written in each resource's policy, in its module.
func CanWrite(a Actor, area Area) error {
	if a.Role.AccessTo(area) >= Write {
		return nil
	}
	return Forbidden()
}
