package crm

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/danielgtaylor/huma/v2"
)

// ClientOut is a client as the API shows it.
type ClientOut struct {
	ID                  string    `json:"id" format:"uuid"`
	CompanyName         string    `json:"company_name"`
	Industry            string    `json:"industry"`
	Status              string    `json:"status" enum:"lead,prospect,active,inactive,lost"`
	PrimaryContactName  string    `json:"primary_contact_name"`
	PrimaryContactEmail string    `json:"primary_contact_email"`
	PrimaryContactPhone string    `json:"primary_contact_phone"`
	StreetAddress       string    `json:"street_address"`
	City                string    `json:"city"`
	State               string    `json:"state"`
	PostalCode          string    `json:"postal_code"`
	Country             string    `json:"country"`
	Website             string    `json:"website"`
	EmployeeCount       *int64    `json:"employee_count" nullable:"true"`
	AnnualRevenue       *string   `json:"annual_revenue" nullable:"true" example:"1250000.00" doc:"Money string in currency"`
	Currency            string    `json:"currency" doc:"Currency of annual_revenue (the firm's default when the client was created)"`
	Source              string    `json:"source"`
	Owner               *string   `json:"owner" nullable:"true" format:"uuid"`
	OwnerName           *string   `json:"owner_name" nullable:"true"`
	Notes               string    `json:"notes"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

func clientOut(v *ClientView) ClientOut {
	c := v.Client
	out := ClientOut{ID: c.ID, CompanyName: c.CompanyName, Industry: c.Industry, Status: c.Status,
		PrimaryContactName: c.PrimaryContactName, PrimaryContactEmail: c.PrimaryContactEmail,
		PrimaryContactPhone: c.PrimaryContactPhone, StreetAddress: c.StreetAddress, City: c.City, State: c.State,
		PostalCode: c.PostalCode, Country: c.Country, Website: c.Website, EmployeeCount: c.EmployeeCount,
		Currency: c.Currency, Source: c.Source, Owner: c.OwnerID, OwnerName: v.OwnerName, Notes: c.Notes,
		CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
	if c.OwnerID == nil {
		out.OwnerName = nil
	}
	if c.AnnualRevenue != nil {
		s := money.Format(*c.AnnualRevenue, currencyOf(c.Currency))
		out.AnnualRevenue = &s
	}
	return out
}

// ClientOptional are the client fields that may be left out, on every write. The read-only
// fields of ClientOut are accepted and ignored, so a fetched client can be sent back with PUT.
type ClientOptional struct {
	Industry            *string                   `json:"industry,omitempty" maxLength:"100"`
	Status              *string                   `json:"status,omitempty" enum:"lead,prospect,active,inactive,lost"`
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

func (o ClientOptional) changes(ch *ClientChanges) {
	ch.Industry, ch.Status, ch.PrimaryContactPhone = o.Industry, o.Status, o.PrimaryContactPhone
	ch.StreetAddress, ch.City, ch.State, ch.PostalCode, ch.Country = o.StreetAddress, o.City, o.State, o.PostalCode, o.Country
	ch.Website, ch.Source, ch.Notes = o.Website, o.Source, o.Notes
	if o.EmployeeCount.Set {
		ch.EmployeeCount, ch.ClearEmployeeCount = o.EmployeeCount.Ptr(), o.EmployeeCount.Null
	}
	if o.AnnualRevenue.Set {
		d := money.Decimal(o.AnnualRevenue.Value) // "" when null: clears it
		ch.AnnualRevenue = &d
	}
	if o.Owner.Set {
		owner := o.Owner.Value // "" when null: no owner
		ch.Owner = &owner
	}
}

// clientWrite is the body of POST and PUT: the required fields plus the optional ones.
type clientWrite struct {
	CompanyName         string `json:"company_name" minLength:"1" maxLength:"255"`
	PrimaryContactName  string `json:"primary_contact_name" minLength:"1" maxLength:"255"`
	PrimaryContactEmail string `json:"primary_contact_email" minLength:"1" maxLength:"254"`
	ClientOptional
}

func (b *clientWrite) changes() ClientChanges {
	ch := ClientChanges{CompanyName: &b.CompanyName, PrimaryContactName: &b.PrimaryContactName,
		PrimaryContactEmail: &b.PrimaryContactEmail}
	b.ClientOptional.changes(&ch)
	return ch
}

// clientPatch is the body of PATCH: every field optional.
type clientPatch struct {
	CompanyName         api.Nullable[string] `json:"company_name,omitempty" minLength:"1" maxLength:"255"`
	PrimaryContactName  api.Nullable[string] `json:"primary_contact_name,omitempty" minLength:"1" maxLength:"255"`
	PrimaryContactEmail api.Nullable[string] `json:"primary_contact_email,omitempty" minLength:"1" maxLength:"254"`
	ClientOptional
}

func (b *clientPatch) changes() ClientChanges {
	var ch ClientChanges
	ch.CompanyName = requiredPatch("company_name", b.CompanyName, &ch.Nulls)
	ch.PrimaryContactName = requiredPatch("primary_contact_name", b.PrimaryContactName, &ch.Nulls)
	ch.PrimaryContactEmail = requiredPatch("primary_contact_email", b.PrimaryContactEmail, &ch.Nulls)
	b.ClientOptional.changes(&ch)
	return ch
}

// formatErrors runs the format rules of a new client while huma checks the schema, so one
// response lists all. (Updates run them in the service, after the object rules: a caller who
// may not edit a client learns that first.)
func formatErrors(ctx huma.Context, ch ClientChanges) []error {
	a, err := auth.ActorFrom(ctx.Context())
	if err != nil {
		return nil
	}
	var errs []error
	for field, msgs := range ch.formatProblems(currencyOf(a.Currency)) {
		for _, m := range msgs {
			errs = append(errs, &huma.ErrorDetail{Location: "body." + field, Message: m})
		}
	}
	return errs
}

type clientCreateIn struct{ Body clientWrite }

func (in *clientCreateIn) Resolve(ctx huma.Context) []error {
	return formatErrors(ctx, in.Body.changes())
}

type clientPutIn struct {
	ID   string `path:"id"`
	Body clientWrite
}

type clientPatchIn struct {
	ID   string `path:"id"`
	Body clientPatch
}

type idIn struct {
	ID string `path:"id"`
}

type clientListIn struct{ api.ListInput }

type clientBody struct {
	Body ClientOut
}

type clientCreated struct {
	Location string `header:"Location"`
	Body     ClientOut
}

func (h *handlers) registerClients(a *api.API) {
	tags := []string{"CRM: clients"}
	read := auth.Require(a, auth.CRM, auth.Read)
	write := auth.Require(a, auth.CRM, auth.Write)
	editable := auth.Authorize(a, h.svc.CheckClientEditable)
	list := huma.Operation{OperationID: "list-clients", Method: http.MethodGet, Path: "/crm/clients/",
		Summary: "List clients", Tags: tags, Middlewares: read}
	ClientList.Document(&list)
	api.Register(a, list, auth.Handle(h.listClients))
	api.Register(a, huma.Operation{OperationID: "create-client", Method: http.MethodPost, Path: "/crm/clients/",
		Summary: "Create a client", Tags: tags, DefaultStatus: http.StatusCreated, Middlewares: write}, auth.Handle(h.createClient))
	api.Register(a, huma.Operation{OperationID: "get-client", Method: http.MethodGet, Path: "/crm/clients/{id}/",
		Summary: "Get a client", Tags: tags, Middlewares: read}, auth.Handle(h.getClient))
	api.Register(a, huma.Operation{OperationID: "replace-client", Method: http.MethodPut, Path: "/crm/clients/{id}/",
		Summary: "Update a client (full)", Tags: tags, Middlewares: editable}, auth.Handle(h.putClient))
	api.Register(a, huma.Operation{OperationID: "update-client", Method: http.MethodPatch, Path: "/crm/clients/{id}/",
		Summary: "Update a client (partial)", Tags: tags, Middlewares: editable}, auth.Handle(h.patchClient))
	api.Register(a, huma.Operation{OperationID: "delete-client", Method: http.MethodDelete, Path: "/crm/clients/{id}/",
		Summary: "Delete a client", Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict},
		Middlewares: write},
		auth.Handle(h.deleteClient))
}

func (h *handlers) listClients(ctx context.Context, a auth.Actor, in *clientListIn) (*api.ListOutput[ClientOut], error) {
	p, err := ClientList.Parse(&in.ListInput)
	if err != nil {
		return nil, err
	}
	rows, count, err := h.svc.ListClients(ctx, a, p)
	if err != nil {
		return nil, err
	}
	return api.PageOf(p, count, rows, clientOut)
}

func (h *handlers) createClient(ctx context.Context, a auth.Actor, in *clientCreateIn) (*clientCreated, error) {
	v, err := h.svc.CreateClient(ctx, a, in.Body.changes())
	if err != nil {
		return nil, err
	}
	return &clientCreated{Location: api.Prefix + "/crm/clients/" + v.ID + "/", Body: clientOut(v)}, nil
}

func (h *handlers) getClient(ctx context.Context, a auth.Actor, in *idIn) (*clientBody, error) {
	v, err := h.svc.GetClient(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &clientBody{Body: clientOut(v)}, nil
}

func (h *handlers) putClient(ctx context.Context, a auth.Actor, in *clientPutIn) (*clientBody, error) {
	return h.updateClient(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) patchClient(ctx context.Context, a auth.Actor, in *clientPatchIn) (*clientBody, error) {
	return h.updateClient(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) updateClient(ctx context.Context, a auth.Actor, id string, ch ClientChanges) (*clientBody, error) {
	v, err := h.svc.UpdateClient(ctx, a, id, ch)
	if err != nil {
		return nil, err
	}
	return &clientBody{Body: clientOut(v)}, nil
}

func (h *handlers) deleteClient(ctx context.Context, a auth.Actor, in *idIn) (*struct{}, error) {
	return nil, h.svc.DeleteClient(ctx, a, in.ID)
}
