package finance

import (
	"context"
	"net/http"
	"strings"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the groupings.
func (GroupBy) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(Groupings()) }

// GenerateBody is the body of POST invoices/generate/.
type GenerateBody struct {
	Client     string       `json:"client" minLength:"1" doc:"Client id"`
	Project    *string      `json:"project,omitempty" doc:"Only this project's time (a project of the client); all the client's projects otherwise"`
	DateAfter  string       `json:"date_after" minLength:"1" example:"2026-02-01" doc:"First date billed, YYYY-MM-DD"`
	DateBefore string       `json:"date_before" minLength:"1" example:"2026-02-28" doc:"Last date billed, YYYY-MM-DD"`
	GroupBy    GroupBy      `json:"group_by" doc:"One line per entry, task, user or project — and per rate within a group"`
	TaxRate    *api.Decimal `json:"tax_rate,omitempty" doc:"Percent, 0–100"`
	DueDate    *string      `json:"due_date,omitempty" example:"2026-03-31" doc:"Defaults to today plus the firm's payment terms"`
	Currency   *string      `json:"currency,omitempty" doc:"Without a project: bill the time logged in this currency (default the firm's)"`
	Notes      *string      `json:"notes,omitempty" maxLength:"10000"`
}

// request reads the body into a GenerateRequest, reporting malformed dates and rates.
func (b *GenerateBody) request() (GenerateRequest, fault.Fields) {
	var bad fault.Fields
	r := GenerateRequest{ClientID: strings.TrimSpace(b.Client), GroupBy: b.GroupBy}
	if b.Project != nil {
		r.ProjectID = strings.TrimSpace(*b.Project)
	}
	for _, d := range []struct {
		field string
		v     *string
		dst   *date.Date
	}{{"date_after", &b.DateAfter, &r.From}, {"date_before", &b.DateBefore, &r.To}, {"due_date", b.DueDate, &r.DueDate}} {
		date.Check(&bad, d.field, d.v, true)
		date.Set(d.dst, d.v)
	}
	if b.TaxRate != nil && *b.TaxRate != "" {
		p, err := ParsePercent(money.Decimal(*b.TaxRate))
		if err != nil {
			bad.Add("tax_rate", err.Error())
		} else {
			r.TaxRate = &p
		}
	}
	if b.Currency != nil {
		r.Currency = strings.ToUpper(strings.TrimSpace(*b.Currency))
	}
	if b.Notes != nil {
		r.Notes = *b.Notes
	}
	bad.Merge(r.rules())
	return r, bad
}

func registerGenerate(a *api.API, s *Service) {
	op := huma.Operation{OperationID: "generate-invoice", Method: http.MethodPost, Path: "/finance/invoices/generate/",
		Summary: "Invoice logged time", Tags: []string{"Finance: invoices"}, DefaultStatus: http.StatusCreated,
		Description: "Builds a draft invoice from the client's billable, unbilled time entries dated in " +
			"[date_after, date_before] and marks them invoiced, in one transaction; concurrent calls never bill an " +
			"entry twice. Each line bills one group at one rate and says what it bills (\"Design review — 12.50 h\"). " +
			"Nothing to bill → 400 \"No unbilled time entries in range\"."}
	resource.Operation(a, resource.Named(op, "invoices"), invoicePolicy{}, Generate, nil,
		func(ctx context.Context, actor auth.Actor, in *struct{ Body GenerateBody }) (*struct {
			Location string `header:"Location"`
			Body     InvoiceOut
		}, error) {
			req, bad := in.Body.request()
			if err := bad.Err(); err != nil {
				return nil, err
			}
			inv, err := s.GenerateInvoice(ctx, actor, req)
			if err != nil {
				return nil, err
			}
			return &struct {
				Location string `header:"Location"`
				Body     InvoiceOut
			}{Location: api.Prefix + "/finance/invoices/" + inv.ID + "/", Body: invoiceOut(inv)}, nil
		})
}
