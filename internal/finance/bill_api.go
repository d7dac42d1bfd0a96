package finance

import (
	"context"
	"github.com/consultantpro/consultantpro/internal/projects"
	"net/http"
	"strings"
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

// Schema documents the bill statuses.
func (BillStatus) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(BillStatuses()) }

// Schema documents the expense categories.
func (ExpenseCategory) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(ExpenseCategories()) }

// BillOut is a bill as the API shows it.
type BillOut struct {
	ID              string          `json:"id" format:"uuid"`
	VendorName      string          `json:"vendor_name"`
	VendorEmail     string          `json:"vendor_email"`
	Project         *string         `json:"project" nullable:"true" format:"uuid"`
	ProjectName     *string         `json:"project_name" nullable:"true"`
	BillNumber      string          `json:"bill_number" doc:"The vendor's number"`
	ReferenceNumber string          `json:"reference_number" example:"BILL-2026-001"`
	Status          BillStatus      `json:"status"`
	LineItems       []LineItemOut   `json:"line_items"`
	Subtotal        string          `json:"subtotal" export:"money" example:"1000.00"`
	TaxAmount       string          `json:"tax_amount" export:"money" example:"0.00"`
	TotalAmount     string          `json:"total_amount" export:"money" example:"1000.00" doc:"subtotal + tax"`
	AmountPaid      string          `json:"amount_paid" export:"money" example:"0.00"`
	BalanceDue      string          `json:"balance_due" export:"money" example:"1000.00"`
	Currency        string          `json:"currency" example:"USD"`
	BillDate        string          `json:"bill_date" format:"date"`
	DueDate         string          `json:"due_date" format:"date"`
	PaidDate        *string         `json:"paid_date" nullable:"true" format:"date"`
	ExpenseCategory ExpenseCategory `json:"expense_category"`
	Description     string          `json:"description"`
	ApprovedBy      *string         `json:"approved_by" nullable:"true" format:"uuid"`
	ApprovedByName  *string         `json:"approved_by_name" nullable:"true"`
	ApprovedAt      *time.Time      `json:"approved_at" nullable:"true"`
	CreatedBy       *string         `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
	resource.Trash
}

func billOut(b *Bill) BillOut {
	cur := money.CurrencyOf(b.Currency)
	out := BillOut{ID: b.ID, VendorName: b.VendorName, VendorEmail: b.VendorEmail, Project: b.ProjectID,
		ProjectName: b.ProjectName, BillNumber: b.BillNumber, ReferenceNumber: b.ReferenceNumber, Status: b.Status,
		LineItems: linesOut(b.Lines, cur), Subtotal: money.Format(b.Subtotal, cur), TaxAmount: money.Format(b.TaxAmount, cur),
		TotalAmount: money.Format(b.TotalAmount, cur), AmountPaid: money.Format(b.AmountPaid, cur),
		BalanceDue: money.Format(b.BalanceDue(), cur), Currency: cur.Code, BillDate: string(b.BillDate),
		DueDate: string(b.DueDate), PaidDate: dateOut(b.PaidDate), ExpenseCategory: b.ExpenseCategory,
		Description: b.Description, ApprovedBy: b.ApprovedBy, ApprovedByName: b.ApprovedByName,
		ApprovedAt: stampOut(b.ApprovedAt), CreatedBy: b.CreatedBy, CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC()}
	if b.ProjectID == nil {
		out.ProjectName = nil
	}
	if b.ApprovedBy == nil {
		out.ApprovedByName = nil
	}
	return out
}

// BillPatch is the body of PATCH: every field optional; read-only fields are ignored.
type BillPatch struct {
	VendorName      api.Nullable[string]      `json:"vendor_name,omitempty" minLength:"1" maxLength:"255"`
	VendorEmail     *string                   `json:"vendor_email,omitempty" maxLength:"254"`
	Project         api.Nullable[string]      `json:"project,omitempty" doc:"Project id; null for none"`
	BillNumber      *string                   `json:"bill_number,omitempty" maxLength:"100" doc:"The vendor's number"`
	Status          *BillStatus               `json:"status,omitempty" doc:"received or approved → disputed, and back; approval through the approve action"`
	LineItems       *[]LineItemIn             `json:"line_items,omitempty" maxItems:"500"`
	Subtotal        api.Nullable[api.Decimal] `json:"subtotal,omitempty" doc:"Required without lines; with lines it must equal their sum"`
	TaxAmount       api.Nullable[api.Decimal] `json:"tax_amount,omitempty" doc:"Money, not negative; default 0"`
	TotalAmount     api.Nullable[api.Decimal] `json:"total_amount,omitempty" doc:"Optional check: must equal subtotal + tax"`
	Currency        *string                   `json:"currency,omitempty" doc:"ISO 4217 code; defaults to the firm's"`
	BillDate        *string                   `json:"bill_date,omitempty" minLength:"1" doc:"Date, YYYY-MM-DD; defaults to today"`
	DueDate         *string                   `json:"due_date,omitempty" minLength:"1" doc:"Date, not before bill_date; defaults to 30 days after it"`
	ExpenseCategory *ExpenseCategory          `json:"expense_category,omitempty"`
	Description     *string                   `json:"description,omitempty" maxLength:"10000"`
	ID              any                       `json:"id,omitempty" readOnly:"true"`
	ProjectName     any                       `json:"project_name,omitempty" readOnly:"true"`
	ReferenceNumber any                       `json:"reference_number,omitempty" readOnly:"true"`
	AmountPaid      any                       `json:"amount_paid,omitempty" readOnly:"true"`
	BalanceDue      any                       `json:"balance_due,omitempty" readOnly:"true"`
	PaidDate        any                       `json:"paid_date,omitempty" readOnly:"true"`
	ApprovedBy      any                       `json:"approved_by,omitempty" readOnly:"true"`
	ApprovedByName  any                       `json:"approved_by_name,omitempty" readOnly:"true"`
	ApprovedAt      any                       `json:"approved_at,omitempty" readOnly:"true"`
	CreatedBy       any                       `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt       any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt       any                       `json:"updated_at,omitempty" readOnly:"true"`
}

// BillWrite is the body of POST and PUT: vendor and category required.
type BillWrite struct {
	VendorName      string          `json:"vendor_name" minLength:"1" maxLength:"255"`
	ExpenseCategory ExpenseCategory `json:"expense_category"`
	BillPatch
}

// apply merges the PATCH body into b.
func (p *BillPatch) apply(b *Bill) fault.Fields {
	var nulls []string
	var bad fault.Fields
	api.SetText(&b.VendorName, api.RequiredChange("vendor_name", p.VendorName, &nulls))
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	if p.VendorEmail != nil {
		b.VendorEmail = validate.NormalizeEmail(*p.VendorEmail)
	}
	if v := p.Project.Change(); v != nil {
		b.ProjectID = nil
		if id := strings.TrimSpace(*v); id != "" {
			b.ProjectID = &id
			if !validID(id) {
				bad.Add("project", MsgBillProject)
			}
		}
	}
	api.SetText(&b.BillNumber, p.BillNumber)
	api.SetText(&b.Description, p.Description)
	if p.ExpenseCategory != nil {
		b.ExpenseCategory = *p.ExpenseCategory
	}
	e := &b.edit
	e.status, e.currency = p.Status, p.Currency
	if p.LineItems != nil {
		e.lines = linesIn(*p.LineItems)
	}
	e.subtotal, e.tax, e.total = api.DecimalChange(p.Subtotal), api.DecimalChange(p.TaxAmount), api.DecimalChange(p.TotalAmount)
	date.Check(&bad, "bill_date", p.BillDate, true)
	date.Set(&b.BillDate, p.BillDate)
	date.Check(&bad, "due_date", p.DueDate, true)
	date.Set(&b.DueDate, p.DueDate)
	return bad
}

// apply merges a POST or PUT body into b.
func (w *BillWrite) apply(b *Bill) fault.Fields {
	p := w.BillPatch
	p.VendorName = api.Value(w.VendorName)
	category := w.ExpenseCategory
	p.ExpenseCategory = &category
	return p.apply(b)
}

func registerBills(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Bill, BillOut, BillWrite, BillPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.db, Model: (*Bill)(nil), Parents: []resource.Parent{{Column: "project_id", Model: (*projects.Project)(nil), Name: "project"}}},
		Path:       "/finance/bills/", Name: "bill", Plural: "bills", Tag: "Finance: bills",
		Policy: billPolicy{}, Load: s.loadBill, Query: billQuery(), Cache: true,
		Out: billOut, ID: func(b *Bill) string { return b.ID },
		List:      s.ListBills,
		Get:       s.GetBill,
		Create:    resource.Creating(s.CreateBill, (*BillWrite).apply),
		Replace:   resource.Updating(s.UpdateBill, (*BillWrite).apply),
		Update:    resource.Updating(s.UpdateBill, (*BillPatch).apply),
		Delete:    s.DeleteBill,
		Errors:    map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
		Summaries: map[resource.Action]string{resource.Create: "Record a bill"},
	})
	op := huma.Operation{OperationID: "approve-bill", Method: http.MethodPost, Path: "/finance/bills/{id}/approve/",
		Summary: "Approve a bill", Tags: []string{"Finance: bills"},
		Description: "Approves a received or disputed bill for payment: stamps approved_by and approved_at and posts " +
			"the expense (Dr the category's expense account, Cr accounts payable)."}
	resource.Operation(a, op, billPolicy{}, Approve, s.loadBill,
		func(ctx context.Context, actor auth.Actor, in *struct {
			ID string `path:"id"`
		}) (*struct{ Body BillOut }, error) {
			b, err := s.ApproveBill(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body BillOut }{Body: billOut(b)}, nil
		})
}
