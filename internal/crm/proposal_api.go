package crm

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the status with its values.
func (ProposalStatus) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(proposalStatuses()) }

// ProposalOut is a proposal as the API shows it.
type ProposalOut struct {
	ID                 string         `json:"id" format:"uuid"`
	Client             string         `json:"client" format:"uuid"`
	ClientName         *string        `json:"client_name" nullable:"true"`
	ProposalNumber     string         `json:"proposal_number" example:"PROP-2026-001" doc:"Server-assigned: prefix, year, sequence"`
	Title              string         `json:"title"`
	Description        string         `json:"description"`
	Status             ProposalStatus `json:"status"`
	TotalValue         string         `json:"total_value" export:"money" example:"1600.00" doc:"Money string in currency"`
	Currency           string         `json:"currency" example:"USD"`
	ValidUntil         string         `json:"valid_until" format:"date"`
	EstimatedStartDate *string        `json:"estimated_start_date" nullable:"true" format:"date"`
	EstimatedEndDate   *string        `json:"estimated_end_date" nullable:"true" format:"date"`
	SentAt             *time.Time     `json:"sent_at" nullable:"true" doc:"When the proposal last became sent"`
	AcceptedAt         *time.Time     `json:"accepted_at" nullable:"true" doc:"When the proposal was accepted"`
	CreatedBy          *string        `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt          time.Time      `json:"created_at"`
	UpdatedAt          time.Time      `json:"updated_at"`
	IsExpired          bool           `json:"is_expired" doc:"Still open (draft, sent, under review) and valid_until before the firm's today"`
	resource.Trash
}

func proposalOut(p *Proposal) ProposalOut {
	return ProposalOut{ID: p.ID, Client: p.ClientID, ClientName: p.ClientName, ProposalNumber: p.ProposalNumber,
		Title: p.Title, Description: p.Description, Status: p.Status,
		TotalValue: money.Format(p.TotalValue, money.CurrencyOf(p.Currency)), Currency: p.Currency,
		ValidUntil: string(p.ValidUntil), EstimatedStartDate: datePtr(p.EstimatedStartDate),
		EstimatedEndDate: datePtr(p.EstimatedEndDate), SentAt: utcPtr(p.SentAt), AcceptedAt: utcPtr(p.AcceptedAt),
		CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), IsExpired: p.IsExpired}
}

// utcPtr renders an optional stamp in UTC.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// ProposalPatch is the body of PATCH: every field optional. The read-only fields of ProposalOut
// are accepted and ignored, so a fetched proposal can be sent back with PUT.
type ProposalPatch struct {
	Client             api.Nullable[string]      `json:"client,omitempty" minLength:"1" doc:"Client id (a client of your firm)"`
	Title              api.Nullable[string]      `json:"title,omitempty" minLength:"1" maxLength:"255"`
	Description        api.Nullable[string]      `json:"description,omitempty" minLength:"1"`
	TotalValue         api.Nullable[api.Decimal] `json:"total_value,omitempty"`
	ValidUntil         api.Nullable[string]      `json:"valid_until,omitempty" minLength:"1" example:"2026-03-31" doc:"Date, YYYY-MM-DD; not before today when changed"`
	Status             *ProposalStatus           `json:"status,omitempty" doc:"Defaults to draft; changes follow the proposal state machine"`
	Currency           *string                   `json:"currency,omitempty" example:"USD" doc:"ISO 4217 code; defaults to the firm's currency"`
	EstimatedStartDate api.Nullable[string]      `json:"estimated_start_date,omitempty" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EstimatedEndDate   api.Nullable[string]      `json:"estimated_end_date,omitempty" example:"2026-06-30" doc:"Date, YYYY-MM-DD; not before estimated_start_date"`
	ID                 any                       `json:"id,omitempty" readOnly:"true"`
	ClientName         any                       `json:"client_name,omitempty" readOnly:"true"`
	ProposalNumber     any                       `json:"proposal_number,omitempty" readOnly:"true"`
	SentAt             any                       `json:"sent_at,omitempty" readOnly:"true"`
	AcceptedAt         any                       `json:"accepted_at,omitempty" readOnly:"true"`
	CreatedBy          any                       `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt          any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt          any                       `json:"updated_at,omitempty" readOnly:"true"`
	IsExpired          any                       `json:"is_expired,omitempty" readOnly:"true"`
}

// ProposalWrite is the body of POST and PUT: the patch with the required fields required.
type ProposalWrite struct {
	Client      string      `json:"client" minLength:"1" doc:"Client id (a client of your firm)"`
	Title       string      `json:"title" minLength:"1" maxLength:"255"`
	Description string      `json:"description" minLength:"1"`
	TotalValue  api.Decimal `json:"total_value"`
	ValidUntil  string      `json:"valid_until" minLength:"1" example:"2026-03-31" doc:"Date, YYYY-MM-DD; not before today"`
	ProposalPatch
}

// apply merges the PATCH body into p and reports what cannot be merged: required fields sent as
// null, and text that is not an id, a date, a currency or an amount of it. When the currency
// changes without a total_value, the stored value keeps its figure (see setMoney).
func (b *ProposalPatch) apply(p *Proposal) fault.Fields {
	var nulls []string
	var bad fault.Fields
	setClient(&bad, &p.ClientID, api.RequiredChange("client", b.Client, &nulls))
	api.SetText(&p.Title, api.RequiredChange("title", b.Title, &nulls))
	api.SetText(&p.Description, api.RequiredChange("description", b.Description, &nulls))
	total := api.RequiredChange("total_value", b.TotalValue, &nulls)
	validUntil := api.RequiredChange("valid_until", b.ValidUntil, &nulls)
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	if b.Status != nil {
		p.Status = *b.Status
	}
	setMoney(&bad, "total_value", &p.TotalValue, &p.Currency, (*money.Decimal)(total), b.Currency)
	for _, d := range []struct {
		field    string
		dst      *date.Date
		v        *string
		required bool
	}{
		{"valid_until", &p.ValidUntil, validUntil, true},
		{"estimated_start_date", &p.EstimatedStartDate, b.EstimatedStartDate.Change(), false},
		{"estimated_end_date", &p.EstimatedEndDate, b.EstimatedEndDate.Change(), false},
	} {
		date.Check(&bad, d.field, d.v, d.required)
		date.Set(d.dst, d.v)
	}
	return bad
}

// apply merges a POST or PUT body into p.
func (b *ProposalWrite) apply(p *Proposal) fault.Fields {
	b.ProposalPatch.Client = api.Value(b.Client)
	b.ProposalPatch.Title = api.Value(b.Title)
	b.ProposalPatch.Description = api.Value(b.Description)
	b.ProposalPatch.TotalValue = api.Value(b.TotalValue)
	b.ProposalPatch.ValidUntil = api.Value(b.ValidUntil)
	return b.ProposalPatch.apply(p)
}

// Check reports the body's format problems with the schema's errors, in one response.
func (b *ProposalWrite) Check(_ context.Context, a auth.Actor, act resource.Action) error {
	return checkProposal(a, act, b.apply)
}

// Check reports the body's format problems with the schema's errors, in one response.
func (b *ProposalPatch) Check(_ context.Context, a auth.Actor, act resource.Action) error {
	return checkProposal(a, act, b.apply)
}

// checkProposal merges a body into a blank proposal and reports its formats. Amounts are read in
// the firm's currency on create; on update the stored currency is not known yet, so they are
// read only in a sent currency (the service checks them again in any case).
func checkProposal(a auth.Actor, act resource.Action, apply func(*Proposal) fault.Fields) error {
	p := &Proposal{Status: ProposalDraft}
	if act == resource.Create {
		p.Currency = money.CurrencyOf(a.Currency).Code
	}
	bad := apply(p)
	bad.Merge(p.formatProblems())
	return bad.Err()
}

// acceptBody is the optional body of the accept action.
type acceptBody struct {
	CreateContract bool `json:"create_contract,omitempty" doc:"Also create a draft contract from the proposal, in the same transaction"`
}

// AcceptOut is the answer of the accept action: the accepted proposal and the contract created
// from it (null unless create_contract was true).
type AcceptOut struct {
	Proposal ProposalOut      `json:"proposal"`
	Contract optionalContract `json:"contract" doc:"The contract created from the proposal, or null"`
}

// optionalContract is a contract or JSON null.
type optionalContract struct{ Contract *ContractOut }

// MarshalJSON renders the contract, or null.
func (o optionalContract) MarshalJSON() ([]byte, error) { return json.Marshal(o.Contract) }

// Schema documents a ContractOut or null (huma cannot mark a referenced schema nullable).
func (optionalContract) Schema(r huma.Registry) *huma.Schema {
	return &huma.Schema{OneOf: []*huma.Schema{r.Schema(reflect.TypeFor[ContractOut](), true, ""), {Type: "null"}}}
}

func registerProposals(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Proposal, ProposalOut, ProposalWrite, ProposalPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.db, Model: (*Proposal)(nil), Parents: []resource.Parent{{Column: "client_id", Model: (*Client)(nil), Name: "client"}}},
		Path:       "/crm/proposals/", Name: "proposal", Plural: "proposals", Tag: "CRM: proposals",
		Policy: proposalPolicy{}, Load: s.loadProposal, Query: proposalQuery(), Cache: true,
		Out: proposalOut, ID: func(p *Proposal) string { return p.ID },
		List:    s.ListProposals,
		Get:     s.GetProposal,
		Create:  resource.Creating(s.CreateProposal, (*ProposalWrite).apply),
		Replace: resource.Updating(s.UpdateProposal, (*ProposalWrite).apply),
		Update:  resource.Updating(s.UpdateProposal, (*ProposalPatch).apply),
		Delete:  s.DeleteProposal,
		Errors:  map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
	})
	accept := huma.Operation{OperationID: "accept-proposal", Method: http.MethodPost, Path: "/crm/proposals/{id}/accept/",
		Summary: "Accept a proposal", Tags: []string{"CRM: proposals"},
		Description: "Accepts the proposal (the status rules apply) and, with create_contract, creates a draft " +
			"contract carrying its client, title, description, value, currency and estimated dates (without an " +
			"estimated start the contract starts today; without an estimated end after the start it ends one year " +
			"after the start), all in one transaction."}
	resource.Operation(a, accept, proposalPolicy{}, proposalAccept, s.loadProposal,
		func(ctx context.Context, actor auth.Actor, in *struct {
			ID   string `path:"id"`
			Body *acceptBody
		}) (*struct{ Body AcceptOut }, error) {
			create := in.Body != nil && in.Body.CreateContract
			p, k, err := s.AcceptProposal(ctx, actor, in.ID, create)
			if err != nil {
				return nil, err
			}
			out := &struct{ Body AcceptOut }{Body: AcceptOut{Proposal: proposalOut(p)}}
			if k != nil {
				c := contractOut(k)
				out.Body.Contract = optionalContract{Contract: &c}
			}
			return out, nil
		})
}
