package api

import (
	"strings"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
)

// ChangeCurrency merges a sent currency code into a record's stored one (stored is "" for a
// body checked before the record is known): old is the stored currency, cur the one the
// record has after the change, which amounts sent with it are read in. An unknown code is
// reported on "currency" and leaves the stored one.
func ChangeCurrency(bad *fault.Fields, stored string, sent *string) (old, cur money.Currency) {
	old, _ = money.LookupCurrency(stored)
	cur = old
	if sent != nil {
		if c, ok := money.LookupCurrency(strings.TrimSpace(*sent)); ok {
			cur = c
		} else {
			bad.Add("currency", money.ErrUnknownCurrency.Error())
		}
	}
	return old, cur
}

// MergeAmount merges a sent optional amount, read in cur (null or "" clears it), into a stored
// one. An amount not sent keeps its figure when the currency changes ("1600.00" USD becomes
// "1600.00" EUR), and a figure the new currency cannot hold is reported on field. When cur is
// unknown (a body checked before the record's currency is known) a sent amount is left to the
// service.
func MergeAmount(bad *fault.Fields, field string, sent Nullable[Decimal], stored *money.Amount, old, cur money.Currency) *money.Amount {
	if !sent.Set {
		return followCurrency(bad, field, stored, old, cur)
	}
	d := DecimalChange(sent)
	if *d != "" && cur.Code == "" {
		return stored
	}
	a, err := money.ParseOptional(d, cur)
	if err != nil {
		bad.Add(field, err.Error())
		return stored
	}
	return a
}

// followCurrency is a stored amount after a change of currency from old to cur: the same
// figure, or the stored amount with a message on field when cur cannot hold it.
func followCurrency(bad *fault.Fields, field string, stored *money.Amount, old, cur money.Currency) *money.Amount {
	if stored == nil || old.Code == "" || cur.Code == old.Code {
		return stored
	}
	a, err := money.Reprice(*stored, old, cur)
	if err != nil {
		bad.Add(field, err.Error())
		return stored
	}
	return &a
}
