package auth

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/uptrace/bun"
)

// Firm is a tenant and its settings.
type Firm struct {
	bun.BaseModel       `bun:"table:firms,alias:f"`
	ID                  string       `bun:"id,pk"`
	Name                string       `bun:"name"`
	Timezone            string       `bun:"timezone"`
	DefaultCurrency     string       `bun:"default_currency"`
	DefaultPaymentTerms PaymentTerms `bun:"default_payment_terms"`
	InvoicePrefix       string       `bun:"invoice_prefix"`
	ProposalPrefix      string       `bun:"proposal_prefix"`
	ContractPrefix      string       `bun:"contract_prefix"`
	Country             string       `bun:"country"`
	Address             string       `bun:"address"`
	Locale              string       `bun:"locale"`
	ReminderDaysBefore  ReminderDays `bun:"reminder_days_before_due"`
	ReminderDaysAfter   ReminderDays `bun:"reminder_days_after_due"`
	CreatedAt           time.Time    `bun:"created_at"`
	UpdatedAt           time.Time    `bun:"updated_at"`
}

// Location is the firm's time zone, in which "today" is computed (UTC when unset or unknown).
func (f Firm) Location() *time.Location {
	if loc, err := time.LoadLocation(f.Timezone); err == nil && f.Timezone != "" {
		return loc
	}
	return time.UTC
}

// Firm returns the caller's firm; every member may read it (it carries the time zone and
// currency the client apps need).
func (s *Service) Firm(ctx context.Context, a Actor) (*Firm, error) {
	return s.store.firm(ctx, s.db.R, a.FirmID)
}

// UpdateFirm changes the firm's settings (owners and admins). edit merges the request into the
// firm and returns the columns it changed, which are the only ones written, and the problems.
func (s *Service) UpdateFirm(ctx context.Context, a Actor, edit func(*Firm) ([]string, fault.Fields)) (*Firm, error) {
	if err := CanWrite(a, FirmSettings); err != nil {
		return nil, err
	}
	f, err := s.store.firm(ctx, s.db.W, a.FirmID)
	if err != nil {
		return nil, err
	}
	cols, bad := edit(f)
	if err := bad.Err(); err != nil {
		return nil, err
	}
	if len(cols) > 0 {
		f.UpdatedAt = s.stamp()
		ctx = recording(ctx, by(a), a.FirmID, "update", (*Firm)(nil), a.FirmID)
		if err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			return s.store.updateFirm(ctx, tx, f, cols...)
		}); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (store) insertFirm(ctx context.Context, idb bun.IDB, f *Firm) error {
	_, err := idb.NewInsert().Model(f).Exec(ctx)
	return db.Translate(err)
}

func (store) firm(ctx context.Context, idb bun.IDB, id string) (*Firm, error) {
	f := new(Firm)
	err := idb.NewSelect().Model(f).Where("f.id = ?", id).Scan(ctx)
	return f, db.Translate(err)
}

func (st store) updateFirm(ctx context.Context, idb bun.IDB, f *Firm, columns ...string) error {
	_, err := idb.NewUpdate().Model(f).Column(append(columns, "updated_at")...).WherePK().Exec(ctx)
	st.sessions.markAuthChanged(ctx, f.ID)
	return db.Translate(err)
}

// FirmByID reads a firm outside any request (the jobs that write its emails).
func (s *Service) FirmByID(ctx context.Context, id string) (*Firm, error) {
	return s.store.firm(ctx, s.db.R, id)
}

// Value stores the days as a JSON array ("[]" when empty).
func (d ReminderDays) Value() (driver.Value, error) {
	if d == nil {
		d = ReminderDays{}
	}
	b, err := json.Marshal([]int(d))
	return string(b), err
}

// Scan reads the JSON array Value stored.
func (d *ReminderDays) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		*d = ReminderDays{}
		return nil
	default:
		return fmt.Errorf("reminder days: cannot scan %T", src)
	}
	var days []int
	if err := json.Unmarshal(b, &days); err != nil {
		return fmt.Errorf("reminder days: %w", err)
	}
	*d = days
	return nil
}

// FirmsWithReminders returns the firms that have payment reminders set (the reminder job).
func (s *Service) FirmsWithReminders(ctx context.Context) ([]Firm, error) {
	var firms []Firm
	err := s.db.R.NewSelect().Model(&firms).
		Where("f.reminder_days_before_due <> '[]' OR f.reminder_days_after_due <> '[]'").Scan(ctx)
	return firms, db.Translate(err)
}
