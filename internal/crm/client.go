package crm

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
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
	MsgPhone         = "Phone number must be 10-15 digits, optionally starting with +"
	MsgWebsite       = "Website must start with http:// or https://"
	MsgPositive      = "Must be a positive value"
	MsgNegativeCount = "Ensure this value is greater than or equal to 0."
	MsgOwnerUnknown  = "Select a user of your firm."
	MsgClientInUse   = "This client has proposals or contracts and cannot be deleted."
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
	switch act {
	case resource.Read:
		return nil
	case resource.Update:
		if auth.CanWrite(a, auth.CRM) == nil || a.Role == auth.Consultant && c.ownerID() != "" && c.ownerID() == a.UserID {
			return nil
		}
		return auth.Forbidden()
	}
	return auth.CanWrite(a, auth.CRM)
}

var phoneDigits = regexp.MustCompile(`^\+?[0-9]{10,15}$`)

// ValidPhone applies SPEC §4's phone rule: after removing spaces, -, (, ) and ., an optional +
// then 10 to 15 digits.
func ValidPhone(s string) bool {
	return phoneDigits.MatchString(strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(s))
}

// ValidWebsite accepts absolute http(s) URLs with a host.
func ValidWebsite(s string) bool {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}

// formatProblems checks the fields of a merged client that have a format. Required fields and
// uniqueness are checked after (required), so that format messages come first and alone.
func (c *Client) formatProblems() fault.Fields {
	var f fault.Fields
	if !slices.Contains(clientStatuses(), c.Status) {
		f.Add("status", validate.ChoiceMessage(c.Status))
	}
	if c.PrimaryContactEmail != "" && !validate.Email(c.PrimaryContactEmail) {
		f.Add("primary_contact_email", validate.MsgEmail)
	}
	if c.PrimaryContactPhone != "" && !ValidPhone(c.PrimaryContactPhone) {
		f.Add("primary_contact_phone", MsgPhone)
	}
	if c.Website != "" && !ValidWebsite(c.Website) {
		f.Add("website", MsgWebsite)
	}
	if c.EmployeeCount != nil && *c.EmployeeCount < 0 {
		f.Add("employee_count", MsgNegativeCount)
	}
	if c.AnnualRevenue != nil && *c.AnnualRevenue < 0 {
		f.Add("annual_revenue", MsgPositive)
	}
	return f
}

// required reports the required fields the merged client lacks.
func (c *Client) required() fault.Fields {
	var f fault.Fields
	for field, v := range map[string]string{
		"company_name": c.CompanyName, "primary_contact_name": c.PrimaryContactName,
		"primary_contact_email": c.PrimaryContactEmail,
	} {
		if v == "" {
			f.Add(field, validate.MsgRequired)
		}
	}
	return f
}

// ownerID is the client's owner, "" when it has none.
func (c *Client) ownerID() string {
	if c.OwnerID == nil {
		return ""
	}
	return *c.OwnerID
}
