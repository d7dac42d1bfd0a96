package app

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/finance"
)

// finances bills the demo's first two weeks of time (two invoices, one paid in full and one in
// part, a third left as a draft) and records a paid and a received bill, as the accountant, so
// the ledger, receivables and payables have something to show.
func (s *demoSeed) finances(ctx context.Context, clients map[string]string, seeded map[string]seededProject) error {
	ctx, acct := s.ctx(ctx, auth.Accountant)
	invoice := func(client, project string, from, to int) (*finance.Invoice, error) {
		return s.finance.GenerateInvoice(ctx, acct, finance.GenerateRequest{ClientID: clients[client],
			ProjectID: seeded[project].id, From: s.day(from), To: s.day(to), GroupBy: finance.ByTask})
	}
	network, err := invoice("Harbor Logistics Group", "Network optimisation study", -7*demoTimeWeeks, -8)
	if err := step(err, "invoice of the network study"); err != nil {
		return err
	}
	intake, err := invoice("Crestline Health Partners", "Patient intake redesign", -7*demoTimeWeeks, -8)
	if err := step(err, "invoice of the intake redesign"); err != nil {
		return err
	}
	for _, inv := range []*finance.Invoice{network, intake} {
		if _, err := s.finance.SendInvoice(ctx, acct, inv.ID); err != nil {
			return step(err, "send invoice")
		}
	}
	pay := func(inv *finance.Invoice, amount int64, method finance.PaymentMethod, ref string) error {
		_, err := s.finance.RecordInvoicePayment(ctx, acct, inv.ID, func(p *finance.Payment) fault.Fields {
			p.Method, p.Reference, p.ReceivedOn = method, ref, s.day(-2)
			p.Amount = inv.TotalAmount
			if amount > 0 {
				p.Amount = s.money(int(amount))
			}
			return nil
		})
		return step(err, "payment "+ref)
	}
	if err := pay(intake, 0, finance.MethodBankTransfer, "WIRE 88213"); err != nil {
		return err
	}
	if err := pay(network, 5000, finance.MethodCheck, "CHECK 1042"); err != nil {
		return err
	}
	if _, err := invoice("Harbor Logistics Group", "Network optimisation study", -7, 0); err != nil {
		return step(err, "draft invoice")
	}
	bill := func(vendor string, category finance.ExpenseCategory, units int, what string) (*finance.Bill, error) {
		return s.finance.CreateBill(ctx, acct, func(b *finance.Bill) fault.Fields {
			b.VendorName, b.ExpenseCategory, b.Description, b.Subtotal = vendor, category, what, s.money(units)
			b.BillDate, b.DueDate = s.day(-12), s.day(18)
			return nil
		})
	}
	software, err := bill("Cloudworks Analytics", finance.ExpenseSoftware, 1200, "Modelling platform, annual seat")
	if err := step(err, "software bill"); err != nil {
		return err
	}
	if _, err := s.finance.ApproveBill(ctx, acct, software.ID); err != nil {
		return step(err, "approve bill")
	}
	_, err = s.finance.RecordBillPayment(ctx, acct, software.ID, func(p *finance.Payment) fault.Fields {
		p.Amount, p.Method, p.ReceivedOn = software.TotalAmount, finance.MethodCard, s.day(-5)
		return nil
	})
	if err := step(err, "bill payment"); err != nil {
		return err
	}
	_, err = bill("Summit Travel", finance.ExpenseTravel, 640, "Site visit to the Oakland warehouses")
	return step(err, "travel bill")
}
