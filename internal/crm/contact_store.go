package crm

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Contact is who a client's mail goes to: its primary contact.
type Contact struct {
	bun.BaseModel       `bun:"table:clients,alias:c"`
	ID                  string `bun:"id,pk"`
	CompanyName         string `bun:"company_name"`
	PrimaryContactName  string `bun:"primary_contact_name"`
	PrimaryContactEmail string `bun:"primary_contact_email"`
}

// Contact returns the primary contact of a client of the firm; NotFound when it is not the
// firm's.
func (s *Service) Contact(ctx context.Context, firm db.Firm, id string) (*Contact, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	c := new(Contact)
	err := firm.Select(s.db.R, c).Column("c.id", "c.company_name", "c.primary_contact_name", "c.primary_contact_email").
		Where("c.id = ?", id).Scan(ctx)
	return c, db.Translate(err)
}
