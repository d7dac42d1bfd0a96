package crm

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the status with its values.
func (ContractStatus) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(contractStatuses()) }

// Schema documents the payment terms with their values.
func (PaymentTerms) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(paymentTerms()) }

// ContractOut is a contract as the API shows it.
type ContractOut struct {
	ID              string         `json:"id" format:"uuid"`
	Client          string         `json:"client" format:"uuid"`
	ClientName      *string        `json:"client_name" nullable:"true"`
	Proposal        *string        `json:"proposal" nullable:"true" format:"uuid"`
	ProposalNumber  *string        `json:"proposal_number" nullable:"true" example:"PROP-2026-001"`
	ContractNumber  string         `json:"contract_number" example:"CTR-2026-001" doc:"Server-assigned: prefix, year, sequence"`
	Title           string         `json:"title"`
	Description     string         `json:"description"`
	Status          ContractStatus `json:"status"`
	TotalValue      string         `json:"total_value" export:"money" example:"48000.00" doc:"Money string in currency"`
	Currency        string         `json:"currency" example:"USD"`
	PaymentTerms    PaymentTerms   `json:"payment_terms"`
	StartDate       string         `json:"start_date" format:"date"`
	EndDate         string         `json:"end_date" format:"date"`
	SignedDate      *string        `json:"signed_date" nullable:"true" format:"date"`
	SignedBy        string         `json:"signed_by"`
	ContractFileURL string         `json:"contract_file_url"`
	Notes           string         `json:"notes"`
	CreatedBy       *string        `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	IsActive        bool           `json:"is_active" doc:"Status active and start_date ≤ the firm's today ≤ end_date"`
	resource.Trash
}

func contractOut(k *Contract) ContractOut {
	out := ContractOut{ID: k.ID, Client: k.ClientID, ClientName: k.ClientName, Proposal: k.ProposalID,
		ProposalNumber: k.ProposalNumber, ContractNumber: k.ContractNumber, Title: k.Title, Description: k.Description,
		Status: k.Status, TotalValue: money.Format(k.TotalValue, money.CurrencyOf(k.Currency)), Currency: k.Currency,
		PaymentTerms: k.PaymentTerms, StartDate: string(k.StartDate), EndDate: string(k.EndDate),
		SignedDate: datePtr(k.SignedDate), SignedBy: k.SignedBy, ContractFileURL: k.ContractFileURL, Notes: k.Notes,
		CreatedBy: k.CreatedBy, CreatedAt: k.CreatedAt.UTC(), UpdatedAt: k.UpdatedAt.UTC(), IsActive: k.IsActive}
	if k.ProposalID == nil {
		out.ProposalNumber = nil
	}
	return out
}

// ContractPatch is the body of PATCH: every field optional. The read-only fields of ContractOut
// are accepted and ignored, so a fetched contract can be sent back with PUT.
type ContractPatch struct {
	Client          api.Nullable[string]      `json:"client,omitempty" minLength:"1" doc:"Client id (a client of your firm)"`
	Title           api.Nullable[string]      `json:"title,omitempty" minLength:"1" maxLength:"255"`
	Description     api.Nullable[string]      `json:"description,omitempty" minLength:"1"`
	TotalValue      api.Nullable[api.Decimal] `json:"total_value,omitempty"`
	StartDate       api.Nullable[string]      `json:"start_date,omitempty" minLength:"1" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EndDate         api.Nullable[string]      `json:"end_date,omitempty" minLength:"1" example:"2026-12-31" doc:"Date, YYYY-MM-DD; after start_date"`
	Proposal        api.Nullable[string]      `json:"proposal,omitempty" doc:"Proposal id (a proposal of the same client)"`
	Status          *ContractStatus           `json:"status,omitempty" doc:"Defaults to draft; becoming active without a signed_date signs it today (refused when today is after start_date)"`
	Currency        *string                   `json:"currency,omitempty" example:"USD" doc:"ISO 4217 code; defaults to the firm's currency"`
	PaymentTerms    *PaymentTerms             `json:"payment_terms,omitempty" doc:"Defaults to net_30"`
	SignedDate      api.Nullable[string]      `json:"signed_date,omitempty" example:"2026-03-01" doc:"Date, YYYY-MM-DD; not after start_date"`
	SignedBy        *string                   `json:"signed_by,omitempty" maxLength:"255"`
	ContractFileURL *string                   `json:"contract_file_url,omitempty" maxLength:"500" doc:"http:// or https:// URL of the signed document"`
	Notes           *string                   `json:"notes,omitempty"`
	ID              any                       `json:"id,omitempty" readOnly:"true"`
	ClientName      any                       `json:"client_name,omitempty" readOnly:"true"`
	ProposalNumber  any                       `json:"proposal_number,omitempty" readOnly:"true"`
	ContractNumber  any                       `json:"contract_number,omitempty" readOnly:"true"`
	CreatedBy       any                       `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt       any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt       any                       `json:"updated_at,omitempty" readOnly:"true"`
	IsActive        any                       `json:"is_active,omitempty" readOnly:"true"`
}

// ContractWrite is the body of POST and PUT: the patch with the required fields required.
type ContractWrite struct {
	Client      string      `json:"client" minLength:"1" doc:"Client id (a client of your firm)"`
	Title       string      `json:"title" minLength:"1" maxLength:"255"`
	Description string      `json:"description" minLength:"1"`
	TotalValue  api.Decimal `json:"total_value"`
	StartDate   string      `json:"start_date" minLength:"1" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EndDate     string      `json:"end_date" minLength:"1" example:"2026-12-31" doc:"Date, YYYY-MM-DD; after start_date"`
	ContractPatch
}

// apply merges the PATCH body into k and reports what cannot be merged, as for proposals; an
// empty proposal or signed_date clears it, and the file URL must be an http(s) URL.
func (b *ContractPatch) apply(k *Contract) fault.Fields {
	var nulls []string
	var bad fault.Fields
	setClient(&bad, &k.ClientID, api.RequiredChange("client", b.Client, &nulls))
	api.SetText(&k.Title, api.RequiredChange("title", b.Title, &nulls))
	api.SetText(&k.Description, api.RequiredChange("description", b.Description, &nulls))
	total := api.RequiredChange("total_value", b.TotalValue, &nulls)
	start := api.RequiredChange("start_date", b.StartDate, &nulls)
	end := api.RequiredChange("end_date", b.EndDate, &nulls)
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	if v := b.Proposal.Change(); v != nil {
		k.ProposalID = nil
		if *v != "" {
			id := strings.TrimSpace(*v)
			if !db.ValidID(id) {
				bad.Add("proposal", MsgProposalUnknown)
			}
			k.ProposalID = &id
		}
	}
	if b.Status != nil {
		k.Status = *b.Status
	}
	if b.PaymentTerms != nil {
		k.PaymentTerms = *b.PaymentTerms
	}
	if u := b.ContractFileURL; u != nil && *u != "" && !validate.Website(strings.TrimSpace(*u)) {
		bad.Add("contract_file_url", MsgFileURL)
	}
	api.SetText(&k.ContractFileURL, b.ContractFileURL)
	api.SetText(&k.SignedBy, b.SignedBy)
	api.SetText(&k.Notes, b.Notes)
	setMoney(&bad, "total_value", &k.TotalValue, &k.Currency, (*money.Decimal)(total), b.Currency)
	for _, d := range []struct {
		field    string
		dst      *date.Date
		v        *string
		required bool
	}{
		{"start_date", &k.StartDate, start, true},
		{"end_date", &k.EndDate, end, true},
		{"signed_date", &k.SignedDate, b.SignedDate.Change(), false},
	} {
		date.Check(&bad, d.field, d.v, d.required)
		date.Set(d.dst, d.v)
	}
	return bad
}

// apply merges a POST or PUT body into k.
func (b *ContractWrite) apply(k *Contract) fault.Fields {
	b.ContractPatch.Client = api.Value(b.Client)
	b.ContractPatch.Title = api.Value(b.Title)
	b.ContractPatch.Description = api.Value(b.Description)
	b.ContractPatch.TotalValue = api.Value(b.TotalValue)
	b.ContractPatch.StartDate = api.Value(b.StartDate)
	b.ContractPatch.EndDate = api.Value(b.EndDate)
	return b.ContractPatch.apply(k)
}

// Check reports the body's format problems with the schema's errors, in one response.
func (b *ContractWrite) Check(_ context.Context, a auth.Actor, act resource.Action) error {
	return checkContract(a, act, b.apply)
}

// Check reports the body's format problems with the schema's errors, in one response.
func (b *ContractPatch) Check(_ context.Context, a auth.Actor, act resource.Action) error {
	return checkContract(a, act, b.apply)
}

// checkContract is checkProposal for contracts.
func checkContract(a auth.Actor, act resource.Action, apply func(*Contract) fault.Fields) error {
	k := &Contract{Status: ContractDraft, PaymentTerms: defaultPaymentTerms}
	if act == resource.Create {
		k.Currency = money.CurrencyOf(a.Currency).Code
	}
	bad := apply(k)
	bad.Merge(k.formatProblems())
	return bad.Err()
}

func registerContracts(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Contract, ContractOut, ContractWrite, ContractPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.db, Model: (*Contract)(nil), Parents: []resource.Parent{{Column: "client_id", Model: (*Client)(nil), Name: "client"}, {Column: "proposal_id", Model: (*Proposal)(nil), Name: "proposal"}}},
		Path:       "/crm/contracts/", Name: "contract", Plural: "contracts", Tag: "CRM: contracts",
		Policy: contractPolicy{}, Load: s.loadContract, Query: contractQuery(), Cache: true,
		Out: contractOut, ID: func(k *Contract) string { return k.ID },
		List:    s.ListContracts,
		Get:     s.GetContract,
		Create:  resource.Creating(s.CreateContract, (*ContractWrite).apply),
		Replace: resource.Updating(s.UpdateContract, (*ContractWrite).apply),
		Update:  resource.Updating(s.UpdateContract, (*ContractPatch).apply),
		Delete:  s.DeleteContract,
		Errors:  map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
	})
}
