package finance

import (
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Line messages. A line's problems are reported on line_items, prefixed with its 1-based
// position ("Line 2: …"), so a client can point at the line.
const (
	MsgLineAmount      = "amount does not match quantity × rate"
	MsgLineQuantity    = "quantity must be greater than 0"
	MsgLineRate        = "rate cannot be negative"
	MsgLineDescription = "description is required"
	MsgTooManyLines    = "An invoice or bill has at most 500 lines."
)

// MaxLines bounds the lines of one invoice or bill.
const MaxLines = 500

// Line is one line of an invoice or bill: quantity (hundredths) × rate (minor units) = amount,
// rounded half-up to the currency's minor unit.
type Line struct {
	Description string
	Quantity    money.Hours
	Rate        money.Amount
	Amount      money.Amount
}

// LineInput is a line as a client sends it. Its numbers are read once the document's currency
// is known (PriceLines).
type LineInput struct {
	Description string
	Quantity    money.Decimal
	Rate        money.Decimal
	Amount      *money.Decimal // optional; when sent it must equal quantity × rate
}

// PriceLines reads sent lines in a currency and computes each amount. Every problem is reported
// on line_items with the line's position.
func PriceLines(in []LineInput, cur money.Currency) ([]Line, fault.Fields) {
	var bad fault.Fields
	if len(in) > MaxLines {
		bad.Add("line_items", MsgTooManyLines)
		return nil, bad
	}
	lines := make([]Line, 0, len(in))
	for i, li := range in {
		at := func(msg string) { bad.Add("line_items", fmt.Sprintf("Line %d: %s", i+1, msg)) }
		l := Line{Description: strings.TrimSpace(li.Description)}
		if l.Description == "" {
			at(MsgLineDescription)
		}
		q, err := li.Quantity.Hours()
		switch {
		case err != nil:
			at("quantity: " + err.Error())
		case q <= 0:
			at(MsgLineQuantity)
		}
		r, rerr := li.Rate.Amount(cur)
		switch {
		case rerr != nil:
			at("rate: " + rerr.Error())
		case r < 0:
			at(MsgLineRate)
		}
		if err != nil || rerr != nil || q <= 0 || r < 0 {
			continue
		}
		l.Quantity, l.Rate = q, r
		if l.Amount, err = money.BilledAmount(q, r); err != nil {
			at(err.Error())
			continue
		}
		if li.Amount != nil && *li.Amount != "" {
			sent, err := li.Amount.Amount(cur)
			switch {
			case err != nil:
				at("amount: " + err.Error())
			case sent != l.Amount:
				at(MsgLineAmount)
			}
		}
		lines = append(lines, l)
	}
	if len(bad) > 0 {
		return nil, bad
	}
	return lines, nil
}

// SumLines is the subtotal of lines.
func SumLines(lines []Line) (money.Amount, error) {
	var total money.Amount
	for _, l := range lines {
		var err error
		if total, err = total.Add(l.Amount); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// Percent is a rate in hundredths of a percent: 825 is 8.25 %.
type Percent int64

// MaxPercent is 100 %.
const MaxPercent Percent = 10000

// ParsePercent reads a percentage with at most two decimals ("8.25", "20").
func ParsePercent(d money.Decimal) (Percent, error) {
	h, err := d.Hours()
	return Percent(h), err
}

// String renders p with two decimals: "8.25".
func (p Percent) String() string { return money.Hours(p).String() }

// MsgTaxRate is the message of a tax rate outside 0–100 %.
const MsgTaxRate = "Tax rate must be between 0 and 100"

// Totals are an invoice's computed amounts.
type Totals struct {
	Subtotal, Tax, Discount, Total money.Amount
}

// ComputeTotals is SPEC §6's arithmetic: subtotal = Σ line amounts, tax = tax rate × subtotal
// rounded half-up to the minor unit, total = subtotal + tax − discount.
func ComputeTotals(lines []Line, taxRate *Percent, discount money.Amount) (Totals, error) {
	t := Totals{Discount: discount}
	var err error
	if t.Subtotal, err = SumLines(lines); err != nil {
		return t, err
	}
	if taxRate != nil {
		if t.Tax, err = money.PercentOf(t.Subtotal, int64(*taxRate)); err != nil {
			return t, err
		}
	}
	if t.Total, err = t.Subtotal.Add(t.Tax); err != nil {
		return t, err
	}
	t.Total, err = t.Total.Sub(discount)
	return t, err
}

// requiredText reports an empty required text.
func requiredText(bad *fault.Fields, field, v string) {
	if strings.TrimSpace(v) == "" {
		bad.Add(field, validate.MsgRequired)
	}
}
