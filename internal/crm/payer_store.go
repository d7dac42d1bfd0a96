package crm

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Payer is what online payments need of a client: who to name on the payment provider's
// customer, and that customer once it exists.
type Payer struct {
	bun.BaseModel       `bun:"table:clients,alias:c"`
	ID                  string  `bun:"id,pk"`
	FirmID              string  `bun:"firm_id"`
	CompanyName         string  `bun:"company_name"`
	PrimaryContactEmail string  `bun:"primary_contact_email"`
	StripeCustomerID    *string `bun:"stripe_customer_id"`
}

// Payer returns a client of the firm as a payer; NotFound when it is not the firm's. The
// customer id is kept apart from the Client model, so that editing a client never writes it.
func (s *Service) Payer(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Payer, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	p := new(Payer)
	err := firm.Select(idb, p).Column("c.id", "c.firm_id", "c.company_name", "c.primary_contact_email", "c.stripe_customer_id").
		Where("c.id = ?", id).Scan(ctx)
	return p, db.Translate(err)
}

// SetStripeCustomer stores a client's Stripe customer unless it already has one, and returns
// the one it has: the first of two concurrent first payments wins, and both use its customer.
func (s *Service) SetStripeCustomer(ctx context.Context, firm db.Firm, id, customerID string) (string, error) {
	stored := customerID
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := firm.Update(tx, (*Payer)(nil)).Set("stripe_customer_id = ?", customerID).
			Where("c.id = ?", id).Where("c.stripe_customer_id IS NULL").Exec(ctx)
		if err != nil {
			return db.Translate(err)
		}
		p, err := s.Payer(ctx, tx, firm, id)
		if err != nil {
			return err
		}
		if p.StripeCustomerID != nil {
			stored = *p.StripeCustomerID
		}
		return nil
	})
	return stored, err
}

// BillTo is who an invoice is addressed to: the client's company, its primary contact and its
// postal address, as the invoice document prints them.
type BillTo struct {
	bun.BaseModel       `bun:"table:clients,alias:c"`
	CompanyName         string `bun:"company_name"`
	PrimaryContactName  string `bun:"primary_contact_name"`
	PrimaryContactEmail string `bun:"primary_contact_email"`
	StreetAddress       string `bun:"street_address"`
	City                string `bun:"city"`
	State               string `bun:"state"`
	PostalCode          string `bun:"postal_code"`
	Country             string `bun:"country"`
}

// BillTo returns the addressee of a client of the firm; NotFound when it is not the firm's.
func (s *Service) BillTo(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*BillTo, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	b := new(BillTo)
	err := firm.Select(idb, b).Where("c.id = ?", id).Scan(ctx)
	return b, db.Translate(err)
}
