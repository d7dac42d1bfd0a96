package auth

import (
	"context"
	"net/http"
	"strings"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

type firmBody struct {
	Body FirmOut
}

type firmPatchIn struct {
	Body struct {
		Name                *string `json:"name,omitempty" maxLength:"255"`
		Timezone            *string `json:"timezone,omitempty" doc:"IANA time zone, e.g. Europe/Paris"`
		DefaultCurrency     *string `json:"default_currency,omitempty" doc:"ISO 4217 code"`
		DefaultPaymentTerms *string `json:"default_payment_terms,omitempty" enum:"net_15,net_30,net_45,net_60,due_on_receipt,milestone"`
		InvoicePrefix       *string `json:"invoice_prefix,omitempty"`
		ProposalPrefix      *string `json:"proposal_prefix,omitempty"`
		ContractPrefix      *string `json:"contract_prefix,omitempty"`
		Country             *string `json:"country,omitempty" maxLength:"100"`
		ID                  any     `json:"id,omitempty" readOnly:"true"`
		CreatedAt           any     `json:"created_at,omitempty" readOnly:"true"`
		UpdatedAt           any     `json:"updated_at,omitempty" readOnly:"true"`
	}
}

type userListIn struct {
	api.ListInput
}

type userIDIn struct {
	ID string `path:"id" format:"uuid"`
}

type userCreateIn struct {
	Body struct {
		Username  string `json:"username" minLength:"1" maxLength:"150"`
		Email     string `json:"email" minLength:"1" maxLength:"254"`
		Password  string `json:"password" minLength:"1" maxLength:"4096" doc:"Initial password; the user should change it"`
		FirstName string `json:"first_name,omitempty" maxLength:"150"`
		LastName  string `json:"last_name,omitempty" maxLength:"150"`
		Role      string `json:"role" enum:"owner,admin,manager,consultant,accountant"`
	}
}

func (in *userCreateIn) Resolve(huma.Context) []error {
	b := &in.Body
	return fieldErrors(AccountProblems(b.Username, b.Email, b.Password))
}

type userPatchIn struct {
	ID   string `path:"id" format:"uuid"`
	Body struct {
		Email     *string `json:"email,omitempty" maxLength:"254"`
		FirstName *string `json:"first_name,omitempty" maxLength:"150"`
		LastName  *string `json:"last_name,omitempty" maxLength:"150"`
		Role      *string `json:"role,omitempty" enum:"owner,admin,manager,consultant,accountant"`
		IsActive  *bool   `json:"is_active,omitempty"`
		ReadOnlyUserFields
	}
}

func (in *userPatchIn) Resolve(huma.Context) []error {
	if e := in.Body.Email; e != nil && !validate.Email(strings.TrimSpace(*e)) {
		return []error{&huma.ErrorDetail{Location: "body.email", Message: validate.MsgEmail}}
	}
	return nil
}

type userCreatedOut struct {
	Location string `header:"Location"`
	Body     UserOut
}

func (h *Handlers) registerFirm(a *api.API) {
	tags := []string{"Firm"}
	api.Register(a, huma.Operation{OperationID: "get-firm", Method: http.MethodGet, Path: "/firm/",
		Summary: "Get my firm", Tags: tags}, Handle(h.getFirm))
	api.Register(a, huma.Operation{OperationID: "update-firm", Method: http.MethodPatch, Path: "/firm/",
		Summary: "Update firm settings", Tags: tags, Description: "Owners and admins."}, Handle(h.updateFirm))
	list := huma.Operation{OperationID: "list-firm-users", Method: http.MethodGet, Path: "/firm/users/",
		Summary: "List firm users", Tags: tags, Description: "Owners and admins."}
	api.DocumentList(&list, UsersList)
	api.Cacheable(&list)
	api.Register(a, list, Handle(h.listUsers))
	api.Register(a, huma.Operation{OperationID: "create-firm-user", Method: http.MethodPost, Path: "/firm/users/",
		Summary: "Add a user", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "Owners and admins add a user with a role and an initial password. Only an owner may add an owner."},
		Handle(h.createUser))
	api.Register(a, huma.Operation{OperationID: "get-firm-user", Method: http.MethodGet, Path: "/firm/users/{id}/",
		Summary: "Get a user", Tags: tags}, Handle(h.getUser))
	api.Register(a, huma.Operation{OperationID: "update-firm-user", Method: http.MethodPatch, Path: "/firm/users/{id}/",
		Summary: "Change a user's role, status or details", Tags: tags,
		Description: "Deactivating a user ends their sessions at once. Only an owner may change an owner."}, Handle(h.updateUser))
	api.Register(a, huma.Operation{OperationID: "deactivate-firm-user", Method: http.MethodDelete, Path: "/firm/users/{id}/",
		Summary: "Deactivate a user", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "The account stays (records refer to it) but can no longer sign in."}, Handle(h.deactivateUser))
}

func (h *Handlers) getFirm(ctx context.Context, a Actor, _ *struct{}) (*firmBody, error) {
	f, err := h.svc.Firm(ctx, a)
	if err != nil {
		return nil, err
	}
	return &firmBody{Body: firmOut(f)}, nil
}

func (h *Handlers) updateFirm(ctx context.Context, a Actor, in *firmPatchIn) (*firmBody, error) {
	b := in.Body
	f, err := h.svc.UpdateFirm(ctx, a, FirmPatch{Name: b.Name, Timezone: b.Timezone, DefaultCurrency: b.DefaultCurrency,
		DefaultPaymentTerms: b.DefaultPaymentTerms, InvoicePrefix: b.InvoicePrefix, ProposalPrefix: b.ProposalPrefix,
		ContractPrefix: b.ContractPrefix, Country: b.Country}, h.knownCurrency)
	if err != nil {
		return nil, err
	}
	return &firmBody{Body: firmOut(f)}, nil
}

func (h *Handlers) listUsers(ctx context.Context, a Actor, in *userListIn) (*api.ListOutput[UserOut], error) {
	if err := CanWrite(a, FirmSettings); err != nil {
		return nil, err
	}
	p, err := in.Parse(UsersList)
	if err != nil {
		return nil, err
	}
	users, count, err := h.svc.ListUsers(ctx, a, p)
	if err != nil {
		return nil, err
	}
	return api.PageOf(&in.ListInput, p, count, users, userOut)
}

func (h *Handlers) createUser(ctx context.Context, a Actor, in *userCreateIn) (*userCreatedOut, error) {
	b := in.Body
	u, err := h.svc.CreateUser(ctx, a, NewUser{Username: b.Username, Email: b.Email, Password: b.Password,
		FirstName: b.FirstName, LastName: b.LastName, Role: Role(b.Role)})
	if err != nil {
		return nil, err
	}
	return &userCreatedOut{Location: api.Prefix + "/firm/users/" + u.ID + "/", Body: userOut(u)}, nil
}

func (h *Handlers) getUser(ctx context.Context, a Actor, in *userIDIn) (*profileOut, error) {
	u, err := h.svc.GetUser(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &profileOut{Body: userOut(u)}, nil
}

func (h *Handlers) updateUser(ctx context.Context, a Actor, in *userPatchIn) (*profileOut, error) {
	b := in.Body
	p := UserPatch{Email: b.Email, FirstName: b.FirstName, LastName: b.LastName, IsActive: b.IsActive}
	if b.Role != nil {
		r := Role(*b.Role)
		p.Role = &r
	}
	u, err := h.svc.UpdateUser(ctx, a, in.ID, p)
	if err != nil {
		return nil, err
	}
	return &profileOut{Body: userOut(u)}, nil
}

func (h *Handlers) deactivateUser(ctx context.Context, a Actor, in *userIDIn) (*struct{}, error) {
	return nil, h.svc.DeactivateUser(ctx, a, in.ID)
}
