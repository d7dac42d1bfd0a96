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

// ContractOut is a contract as the API shows it.
type ContractOut struct {
	ID              string    `json:"id" format:"uuid"`
	Client          string    `json:"client" format:"uuid"`
	ClientName      *string   `json:"client_name" nullable:"true"`
	Proposal        *string   `json:"proposal" nullable:"true" format:"uuid"`
	ProposalNumber  *string   `json:"proposal_number" nullable:"true" example:"PROP-2026-001"`
	ContractNumber  string    `json:"contract_number" example:"CTR-2026-001" doc:"Server-assigned: prefix, year, sequence"`
	Title           string    `json:"title"`
	Description     string    `json:"description"`
	Status          string    `json:"status" enum:"draft,active,completed,terminated,on_hold"`
	TotalValue      string    `json:"total_value" example:"48000.00" doc:"Money string in currency"`
	Currency        string    `json:"currency" example:"USD"`
	PaymentTerms    string    `json:"payment_terms" enum:"net_15,net_30,net_45,net_60,due_on_receipt,milestone"`
	StartDate       string    `json:"start_date" format:"date"`
	EndDate         string    `json:"end_date" format:"date"`
	SignedDate      *string   `json:"signed_date" nullable:"true" format:"date"`
	SignedBy        string    `json:"signed_by"`
	ContractFileURL string    `json:"contract_file_url"`
	Notes           string    `json:"notes"`
	CreatedBy       *string   `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	IsActive        bool      `json:"is_active" doc:"Status active and start_date ≤ the firm's today ≤ end_date"`
}

func contractOut(v *ContractView) ContractOut {
	k := v.Contract
	out := ContractOut{ID: k.ID, Client: k.ClientID, ClientName: v.ClientName, Proposal: k.ProposalID,
		ProposalNumber: v.ProposalNumber, ContractNumber: k.ContractNumber, Title: k.Title, Description: k.Description,
		Status: k.Status, TotalValue: money.Format(k.TotalValue, currencyOf(k.Currency)), Currency: k.Currency,
		PaymentTerms: k.PaymentTerms, StartDate: string(k.StartDate), EndDate: string(k.EndDate),
		SignedDate: datePtr(k.SignedDate), SignedBy: k.SignedBy, ContractFileURL: k.ContractFileURL, Notes: k.Notes,
		CreatedBy: k.CreatedBy, CreatedAt: k.CreatedAt.UTC(), UpdatedAt: k.UpdatedAt.UTC(), IsActive: v.IsActive}
	if k.ProposalID == nil {
		out.ProposalNumber = nil
	}
	return out
}

// ContractOptional are the contract fields that may be left out, on every write. The read-only
// fields of ContractOut are accepted and ignored, so a fetched contract can be sent back with PUT.
type ContractOptional struct {
	Proposal        api.Nullable[string] `json:"proposal,omitempty" doc:"Proposal id (a proposal of the same client)"`
	Status          *string              `json:"status,omitempty" enum:"draft,active,completed,terminated,on_hold" doc:"Defaults to draft; becoming active without a signed_date signs it today (refused when today is after start_date)"`
	Currency        *string              `json:"currency,omitempty" example:"USD" doc:"ISO 4217 code; defaults to the firm's currency"`
	PaymentTerms    *string              `json:"payment_terms,omitempty" enum:"net_15,net_30,net_45,net_60,due_on_receipt,milestone" doc:"Defaults to net_30"`
	SignedDate      api.Nullable[string] `json:"signed_date,omitempty" example:"2026-03-01" doc:"Date, YYYY-MM-DD; not after start_date"`
	SignedBy        *string              `json:"signed_by,omitempty" maxLength:"255"`
	ContractFileURL *string              `json:"contract_file_url,omitempty" maxLength:"500" doc:"http:// or https:// URL of the signed document"`
	Notes           *string              `json:"notes,omitempty"`
	ID              any                  `json:"id,omitempty" readOnly:"true"`
	ClientName      any                  `json:"client_name,omitempty" readOnly:"true"`
	ProposalNumber  any                  `json:"proposal_number,omitempty" readOnly:"true"`
	ContractNumber  any                  `json:"contract_number,omitempty" readOnly:"true"`
	CreatedBy       any                  `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt       any                  `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt       any                  `json:"updated_at,omitempty" readOnly:"true"`
	IsActive        any                  `json:"is_active,omitempty" readOnly:"true"`
}

func (o ContractOptional) changes(ch *ContractChanges) {
	ch.Proposal = nullableText(o.Proposal)
	ch.Status, ch.Currency, ch.PaymentTerms = o.Status, o.Currency, o.PaymentTerms
	ch.SignedDate = nullableText(o.SignedDate)
	ch.SignedBy, ch.ContractFileURL, ch.Notes = o.SignedBy, o.ContractFileURL, o.Notes
}

// contractWrite is the body of POST and PUT: the required fields plus the optional ones.
type contractWrite struct {
	Client      string      `json:"client" minLength:"1" doc:"Client id (a client of your firm)"`
	Title       string      `json:"title" minLength:"1" maxLength:"255"`
	Description string      `json:"description" minLength:"1"`
	TotalValue  api.Decimal `json:"total_value"`
	StartDate   string      `json:"start_date" minLength:"1" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EndDate     string      `json:"end_date" minLength:"1" example:"2026-12-31" doc:"Date, YYYY-MM-DD; after start_date"`
	ContractOptional
}

func (b *contractWrite) changes() ContractChanges {
	v := money.Decimal(b.TotalValue)
	ch := ContractChanges{Client: &b.Client, Title: &b.Title, Description: &b.Description, TotalValue: &v,
		StartDate: &b.StartDate, EndDate: &b.EndDate}
	b.ContractOptional.changes(&ch)
	return ch
}

// contractPatch is the body of PATCH: every field optional.
type contractPatch struct {
	Client      api.Nullable[string]      `json:"client,omitempty" minLength:"1" doc:"Client id (a client of your firm)"`
	Title       api.Nullable[string]      `json:"title,omitempty" minLength:"1" maxLength:"255"`
	Description api.Nullable[string]      `json:"description,omitempty" minLength:"1"`
	TotalValue  api.Nullable[api.Decimal] `json:"total_value,omitempty"`
	StartDate   api.Nullable[string]      `json:"start_date,omitempty" minLength:"1" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EndDate     api.Nullable[string]      `json:"end_date,omitempty" minLength:"1" example:"2026-12-31" doc:"Date, YYYY-MM-DD; after start_date"`
	ContractOptional
}

func (b *contractPatch) changes() ContractChanges {
	var ch ContractChanges
	ch.Client = requiredPatch("client", b.Client, &ch.Nulls)
	ch.Title = requiredPatch("title", b.Title, &ch.Nulls)
	ch.Description = requiredPatch("description", b.Description, &ch.Nulls)
	ch.StartDate = requiredPatch("start_date", b.StartDate, &ch.Nulls)
	ch.EndDate = requiredPatch("end_date", b.EndDate, &ch.Nulls)
	ch.TotalValue = requiredDecimal("total_value", b.TotalValue, &ch.Nulls)
	b.ContractOptional.changes(&ch)
	return ch
}

// contractFormatErrors is proposalFormatErrors for contracts; the payment_terms enum is huma's to
// check too.
func contractFormatErrors(ctx huma.Context, ch ContractChanges, create bool) []error {
	var cur money.Currency
	if create {
		a, err := auth.ActorFrom(ctx.Context())
		if err != nil {
			return nil
		}
		cur = currencyOf(a.Currency)
	}
	ch.Status, ch.PaymentTerms = nil, nil
	blankToNil(&ch.Client, &ch.Title, &ch.Description, &ch.StartDate, &ch.EndDate)
	if ch.TotalValue != nil && *ch.TotalValue == "" {
		ch.TotalValue = nil
	}
	return detailErrors(ch.formatProblems(cur))
}

type contractCreateIn struct{ Body contractWrite }

func (in *contractCreateIn) Resolve(ctx huma.Context) []error {
	return contractFormatErrors(ctx, in.Body.changes(), true)
}

type contractPutIn struct {
	ID   string `path:"id"`
	Body contractWrite
}

func (in *contractPutIn) Resolve(ctx huma.Context) []error {
	return contractFormatErrors(ctx, in.Body.changes(), false)
}

type contractPatchIn struct {
	ID   string `path:"id"`
	Body contractPatch
}

func (in *contractPatchIn) Resolve(ctx huma.Context) []error {
	return contractFormatErrors(ctx, in.Body.changes(), false)
}

type contractListIn struct{ api.ListInput }

type contractBody struct {
	Body ContractOut
}

type contractCreated struct {
	Location string `header:"Location"`
	Body     ContractOut
}

func (h *handlers) registerContracts(a *api.API) {
	tags := []string{"CRM: contracts"}
	editable := auth.Authorize(a, h.svc.CheckContractEditable)
	list := huma.Operation{OperationID: "list-contracts", Method: http.MethodGet, Path: "/crm/contracts/",
		Summary: "List contracts", Tags: tags}
	api.DocumentList(&list, ContractList)
	api.Cacheable(&list)
	api.Register(a, list, auth.Handle(h.listContracts))
	api.Register(a, huma.Operation{OperationID: "create-contract", Method: http.MethodPost, Path: "/crm/contracts/",
		Summary: "Create a contract", Tags: tags, DefaultStatus: http.StatusCreated,
		Middlewares: auth.Authorize(a, mayCreate)}, auth.Handle(h.createContract))
	api.Register(a, huma.Operation{OperationID: "get-contract", Method: http.MethodGet, Path: "/crm/contracts/{id}/",
		Summary: "Get a contract", Tags: tags}, auth.Handle(h.getContract))
	api.Register(a, huma.Operation{OperationID: "replace-contract", Method: http.MethodPut, Path: "/crm/contracts/{id}/",
		Summary: "Update a contract (full)", Tags: tags, Middlewares: editable}, auth.Handle(h.putContract))
	api.Register(a, huma.Operation{OperationID: "update-contract", Method: http.MethodPatch, Path: "/crm/contracts/{id}/",
		Summary: "Update a contract (partial)", Tags: tags, Middlewares: editable}, auth.Handle(h.patchContract))
	api.Register(a, huma.Operation{OperationID: "delete-contract", Method: http.MethodDelete, Path: "/crm/contracts/{id}/",
		Summary: "Delete a contract", Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict}},
		auth.Handle(h.deleteContract))
}

func (h *handlers) listContracts(ctx context.Context, a auth.Actor, in *contractListIn) (*api.ListOutput[ContractOut], error) {
	p, err := in.Parse(ContractList)
	if err != nil {
		return nil, err
	}
	rows, count, err := h.svc.ListContracts(ctx, a, p)
	if err != nil {
		return nil, err
	}
	return api.PageOf(&in.ListInput, p, count, rows, contractOut)
}

func (h *handlers) createContract(ctx context.Context, a auth.Actor, in *contractCreateIn) (*contractCreated, error) {
	v, err := h.svc.CreateContract(ctx, a, in.Body.changes())
	if err != nil {
		return nil, err
	}
	return &contractCreated{Location: api.Prefix + "/crm/contracts/" + v.ID + "/", Body: contractOut(v)}, nil
}

func (h *handlers) getContract(ctx context.Context, a auth.Actor, in *idIn) (*contractBody, error) {
	v, err := h.svc.GetContract(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &contractBody{Body: contractOut(v)}, nil
}

func (h *handlers) putContract(ctx context.Context, a auth.Actor, in *contractPutIn) (*contractBody, error) {
	return h.updateContract(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) patchContract(ctx context.Context, a auth.Actor, in *contractPatchIn) (*contractBody, error) {
	return h.updateContract(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) updateContract(ctx context.Context, a auth.Actor, id string, ch ContractChanges) (*contractBody, error) {
	v, err := h.svc.UpdateContract(ctx, a, id, ch)
	if err != nil {
		return nil, err
	}
	return &contractBody{Body: contractOut(v)}, nil
}

func (h *handlers) deleteContract(ctx context.Context, a auth.Actor, in *idIn) (*struct{}, error) {
	return nil, h.svc.DeleteContract(ctx, a, in.ID)
}
