package money

import "strings"

// Reprice expresses amount, in minor units of from, as the same figure in minor units of to:
// 1600.00 USD is 1600.00 EUR and 1600 JPY. A figure with more decimals than to has fails with
// Parse's message. A record whose currency changes keeps its figures this way.
func Reprice(amount Amount, from, to Currency) (Amount, error) {
	s := Format(amount, from)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return Parse(s, to)
}

// CurrencyOf returns the currency of a code already known to be valid (a firm's or a stored
// one); an unknown code, which validation keeps out of the database, falls back to USD.
func CurrencyOf(code string) Currency {
	if c, ok := LookupCurrency(code); ok {
		return c
	}
	c, _ := LookupCurrency("USD")
	return c
}

// FormatPtr formats an optional amount: nil stays nil (JSON null).
func FormatPtr(a *Amount, c Currency) *string {
	if a == nil {
		return nil
	}
	s := Format(*a, c)
	return &s
}

// ParseOptional parses an optional amount in currency c: nil or "" is no amount.
func ParseOptional(d *Decimal, c Currency) (*Amount, error) {
	if d == nil || *d == "" {
		return nil, nil
	}
	a, err := d.Amount(c)
	if err != nil {
		return nil, err
	}
	return &a, nil
}
