package crm

import (
	"slices"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// ClientStatus is a stage of a client relationship.
type ClientStatus string

// The client statuses.
const (
	ClientLead     ClientStatus = "lead"
	ClientProspect ClientStatus = "prospect"
	ClientActive   ClientStatus = "active"
	ClientInactive ClientStatus = "inactive"
	ClientLost     ClientStatus = "lost"
)

// clientStatuses lists the statuses in their lifecycle order (validation, filters, OpenAPI).
func clientStatuses() []ClientStatus {
	return []ClientStatus{ClientLead, ClientProspect, ClientActive, ClientInactive, ClientLost}
}

// Client messages (SPEC §4, exact).
const (
	MsgCompanyTaken  = "A client with this company name already exists."
	MsgPositive      = "Must be a positive value"
	MsgNegativeCount = "Ensure this value is greater than or equal to 0."
	MsgOwnerUnknown  = "Select a user of your firm."
	MsgChangeOwner   = "You do not have permission to change the owner of a client."
	MsgClientInUse   = "This client has proposals or contracts and cannot be deleted."
	// MsgClientReferenced: other modules' records (projects, invoices, folders) name the client.
	MsgClientReferenced = "This client has projects, invoices or folders and cannot be deleted."
)

// clientPolicy decides who may do what to clients: every role reads them; owners, admins and
// managers write any; a consultant edits the clients they own (SPEC §1's IsOwnerOrReadOnly).
type clientPolicy struct{}

func (clientPolicy) Allow(a auth.Actor, act resource.Action) error {
	switch act {
	case resource.List, resource.Read, resource.Update:
		return auth.CanRead(a, auth.CRM)
	}
	return auth.CanWrite(a, auth.CRM)
}

func (clientPolicy) AllowOn(a auth.Actor, act resource.Action, c *Client) error {
	mine := a.Role == auth.Consultant && c.ownerID() != "" && c.ownerID() == a.UserID
	if act == resource.Read || act == resource.Update && mine {
		return nil
	}
	return auth.CanWrite(a, auth.CRM)
}

// newClient is a client as the caller starts one: a lead they own, in the firm's country and
// currency.
func newClient(a auth.Actor) *Client {
	owner := a.UserID
	return &Client{Status: ClientLead, Country: a.Country, OwnerID: &owner, Currency: money.CurrencyOf(a.Currency).Code}
}

// formatProblems checks the fields of a merged client that have a format. Required fields and
// uniqueness are checked after (required), so that format messages come first and alone.
func (c *Client) formatProblems() fault.Fields {
	var f fault.Fields
	f.AddIf(!slices.Contains(clientStatuses(), c.Status), "status", validate.ChoiceMessage(c.Status))
	f.AddIf(c.PrimaryContactEmail != "" && !validate.Email(c.PrimaryContactEmail), "primary_contact_email", validate.MsgEmail)
	f.AddIf(c.PrimaryContactPhone != "" && !validate.Phone(c.PrimaryContactPhone), "primary_contact_phone", validate.MsgPhone)
	f.AddIf(c.Website != "" && !validate.Website(c.Website), "website", validate.MsgWebsite)
	f.AddIf(c.EmployeeCount != nil && *c.EmployeeCount < 0, "employee_count", MsgNegativeCount)
	f.AddIf(c.AnnualRevenue != nil && *c.AnnualRevenue < 0, "annual_revenue", MsgPositive)
	return f
}

// required reports the required fields the merged client lacks.
func (c *Client) required() fault.Fields {
	var f fault.Fields
	f.AddIf(c.CompanyName == "", "company_name", validate.MsgRequired)
	f.AddIf(c.PrimaryContactName == "", "primary_contact_name", validate.MsgRequired)
	f.AddIf(c.PrimaryContactEmail == "", "primary_contact_email", validate.MsgRequired)
	return f
}

// mayChangeOwner refuses a change of owner (from before, the stored owner or the creator on
// create) unless the caller is an owner or admin of the firm. Sending the current owner back is
// no change.
func mayChangeOwner(a auth.Actor, before *string, c *Client) error {
	if a.Role.IsAdmin() || (&Client{OwnerID: before}).ownerID() == c.ownerID() {
		return nil
	}
	return fault.New(fault.Forbidden, MsgChangeOwner)
}

// ownerID is the client's owner, "" when it has none.
func (c *Client) ownerID() string {
	if c.OwnerID == nil {
		return ""
	}
	return *c.OwnerID
}
