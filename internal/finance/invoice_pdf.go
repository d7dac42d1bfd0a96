package finance

import (
	"bytes"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/locale"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/pdf"
)

// InvoiceSheet is everything an invoice's PDF prints: the invoice, the firm that issues it,
// the client it is addressed to and, when the client can pay online, where.
type InvoiceSheet struct {
	Invoice *Invoice
	Firm    *auth.Firm
	BillTo  *crm.BillTo
	PayURL  string // empty when online payments are not offered
}

// termsLabel is how an invoice names its payment terms.
func termsLabel(t auth.PaymentTerms) string {
	switch t {
	case auth.PaymentNet15:
		return "Net 15"
	case auth.PaymentNet30:
		return "Net 30"
	case auth.PaymentNet45:
		return "Net 45"
	case auth.PaymentNet60:
		return "Net 60"
	case auth.PaymentDueOnReceipt:
		return "Due on receipt"
	case auth.PaymentMilestone:
		return "Milestone"
	}
	return string(t)
}

// Title is the document's heading and file title: the number, or a draft's mark.
func (sh InvoiceSheet) Title() string {
	if n := sh.Invoice.InvoiceNumber; n != nil {
		return "Invoice " + *n
	}
	return "Draft invoice"
}

// FileName is the name the PDF is offered under: INV-2026-001.pdf, or draft-<id>.pdf.
func (sh InvoiceSheet) FileName() string {
	if n := sh.Invoice.InvoiceNumber; n != nil {
		return *n + ".pdf"
	}
	return "draft-" + sh.Invoice.ID + ".pdf"
}

// RenderInvoice writes the invoice as an A4 PDF in the firm's locale. The document is stamped
// with the invoice's last change, so the same invoice renders to the same bytes.
func RenderInvoice(sh InvoiceSheet) ([]byte, error) {
	inv := sh.Invoice
	cur, ok := money.LookupCurrency(inv.Currency)
	if !ok {
		cur = money.Currency{Code: inv.Currency, Digits: 2}
	}
	loc, _ := locale.Parse(sh.Firm.Locale)
	r := sheetWriter{doc: pdf.New(sh.Title(), inv.UpdatedAt.UTC()), loc: loc, cur: cur}
	r.doc.AddPage()
	r.header(sh)
	r.parties(sh)
	r.lines(inv.Lines)
	r.totals(inv)
	r.footer(sh)
	var buf bytes.Buffer
	if err := r.doc.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sheetWriter lays out one invoice: a column of blocks from top to bottom.
type sheetWriter struct {
	doc *fpdf.Fpdf
	loc locale.Locale
	cur money.Currency
}

// width is the printable width of an A4 page between the margins.
const width = 210 - 2*18

func (r sheetWriter) font(style string, size float64) { r.doc.SetFont(pdf.Family, style, size) }

func (r sheetWriter) money(a money.Amount) string { return r.loc.Money(a, r.cur) }

// header: the firm's name and address on the left, the title, number and status on the right.
func (r sheetWriter) header(sh InvoiceSheet) {
	d := r.doc
	top := d.GetY()
	r.font("B", 14)
	d.MultiCell(width/2, 7, sh.Firm.Name, "", "L", false)
	r.font("", 9)
	for _, line := range strings.Split(strings.TrimSpace(sh.Firm.Address), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			d.MultiCell(width/2, 4.5, line, "", "L", false)
		}
	}
	left := d.GetY()
	d.SetXY(18+width/2, top)
	r.font("B", 18)
	d.CellFormat(width/2, 9, strings.ToUpper(sh.Title()), "", 2, "R", false, 0, "")
	r.font("", 9)
	d.CellFormat(width/2, 5, "Status: "+string(sh.Invoice.Status), "", 2, "R", false, 0, "")
	d.SetY(max(left, d.GetY()) + 6)
}

// parties: bill-to on the left, dates and terms on the right.
func (r sheetWriter) parties(sh InvoiceSheet) {
	d, inv := r.doc, sh.Invoice
	top := d.GetY()
	r.font("B", 9)
	d.CellFormat(width/2, 5, "Bill to", "", 2, "L", false, 0, "")
	r.font("", 10)
	for _, line := range billToLines(sh.BillTo) {
		d.MultiCell(width/2, 5, line, "", "L", false)
	}
	left := d.GetY()
	d.SetXY(18+width/2, top)
	facts := [][2]string{
		{"Issue date", r.loc.Date(inv.IssueDate)},
		{"Due date", r.loc.Date(inv.DueDate)},
		{"Payment terms", termsLabel(inv.PaymentTerms)},
		{"Currency", inv.Currency},
	}
	if sh.Invoice.ProjectName != nil {
		facts = append(facts, [2]string{"Project", *inv.ProjectName})
	}
	for _, f := range facts {
		d.SetX(18 + width/2)
		r.font("B", 9)
		d.CellFormat(width/4, 5, f[0], "", 0, "L", false, 0, "")
		r.font("", 9)
		d.CellFormat(width/4, 5, f[1], "", 1, "R", false, 0, "")
	}
	d.SetY(max(left, d.GetY()) + 8)
}

// billToLines are the addressee's lines: company, contact, street, city line, country.
func billToLines(b *crm.BillTo) []string {
	if b == nil {
		return nil
	}
	city := strings.Join(nonEmpty(b.City, b.State, b.PostalCode), " ")
	return nonEmpty(b.CompanyName, b.PrimaryContactName, b.StreetAddress, city, b.Country)
}

func nonEmpty(parts ...string) []string {
	out := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Column widths of the lines table: the description takes what the three numbers leave.
const (
	numberColumn      = 32
	descriptionColumn = width - 3*numberColumn
)

// lines: the table of the invoice's lines; long descriptions wrap.
func (r sheetWriter) lines(lines []Line) {
	d := r.doc
	r.font("B", 9)
	d.SetFillColor(235, 235, 235)
	d.CellFormat(descriptionColumn, 7, "Description", "B", 0, "L", true, 0, "")
	for _, h := range []string{"Quantity", "Rate", "Amount"} {
		d.CellFormat(numberColumn, 7, h, "B", 0, "R", true, 0, "")
	}
	d.Ln(-1)
	r.font("", 9)
	for _, l := range lines {
		texts := d.SplitText(l.Description, descriptionColumn-2)
		h := 5 * float64(max(len(texts), 1))
		if d.GetY()+h > 297-20 {
			d.AddPage()
		}
		y := d.GetY()
		d.MultiCell(descriptionColumn, 5, l.Description, "", "L", false)
		d.SetXY(18+descriptionColumn, y)
		d.CellFormat(numberColumn, 5, r.loc.Number(l.Quantity.String()), "", 0, "R", false, 0, "")
		d.CellFormat(numberColumn, 5, r.money(l.Rate), "", 0, "R", false, 0, "")
		d.CellFormat(numberColumn, 5, r.money(l.Amount), "", 0, "R", false, 0, "")
		d.SetY(y + h + 1)
	}
	d.Line(18, d.GetY(), 18+width, d.GetY())
	d.Ln(3)
}

// totals: subtotal, tax, discount, total, paid and the balance due, right-aligned.
func (r sheetWriter) totals(inv *Invoice) {
	rows := [][2]string{{"Subtotal", r.money(inv.Subtotal)}}
	if inv.TaxRate != nil || inv.TaxAmount != 0 {
		label := "Tax"
		if inv.TaxRate != nil {
			label = "Tax (" + r.loc.Number(inv.TaxRate.String()) + "%)"
		}
		rows = append(rows, [2]string{label, r.money(inv.TaxAmount)})
	}
	if inv.DiscountAmount != 0 {
		rows = append(rows, [2]string{"Discount", "-" + r.money(inv.DiscountAmount)})
	}
	rows = append(rows, [2]string{"Total", r.money(inv.TotalAmount)},
		[2]string{"Amount paid", r.money(inv.AmountPaid)},
		[2]string{"Balance due", r.money(inv.BalanceDue())})
	d := r.doc
	for i, row := range rows {
		style := ""
		if row[0] == "Total" || i == len(rows)-1 {
			style = "B"
		}
		r.font(style, 10)
		d.SetX(18 + width - 90)
		d.CellFormat(50, 6, row[0], "", 0, "L", false, 0, "")
		d.CellFormat(40, 6, row[1], "", 1, "R", false, 0, "")
	}
	d.Ln(6)
}

// footer: the notes and, when the client can pay online, the pay link.
func (r sheetWriter) footer(sh InvoiceSheet) {
	d := r.doc
	if notes := strings.TrimSpace(sh.Invoice.Notes); notes != "" {
		r.font("B", 9)
		d.CellFormat(width, 5, "Notes", "", 1, "L", false, 0, "")
		r.font("", 9)
		d.MultiCell(width, 4.5, notes, "", "L", false)
		d.Ln(4)
	}
	if sh.PayURL != "" && sh.Invoice.BalanceDue() > 0 {
		r.font("B", 10)
		d.CellFormat(width, 6, "Pay online", "", 1, "L", false, 0, "")
		r.font("", 9)
		d.SetTextColor(20, 70, 160)
		d.WriteLinkString(5, sh.PayURL, sh.PayURL)
		d.SetTextColor(0, 0, 0)
		d.Ln(-1)
	}
}
