package locale

import (
	"testing"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/money"
)

func cur(t *testing.T, code string) money.Currency {
	t.Helper()
	c, ok := money.LookupCurrency(code)
	if !ok {
		t.Fatalf("unknown currency %s", code)
	}
	return c
}

func TestMoney(t *testing.T) {
	cases := []struct {
		country, code string
		amount        money.Amount
		want          string
	}{
		{"US", "USD", 123456, "$1,234.56"},
		{"us", "USD", -500, "-$5.00"},
		{"US", "USD", 5, "$0.05"},
		{"US", "USD", 100000000000, "$1,000,000,000.00"},
		{"DE", "EUR", 123456, "1.234,56\u00a0€"},
		{"FR", "EUR", 123456789, "1\u202f234\u202f567,89\u00a0€"},
		{"CH", "CHF", 123450, "CHF\u00a01’234.50"},
		{"JP", "JPY", 1600, "¥1,600"},
		{"GB", "KWD", 1234567, "KWD\u00a01,234.567"},
		{"SE", "SEK", 99900, "999,00\u00a0SEK"},
		{"", "USD", 100, "$1.00"},
	}
	for _, c := range cases {
		if got := ForRegion(c.country).Money(c.amount, cur(t, c.code)); got != c.want {
			t.Errorf("%s %s %d: got %q, want %q", c.country, c.code, c.amount, got, c.want)
		}
	}
}

func TestDate(t *testing.T) {
	d := date.Date("2026-03-05")
	cases := map[string]string{"US": "Mar 5, 2026", "GB": "5 Mar 2026", "DE": "05.03.2026",
		"FR": "05/03/2026", "JP": "2026/03/05", "XX": "2026-03-05"}
	for country, want := range cases {
		if got := ForRegion(country).Date(d); got != want {
			t.Errorf("%s: got %q, want %q", country, got, want)
		}
	}
	if got := ForRegion("US").Date(""); got != "" {
		t.Errorf("empty date: got %q", got)
	}
}

func TestParse(t *testing.T) {
	for tag, want := range map[string]bool{"en-US": true, "de-de": true, "fr-CH": true, "en": false,
		"xx-ZZ": false, "": false, "en-USA": false} {
		if _, ok := Parse(tag); ok != want {
			t.Errorf("Parse(%q) ok = %v, want %v", tag, ok, want)
		}
	}
	if l, _ := Parse("de-DE"); l.Decimal != "," {
		t.Errorf("de-DE decimal %q", l.Decimal)
	}
}

func TestNumber(t *testing.T) {
	if got := ForRegion("DE").Number("1234.50"); got != "1.234,50" {
		t.Errorf("DE: %q", got)
	}
	if got := ForRegion("US").Number("12.5"); got != "12.5" {
		t.Errorf("US: %q", got)
	}
}
