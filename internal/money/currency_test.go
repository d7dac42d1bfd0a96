package money

import (
	"slices"
	"testing"
)

// mustCurrency returns a known currency or stops the test.
func mustCurrency(t testing.TB, code string) Currency {
	t.Helper()
	c, ok := LookupCurrency(code)
	if !ok {
		t.Fatalf("LookupCurrency(%q) not found", code)
	}
	return c
}

func TestLookupCurrency(t *testing.T) {
	t.Parallel()
	found := []struct {
		code   string
		digits int
	}{
		{"AED", 2}, {"ZWG", 2}, // first and last entries of the table
		{"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"CHF", 2}, {"XCD", 2}, {"XCG", 2}, {"SLE", 2},
		{"VED", 2}, {"VES", 2}, {"MGA", 2}, {"MRU", 2}, {"IDR", 2}, {"HUF", 2},
		{"JPY", 0}, {"KRW", 0}, {"VND", 0}, {"CLP", 0}, {"ISK", 0}, {"UGX", 0}, {"XAF", 0},
		{"XOF", 0}, {"XPF", 0}, {"BIF", 0}, {"DJF", 0}, {"GNF", 0}, {"KMF", 0}, {"PYG", 0},
		{"RWF", 0}, {"VUV", 0},
		{"BHD", 3}, {"KWD", 3}, {"OMR", 3}, {"JOD", 3}, {"TND", 3}, {"LYD", 3}, {"IQD", 3},
	}
	for _, tt := range found {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			c, ok := LookupCurrency(tt.code)
			if !ok || c.Code != tt.code || c.Digits != tt.digits {
				t.Fatalf("LookupCurrency(%q) = %+v, %v; want digits %d", tt.code, c, ok, tt.digits)
			}
		})
	}
	unknown := []string{
		"", "US", "USDD", "usd", "Usd", " USD", "USD ", "ABC", "AAA", "ZZZ", "123",
		"XAU", "XAG", "XPD", "XPT", // precious metals
		"XTS", "XXX", // testing, no currency
		"XDR", "XSU", "XUA", "XAD", "XBA", "XBB", "XBC", "XBD", // units of account
		"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", // funds
		"ANG", "BGN", "CUC", "HRK", "SLL", "VEF", "ZWL", "USS", // withdrawn
	}
	for _, code := range unknown {
		t.Run("unknown "+code, func(t *testing.T) {
			t.Parallel()
			if c, ok := LookupCurrency(code); ok {
				t.Fatalf("LookupCurrency(%q) = %+v, want not found", code, c)
			}
		})
	}
}

func TestCurrencyTable(t *testing.T) {
	t.Parallel()
	t.Run("well formed and sorted", func(t *testing.T) {
		t.Parallel()
		if len(isoTable)%entrySize != 0 {
			t.Fatalf("len(isoTable) = %d, not a multiple of %d", len(isoTable), entrySize)
		}
		prev := ""
		for i := range len(isoTable) / entrySize {
			c := entry(i)
			for _, r := range c.Code {
				if r < 'A' || r > 'Z' {
					t.Errorf("entry %d: code %q is not three upper-case letters", i, c.Code)
				}
			}
			if c.Digits != 0 && c.Digits != 2 && c.Digits != 3 {
				t.Errorf("%s: digits %d, want 0, 2 or 3", c.Code, c.Digits)
			}
			if c.Code <= prev {
				t.Errorf("%s after %s: the table must be strictly sorted", c.Code, prev)
			}
			prev = c.Code
		}
	})
	t.Run("every code is found", func(t *testing.T) {
		t.Parallel()
		for _, code := range CurrencyCodes() {
			if c, ok := LookupCurrency(code); !ok || c.Code != code {
				t.Errorf("LookupCurrency(%q) = %+v, %v", code, c, ok)
			}
		}
	})
}

func TestCurrencyCodes(t *testing.T) {
	t.Parallel()
	codes := CurrencyCodes()
	if !slices.IsSorted(codes) {
		t.Error("CurrencyCodes is not sorted")
	}
	if len(codes) != 155 {
		t.Errorf("len(CurrencyCodes()) = %d, want 155 active currencies", len(codes))
	}
	for _, want := range []string{"USD", "EUR", "JPY", "KWD"} {
		if _, ok := slices.BinarySearch(codes, want); !ok {
			t.Errorf("CurrencyCodes lacks %s", want)
		}
	}
	codes[0] = "changed"
	if CurrencyCodes()[0] != "AED" {
		t.Error("CurrencyCodes must return a new slice each time")
	}
}

func TestInvalidCurrencyValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    Currency
	}{
		{"zero value", Currency{}},
		{"short code", Currency{Code: "US", Digits: 2}},
		{"digits 4", Currency{Code: "USD", Digits: 4}},
		{"negative digits", Currency{Code: "USD", Digits: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := Parse("1", tt.c); err != ErrUnknownCurrency {
				t.Errorf("Parse error = %v, want %v", err, ErrUnknownCurrency)
			}
			if _, err := ParseJSON([]byte("1"), tt.c); err != ErrUnknownCurrency {
				t.Errorf("ParseJSON error = %v, want %v", err, ErrUnknownCurrency)
			}
		})
	}
}
