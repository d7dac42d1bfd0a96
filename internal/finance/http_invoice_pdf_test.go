package finance_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// billedInvoice is a sent, partly paid invoice of a firm with an address and a locale: two
// lines (one long and not in ASCII), 8.25 % tax, a discount and notes.
func (s *apiServer) billedInvoice(t *testing.T, b *books, locale string) invoice {
	t.Helper()
	r := s.Do(t, http.MethodPatch, "/api/firm/", b.owner, map[string]any{
		"address": "12 Rue de la Paix\n75002 Paris", "locale": locale})
	testkit.WantStatus(t, r, http.StatusOK)
	long := "Straße café — discovery interviews with the leadership team, synthesis of the findings " +
		"and a written recommendation on the operating model"
	inv := s.createInvoice(t, b.owner, b.invoiceBody(map[string]any{
		"line_items": []map[string]any{
			{"description": "Strategy workshop", "quantity": "10", "rate": "1500.00"},
			{"description": long, "quantity": "2.5", "rate": "200.00"},
		},
		"tax_rate": "8.25", "discount_amount": "100.00", "notes": "Thank you for your business."}))
	inv = s.sendInvoice(t, b.owner, inv.ID)
	testkit.WantStatus(t, s.pay(t, b.owner, inv.ID, map[string]any{"amount": "1000.00", "method": "bank_transfer"}), http.StatusCreated)
	return inv
}

func (s *apiServer) invoicePDF(t *testing.T, token, id string) *response {
	t.Helper()
	return s.Do(t, http.MethodGet, invoicePath(id)+"pdf/", token, nil)
}

// squash joins the PDF's text into single-spaced words, so that checks do not depend on the
// layout's column widths.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestInvoicePDFPrintsTheInvoice(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	inv := s.billedInvoice(t, b, "en-US")
	r := s.invoicePDF(t, b.owner, inv.ID)
	testkit.WantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Fatalf("Content-Type %q", ct)
	}
	if cd, want := r.Header.Get("Content-Disposition"), `attachment; filename=`+*inv.InvoiceNumber+`.pdf`; cd != want {
		t.Fatalf("Content-Disposition %q, want %q", cd, want)
	}
	if !strings.HasPrefix(string(r.Body), "%PDF-") {
		t.Fatalf("body is not a PDF: %.20q", r.Body)
	}
	text := squash(testkit.PDFText(t, r.Body))
	// 10 × 1,500.00 + 2.5 × 200.00 = 15,500.00; tax 8.25 % = 1,278.75; − 100.00 = 16,678.75;
	// 1,000.00 paid leaves 15,678.75.
	for _, want := range []string{
		b.firm.Name, "12 Rue de la Paix", "75002 Paris", "INVOICE " + *inv.InvoiceNumber,
		"Client", "Grace Hopper", "Issue date", "Net 30",
		"Strategy workshop", "10.00", "$1,500.00", "$15,000.00",
		"Straße café — discovery interviews", "2.50", "$200.00", "$500.00",
		"Subtotal $15,500.00", "Tax (8.25%) $1,278.75", "Discount -$100.00", "Total $16,678.75",
		"Amount paid $1,000.00", "Balance due $15,678.75", "Thank you for your business.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q; it says:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Pay online") {
		t.Errorf("a pay link without online payments:\n%s", text)
	}
}

func TestInvoicePDFWritesTheFirmsLocale(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, stripeNow)
	b := s.newBooks(t)
	inv := s.billedInvoice(t, b, "de-DE")
	r := s.invoicePDF(t, b.owner, inv.ID)
	testkit.WantStatus(t, r, http.StatusOK)
	text := squash(testkit.PDFText(t, r.Body))
	for _, want := range []string{"10.03.2026", "Subtotal 15.500,00 $", "Tax (8,25%) 1.278,75 $", "Balance due 15.678,75 $"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q; it says:\n%s", want, text)
		}
	}
}

func TestInvoicePDFLinksToOnlinePayment(t *testing.T) {
	t.Parallel()
	s := startStripe(t, func(c *config.Config) { c.PayURL = "https://pay.example.com/invoices/{invoice}" })
	b := s.newBooks(t)
	inv := s.billedInvoice(t, b, "en-US")
	text := squash(testkit.PDFText(t, s.invoicePDF(t, b.owner, inv.ID).Body))
	if want := "Pay online https://pay.example.com/invoices/" + inv.ID; !strings.Contains(text, want) {
		t.Fatalf("the PDF does not say %q; it says:\n%s", want, text)
	}
	// Nothing owed, nothing to pay: a paid invoice prints no link.
	testkit.WantStatus(t, s.pay(t, b.owner, inv.ID, map[string]any{"amount": "15678.75", "method": "bank_transfer"}), http.StatusCreated)
	text = squash(testkit.PDFText(t, s.invoicePDF(t, b.owner, inv.ID).Body))
	if strings.Contains(text, "Pay online") || !strings.Contains(text, "Balance due $0.00") {
		t.Fatalf("a paid invoice:\n%s", text)
	}
}

func TestInvoicePDFAccess(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	b := s.newBooks(t)
	inv := s.createInvoice(t, b.owner, b.invoiceBody(nil))
	r := s.invoicePDF(t, b.owner, inv.ID)
	testkit.WantStatus(t, r, http.StatusOK)
	if cd := r.Header.Get("Content-Disposition"); cd != "attachment; filename=draft-"+inv.ID+".pdf" {
		t.Fatalf("a draft's Content-Disposition %q", cd)
	}
	for role, want := range map[string]int{roleManager: http.StatusOK, roleAccountant: http.StatusOK,
		roleConsultant: http.StatusForbidden} {
		testkit.WantStatus(t, s.invoicePDF(t, b.users[role].Token, inv.ID), want)
	}
	other := s.newBooks(t)
	testkit.WantStatus(t, s.invoicePDF(t, other.owner, inv.ID), http.StatusNotFound)
	testkit.WantStatus(t, s.invoicePDF(t, "", inv.ID), http.StatusUnauthorized)
}
