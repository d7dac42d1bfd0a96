package finance_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// HTTP test helpers of the finance module: servers, firms with a client and a project, time
// entries (through the API or seeded in SQL), invoices, bills and their payments.

// The exact strings of SPEC §2 and §6, spelled out here rather than taken from the package's
// constants, so that a change of wording breaks a test instead of passing silently.
const (
	msgSubtotal       = "Subtotal does not match line items"
	msgTotal          = "Total amount does not match subtotal + tax - discount"
	msgTotalPositive  = "Total amount must be greater than 0"
	msgDueBeforeIssue = "Due date cannot be before issue date"
	msgDraftDelete    = "Only draft invoices can be deleted"
	msgNothingToBill  = "No unbilled time entries in range"
	msgPaymentExceeds = "Payment exceeds balance due"
	msgRefundExceeds  = "Refund exceeds amount paid"
	msgUnbalanced     = "Debits must equal credits"
	msgForbidden      = "You do not have permission to perform this action."
)

// Roles of SPEC §1.
const (
	roleOwner      = "owner"
	roleAdmin      = "admin"
	roleManager    = "manager"
	roleConsultant = "consultant"
	roleAccountant = "accountant"
)

// Paths (the Phase 1 aliases of SPEC §2).
const (
	clientsPath     = "/api/crm/clients/"
	projectsPath    = "/api/projects/projects/"
	timeEntriesPath = "/api/projects/time-entries/"
	invoicesPath    = "/api/finance/invoices/"
	generatePath    = "/api/finance/invoices/generate/"
	paymentsPath    = "/api/finance/payments/"
	billsPath       = "/api/finance/bills/"
	accountsPath    = "/api/finance/ledger/accounts/"
	entriesPath     = "/api/finance/ledger/entries/"
	journalPath     = "/api/finance/ledger/journal-entries/"
)

func invoicePath(id string) string { return invoicesPath + id + "/" }

func billPath(id string) string { return billsPath + id + "/" }

var seq atomic.Int64

func nextSeq() int64 { return seq.Add(1) }

type apiServer struct{ *testkit.API }

type (
	user     = testkit.User
	firm     = testkit.Firm
	response = testkit.Response
)

func startServer(t testing.TB) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{})}
}

func startServerAt(t testing.TB, now time.Time) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{FrozenAt: now})}
}

// books is a firm ready to bill: its users by role, a client and a USD project at 150.00/h
// managed by the firm's manager.
type books struct {
	firm    *firm
	users   map[string]user
	owner   string // the owner's token
	client  string
	project string
}

func (s *apiServer) newBooks(t testing.TB) *books {
	t.Helper()
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	b := &books{firm: f, users: users, owner: users[roleOwner].Token}
	b.client = s.createClient(t, b.owner)
	b.project = s.createProject(t, b.owner, b.client, map[string]any{"project_manager": users[roleManager].ID})
	return b
}

func (s *apiServer) createClient(t testing.TB, token string) string {
	t.Helper()
	n := nextSeq()
	r := s.Do(t, http.MethodPost, clientsPath, token, map[string]any{
		"company_name": fmt.Sprintf("Client %d Ltd", n), "primary_contact_name": "Grace Hopper",
		"primary_contact_email": fmt.Sprintf("grace%d@client.example", n)})
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string)
}

func (s *apiServer) createProject(t testing.TB, token, clientID string, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"client": clientID, "name": fmt.Sprintf("Project %d", nextSeq()),
		"start_date": "2026-01-01", "end_date": "2026-12-31", "hourly_rate": "150.00"}
	for k, v := range fields {
		body[k] = v
	}
	r := s.Do(t, http.MethodPost, projectsPath, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string)
}

// logTime logs hours on the project through the API as the token's user.
func (s *apiServer) logTime(t testing.TB, token, projectID, day, hours string, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"project": projectID, "date": day, "hours": hours, "description": "Design review"}
	for k, v := range fields {
		body[k] = v
	}
	r := s.Do(t, http.MethodPost, timeEntriesPath, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string)
}

// seedEntries inserts n billable USD entries of 1.00 h at 100.00 on the project, dated day,
// straight into the database (for volume).
func (s *apiServer) seedEntries(t testing.TB, firmID, projectID, userID, day string, n int) {
	t.Helper()
	now := db.Stamp(time.Now())
	rows := make([]projects.TimeEntry, 0, 1000)
	flush := func() {
		if len(rows) == 0 {
			return
		}
		if _, err := s.DB().W.NewInsert().Model(&rows).Exec(context.Background()); err != nil {
			t.Fatalf("seed time entries: %v", err)
		}
		rows = rows[:0]
	}
	for i := 0; i < n; i++ {
		rows = append(rows, projects.TimeEntry{ID: db.NewID(), FirmID: firmID, ProjectID: projectID, UserID: userID,
			Date: date.Date(day), Hours: 100, Description: "seeded", IsBillable: true, HourlyRate: 10000,
			Currency: "USD", BilledAmount: 10000, CreatedAt: now, UpdatedAt: now})
		if len(rows) == cap(rows) {
			flush()
		}
	}
	flush()
}

// invoice is an invoice as the API shows it; money stays text so it compares exactly.
type invoice struct {
	ID             string     `json:"id"`
	InvoiceNumber  *string    `json:"invoice_number"`
	Client         string     `json:"client"`
	ClientName     *string    `json:"client_name"`
	Project        *string    `json:"project"`
	ProjectName    *string    `json:"project_name"`
	Status         string     `json:"status"`
	LineItems      []lineItem `json:"line_items"`
	Subtotal       string     `json:"subtotal"`
	TaxRate        *string    `json:"tax_rate"`
	TaxAmount      string     `json:"tax_amount"`
	DiscountAmount string     `json:"discount_amount"`
	TotalAmount    string     `json:"total_amount"`
	AmountPaid     string     `json:"amount_paid"`
	BalanceDue     string     `json:"balance_due"`
	IsOverdue      bool       `json:"is_overdue"`
	Currency       string     `json:"currency"`
	IssueDate      string     `json:"issue_date"`
	DueDate        string     `json:"due_date"`
	PaymentTerms   string     `json:"payment_terms"`
	PaidDate       *string    `json:"paid_date"`
	SentAt         *string    `json:"sent_at"`
	Notes          string     `json:"notes"`
	CreatedBy      *string    `json:"created_by"`
}

type lineItem struct {
	Description string `json:"description"`
	Quantity    string `json:"quantity"`
	Rate        string `json:"rate"`
	Amount      string `json:"amount"`
}

// invoiceBody is a valid invoice body for the books' client and project: one line of 10 h at
// 150.00 (1500.00), changed by fields (a nil value removes the field).
func (b *books) invoiceBody(fields map[string]any) map[string]any {
	body := map[string]any{"client": b.client, "project": b.project,
		"line_items": []map[string]any{{"description": "Strategy workshop", "quantity": "10", "rate": "150.00"}}}
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

func (s *apiServer) createInvoice(t testing.TB, token string, body map[string]any) invoice {
	t.Helper()
	r := s.Do(t, http.MethodPost, invoicesPath, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var inv invoice
	testkit.Decode(t, r, &inv)
	return inv
}

// invoiceAction posts an action (send, cancel) and returns the response.
func (s *apiServer) invoiceAction(t testing.TB, token, id, action string) *response {
	t.Helper()
	return s.Do(t, http.MethodPost, invoicePath(id)+action+"/", token, nil)
}

func (s *apiServer) sendInvoice(t testing.TB, token, id string) invoice {
	t.Helper()
	r := s.invoiceAction(t, token, id, "send")
	testkit.WantStatus(t, r, http.StatusOK)
	var inv invoice
	testkit.Decode(t, r, &inv)
	return inv
}

func (s *apiServer) getInvoice(t testing.TB, token, id string) invoice {
	t.Helper()
	return testkit.Fetch[invoice](t, s.API, token, invoicePath(id))
}

// pay records a payment (or, with kind "refund", a refund) of the invoice.
func (s *apiServer) pay(t testing.TB, token, invoiceID string, body map[string]any) *response {
	t.Helper()
	return s.Do(t, http.MethodPost, invoicePath(invoiceID)+"payments/", token, body)
}

// account is a ledger account as the API shows it.
type account struct {
	ID        string    `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Type      string    `json:"type"`
	SystemKey *string   `json:"system_key"`
	Balances  []balance `json:"balances"`
}

type balance struct {
	Currency string `json:"currency"`
	Debit    string `json:"debit"`
	Credit   string `json:"credit"`
	Balance  string `json:"balance"`
}

// accountBalances lists the chart and returns each system account's USD balance by key
// ("receivable" → "1500.00"); accounts without USD lines are "0.00".
func (s *apiServer) accountBalances(t testing.TB, token string) map[string]string {
	t.Helper()
	_, rows := testkit.ListOf[account](t, s.API, token, accountsPath, "page_size=200")
	out := map[string]string{}
	for _, a := range rows {
		key := a.Code
		if a.SystemKey != nil {
			key = *a.SystemKey
		}
		out[key] = "0.00"
		for _, b := range a.Balances {
			if b.Currency == "USD" {
				out[key] = b.Balance
			}
		}
	}
	return out
}

// usd parses a USD money string for arithmetic in assertions.
func usd(t testing.TB, s string) money.Amount {
	t.Helper()
	c, _ := money.LookupCurrency("USD")
	a, err := money.Parse(s, c)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return a
}
