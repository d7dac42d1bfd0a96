package crm

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the status with its values.
func (ClientStatus) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(clientStatuses()) }

// ClientOut is a client as the API shows it.
type ClientOut struct {
	ID                  string       `json:"id" format:"uuid"`
	CompanyName         string       `json:"company_name"`
	Industry            string       `json:"industry"`
	Status              ClientStatus `json:"status"`
	PrimaryContactName  string       `json:"primary_contact_name"`
	PrimaryContactEmail string       `json:"primary_contact_email"`
	PrimaryContactPhone string       `json:"primary_contact_phone"`
	StreetAddress       string       `json:"street_address"`
	City                string       `json:"city"`
	State               string       `json:"state"`
	PostalCode          string       `json:"postal_code"`
	Country             string       `json:"country"`
	Website             string       `json:"website"`
	EmployeeCount       *int64       `json:"employee_count" nullable:"true"`
	AnnualRevenue       *string      `json:"annual_revenue" export:"money" nullable:"true" example:"1250000.00" doc:"Money string in currency"`
	Currency            string       `json:"currency" doc:"Currency of annual_revenue (the firm's default when the client was created)"`
	Source              string       `json:"source"`
	Owner               *string      `json:"owner" nullable:"true" format:"uuid"`
	OwnerName           *string      `json:"owner_name" nullable:"true"`
	Notes               string       `json:"notes"`
	CreatedAt           time.Time    `json:"created_at"`
	UpdatedAt           time.Time    `json:"updated_at"`
	resource.Trash
}

func clientOut(c *Client) ClientOut {
	return ClientOut{ID: c.ID, CompanyName: c.CompanyName, Industry: c.Industry, Status: c.Status,
		PrimaryContactName: c.PrimaryContactName, PrimaryContactEmail: c.PrimaryContactEmail,
		PrimaryContactPhone: c.PrimaryContactPhone, StreetAddress: c.StreetAddress, City: c.City, State: c.State,
		PostalCode: c.PostalCode, Country: c.Country, Website: c.Website, EmployeeCount: c.EmployeeCount,
		Currency: c.Currency, Source: c.Source, Owner: c.OwnerID, OwnerName: c.OwnerName, Notes: c.Notes,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(),
		AnnualRevenue: money.FormatPtr(c.AnnualRevenue, money.CurrencyOf(c.Currency))}
}

// ClientPatch is the body of PATCH: every field optional. The read-only fields of ClientOut are
// accepted and ignored, so a fetched client can be sent back.
type ClientPatch struct {
	CompanyName         api.Nullable[string]      `json:"company_name,omitempty" minLength:"1" maxLength:"255"`
	PrimaryContactName  api.Nullable[string]      `json:"primary_contact_name,omitempty" minLength:"1" maxLength:"255"`
	PrimaryContactEmail api.Nullable[string]      `json:"primary_contact_email,omitempty" minLength:"1" maxLength:"254"`
	Industry            *string                   `json:"industry,omitempty" maxLength:"100"`
	Status              *ClientStatus             `json:"status,omitempty"`
	PrimaryContactPhone *string                   `json:"primary_contact_phone,omitempty" maxLength:"50"`
	StreetAddress       *string                   `json:"street_address,omitempty" maxLength:"255"`
	City                *string                   `json:"city,omitempty" maxLength:"100"`
	State               *string                   `json:"state,omitempty" maxLength:"100"`
	PostalCode          *string                   `json:"postal_code,omitempty" maxLength:"20"`
	Country             *string                   `json:"country,omitempty" maxLength:"100"`
	Website             *string                   `json:"website,omitempty" maxLength:"200"`
	EmployeeCount       api.Nullable[int64]       `json:"employee_count,omitempty"`
	AnnualRevenue       api.Nullable[api.Decimal] `json:"annual_revenue,omitempty"`
	Source              *string                   `json:"source,omitempty" maxLength:"100"`
	Owner               api.Nullable[string]      `json:"owner,omitempty" doc:"User id; defaults to the creator; only owners and admins may set it"`
	Notes               *string                   `json:"notes,omitempty"`
	ID                  any                       `json:"id,omitempty" readOnly:"true"`
	OwnerName           any                       `json:"owner_name,omitempty" readOnly:"true"`
	Currency            any                       `json:"currency,omitempty" readOnly:"true"`
	CreatedAt           any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt           any                       `json:"updated_at,omitempty" readOnly:"true"`
}

// ClientWrite is the body of POST and PUT: the patch with the required fields required.
type ClientWrite struct {
	CompanyName         string `json:"company_name" minLength:"1" maxLength:"255"`
	PrimaryContactName  string `json:"primary_contact_name" minLength:"1" maxLength:"255"`
	PrimaryContactEmail string `json:"primary_contact_email" minLength:"1" maxLength:"254"`
	ClientPatch
}

// apply merges the PATCH body into c and reports what cannot be merged.
func (b *ClientPatch) apply(c *Client) fault.Fields {
	var nulls []string
	api.SetText(&c.CompanyName, api.RequiredChange("company_name", b.CompanyName, &nulls))
	api.SetText(&c.PrimaryContactName, api.RequiredChange("primary_contact_name", b.PrimaryContactName, &nulls))
	if e := api.RequiredChange("primary_contact_email", b.PrimaryContactEmail, &nulls); e != nil {
		c.PrimaryContactEmail = validate.NormalizeEmail(*e)
	}
	for _, f := range []struct{ dst, v *string }{{&c.Industry, b.Industry}, {&c.PrimaryContactPhone, b.PrimaryContactPhone},
		{&c.StreetAddress, b.StreetAddress}, {&c.City, b.City}, {&c.State, b.State}, {&c.PostalCode, b.PostalCode},
		{&c.Country, b.Country}, {&c.Website, b.Website}, {&c.Source, b.Source}, {&c.Notes, b.Notes}} {
		api.SetText(f.dst, f.v)
	}
	if b.Status != nil {
		c.Status = *b.Status
	}
	c.EmployeeCount = b.EmployeeCount.Or(c.EmployeeCount)
	c.OwnerID = b.Owner.Or(c.OwnerID)
	var bad fault.Fields
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	if b.AnnualRevenue.Set {
		amount, err := money.ParseOptional(api.DecimalChange(b.AnnualRevenue), money.CurrencyOf(c.Currency))
		if err != nil {
			bad.Add("annual_revenue", err.Error())
		}
		c.AnnualRevenue = amount
	}
	return bad
}

// apply merges a POST or PUT body into c.
func (b *ClientWrite) apply(c *Client) fault.Fields {
	b.ClientPatch.CompanyName = api.Value(b.CompanyName)
	b.ClientPatch.PrimaryContactName = api.Value(b.PrimaryContactName)
	b.ClientPatch.PrimaryContactEmail = api.Value(b.PrimaryContactEmail)
	return b.ClientPatch.apply(c)
}

// Check reports a new client's format problems with the schema's errors, in one response.
// Updates have them checked by the service, after the policy.
func (b *ClientWrite) Check(_ context.Context, a auth.Actor, act resource.Action) error {
	if act != resource.Create {
		return nil
	}
	c := newClient(a)
	bad := b.apply(c)
	bad.Merge(c.formatProblems())
	return bad.Err()
}

func registerClients(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Client, ClientOut, ClientWrite, ClientPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.db, Model: (*Client)(nil), Taken: MsgCompanyTaken},
		Path:       "/crm/clients/", Name: "client", Plural: "clients", Tag: "CRM: clients",
		Policy: clientPolicy{}, Load: s.loadClient, Query: clientQuery(), Cache: true,
		Out: clientOut, ID: func(c *Client) string { return c.ID },
		List:    s.ListClients,
		Get:     resource.Get[Client](clientPolicy{}, s.loadClient),
		Create:  resource.Creating(s.CreateClient, (*ClientWrite).apply),
		Replace: resource.Updating(s.UpdateClient, (*ClientWrite).apply),
		Update:  resource.Updating(s.UpdateClient, (*ClientPatch).apply),
		Delete:  s.DeleteClient,
		Errors:  map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
	})
}
