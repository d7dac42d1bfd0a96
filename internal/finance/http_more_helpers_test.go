package finance_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// More HTTP helpers of the finance module's tests: time entries and tasks, bills, payments,
// journal entries, and requests sent at once from many goroutines.

// More exact strings of SPEC §6 and of the finance module's rules.
const (
	msgStatusFromTo     = "Cannot change status from %s to %s"
	msgCancelPaid       = "Cannot cancel an invoice with payments; refund them first"
	msgDraftOnly        = "Only draft invoices can change amounts, lines, client or project"
	msgNoPaymentOn      = "Cannot record a payment on a %s invoice"
	msgNoRefundOn       = "Cannot record a refund on a %s invoice"
	msgAmountPositive   = "Amount must be greater than 0"
	msgEntryInvoiced    = "Cannot modify invoiced time entries"
	msgTimeRange        = "date_before cannot be before date_after"
	msgInvoiceClient    = "Select a valid client."
	msgProjectClient    = "Project must belong to the invoice's client"
	msgBillApproved     = "Only received or disputed bills can be approved"
	msgBillNotPayable   = "Only approved bills can take payments"
	msgBillDelete       = "Approved bills cannot be deleted"
	msgBillDueDate      = "Due date cannot be before bill date"
	msgBillLocked       = "Only bills not yet approved can change amounts, lines or currency"
	msgLineSide         = "Each line needs a debit or a credit, not both"
	msgLineAccount      = "Select an account of your firm."
	msgAlreadyReversed  = "This journal entry has already been reversed"
	msgReverseManual    = "Only manual entries can be reversed; cancel the invoice, refund the payment or correct the bill instead"
	msgThrottledPattern = "Request was throttled. Expected available in %d seconds."
	nonField            = "non_field_errors"
)

const (
	tasksPath = "/api/projects/tasks/"
	// unknownID is a well-formed id that names no row.
	unknownID = "01900000-0000-7000-8000-000000000000"
)

var allRoles = []string{roleOwner, roleAdmin, roleManager, roleConsultant, roleAccountant}

func statusMsg(from, to string) string { return fmt.Sprintf(msgStatusFromTo, from, to) }

func entryPath(id string) string { return timeEntriesPath + id + "/" }

func paymentPath(id string) string { return paymentsPath + id + "/" }

func journalEntryPath(id string) string { return journalPath + id + "/" }

// startServerWith starts a server on the wall clock with its configuration adjusted.
func startServerWith(t testing.TB, configure func(*config.Config)) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{Configure: configure})}
}

// fmtUSD renders minor units of USD as the API does.
func fmtUSD(a money.Amount) string { return money.Format(a, money.CurrencyOf("USD")) }

// timeEntry is a time entry as the API shows it.
type timeEntry struct {
	ID         string  `json:"id"`
	Project    string  `json:"project"`
	Task       *string `json:"task"`
	User       string  `json:"user"`
	Date       string  `json:"date"`
	Hours      string  `json:"hours"`
	HourlyRate string  `json:"hourly_rate"`
	IsBillable bool    `json:"is_billable"`
	Invoiced   bool    `json:"invoiced"`
	Invoice    *string `json:"invoice"`
}

func (s *apiServer) getEntry(t testing.TB, token, id string) timeEntry {
	t.Helper()
	return testkit.Fetch[timeEntry](t, s.API, token, entryPath(id))
}

// wantEntries asserts that each entry is billed by the invoice (or, with invoice "", unbilled).
func (s *apiServer) wantEntries(t testing.TB, token, invoiceID string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		e := s.getEntry(t, token, id)
		switch {
		case invoiceID == "" && (e.Invoiced || e.Invoice != nil):
			t.Errorf("entry %s (%s, %s h): invoiced=%v invoice=%v, want unbilled", id, e.Date, e.Hours, e.Invoiced, deref(e.Invoice))
		case invoiceID != "" && (!e.Invoiced || deref(e.Invoice) != invoiceID):
			t.Errorf("entry %s (%s, %s h): invoiced=%v invoice=%v, want billed by %s", id, e.Date, e.Hours, e.Invoiced, deref(e.Invoice), invoiceID)
		}
	}
}

// projectEntries lists every time entry of a project, page by page.
func (s *apiServer) projectEntries(t testing.TB, token, projectID string) []timeEntry {
	t.Helper()
	var all []timeEntry
	for page := 1; ; page++ {
		p, rows := testkit.ListOf[timeEntry](t, s.API, token, timeEntriesPath, fmt.Sprintf("project=%s&page_size=200&page=%d", projectID, page))
		all = append(all, rows...)
		if p.Next == nil {
			return all
		}
	}
}

func (s *apiServer) createTask(t testing.TB, token, projectID, title string) string {
	t.Helper()
	r := s.Do(t, http.MethodPost, tasksPath, token, map[string]any{"project": projectID, "title": title})
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string)
}

func (s *apiServer) projectName(t testing.TB, token, id string) string {
	t.Helper()
	p := testkit.Fetch[struct {
		Name string `json:"name"`
	}](t, s.API, token, projectsPath+id+"/")
	return p.Name
}

// generate posts to invoices/generate/.
func (s *apiServer) generate(t testing.TB, token string, body map[string]any) *response {
	t.Helper()
	return s.Do(t, http.MethodPost, generatePath, token, body)
}

func (s *apiServer) generated(t testing.TB, token string, body map[string]any) invoice {
	t.Helper()
	r := s.generate(t, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var inv invoice
	testkit.Decode(t, r, &inv)
	if want := "/api/v1/finance/invoices/" + inv.ID + "/"; r.Header.Get("Location") != want {
		t.Errorf("generate: Location %q, want %q", r.Header.Get("Location"), want)
	}
	return inv
}

// sentInvoice creates an invoice for the books (1500.00 unless fields say otherwise) and sends it.
func (s *apiServer) sentInvoice(t testing.TB, b *books, fields map[string]any) invoice {
	t.Helper()
	return s.sendInvoice(t, b.owner, s.createInvoice(t, b.owner, b.invoiceBody(fields)).ID)
}

func (s *apiServer) patchInvoice(t testing.TB, token, id string, body map[string]any) *response {
	t.Helper()
	return s.Do(t, http.MethodPatch, invoicePath(id), token, body)
}

// payment is a payment or refund as the API shows it.
type payment struct {
	ID            string  `json:"id"`
	Invoice       *string `json:"invoice"`
	InvoiceNumber *string `json:"invoice_number"`
	Bill          *string `json:"bill"`
	BillReference *string `json:"bill_reference"`
	Kind          string  `json:"kind"`
	Amount        string  `json:"amount"`
	Currency      string  `json:"currency"`
	Method        string  `json:"method"`
	ReceivedOn    string  `json:"received_on"`
	Reference     string  `json:"reference"`
	CreatedBy     *string `json:"created_by"`
}

// paid records a payment that must be accepted and returns it.
func (s *apiServer) paid(t testing.TB, token, invoiceID string, body map[string]any) payment {
	t.Helper()
	r := s.pay(t, token, invoiceID, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var p payment
	testkit.Decode(t, r, &p)
	return p
}

// bill is a bill as the API shows it.
type bill struct {
	ID              string     `json:"id"`
	VendorName      string     `json:"vendor_name"`
	ReferenceNumber string     `json:"reference_number"`
	Status          string     `json:"status"`
	LineItems       []lineItem `json:"line_items"`
	Subtotal        string     `json:"subtotal"`
	TaxAmount       string     `json:"tax_amount"`
	TotalAmount     string     `json:"total_amount"`
	AmountPaid      string     `json:"amount_paid"`
	BalanceDue      string     `json:"balance_due"`
	Currency        string     `json:"currency"`
	BillDate        string     `json:"bill_date"`
	DueDate         string     `json:"due_date"`
	PaidDate        *string    `json:"paid_date"`
	ExpenseCategory string     `json:"expense_category"`
	ApprovedBy      *string    `json:"approved_by"`
	ApprovedByName  *string    `json:"approved_by_name"`
	ApprovedAt      *string    `json:"approved_at"`
	CreatedBy       *string    `json:"created_by"`
}

// billBody is a valid bill: 1000.00 of software plus 80.00 tax, changed by fields (nil removes).
func billBody(fields map[string]any) map[string]any {
	body := map[string]any{"vendor_name": fmt.Sprintf("Vendor %d", nextSeq()), "expense_category": "software",
		"subtotal": "1000.00", "tax_amount": "80.00"}
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

func (s *apiServer) createBill(t testing.TB, token string, body map[string]any) bill {
	t.Helper()
	r := s.Do(t, http.MethodPost, billsPath, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var b bill
	testkit.Decode(t, r, &b)
	return b
}

func (s *apiServer) getBill(t testing.TB, token, id string) bill {
	t.Helper()
	return testkit.Fetch[bill](t, s.API, token, billPath(id))
}

func (s *apiServer) approveBill(t testing.TB, token, id string) *response {
	t.Helper()
	return s.Do(t, http.MethodPost, billPath(id)+"approve/", token, nil)
}

// approvedBill records a bill (billBody with fields) and approves it.
func (s *apiServer) approvedBill(t testing.TB, token string, fields map[string]any) bill {
	t.Helper()
	b := s.createBill(t, token, billBody(fields))
	r := s.approveBill(t, token, b.ID)
	testkit.WantStatus(t, r, http.StatusOK)
	testkit.Decode(t, r, &b)
	return b
}

func (s *apiServer) payBill(t testing.TB, token, id string, body map[string]any) *response {
	t.Helper()
	return s.Do(t, http.MethodPost, billPath(id)+"payments/", token, body)
}

// journalEntry is a journal entry as the API shows it.
type journalEntry struct {
	ID         string        `json:"id"`
	Date       string        `json:"date"`
	Memo       string        `json:"memo"`
	Source     string        `json:"source"`
	Invoice    *string       `json:"invoice"`
	Bill       *string       `json:"bill"`
	Payment    *string       `json:"payment"`
	Reverses   *string       `json:"reverses"`
	ReversedBy *string       `json:"reversed_by"`
	Lines      []journalLine `json:"lines"`
	CreatedBy  *string       `json:"created_by"`
}

type journalLine struct {
	Account     string  `json:"account"`
	AccountCode string  `json:"account_code"`
	AccountName string  `json:"account_name"`
	Debit       *string `json:"debit"`
	Credit      *string `json:"credit"`
	Currency    string  `json:"currency"`
	Memo        string  `json:"memo"`
}

// side renders a line as "D 250.00" or "C 250.00" on its account code.
func (l journalLine) side() string {
	switch {
	case l.Debit != nil && l.Credit == nil:
		return l.AccountCode + " D " + *l.Debit
	case l.Credit != nil && l.Debit == nil:
		return l.AccountCode + " C " + *l.Credit
	}
	return fmt.Sprintf("%s debit=%v credit=%v", l.AccountCode, deref(l.Debit), deref(l.Credit))
}

func sides(e journalEntry) []string {
	out := make([]string, len(e.Lines))
	for i, l := range e.Lines {
		out[i] = l.side()
	}
	return out
}

// accountIDs maps the firm's accounts to their ids, by system key ("cash") or, for accounts
// without one, by code.
func (s *apiServer) accountIDs(t testing.TB, token string) map[string]string {
	t.Helper()
	_, rows := testkit.ListOf[account](t, s.API, token, accountsPath, "page_size=200")
	out := map[string]string{}
	for _, a := range rows {
		key := a.Code
		if a.SystemKey != nil {
			key = *a.SystemKey
		}
		out[key] = a.ID
	}
	return out
}

// manualEntry is a body of a manual journal entry with lines {account, debit|credit}.
func manualEntry(memo string, lines ...map[string]any) map[string]any {
	return map[string]any{"memo": memo, "lines": lines}
}

func debit(account, amount string) map[string]any {
	return map[string]any{"account": account, "debit": amount}
}

func credit(account, amount string) map[string]any {
	return map[string]any{"account": account, "credit": amount}
}

func (s *apiServer) postEntry(t testing.TB, token string, body map[string]any) journalEntry {
	t.Helper()
	r := s.Do(t, http.MethodPost, journalPath, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var e journalEntry
	testkit.Decode(t, r, &e)
	return e
}

func (s *apiServer) getJournalEntry(t testing.TB, token, id string) journalEntry {
	t.Helper()
	return testkit.Fetch[journalEntry](t, s.API, token, journalEntryPath(id))
}

func (s *apiServer) reverse(t testing.TB, token, id string) *response {
	t.Helper()
	return s.Do(t, http.MethodPost, journalEntryPath(id)+"reverse/", token, nil)
}

// entriesOf lists the journal entries the query selects (e.g. "invoice=<id>&source=invoice").
func (s *apiServer) entriesOf(t testing.TB, token, query string) []journalEntry {
	t.Helper()
	_, rows := testkit.ListOf[journalEntry](t, s.API, token, journalPath, query+"&page_size=200")
	return rows
}

// try sends one request without touching the test, so that any goroutine may call it.
func (s *apiServer) try(method, path, token string, body any) (*response, error) {
	var rdr io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rdr = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.Srv.URL+path, rdr)
	if err != nil {
		return nil, err
	}
	if rdr != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &response{Method: method, Path: path, Status: res.StatusCode, Header: res.Header, Body: raw}, nil
}

// concurrently sends n requests at once — every goroutine is released by the same signal — and
// returns the responses in the order of i.
func concurrently(t testing.TB, n int, do func(i int) (*response, error)) []*response {
	t.Helper()
	out := make([]*response, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			out[i], errs[i] = do(i)
		})
	}
	time.Sleep(10 * time.Millisecond) // let every goroutine reach the start line
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent request %d: %v", i, err)
		}
	}
	return out
}

// warmWriters opens n write transactions at once (generate calls that find nothing to bill), so
// that the database pool and the client's connections are ready before a concurrency test:
// on a cold pool, connecting spreads the calls out and they rarely overlap.
func (s *apiServer) warmWriters(t testing.TB, b *books, n int) {
	t.Helper()
	body := map[string]any{"client": b.client, "date_after": "1999-01-01", "date_before": "1999-01-31", "group_by": "entry"}
	for _, r := range concurrently(t, n, func(int) (*response, error) { return s.try(http.MethodPost, generatePath, b.owner, body) }) {
		testkit.WantOnly(t, r, map[string][]string{nonField: {msgNothingToBill}})
	}
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
