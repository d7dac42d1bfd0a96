package finance

import (
	"context"
	"mime"
	"net/http"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/danielgtaylor/huma/v2"
)

// Print is reading an invoice as a document (its PDF); whoever may read the invoice may print it.
const Print resource.Action = "pdf"

// invoicePDFOut is the PDF with the headers that make a browser save it under its number.
type invoicePDFOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	CacheControl       string `header:"Cache-Control"`
	Body               []byte
}

// registerInvoicePDF adds GET invoices/{id}/pdf/.
func registerInvoicePDF(a *api.API, s *Service) {
	op := huma.Operation{OperationID: "get-invoice-pdf", Method: http.MethodGet,
		Path: "/finance/invoices/{id}/pdf/", Summary: "Download an invoice as PDF",
		Description: "The invoice as an A4 PDF: the firm's name and address, the client, number, dates, lines, tax, " +
			"discount, total, amount paid, balance due, payment terms, notes and, when online payments are configured " +
			"(PAY_URL) and something is owed, the pay link. Money and dates are written in the firm's locale.",
		Tags: []string{"Finance: invoices"},
		Responses: map[string]*huma.Response{"200": {Description: "The PDF",
			Content: map[string]*huma.MediaType{"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}},
	}
	resource.Operation(a, op, invoicePolicy{}, Print, s.loadInvoice,
		func(ctx context.Context, actor auth.Actor, in *struct {
			ID string `path:"id"`
		}) (*invoicePDFOut, error) {
			sheet, body, err := s.InvoicePDF(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return &invoicePDFOut{ContentType: "application/pdf", CacheControl: "private, no-store",
				ContentDisposition: mime.FormatMediaType("attachment", map[string]string{"filename": sheet.FileName()}),
				Body:               body}, nil
		})
}

// InvoicePDF renders one of the firm's invoices, for a caller allowed to read it.
func (s *Service) InvoicePDF(ctx context.Context, a auth.Actor, id string) (InvoiceSheet, []byte, error) {
	inv, err := s.GetInvoice(ctx, a, id)
	if err != nil {
		return InvoiceSheet{}, nil, err
	}
	firm, err := s.firms.Firm(ctx, a)
	if err != nil {
		return InvoiceSheet{}, nil, err
	}
	return s.renderSheet(ctx, firm, inv)
}

// RenderInvoicePDF renders one of a firm's invoices outside any request: the attachment of the
// email that sends it.
func (s *Service) RenderInvoicePDF(ctx context.Context, firmID, invoiceID string) ([]byte, error) {
	inv, err := s.InvoiceFor(ctx, firmID, invoiceID)
	if err != nil {
		return nil, err
	}
	if err := s.loadLines(ctx, s.db.R, db.ForFirm(firmID), inv); err != nil {
		return nil, err
	}
	firm, err := s.firms.FirmByID(ctx, firmID)
	if err != nil {
		return nil, err
	}
	_, body, err := s.renderSheet(ctx, firm, inv)
	return body, err
}

// renderSheet gathers the addressee and the pay link of an invoice and renders it.
func (s *Service) renderSheet(ctx context.Context, firm *auth.Firm, inv *Invoice) (InvoiceSheet, []byte, error) {
	bill, err := s.clients.BillTo(ctx, s.db.R, db.ForFirm(firm.ID), inv.ClientID)
	if err != nil {
		return InvoiceSheet{}, nil, err
	}
	sheet := InvoiceSheet{Invoice: inv, Firm: firm, BillTo: bill, PayURL: s.PayLink(inv.ID)}
	body, err := RenderInvoice(sheet)
	return sheet, body, err
}

// PayLink is the page where the client pays invoiceID online, "" when none is offered.
func (s *Service) PayLink(invoiceID string) string {
	if s.payLink == nil {
		return ""
	}
	return s.payLink(invoiceID)
}

// OfferPayLinks makes invoice documents carry link(invoice id), the page where a client pays
// online; app calls it once, before serving, when Stripe and PAY_URL are configured.
func (s *Service) OfferPayLinks(link func(invoiceID string) string) { s.payLink = link }
