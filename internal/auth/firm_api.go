package auth

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the payment terms with their values.
func (PaymentTerms) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(PaymentTermsValues()) }

// FirmOut is a firm and its settings.
type FirmOut struct {
	ID                  string       `json:"id" format:"uuid"`
	Name                string       `json:"name"`
	Timezone            string       `json:"timezone" example:"Europe/Paris"`
	DefaultCurrency     string       `json:"default_currency" example:"EUR"`
	DefaultPaymentTerms PaymentTerms `json:"default_payment_terms"`
	InvoicePrefix       string       `json:"invoice_prefix" example:"INV"`
	ProposalPrefix      string       `json:"proposal_prefix" example:"PROP"`
	ContractPrefix      string       `json:"contract_prefix" example:"CTR"`
	Country             string       `json:"country" doc:"Default country of new clients"`
	Address             string       `json:"address" doc:"Postal address printed on invoices (lines separated by newlines)"`
	Locale              string       `json:"locale" example:"en-US" doc:"How invoices and emails write money and dates (language-REGION)"`
	ReminderDaysBefore  []int        `json:"reminder_days_before_due" doc:"Days before an owed invoice's due date on which its client is reminded by email (empty: none)"`
	ReminderDaysAfter   []int        `json:"reminder_days_after_due" doc:"Days after an owed invoice's due date on which its client is reminded by email (empty: none)"`
	CreatedAt           time.Time    `json:"created_at"`
	UpdatedAt           time.Time    `json:"updated_at"`
}

func firmOut(f *Firm) FirmOut {
	return FirmOut{ID: f.ID, Name: f.Name, Timezone: f.Timezone, DefaultCurrency: f.DefaultCurrency,
		DefaultPaymentTerms: f.DefaultPaymentTerms, InvoicePrefix: f.InvoicePrefix, ProposalPrefix: f.ProposalPrefix,
		ContractPrefix: f.ContractPrefix, Country: f.Country, Address: f.Address, Locale: f.Locale,
		ReminderDaysBefore: reminderDays(f.ReminderDaysBefore), ReminderDaysAfter: reminderDays(f.ReminderDaysAfter), CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC()}
}

// FirmPatch is the body of PATCH /firm/: every setting optional, nil ones left alone. The
// read-only fields of FirmOut are accepted and ignored, so a fetched firm can be sent back.
type FirmPatch struct {
	Name                *string       `json:"name,omitempty" maxLength:"255"`
	Timezone            *string       `json:"timezone,omitempty" doc:"IANA time zone, e.g. Europe/Paris"`
	DefaultCurrency     *string       `json:"default_currency,omitempty" doc:"ISO 4217 code"`
	DefaultPaymentTerms *PaymentTerms `json:"default_payment_terms,omitempty"`
	InvoicePrefix       *string       `json:"invoice_prefix,omitempty"`
	ProposalPrefix      *string       `json:"proposal_prefix,omitempty"`
	ContractPrefix      *string       `json:"contract_prefix,omitempty"`
	Country             *string       `json:"country,omitempty" maxLength:"100"`
	Address             *string       `json:"address,omitempty" maxLength:"1000"`
	Locale              *string       `json:"locale,omitempty" example:"de-DE" doc:"language-REGION, e.g. en-US, en-GB, de-DE, fr-FR, ja-JP"`
	ReminderDaysBefore  *[]int        `json:"reminder_days_before_due,omitempty" example:"[3]" doc:"At most 5 days, each 0 to 365; [] turns them off"`
	ReminderDaysAfter   *[]int        `json:"reminder_days_after_due,omitempty" example:"[1,7,14]" doc:"At most 5 days, each 0 to 365; [] turns them off"`
	ID                  any           `json:"id,omitempty" readOnly:"true"`
	CreatedAt           any           `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt           any           `json:"updated_at,omitempty" readOnly:"true"`
}

// apply merges the sent settings into f: each is trimmed and checked, and a valid one replaces
// the stored one. It returns the changed columns and the problems.
func (p *FirmPatch) apply(f *Firm, knownCurrency func(string) bool) (cols []string, bad fault.Fields) {
	set := func(col string, dst *string, v *string, ok func(string) bool, msg string) {
		if v == nil {
			return
		}
		val := strings.TrimSpace(*v)
		if !ok(val) {
			bad.Add(col, msg)
			return
		}
		*dst, cols = val, append(cols, col)
	}
	set("name", &f.Name, p.Name, validFirmName, msgFirmName)
	set("timezone", &f.Timezone, p.Timezone, validTimezone, MsgTimezone)
	set("default_currency", &f.DefaultCurrency, p.DefaultCurrency, knownCurrency, MsgCurrency)
	if v := p.DefaultPaymentTerms; v != nil {
		if slices.Contains(PaymentTermsValues(), *v) {
			f.DefaultPaymentTerms, cols = *v, append(cols, "default_payment_terms")
		} else {
			bad.Add("default_payment_terms", validate.ChoiceMessage(*v))
		}
	}
	set("invoice_prefix", &f.InvoicePrefix, p.InvoicePrefix, validPrefix, MsgPrefix)
	set("proposal_prefix", &f.ProposalPrefix, p.ProposalPrefix, validPrefix, MsgPrefix)
	set("contract_prefix", &f.ContractPrefix, p.ContractPrefix, validPrefix, MsgPrefix)
	set("country", &f.Country, p.Country, validCountry, msgCountry)
	set("address", &f.Address, p.Address, validAddress, msgAddress)
	set("locale", &f.Locale, p.Locale, validLocale, MsgLocale)
	days := func(col string, dst *ReminderDays, v *[]int) {
		if v == nil {
			return
		}
		if d, ok := normalReminderDays(*v); ok {
			*dst, cols = d, append(cols, col)
		} else {
			bad.Add(col, MsgReminderDays)
		}
	}
	days("reminder_days_before_due", &f.ReminderDaysBefore, p.ReminderDaysBefore)
	days("reminder_days_after_due", &f.ReminderDaysAfter, p.ReminderDaysAfter)
	return cols, bad
}

// reminderDays shows an empty list as [], never null.
func reminderDays(d ReminderDays) []int {
	if d == nil {
		return []int{}
	}
	return d
}

// firmPatchIn carries the body in an unnamed struct so its schema keeps its published name,
// FirmPatchInBody.
type firmPatchIn struct {
	Body struct{ FirmPatch }
}

// registerFirm adds the firm's settings (every member reads them, owners and admins change them)
// and its users.
func (h *Handlers) registerFirm(a *api.API) {
	tags := []string{"Firm"}
	get := huma.Operation{OperationID: "get-firm", Method: http.MethodGet, Path: "/firm/",
		Summary: "Get my firm", Tags: tags}
	api.SetPolicy(&get, "firm.read")
	api.Register(a, get, Handle(h.getFirm))
	update := huma.Operation{OperationID: "update-firm", Method: http.MethodPatch, Path: "/firm/",
		Summary: "Update firm settings", Tags: tags, Description: "Owners and admins."}
	api.SetPolicy(&update, "firm.update")
	api.Register(a, update, Handle(h.updateFirm))
	h.registerUsers(a, tags)
}

func (h *Handlers) getFirm(ctx context.Context, a Actor, _ *struct{}) (*bodyOut[FirmOut], error) {
	f, err := h.svc.Firm(ctx, a)
	if err != nil {
		return nil, err
	}
	return &bodyOut[FirmOut]{Body: firmOut(f)}, nil
}

func (h *Handlers) updateFirm(ctx context.Context, a Actor, in *firmPatchIn) (*bodyOut[FirmOut], error) {
	f, err := h.svc.UpdateFirm(ctx, a, func(f *Firm) ([]string, fault.Fields) {
		return in.Body.apply(f, h.knownCurrency)
	})
	if err != nil {
		return nil, err
	}
	return &bodyOut[FirmOut]{Body: firmOut(f)}, nil
}
