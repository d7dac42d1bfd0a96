package auth

import "github.com/consultantpro/consultantpro/internal/fault"

// Permission messages.
const (
	MsgForbidden        = "You do not have permission to perform this action."
	MsgInvoicedReadOnly = "Cannot modify invoiced time entries"
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

// CanWrite allows creating, updating and deleting in the area by role alone; callers check the
// object rules below for the roles that only read.
func CanWrite(a Actor, area Area) error {
	if a.Role.AccessTo(area) >= Write {
		return nil
	}
	return Forbidden()
}

// IsOwnerOrReadOnly lets a role that writes CRM edit any client, and anyone else with read access
// edit a client they own.
func IsOwnerOrReadOnly(a Actor, ownerID string) error {
	if CanWrite(a, CRM) == nil || a.Role == Consultant && ownerID != "" && ownerID == a.UserID {
		return nil
	}
	return Forbidden()
}

// IsCreatorOrReadOnly lets a role that writes CRM edit any proposal or contract, and a consultant
// edit the ones they created.
func IsCreatorOrReadOnly(a Actor, createdBy string) error {
	if CanWrite(a, CRM) == nil || a.Role == Consultant && createdBy != "" && createdBy == a.UserID {
		return nil
	}
	return Forbidden()
}

// IsAssignedUserOrReadOnly lets a role that writes the area edit anything in it, and anyone who
// reads it edit an object assigned to them (a task's assignee, a time entry's user) or belonging
// to a project they manage.
func IsAssignedUserOrReadOnly(a Actor, area Area, assignedTo, projectManager string) error {
	if CanWrite(a, area) == nil {
		return nil
	}
	if CanRead(a, area) != nil {
		return Forbidden()
	}
	if a.Role == Consultant && (assignedTo != "" && assignedTo == a.UserID || projectManager != "" && projectManager == a.UserID) {
		return nil
	}
	return Forbidden()
}

// CannotModifyInvoicedItems refuses any change to an invoiced time entry, whoever asks, until its
// invoice is cancelled.
func CannotModifyInvoicedItems(invoiced bool) error {
	if invoiced {
		return fault.Field(fault.NonField, MsgInvoicedReadOnly)
	}
	return nil
}

// IsPaymentAuthorized allows payment operations to owners, admins and accountants, to the owner
// of the invoice's client and to the manager of the invoice's project.
func IsPaymentAuthorized(a Actor, clientOwner, projectManager string) error {
	if a.Role.IsAdmin() || a.Role == Accountant ||
		clientOwner != "" && clientOwner == a.UserID || projectManager != "" && projectManager == a.UserID {
		return nil
	}
	return Forbidden()
}
