// Package locale writes money and dates the way people in a firm's country read them, for the
// documents and emails a firm sends (invoice PDFs, messages). The JSON API never uses it: it
// speaks plain decimals and ISO dates.
package locale

import (
	"strings"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/money"
)

// Locale is a set of reading conventions.
type Locale struct {
	// Decimal separates the fraction; Group separates thousands.
	Decimal, Group string
	// SymbolAfter writes "1.234,56 €" instead of "€1,234.56".
	SymbolAfter bool
	// DateLayout is a Go time layout for a calendar date.
	DateLayout string
}

// Default is the locale of a firm that has not chosen one.
const Default = "en-US"

// Parse returns the conventions of a locale tag such as "en-US" or "de-CH": its region (an ISO
// 3166-1 alpha-2 code, any case) decides them. ok is false for a tag without a known region.
func Parse(tag string) (l Locale, ok bool) {
	_, region, found := strings.Cut(tag, "-")
	if !found || len(region) != 2 {
		return ForRegion(""), false
	}
	l = ForRegion(region)
	return l, l != ForRegion("")
}

// ForRegion returns the conventions of an ISO 3166-1 alpha-2 region (any case); an unknown or
// empty one gets ISO dates and a point as decimal mark. A switch rather than a table keeps the
// conventions out of reach of any code that could change them at run time.
func ForRegion(region string) Locale {
	switch strings.ToUpper(region) {
	case "US", "CA", "PH":
		return Locale{Decimal: ".", Group: ",", DateLayout: "Jan 2, 2006"}
	case "GB", "IE", "AU", "NZ", "IN", "SG", "ZA":
		return Locale{Decimal: ".", Group: ",", DateLayout: "2 Jan 2006"}
	case "DE", "AT", "NL", "DK", "NO", "TR":
		return Locale{Decimal: ",", Group: ".", SymbolAfter: true, DateLayout: "02.01.2006"}
	case "ES", "IT", "PT", "BR", "GR", "BE":
		return Locale{Decimal: ",", Group: ".", SymbolAfter: true, DateLayout: "02/01/2006"}
	case "FR", "LU":
		return Locale{Decimal: ",", Group: "\u202f", SymbolAfter: true, DateLayout: "02/01/2006"}
	case "SE", "FI", "PL", "CZ":
		return Locale{Decimal: ",", Group: "\u00a0", SymbolAfter: true, DateLayout: "2006-01-02"}
	case "CH", "LI":
		return Locale{Decimal: ".", Group: "’", DateLayout: "02.01.2006"}
	case "JP", "CN", "KR", "TW":
		return Locale{Decimal: ".", Group: ",", DateLayout: "2006/01/02"}
	}
	return Locale{Decimal: ".", Group: ",", DateLayout: "2006-01-02"}
}

// symbol is the sign readers expect for a currency; false means write its code.
func symbol(code string) (string, bool) {
	switch code {
	case "USD":
		return "$", true
	case "EUR":
		return "€", true
	case "GBP":
		return "£", true
	case "JPY":
		return "¥", true
	case "INR":
		return "₹", true
	case "KRW":
		return "₩", true
	case "ILS":
		return "₪", true
	case "TRY":
		return "₺", true
	}
	return "", false
}

// Money writes a in currency c, grouped and with its sign: "$1,234.56", "1.234,56 €",
// "-$5.00", "CHF 1’234.50", "¥1,600".
func (l Locale) Money(a money.Amount, c money.Currency) string {
	plain := money.Format(a, c) // "-1234.56": exact, with the currency's digits
	sign := ""
	if strings.HasPrefix(plain, "-") {
		sign, plain = "-", plain[1:]
	}
	num := l.Number(plain)
	sym, short := symbol(c.Code)
	switch {
	case l.SymbolAfter && short:
		return sign + num + "\u00a0" + sym
	case l.SymbolAfter:
		return sign + num + "\u00a0" + c.Code
	case short:
		return sign + sym + num
	}
	return sign + c.Code + "\u00a0" + num
}

// Number rewrites a plain unsigned decimal ("1234.5") with the locale's marks ("1.234,5").
func (l Locale) Number(plain string) string {
	whole, frac, hasFrac := strings.Cut(plain, ".")
	num := group(whole, l.Group)
	if hasFrac {
		num += l.Decimal + frac
	}
	return num
}

// group inserts sep between groups of three digits, from the right.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Date writes a calendar date; the empty date is "".
func (l Locale) Date(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(l.DateLayout)
}
