package crm

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// ClientStatuses are the stages of a client relationship.
var ClientStatuses = []string{"lead", "prospect", "active", "inactive", "lost"}

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

// Client is a company the firm sells to.
type Client struct {
	bun.BaseModel       `bun:"table:clients,alias:c"`
	ID                  string        `bun:"id,pk"`
	FirmID              string        `bun:"firm_id"`
	CompanyName         string        `bun:"company_name"`
	Industry            string        `bun:"industry"`
	Status              string        `bun:"status"`
	PrimaryContactName  string        `bun:"primary_contact_name"`
	PrimaryContactEmail string        `bun:"primary_contact_email"`
	PrimaryContactPhone string        `bun:"primary_contact_phone"`
	StreetAddress       string        `bun:"street_address"`
	City                string        `bun:"city"`
	State               string        `bun:"state"`
	PostalCode          string        `bun:"postal_code"`
	Country             string        `bun:"country"`
	Website             string        `bun:"website"`
	EmployeeCount       *int64        `bun:"employee_count"`
	AnnualRevenue       *money.Amount `bun:"annual_revenue"`
	Currency            string        `bun:"currency"`
	Source              string        `bun:"source"`
	OwnerID             *string       `bun:"owner_id"`
	Notes               string        `bun:"notes"`
	CreatedAt           time.Time     `bun:"created_at"`
	UpdatedAt           time.Time     `bun:"updated_at"`
}

// ClientChanges are the writable fields of a client; nil leaves a field as it is. Create and PUT
// set every field; PATCH only the ones sent.
type ClientChanges struct {
	CompanyName         *string
	Industry            *string
	Status              *string
	PrimaryContactName  *string
	PrimaryContactEmail *string
	PrimaryContactPhone *string
	StreetAddress       *string
	City                *string
	State               *string
	PostalCode          *string
	Country             *string
	Website             *string
	EmployeeCount       *int64
	ClearEmployeeCount  bool // employee_count sent as null
	AnnualRevenue       *money.Decimal
	Source              *string
	Owner               *string // "" clears the owner
	Notes               *string
	Nulls               []string // required fields sent as null
}

// MsgNull is the message of a required field sent as null.
const MsgNull = "This field may not be null."

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

// formatProblems checks the fields that have a format, for whatever the request sent; required
// fields and uniqueness are checked later, on the merged client.
func (ch ClientChanges) formatProblems(cur money.Currency) fault.Fields {
	var f fault.Fields
	for _, field := range ch.Nulls {
		f.Add(field, MsgNull)
	}
	if ch.Status != nil && !slices.Contains(ClientStatuses, *ch.Status) {
		f.Add("status", choiceMessage(*ch.Status))
	}
	if e := ch.PrimaryContactEmail; e != nil && *e != "" && !validate.Email(strings.TrimSpace(*e)) {
		f.Add("primary_contact_email", validate.MsgEmail)
	}
	if p := ch.PrimaryContactPhone; p != nil && *p != "" && !ValidPhone(*p) {
		f.Add("primary_contact_phone", MsgPhone)
	}
	if w := ch.Website; w != nil && *w != "" && !ValidWebsite(strings.TrimSpace(*w)) {
		f.Add("website", MsgWebsite)
	}
	if n := ch.EmployeeCount; n != nil && *n < 0 {
		f.Add("employee_count", MsgNegativeCount)
	}
	if r := ch.AnnualRevenue; r != nil && *r != "" {
		if a, err := r.Amount(cur); err != nil {
			f.Add("annual_revenue", err.Error())
		} else if a < 0 {
			f.Add("annual_revenue", MsgPositive)
		}
	}
	return f
}

// apply merges the changes into c (already format-checked).
func (ch ClientChanges) apply(c *Client, cur money.Currency) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&c.CompanyName, ch.CompanyName)
	set(&c.Industry, ch.Industry)
	set(&c.Status, ch.Status)
	set(&c.PrimaryContactName, ch.PrimaryContactName)
	set(&c.PrimaryContactPhone, ch.PrimaryContactPhone)
	set(&c.StreetAddress, ch.StreetAddress)
	set(&c.City, ch.City)
	set(&c.State, ch.State)
	set(&c.PostalCode, ch.PostalCode)
	set(&c.Country, ch.Country)
	set(&c.Website, ch.Website)
	set(&c.Source, ch.Source)
	set(&c.Notes, ch.Notes)
	if ch.PrimaryContactEmail != nil {
		c.PrimaryContactEmail = validate.NormalizeEmail(*ch.PrimaryContactEmail)
	}
	if ch.EmployeeCount != nil {
		c.EmployeeCount = ch.EmployeeCount
	}
	if ch.ClearEmployeeCount {
		c.EmployeeCount = nil
	}
	if r := ch.AnnualRevenue; r != nil {
		c.AnnualRevenue = nil
		if *r != "" {
			a, _ := r.Amount(cur)
			c.AnnualRevenue = &a
		}
	}
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

// choiceMessage is the message of a value outside a field's choices.
func choiceMessage(v string) string { return api.ChoiceMessage(v) }
