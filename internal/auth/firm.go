package auth

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Firm returns the caller's firm; every member may read it (it carries the time zone and
// currency the client apps need).
func (s *Service) Firm(ctx context.Context, a Actor) (*Firm, error) {
	return s.store.firm(ctx, s.db.R, a.FirmID)
}

// FirmPatch is a partial change to the firm's settings; nil fields are left alone.
type FirmPatch struct {
	Name                *string
	Timezone            *string
	DefaultCurrency     *string
	DefaultPaymentTerms *string
	InvoicePrefix       *string
	ProposalPrefix      *string
	ContractPrefix      *string
	Country             *string
}

var prefixPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,10}$`)

// UpdateFirm changes the firm's settings (owners and admins).
func (s *Service) UpdateFirm(ctx context.Context, a Actor, p FirmPatch, knownCurrency func(string) bool) (*Firm, error) {
	if err := CanWrite(a, FirmSettings); err != nil {
		return nil, err
	}
	f, err := s.store.firm(ctx, s.db.W, a.FirmID)
	if err != nil {
		return nil, err
	}
	var bad fault.Fields
	var cols []string
	set := func(col string, dst *string, v *string, ok func(string) bool, msg string) {
		if v == nil {
			return
		}
		val := strings.TrimSpace(*v)
		if !ok(val) {
			bad.Add(col, msg)
			return
		}
		*dst, cols = val, append(cols, col)
	}
	set("name", &f.Name, p.Name, func(v string) bool { return v != "" && len([]rune(v)) <= 255 }, "Enter a name of 1 to 255 characters.")
	set("timezone", &f.Timezone, p.Timezone, validTimezone, MsgTimezone)
	set("default_currency", &f.DefaultCurrency, p.DefaultCurrency, knownCurrency, MsgCurrency)
	if v := p.DefaultPaymentTerms; v != nil && !slices.Contains(PaymentTerms, *v) {
		bad.Add("default_payment_terms", validate.ChoiceMessage(*v))
	} else {
		set("default_payment_terms", &f.DefaultPaymentTerms, v, func(string) bool { return true }, "")
	}
	set("invoice_prefix", &f.InvoicePrefix, p.InvoicePrefix, prefixPattern.MatchString, MsgPrefix)
	set("proposal_prefix", &f.ProposalPrefix, p.ProposalPrefix, prefixPattern.MatchString, MsgPrefix)
	set("contract_prefix", &f.ContractPrefix, p.ContractPrefix, prefixPattern.MatchString, MsgPrefix)
	set("country", &f.Country, p.Country, func(v string) bool { return len([]rune(v)) <= 100 }, "Enter at most 100 characters.")
	if err := bad.Err(); err != nil {
		return nil, err
	}
	if len(cols) > 0 {
		f.UpdatedAt = s.stamp()
		if err := s.store.updateFirm(ctx, s.db.W, f, cols...); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// validTimezone accepts IANA names ("Europe/Paris", "UTC"), not abbreviations or "Local".
func validTimezone(v string) bool {
	if v == "" || v == "Local" {
		return false
	}
	_, err := time.LoadLocation(v)
	return err == nil
}
