package notify

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/mail"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/riverqueue/river"
)

// ReminderSweepArgs is the periodic job that finds the payment reminders that have come due
// (see jobs.QuarterHours: it runs soon after each firm's midnight, and at start).
type ReminderSweepArgs struct{}

// Kind names the job.
func (ReminderSweepArgs) Kind() string { return "email.reminder_sweep" }

// InvoiceReminderArgs is the job that emails one payment reminder of an invoice.
type InvoiceReminderArgs struct {
	FirmID    string `json:"firm_id"`
	InvoiceID string `json:"invoice_id"`
	Side      string `json:"side"` // "before" or "after" the due date
	Days      int    `json:"days"`
}

// Kind names the job.
func (InvoiceReminderArgs) Kind() string { return "email.invoice_reminder" }

// Which side of the due date a reminder falls on.
const (
	before = "before"
	after  = "after"
)

// InvoiceReminderKey is the event key of an invoice's reminder days before or after its due
// date: each is sent (or skipped) at most once.
func InvoiceReminderKey(invoiceID, side string, days int) string {
	return fmt.Sprintf("invoice_reminder.%s.%s.%d", invoiceID, side, days)
}

// reminder is one reminder of an invoice and the day it falls on.
type reminder struct {
	side string
	days int
	on   date.Date
}

// dueReminders returns the reminders of an invoice due on due whose day has come by today,
// latest first (after the due date before before it, on the same day). Only the first is
// sent: the others are reminders missed while no sweep ran, and a client gets one reminder
// for them, not a burst.
func dueReminders(due, today date.Date, daysBefore, daysAfter []int) []reminder {
	var out []reminder
	add := func(side string, days []int, sign int) {
		for _, d := range days {
			on := date.Date(due.Time().AddDate(0, 0, sign*d).Format("2006-01-02"))
			if !on.After(today) {
				out = append(out, reminder{side: side, days: d, on: on})
			}
		}
	}
	add(before, daysBefore, -1)
	add(after, daysAfter, 1)
	slices.SortFunc(out, func(a, b reminder) int {
		if c := cmp.Compare(b.on, a.on); c != 0 {
			return c
		}
		return cmp.Compare(a.side, b.side) // "after" first
	})
	return out
}

// SendReminders queues the payment reminders that have come due at the service's now, in each
// firm's time zone, and records the missed ones it supersedes as skipped. It returns how many
// it queued. Running it again queues nothing new: it is the periodic job's work.
func (s *Service) SendReminders(ctx context.Context) (int, error) {
	firms, err := s.d.Auth.FirmsWithReminders(ctx)
	if err != nil {
		return 0, err
	}
	now, queued := s.d.Now(), 0
	for _, f := range firms {
		today := date.Today(now, f.Location())
		latest := slices.Max(append([]int{0}, f.ReminderDaysBefore...))
		dueBy := date.Date(today.Time().AddDate(0, 0, latest).Format("2006-01-02"))
		invoices, err := s.d.Finance.OwedInvoices(ctx, f.ID, dueBy)
		if err != nil {
			return queued, err
		}
		for _, inv := range invoices {
			rs := dueReminders(inv.DueDate, today, f.ReminderDaysBefore, f.ReminderDaysAfter)
			if len(rs) == 0 {
				continue
			}
			n, err := s.queueReminder(ctx, f.ID, inv.ID, rs)
			if err != nil {
				return queued, err
			}
			queued += n
		}
	}
	return queued, nil
}

// queueReminder skips the superseded reminders rs[1:] and queues rs[0] unless it already has
// a delivery row (sent, being sent or skipped).
func (s *Service) queueReminder(ctx context.Context, firmID, invoiceID string, rs []reminder) (int, error) {
	stamp := db.Stamp(s.d.Now())
	for _, r := range rs[1:] {
		err := s.store.skip(ctx, &delivery{EventKey: InvoiceReminderKey(invoiceID, r.side, r.days), FirmID: firmID,
			Kind: InvoiceReminderArgs{}.Kind(), CreatedAt: stamp})
		if err != nil {
			return 0, err
		}
	}
	r := rs[0]
	st, err := s.store.status(ctx, InvoiceReminderKey(invoiceID, r.side, r.days))
	if err != nil || st != "" {
		return 0, err
	}
	err = s.d.Queue.EnqueueNow(ctx, InvoiceReminderArgs{FirmID: firmID, InvoiceID: invoiceID, Side: r.side, Days: r.days}, oncePerArgs)
	if err != nil {
		return 0, err
	}
	return 1, nil
}

func (s *Service) workReminders(ctx context.Context, _ *river.Job[ReminderSweepArgs]) error {
	n, err := s.SendReminders(ctx)
	if n > 0 {
		s.d.Log.Info("payment reminders queued", "count", n)
	}
	return err
}

// reminderEmail is what the reminder templates show.
type reminderEmail struct {
	FirmName, ContactName, CompanyName  string
	Number, BalanceDue, DueDate, PayURL string
	Overdue                             bool
}

func (s *Service) workInvoiceReminder(ctx context.Context, job *river.Job[InvoiceReminderArgs]) error {
	ctx = withAttempt(ctx, job)
	a := job.Args
	inv, err := s.invoiceFor(ctx, a.FirmID, a.InvoiceID)
	if err != nil {
		return err
	}
	if !inv.Owed() || inv.InvoiceNumber == nil {
		return nil // paid or cancelled since the sweep: nothing to remind of
	}
	contact, err := s.d.CRM.Contact(ctx, db.ForFirm(a.FirmID), inv.ClientID)
	if err != nil {
		return err
	}
	firm, err := s.d.Auth.FirmByID(ctx, a.FirmID)
	if err != nil {
		return err
	}
	cur, _ := money.LookupCurrency(inv.Currency)
	data := reminderEmail{FirmName: firm.Name, ContactName: contact.PrimaryContactName, CompanyName: contact.CompanyName,
		Number: *inv.InvoiceNumber, BalanceDue: money.Format(inv.BalanceDue(), cur) + " " + inv.Currency,
		DueDate: string(inv.DueDate), Overdue: inv.DueDate.Before(date.Today(s.d.Now(), firm.Location()))}
	if s.d.PayLink != nil {
		data.PayURL = s.d.PayLink(inv.ID)
	}
	m, err := s.render("invoice_reminder", data)
	if err != nil {
		return err
	}
	m.FromName = firm.Name
	m.To = mail.Address{Name: contact.PrimaryContactName, Email: contact.PrimaryContactEmail}
	return s.deliver(ctx, InvoiceReminderKey(inv.ID, a.Side, a.Days), a.FirmID, a.Kind(), m)
}
