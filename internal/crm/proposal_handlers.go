package crm

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/danielgtaylor/huma/v2"
)

// ProposalOut is a proposal as the API shows it.
type ProposalOut struct {
	ID                 string     `json:"id" format:"uuid"`
	Client             string     `json:"client" format:"uuid"`
	ClientName         *string    `json:"client_name" nullable:"true"`
	ProposalNumber     string     `json:"proposal_number" example:"PROP-2026-001" doc:"Server-assigned: prefix, year, sequence"`
	Title              string     `json:"title"`
	Description        string     `json:"description"`
	Status             string     `json:"status" enum:"draft,sent,under_review,accepted,rejected,expired"`
	TotalValue         string     `json:"total_value" example:"1600.00" doc:"Money string in currency"`
	Currency           string     `json:"currency" example:"USD"`
	ValidUntil         string     `json:"valid_until" format:"date"`
	EstimatedStartDate *string    `json:"estimated_start_date" nullable:"true" format:"date"`
	EstimatedEndDate   *string    `json:"estimated_end_date" nullable:"true" format:"date"`
	SentAt             *time.Time `json:"sent_at" nullable:"true" doc:"When the proposal last became sent"`
	AcceptedAt         *time.Time `json:"accepted_at" nullable:"true" doc:"When the proposal was accepted"`
	CreatedBy          *string    `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
	IsExpired          bool       `json:"is_expired" doc:"Still open (draft, sent, under review) and valid_until before the firm's today"`
}

func proposalOut(v *ProposalView) ProposalOut {
	p := v.Proposal
	return ProposalOut{ID: p.ID, Client: p.ClientID, ClientName: v.ClientName, ProposalNumber: p.ProposalNumber,
		Title: p.Title, Description: p.Description, Status: p.Status,
		TotalValue: money.Format(p.TotalValue, currencyOf(p.Currency)), Currency: p.Currency,
		ValidUntil: string(p.ValidUntil), EstimatedStartDate: datePtr(p.EstimatedStartDate),
		EstimatedEndDate: datePtr(p.EstimatedEndDate), SentAt: utcPtr(p.SentAt), AcceptedAt: utcPtr(p.AcceptedAt),
		CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), IsExpired: v.IsExpired}
}

// ProposalOptional are the proposal fields that may be left out, on every write. The read-only
// fields of ProposalOut are accepted and ignored, so a fetched proposal can be sent back with PUT.
type ProposalOptional struct {
	Status             *string              `json:"status,omitempty" enum:"draft,sent,under_review,accepted,rejected,expired" doc:"Defaults to draft; changes follow the proposal state machine"`
	Currency           *string              `json:"currency,omitempty" example:"USD" doc:"ISO 4217 code; defaults to the firm's currency"`
	EstimatedStartDate api.Nullable[string] `json:"estimated_start_date,omitempty" example:"2026-04-01" doc:"Date, YYYY-MM-DD"`
	EstimatedEndDate   api.Nullable[string] `json:"estimated_end_date,omitempty" example:"2026-06-30" doc:"Date, YYYY-MM-DD; not before estimated_start_date"`
	ID                 any                  `json:"id,omitempty" readOnly:"true"`
	ClientName         any                  `json:"client_name,omitempty" readOnly:"true"`
	ProposalNumber     any                  `json:"proposal_number,omitempty" readOnly:"true"`
	SentAt             any                  `json:"sent_at,omitempty" readOnly:"true"`
	AcceptedAt         any                  `json:"accepted_at,omitempty" readOnly:"true"`
	CreatedBy          any                  `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt          any                  `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt          any                  `json:"updated_at,omitempty" readOnly:"true"`
	IsExpired          any                  `json:"is_expired,omitempty" readOnly:"true"`
}

func (o ProposalOptional) changes(ch *ProposalChanges) {
	ch.Status, ch.Currency = o.Status, o.Currency
	ch.EstimatedStartDate = nullableText(o.EstimatedStartDate)
	ch.EstimatedEndDate = nullableText(o.EstimatedEndDate)
}

// proposalWrite is the body of POST and PUT: the required fields plus the optional ones.
type proposalWrite struct {
	Client      string      `json:"client" minLength:"1" doc:"Client id (a client of your firm)"`
	Title       string      `json:"title" minLength:"1" maxLength:"255"`
	Description string      `json:"description" minLength:"1"`
	TotalValue  api.Decimal `json:"total_value"`
	ValidUntil  string      `json:"valid_until" minLength:"1" example:"2026-03-31" doc:"Date, YYYY-MM-DD; not before today"`
	ProposalOptional
}

func (b *proposalWrite) changes() ProposalChanges {
	v := money.Decimal(b.TotalValue)
	ch := ProposalChanges{Client: &b.Client, Title: &b.Title, Description: &b.Description, TotalValue: &v,
		ValidUntil: &b.ValidUntil}
	b.ProposalOptional.changes(&ch)
	return ch
}

// proposalPatch is the body of PATCH: every field optional.
type proposalPatch struct {
	Client      api.Nullable[string]      `json:"client,omitempty" minLength:"1" doc:"Client id (a client of your firm)"`
	Title       api.Nullable[string]      `json:"title,omitempty" minLength:"1" maxLength:"255"`
	Description api.Nullable[string]      `json:"description,omitempty" minLength:"1"`
	TotalValue  api.Nullable[api.Decimal] `json:"total_value,omitempty"`
	ValidUntil  api.Nullable[string]      `json:"valid_until,omitempty" minLength:"1" example:"2026-03-31" doc:"Date, YYYY-MM-DD; not before today when changed"`
	ProposalOptional
}

func (b *proposalPatch) changes() ProposalChanges {
	var ch ProposalChanges
	ch.Client = requiredPatch("client", b.Client, &ch.Nulls)
	ch.Title = requiredPatch("title", b.Title, &ch.Nulls)
	ch.Description = requiredPatch("description", b.Description, &ch.Nulls)
	ch.ValidUntil = requiredPatch("valid_until", b.ValidUntil, &ch.Nulls)
	ch.TotalValue = requiredDecimal("total_value", b.TotalValue, &ch.Nulls)
	b.ProposalOptional.changes(&ch)
	return ch
}

// proposalFormatErrors runs the format rules while huma checks the schema, so one response lists
// all. The status enum, missing or empty required fields and null amounts are huma's to report. On create amounts are read in the firm's currency; on
// update the stored currency is unknown here, so amounts are checked only with a sent currency
// (the service checks them again in any case).
func proposalFormatErrors(ctx huma.Context, ch ProposalChanges, create bool) []error {
	var cur money.Currency
	if create {
		a, err := auth.ActorFrom(ctx.Context())
		if err != nil {
			return nil
		}
		cur = currencyOf(a.Currency)
	}
	ch.Status = nil
	blankToNil(&ch.Client, &ch.Title, &ch.Description, &ch.ValidUntil)
	if ch.TotalValue != nil && *ch.TotalValue == "" {
		ch.TotalValue = nil
	}
	return detailErrors(ch.formatProblems(cur))
}

type proposalCreateIn struct{ Body proposalWrite }

func (in *proposalCreateIn) Resolve(ctx huma.Context) []error {
	return proposalFormatErrors(ctx, in.Body.changes(), true)
}

type proposalPutIn struct {
	ID   string `path:"id"`
	Body proposalWrite
}

func (in *proposalPutIn) Resolve(ctx huma.Context) []error {
	return proposalFormatErrors(ctx, in.Body.changes(), false)
}

type proposalPatchIn struct {
	ID   string `path:"id"`
	Body proposalPatch
}

func (in *proposalPatchIn) Resolve(ctx huma.Context) []error {
	return proposalFormatErrors(ctx, in.Body.changes(), false)
}

type proposalListIn struct{ api.ListInput }

type proposalBody struct {
	Body ProposalOut
}

type proposalCreated struct {
	Location string `header:"Location"`
	Body     ProposalOut
}

// acceptBody is the optional body of the accept action.
type acceptBody struct {
	CreateContract bool `json:"create_contract,omitempty" doc:"Also create a draft contract from the proposal, in the same transaction"`
}

type proposalAcceptIn struct {
	ID   string `path:"id"`
	Body *acceptBody
}

// AcceptOut is the answer of the accept action: the accepted proposal and the contract created
// from it (null unless create_contract was true).
type AcceptOut struct {
	Proposal ProposalOut      `json:"proposal"`
	Contract OptionalContract `json:"contract" doc:"The contract created from the proposal, or null"`
}

// OptionalContract is a contract or JSON null.
type OptionalContract struct{ Contract *ContractOut }

// MarshalJSON renders the contract, or null.
func (o OptionalContract) MarshalJSON() ([]byte, error) { return json.Marshal(o.Contract) }

// Schema documents a ContractOut or null (huma cannot mark a referenced schema nullable).
func (OptionalContract) Schema(r huma.Registry) *huma.Schema {
	return &huma.Schema{OneOf: []*huma.Schema{r.Schema(reflect.TypeFor[ContractOut](), true, ""), {Type: "null"}}}
}

type acceptResult struct {
	Body AcceptOut
}

func (h *handlers) registerProposals(a *api.API) {
	tags := []string{"CRM: proposals"}
	editable := auth.Authorize(a, h.svc.CheckProposalEditable)
	list := huma.Operation{OperationID: "list-proposals", Method: http.MethodGet, Path: "/crm/proposals/",
		Summary: "List proposals", Tags: tags}
	api.DocumentList(&list, ProposalList)
	api.Cacheable(&list)
	api.Register(a, list, auth.Handle(h.listProposals))
	api.Register(a, huma.Operation{OperationID: "create-proposal", Method: http.MethodPost, Path: "/crm/proposals/",
		Summary: "Create a proposal", Tags: tags, DefaultStatus: http.StatusCreated,
		Middlewares: auth.Authorize(a, mayCreate)}, auth.Handle(h.createProposal))
	api.Register(a, huma.Operation{OperationID: "get-proposal", Method: http.MethodGet, Path: "/crm/proposals/{id}/",
		Summary: "Get a proposal", Tags: tags}, auth.Handle(h.getProposal))
	api.Register(a, huma.Operation{OperationID: "replace-proposal", Method: http.MethodPut, Path: "/crm/proposals/{id}/",
		Summary: "Update a proposal (full)", Tags: tags, Middlewares: editable}, auth.Handle(h.putProposal))
	api.Register(a, huma.Operation{OperationID: "update-proposal", Method: http.MethodPatch, Path: "/crm/proposals/{id}/",
		Summary: "Update a proposal (partial)", Tags: tags, Middlewares: editable}, auth.Handle(h.patchProposal))
	api.Register(a, huma.Operation{OperationID: "delete-proposal", Method: http.MethodDelete, Path: "/crm/proposals/{id}/",
		Summary: "Delete a proposal", Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{http.StatusConflict}},
		auth.Handle(h.deleteProposal))
	api.Register(a, huma.Operation{OperationID: "accept-proposal", Method: http.MethodPost, Path: "/crm/proposals/{id}/accept/",
		Summary: "Accept a proposal", Tags: tags, Middlewares: editable,
		Description: "Accepts the proposal (the status rules apply) and, with create_contract, creates a draft " +
			"contract carrying its client, title, description, value, currency and estimated dates (without an " +
			"estimated start the contract starts today; without an estimated end after the start it ends one year " +
			"after the start), all in one transaction."}, auth.Handle(h.acceptProposal))
}

func (h *handlers) listProposals(ctx context.Context, a auth.Actor, in *proposalListIn) (*api.ListOutput[ProposalOut], error) {
	p, err := in.Parse(ProposalList)
	if err != nil {
		return nil, err
	}
	rows, count, err := h.svc.ListProposals(ctx, a, p)
	if err != nil {
		return nil, err
	}
	return api.PageOf(&in.ListInput, p, count, rows, proposalOut)
}

func (h *handlers) createProposal(ctx context.Context, a auth.Actor, in *proposalCreateIn) (*proposalCreated, error) {
	v, err := h.svc.CreateProposal(ctx, a, in.Body.changes())
	if err != nil {
		return nil, err
	}
	return &proposalCreated{Location: api.Prefix + "/crm/proposals/" + v.ID + "/", Body: proposalOut(v)}, nil
}

func (h *handlers) getProposal(ctx context.Context, a auth.Actor, in *idIn) (*proposalBody, error) {
	v, err := h.svc.GetProposal(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &proposalBody{Body: proposalOut(v)}, nil
}

func (h *handlers) putProposal(ctx context.Context, a auth.Actor, in *proposalPutIn) (*proposalBody, error) {
	return h.updateProposal(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) patchProposal(ctx context.Context, a auth.Actor, in *proposalPatchIn) (*proposalBody, error) {
	return h.updateProposal(ctx, a, in.ID, in.Body.changes())
}

func (h *handlers) updateProposal(ctx context.Context, a auth.Actor, id string, ch ProposalChanges) (*proposalBody, error) {
	v, err := h.svc.UpdateProposal(ctx, a, id, ch)
	if err != nil {
		return nil, err
	}
	return &proposalBody{Body: proposalOut(v)}, nil
}

func (h *handlers) deleteProposal(ctx context.Context, a auth.Actor, in *idIn) (*struct{}, error) {
	return nil, h.svc.DeleteProposal(ctx, a, in.ID)
}

func (h *handlers) acceptProposal(ctx context.Context, a auth.Actor, in *proposalAcceptIn) (*acceptResult, error) {
	create := in.Body != nil && in.Body.CreateContract
	pv, kv, err := h.svc.AcceptProposal(ctx, a, in.ID, create)
	if err != nil {
		return nil, err
	}
	out := &acceptResult{Body: AcceptOut{Proposal: proposalOut(pv)}}
	if kv != nil {
		k := contractOut(kv)
		out.Body.Contract = OptionalContract{Contract: &k}
	}
	return out, nil
}
