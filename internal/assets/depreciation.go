package assets

import (
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/money"
)

// Depreciation is what straight-line depreciation needs to know of an asset. Amounts are in
// minor units of the asset's currency.
type Depreciation struct {
	Price     money.Amount
	Salvage   money.Amount // 0 when the asset has none
	LifeYears int64
	Purchased date.Date
}

// CompletedMonths is the number of whole months from purchased to today: a month is complete on
// the same day of a later month, or on the last day of a month too short to have that day (an
// asset bought on 31 January completes its first month on 28 February, or 29 in a leap year).
// None before or on the purchase date.
func CompletedMonths(purchased, today date.Date) int64 {
	if purchased.IsZero() || today.IsZero() || !today.After(purchased) {
		return 0
	}
	p, t := purchased.Time(), today.Time()
	n := int64(t.Year()-p.Year())*12 + int64(t.Month()) - int64(p.Month())
	if t.Day() < p.Day() && t.Day() < daysIn(t.Year(), t.Month()) {
		n--
	}
	return n
}

// daysIn is the number of days of a month.
func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// BookValue is the asset's straight-line book value as of today:
//
//	price − (price − salvage) × completed months ÷ (life years × 12)
//
// The accumulated depreciation is rounded half away from zero to the minor unit (as billed
// amounts are), so book value plus depreciation is always the price exactly; after the whole
// useful life the book value is the salvage value, never less, and before the first completed
// month (or with a purchase date in the future) it is the price. Exact: integers only. A
// result that does not fit in an amount is money.ErrTooLarge.
func BookValue(d Depreciation, today date.Date) (money.Amount, error) {
	life := d.LifeYears * 12
	months := CompletedMonths(d.Purchased, today)
	if life <= 0 || months <= 0 {
		return d.Price, nil
	}
	if months >= life {
		return d.Salvage, nil
	}
	depreciable, err := d.Price.Sub(d.Salvage)
	if err != nil {
		return 0, err
	}
	spent, err := money.Share(depreciable, money.Amount(months), money.Amount(life))
	if err != nil {
		return 0, err
	}
	return d.Price - spent, nil
}
