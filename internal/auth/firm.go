package auth

import (
	"regexp"
	"slices"
	"time"

	"github.com/consultantpro/consultantpro/internal/locale"

	"github.com/consultantpro/consultantpro/internal/validate"
)

// PaymentTerms are when an invoice falls due: a firm's default, which contracts start from.
type PaymentTerms string

// The payment terms.
const (
	PaymentNet15        PaymentTerms = "net_15"
	PaymentNet30        PaymentTerms = "net_30"
	PaymentNet45        PaymentTerms = "net_45"
	PaymentNet60        PaymentTerms = "net_60"
	PaymentDueOnReceipt PaymentTerms = "due_on_receipt"
	PaymentMilestone    PaymentTerms = "milestone"
)

// PaymentTermsValues lists the payment terms a firm or contract may use (validation, OpenAPI).
func PaymentTermsValues() []PaymentTerms {
	return []PaymentTerms{PaymentNet15, PaymentNet30, PaymentNet45, PaymentNet60, PaymentDueOnReceipt, PaymentMilestone}
}

// Firm settings messages that only the firm's own fields use.
const (
	msgFirmName = "Enter a name of 1 to 255 characters."
	msgCountry  = "Enter at most 100 characters."
	msgAddress  = "Enter at most 1000 characters."
	// MsgLocale refuses a locale whose region has no known conventions.
	MsgLocale = "Enter a locale such as en-US, en-GB, de-DE, fr-FR or ja-JP."
)

// validAddress bounds the firm's postal address (a few lines on a letterhead).
func validAddress(v string) bool { return validate.MaxLength(v, 1000) }

// validLocale accepts a language-REGION tag whose region's conventions are known.
func validLocale(v string) bool { _, ok := locale.Parse(v); return ok }

// validFirmName: a firm needs a name, short enough for documents' letterheads.
func validFirmName(v string) bool { return v != "" && validate.MaxLength(v, 255) }

// validCountry bounds the default country of new clients (their own field's length).
func validCountry(v string) bool { return validate.MaxLength(v, 100) }

var prefixPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,10}$`)

// validPrefix: document numbers are prefix-number, so a prefix is short and has no spaces.
func validPrefix(v string) bool { return prefixPattern.MatchString(v) }

// validTimezone accepts IANA names ("Europe/Paris", "UTC"), not abbreviations or "Local".
func validTimezone(v string) bool {
	if v == "" || v == "Local" {
		return false
	}
	_, err := time.LoadLocation(v)
	return err == nil
}

// ReminderDays are the days before (or after) an invoice's due date on which its client is
// reminded to pay; empty: no reminders.
type ReminderDays []int

// Reminder settings' bounds.
const (
	maxReminders   = 5
	maxReminderDay = 365
	// MsgReminderDays refuses a reminder list out of bounds.
	MsgReminderDays = "Enter at most 5 whole numbers of days from 0 to 365."
)

// normalReminderDays checks a reminder list and returns it sorted without repeats.
func normalReminderDays(days []int) (ReminderDays, bool) {
	out := ReminderDays{}
	for _, d := range days {
		if d < 0 || d > maxReminderDay {
			return nil, false
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out, len(out) <= maxReminders
}
