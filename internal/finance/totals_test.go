package finance

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/money"
)

// Tests of the invoice arithmetic (SPEC §6): line amounts, subtotal, tax and total, with
// hand-worked values, and a property test against an exact computation in math/big.

// currencyOf returns a known currency or stops the test.
func currencyOf(t testing.TB, code string) money.Currency {
	t.Helper()
	c, ok := money.LookupCurrency(code)
	if !ok {
		t.Fatalf("unknown currency %s", code)
	}
	return c
}

// line is a sent line without an amount.
func line(quantity, rate string) LineInput {
	return LineInput{Description: "Work", Quantity: money.Decimal(quantity), Rate: money.Decimal(rate)}
}

// priceOne prices a single line and returns its amount in minor units.
func priceOne(t *testing.T, quantity, rate, code string) money.Amount {
	t.Helper()
	lines, bad := PriceLines([]LineInput{line(quantity, rate)}, currencyOf(t, code))
	if bad != nil || len(lines) != 1 {
		t.Fatalf("PriceLines(%s × %s %s): %v", quantity, rate, code, bad)
	}
	return lines[0].Amount
}

func TestLineAmountRounding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		quantity, rate, code string
		want                 money.Amount // minor units
		work                 string
	}{
		{"0.33", "33.33", "USD", 1100, "0.33 × 33.33 = 10.9989 → 11.00"},
		{"1.25", "0.01", "USD", 1, "1.25 × 0.01 = 0.0125 → 0.01"},
		{"0.50", "0.01", "USD", 1, "0.50 × 0.01 = 0.005 → 0.01 (exact half, up)"},
		{"0.49", "0.01", "USD", 0, "0.49 × 0.01 = 0.0049 → 0.00"},
		{"0.51", "0.01", "USD", 1, "0.51 × 0.01 = 0.0051 → 0.01"},
		{"1.50", "0.05", "USD", 8, "1.50 × 0.05 = 0.075 → 0.08 (exact half, up)"},
		{"2.50", "0.03", "USD", 8, "2.50 × 0.03 = 0.075 → 0.08 (exact half, up)"},
		{"0.10", "0.05", "USD", 1, "0.10 × 0.05 = 0.005 → 0.01 (exact half, up)"},
		{"0.01", "33.33", "USD", 33, "0.01 × 33.33 = 0.3333 → 0.33"},
		{"0.01", "0.50", "USD", 1, "0.01 × 0.50 = 0.005 → 0.01"},
		{"0.03", "0.50", "USD", 2, "0.03 × 0.50 = 0.015 → 0.02"},
		{"8.75", "187.50", "USD", 164063, "8.75 × 187.50 = 1640.625 → 1640.63"},
		{"10", "150.00", "USD", 150000, "10 × 150.00 = 1500.00, exact"},
		{"12.5", "80", "EUR", 100000, "12.5 × 80 = 1000.00, exact"},
		{"999.99", "99999.99", "USD", 9999899000, "999.99 × 99999.99 = 99998990.0001 → 99998990.00"},
		{"1.5", "1001", "JPY", 1502, "1.5 × ¥1001 = 1501.5 → ¥1502 (exact half, up)"},
		{"0.49", "1", "JPY", 0, "0.49 × ¥1 = 0.49 → ¥0"},
		{"0.50", "1", "JPY", 1, "0.50 × ¥1 = 0.5 → ¥1"},
		{"2.25", "10.005", "BHD", 22511, "2.25 × 10.005 = 22.51125 → 22.511"},
		{"0.50", "0.001", "KWD", 1, "0.50 × 0.001 = 0.0005 → 0.001 (exact half, up)"},
		{"1.01", "0.125", "KWD", 126, "1.01 × 0.125 = 0.12625 → 0.126"},
	}
	for _, tt := range tests {
		t.Run(tt.work, func(t *testing.T) {
			t.Parallel()
			if got := priceOne(t, tt.quantity, tt.rate, tt.code); got != tt.want {
				t.Fatalf("%s: got %s", tt.work, money.Format(got, currencyOf(t, tt.code)))
			}
		})
	}
}

func TestTaxRounding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		subtotal money.Amount // minor units
		rate     string       // percent
		code     string
		want     money.Amount
		work     string
	}{
		{150000, "8.25", "USD", 12375, "8.25 % of 1500.00 = 123.75, exact"},
		{10, "7.5", "USD", 1, "7.5 % of 0.10 = 0.0075 → 0.01"},
		{3333, "19", "USD", 633, "19 % of 33.33 = 6.3327 → 6.33"},
		{100, "12.5", "USD", 13, "12.5 % of 1.00 = 0.125 → 0.13 (exact half, up)"},
		{300, "12.5", "USD", 38, "12.5 % of 3.00 = 0.375 → 0.38 (exact half, up)"},
		{4, "12.5", "USD", 1, "12.5 % of 0.04 = 0.005 → 0.01 (exact half, up)"},
		{5, "10", "USD", 1, "10 % of 0.05 = 0.005 → 0.01 (exact half, up)"},
		{1, "50", "USD", 1, "50 % of 0.01 = 0.005 → 0.01 (exact half, up)"},
		{10, "2.5", "USD", 0, "2.5 % of 0.10 = 0.0025 → 0.00"},
		{10, "4.99", "USD", 0, "4.99 % of 0.10 = 0.00499 → 0.00"},
		{10, "5", "USD", 1, "5 % of 0.10 = 0.005 → 0.01 (exact half, up)"},
		{12345, "20", "USD", 2469, "20 % of 123.45 = 24.69, exact"},
		{1999, "7.5", "USD", 150, "7.5 % of 19.99 = 1.49925 → 1.50"},
		{150000, "0", "USD", 0, "0 % of 1500.00 = 0.00"},
		{150000, "100", "USD", 150000, "100 % of 1500.00 = 1500.00"},
		{1502, "10", "JPY", 150, "10 % of ¥1502 = 150.2 → ¥150"},
		{15, "10", "JPY", 2, "10 % of ¥15 = 1.5 → ¥2 (exact half, up)"},
		{22511, "10", "BHD", 2251, "10 % of 22.511 = 2.2511 → 2.251"},
		{5, "10", "BHD", 1, "10 % of 0.005 = 0.0005 → 0.001 (exact half, up)"},
	}
	for _, tt := range tests {
		t.Run(tt.work, func(t *testing.T) {
			t.Parallel()
			p, err := ParsePercent(money.Decimal(tt.rate))
			if err != nil {
				t.Fatalf("ParsePercent(%q): %v", tt.rate, err)
			}
			lines := []Line{{Description: "Work", Quantity: 100, Rate: tt.subtotal, Amount: tt.subtotal}}
			got, err := ComputeTotals(lines, &p, 0)
			if err != nil || got.Tax != tt.want || got.Subtotal != tt.subtotal || got.Total != tt.subtotal+tt.want {
				cur := currencyOf(t, tt.code)
				t.Fatalf("%s: got subtotal %s tax %s total %s, %v", tt.work,
					money.Format(got.Subtotal, cur), money.Format(got.Tax, cur), money.Format(got.Total, cur), err)
			}
		})
	}
}

func TestComputeTotals(t *testing.T) {
	t.Parallel()
	usd, jpy, bhd := currencyOf(t, "USD"), currencyOf(t, "JPY"), currencyOf(t, "BHD")
	price := func(t *testing.T, cur money.Currency, in ...LineInput) []Line {
		t.Helper()
		lines, bad := PriceLines(in, cur)
		if bad != nil {
			t.Fatalf("PriceLines: %v", bad)
		}
		return lines
	}
	pct := func(t *testing.T, s string) *Percent {
		t.Helper()
		p, err := ParsePercent(money.Decimal(s))
		if err != nil {
			t.Fatalf("ParsePercent(%q): %v", s, err)
		}
		return &p
	}
	tests := []struct {
		name     string
		cur      money.Currency
		lines    func(t *testing.T) []Line
		tax      string // "" for no tax rate
		discount money.Amount
		want     Totals
	}{
		{
			// 10 × 150.00 = 1500.00; 8.25 % of 1500.00 = 123.75; 1500.00 + 123.75 − 100.00 = 1523.75.
			name: "SPEC example with a discount", cur: usd,
			lines: func(t *testing.T) []Line { return price(t, usd, line("10", "150.00")) },
			tax:   "8.25", discount: 10000,
			want: Totals{Subtotal: 150000, Tax: 12375, Discount: 10000, Total: 152375},
		},
		{
			// 100 lines of 0.01 h × 0.50 = 0.005 → 0.01 each; subtotal 100 × 0.01 = 1.00 (not 0.50:
			// each line is rounded before the sum).
			name: "a hundred half cents", cur: usd,
			lines: func(t *testing.T) []Line {
				in := make([]LineInput, 100)
				for i := range in {
					in[i] = line("0.01", "0.50")
				}
				return price(t, usd, in...)
			},
			want: Totals{Subtotal: 100, Total: 100},
		},
		{
			// 0.33 × 33.33 = 10.9989 → 11.00; 1.25 × 0.01 = 0.0125 → 0.01; 0.50 × 0.01 → 0.01;
			// subtotal 11.00 + 0.01 + 0.01 = 11.02; 19 % of 11.02 = 2.0938 → 2.09;
			// total 11.02 + 2.09 − 0.02 = 13.09.
			name: "rounded lines then tax", cur: usd,
			lines: func(t *testing.T) []Line {
				return price(t, usd, line("0.33", "33.33"), line("1.25", "0.01"), line("0.50", "0.01"))
			},
			tax: "19", discount: 2,
			want: Totals{Subtotal: 1102, Tax: 209, Discount: 2, Total: 1309},
		},
		{
			// 1.5 × ¥1001 = 1501.5 → ¥1502; 10 % of ¥1502 = 150.2 → ¥150; total ¥1652.
			name: "yen", cur: jpy,
			lines: func(t *testing.T) []Line { return price(t, jpy, line("1.5", "1001")) },
			tax:   "10",
			want:  Totals{Subtotal: 1502, Tax: 150, Total: 1652},
		},
		{
			// 1.5 × ¥1001 → ¥1502 and 0.5 × ¥3 = 1.5 → ¥2: subtotal ¥1504; 8.25 % of ¥1504 =
			// 124.08 → ¥124; total 1504 + 124 − 4 = ¥1624.
			name: "yen with a discount", cur: jpy,
			lines: func(t *testing.T) []Line { return price(t, jpy, line("1.5", "1001"), line("0.5", "3")) },
			tax:   "8.25", discount: 4,
			want: Totals{Subtotal: 1504, Tax: 124, Discount: 4, Total: 1624},
		},
		{
			// 2.25 × 10.005 = 22.51125 → 22.511; 7.5 % of 22.511 = 1.688325 → 1.688;
			// total 22.511 + 1.688 − 0.199 = 24.000.
			name: "dinar", cur: bhd,
			lines: func(t *testing.T) []Line { return price(t, bhd, line("2.25", "10.005")) },
			tax:   "7.5", discount: 199,
			want: Totals{Subtotal: 22511, Tax: 1688, Discount: 199, Total: 24000},
		},
		{
			// No tax rate is no tax: 3 × 33.33 = 99.99; total 99.99 − 99.99 = 0.00 (a zero total is
			// refused by the invoice's rules, not by the arithmetic).
			name: "no tax rate, discount of everything", cur: usd,
			lines:    func(t *testing.T) []Line { return price(t, usd, line("3", "33.33")) },
			discount: 9999,
			want:     Totals{Subtotal: 9999, Discount: 9999, Total: 0},
		},
		{
			// No lines: everything is zero.
			name: "no lines", cur: usd, lines: func(*testing.T) []Line { return nil },
			tax: "8.25", want: Totals{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var rate *Percent
			if tt.tax != "" {
				rate = pct(t, tt.tax)
			}
			got, err := ComputeTotals(tt.lines(t), rate, tt.discount)
			if err != nil || got != tt.want {
				t.Fatalf("ComputeTotals = %+v, %v; want %+v", got, err, tt.want)
			}
			if got.Total != got.Subtotal+got.Tax-got.Discount {
				t.Fatalf("total %d is not subtotal + tax − discount", got.Total)
			}
		})
	}
}

func TestComputeTotalsOverflow(t *testing.T) {
	t.Parallel()
	const huge = money.Amount(1 << 62)
	lines := []Line{{Amount: huge}, {Amount: huge}}
	if _, err := ComputeTotals(lines, nil, 0); err != money.ErrTooLarge {
		t.Fatalf("subtotal past int64: err = %v, want ErrTooLarge", err)
	}
	p := MaxPercent
	if _, err := ComputeTotals([]Line{{Amount: huge}}, &p, 0); err != money.ErrTooLarge {
		t.Fatalf("subtotal + 100 %% tax past int64: err = %v, want ErrTooLarge", err)
	}
}

func TestPriceLinesErrors(t *testing.T) {
	t.Parallel()
	amount := func(s string) *money.Decimal { d := money.Decimal(s); return &d }
	withAmount := func(l LineInput, a string) LineInput { l.Amount = amount(a); return l }
	tests := []struct {
		name string
		code string
		in   []LineInput
		want []string // the messages on line_items, in order
	}{
		{
			name: "sent amount does not match", code: "USD",
			// Line 2: 0.33 × 33.33 = 10.9989 → 11.00, not 10.99 (the truncated product).
			in:   []LineInput{withAmount(line("10", "150.00"), "1500.00"), withAmount(line("0.33", "33.33"), "10.99")},
			want: []string{"Line 2: amount does not match quantity × rate"},
		},
		{
			name: "sent amount off by a cent upwards", code: "USD",
			// 0.49 × 0.01 = 0.0049 → 0.00, not 0.01.
			in:   []LineInput{withAmount(line("0.49", "0.01"), "0.01")},
			want: []string{"Line 1: amount does not match quantity × rate"},
		},
		{
			name: "sent amount with too many decimals", code: "USD",
			in:   []LineInput{withAmount(line("0.33", "33.33"), "10.9989")},
			want: []string{"Line 1: amount: Ensure that there are no more than 2 decimal places."},
		},
		{
			name: "negative rate", code: "USD",
			in:   []LineInput{line("1", "10.00"), line("1", "-0.01")},
			want: []string{"Line 2: rate cannot be negative"},
		},
		{
			name: "zero quantity", code: "USD",
			in:   []LineInput{line("0", "10.00")},
			want: []string{"Line 1: quantity must be greater than 0"},
		},
		{
			name: "negative quantity", code: "USD",
			in:   []LineInput{line("-1.00", "10.00")},
			want: []string{"Line 1: quantity must be greater than 0"},
		},
		{
			name: "quantity with three decimals", code: "USD",
			in:   []LineInput{line("1.001", "10.00")},
			want: []string{"Line 1: quantity: Ensure that there are no more than 2 decimal places."},
		},
		{
			name: "decimals in a yen rate", code: "JPY",
			in:   []LineInput{line("1", "1000"), line("1", "1000.5")},
			want: []string{"Line 2: rate: Ensure that there are no decimal places."},
		},
		{
			name: "decimals in a yen amount", code: "JPY",
			// 1.5 × ¥1001 = 1501.5 → ¥1502; "1501.5" is refused for its decimal before any comparison.
			in:   []LineInput{withAmount(line("1.5", "1001"), "1501.5")},
			want: []string{"Line 1: amount: Ensure that there are no decimal places."},
		},
		{
			name: "four decimals in a dinar rate", code: "BHD",
			in:   []LineInput{line("1", "10.0005")},
			want: []string{"Line 1: rate: Ensure that there are no more than 3 decimal places."},
		},
		{
			name: "not a number", code: "USD",
			in:   []LineInput{line("one", "1e3")},
			want: []string{"Line 1: quantity: A valid number is required.", "Line 1: rate: A valid number is required."},
		},
		{
			name: "missing description", code: "USD",
			in:   []LineInput{{Description: "  ", Quantity: "1", Rate: "1.00"}},
			want: []string{"Line 1: description is required"},
		},
		{
			name: "several lines wrong", code: "USD",
			in:   []LineInput{line("0", "1.00"), line("1", "1.00"), withAmount(line("0.50", "0.01"), "0.00")},
			want: []string{"Line 1: quantity must be greater than 0", "Line 3: amount does not match quantity × rate"},
		},
		{
			name: "product too large", code: "JPY",
			in:   []LineInput{line("999999", "9223372036854775807")},
			want: []string{"Line 1: Value is too large."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines, bad := PriceLines(tt.in, currencyOf(t, tt.code))
			if lines != nil {
				t.Errorf("lines = %+v, want nil on error", lines)
			}
			if len(bad) != 1 || !slices.Equal(bad["line_items"], tt.want) {
				t.Fatalf("errors = %v, want line_items: %q", bad, tt.want)
			}
		})
	}

	t.Run("sent amounts that match are accepted", func(t *testing.T) {
		t.Parallel()
		// 0.33 × 33.33 = 10.9989 → 11.00 may be sent as "11", "11.0" or "11.00".
		for _, a := range []string{"11", "11.0", "11.00", ""} {
			lines, bad := PriceLines([]LineInput{withAmount(line("0.33", "33.33"), a)}, currencyOf(t, "USD"))
			if bad != nil || len(lines) != 1 || lines[0].Amount != 1100 || lines[0].Quantity != 33 || lines[0].Rate != 3333 {
				t.Fatalf("amount %q: lines %+v, errors %v", a, lines, bad)
			}
		}
	})
	t.Run("description is trimmed", func(t *testing.T) {
		t.Parallel()
		lines, bad := PriceLines([]LineInput{{Description: "  Audit \n", Quantity: "1", Rate: "1"}}, currencyOf(t, "USD"))
		if bad != nil || lines[0].Description != "Audit" {
			t.Fatalf("lines %+v, errors %v", lines, bad)
		}
	})
	t.Run("at most 500 lines", func(t *testing.T) {
		t.Parallel()
		in := make([]LineInput, MaxLines+1)
		for i := range in {
			in[i] = line("1", "1.00")
		}
		if _, bad := PriceLines(in[:MaxLines], currencyOf(t, "USD")); bad != nil {
			t.Fatalf("500 lines: %v", bad)
		}
		lines, bad := PriceLines(in, currencyOf(t, "USD"))
		if lines != nil || !slices.Equal(bad["line_items"], []string{MsgTooManyLines}) {
			t.Fatalf("501 lines: lines %d, errors %v", len(lines), bad)
		}
	})
	t.Run("no lines", func(t *testing.T) {
		t.Parallel()
		lines, bad := PriceLines(nil, currencyOf(t, "USD"))
		if bad != nil || lines == nil || len(lines) != 0 {
			t.Fatalf("lines %#v, errors %v", lines, bad)
		}
	})
}

func TestParsePercent(t *testing.T) {
	t.Parallel()
	good := []struct {
		in   string
		want Percent
		out  string
	}{
		{"8.25", 825, "8.25"},
		{"20", 2000, "20.00"},
		{"7.5", 750, "7.50"},
		{"0", 0, "0.00"},
		{"0.01", 1, "0.01"},
		{"100", 10000, "100.00"},
		{"100.00", MaxPercent, "100.00"},
		{"-1", -100, "-1.00"}, // parses; the 0–100 range is the invoice's rule
		{"250", 25000, "250.00"},
	}
	for _, tt := range good {
		got, err := ParsePercent(money.Decimal(tt.in))
		if err != nil || got != tt.want || got.String() != tt.out {
			t.Errorf("ParsePercent(%q) = %d (%s), %v; want %d (%s)", tt.in, got, got, err, tt.want, tt.out)
		}
	}
	bad := []struct{ in, msg string }{
		{"8.255", "Ensure that there are no more than 2 decimal places."},
		{"abc", "A valid number is required."},
		{"8,25", "A valid number is required."},
		{"1e2", "A valid number is required."},
		{"", "A valid number is required."},
		{"8.25%", "A valid number is required."},
	}
	for _, tt := range bad {
		if got, err := ParsePercent(money.Decimal(tt.in)); err == nil || err.Error() != tt.msg {
			t.Errorf("ParsePercent(%q) = %d, %v; want error %q", tt.in, got, err, tt.msg)
		}
	}
}

// The property test: random invoices priced by PriceLines and ComputeTotals, compared with an
// exact computation in math/big that rounds half away from zero by itself.

// roundHalfAway rounds r to the nearest integer, halves away from zero.
func roundHalfAway(r *big.Rat) *big.Int {
	num := new(big.Int).Abs(r.Num())
	den := r.Denom() // always positive
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if rem.Lsh(rem, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return q
}

// ratOf reads a plain decimal ("12.34") exactly.
func ratOf(t testing.TB, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("not a decimal: %q", s)
	}
	return r
}

// decimalText writes v units of 10^-digits as a decimal. With short, trailing zeros of the
// fraction (and a bare point) are dropped, as a client may send them: 1250 (2 digits) is
// "12.5", 1200 is "12".
func decimalText(v int64, digits int, short bool) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	if digits > 0 {
		if len(s) <= digits {
			s = strings.Repeat("0", digits-len(s)+1) + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
		if short {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
	}
	if neg {
		s = "-" + s
	}
	return s
}

// pow10 is 10^n as a big.Rat.
func pow10(n int) *big.Rat {
	return new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
}

func TestTotalsMatchExactArithmetic(t *testing.T) {
	t.Parallel()
	const invoices = 10000
	rng := rand.New(rand.NewPCG(20260215, 6))
	codes := []string{"USD", "EUR", "GBP", "JPY", "KRW", "BHD", "KWD", "TND"}
	currencies := make([]money.Currency, len(codes))
	for i, c := range codes {
		currencies[i] = currencyOf(t, c)
	}
	// rate draws a rate in minor units: mostly small and medium, sometimes large, often near
	// values whose products land on exact halves.
	rate := func(digits int) int64 {
		switch rng.IntN(5) {
		case 0:
			return rng.Int64N(100) // below one major unit (cents, yen, fils)
		case 1:
			return rng.Int64N(20)*5 + 5 // multiples of 5: many exact halves
		case 2:
			return rng.Int64N(1_000_000)
		case 3:
			return rng.Int64N(100_000_000)
		}
		whole := int64(1)
		for range digits {
			whole *= 10
		}
		return rng.Int64N(10_000) * whole // whole major units
	}
	var lineCount, sentAmounts, corrupted, halves int
	for n := range invoices {
		cur := currencies[rng.IntN(len(currencies))]
		scale := pow10(cur.Digits)
		in := make([]LineInput, 1+rng.IntN(20))
		want := make([]*big.Int, len(in))
		subtotal := new(big.Int)
		for i := range in {
			q := 1 + rng.Int64N(99999) // 0.01 – 999.99
			r := rate(cur.Digits)
			li := LineInput{Description: fmt.Sprintf("Line %d", i+1),
				Quantity: money.Decimal(decimalText(q, 2, rng.IntN(3) == 0)),
				Rate:     money.Decimal(decimalText(r, cur.Digits, rng.IntN(3) == 0))}
			// exact = quantity × rate in major units, × 10^digits in minor units.
			exact := new(big.Rat).Mul(ratOf(t, string(li.Quantity)), ratOf(t, string(li.Rate)))
			exact.Mul(exact, scale)
			want[i] = roundHalfAway(exact)
			if exact.Denom().Cmp(big.NewInt(2)) == 0 {
				halves++
			}
			subtotal.Add(subtotal, want[i])
			if rng.IntN(3) == 0 {
				a := money.Decimal(decimalText(want[i].Int64(), cur.Digits, rng.IntN(2) == 0))
				li.Amount = &a
				sentAmounts++
			}
			in[i] = li
		}
		lineCount += len(in)

		// Sometimes one line's sent amount is a minor unit off: the lines are refused, on that line.
		if rng.IntN(20) == 0 {
			k := rng.IntN(len(in))
			bad := slices.Clone(in)
			off := want[k].Int64() + 1
			if rng.IntN(2) == 0 && off > 1 {
				off -= 2
			}
			a := money.Decimal(decimalText(off, cur.Digits, false))
			bad[k].Amount = &a
			lines, errs := PriceLines(bad, cur)
			wantMsg := fmt.Sprintf("Line %d: %s", k+1, MsgLineAmount)
			if lines != nil || !slices.Equal(errs["line_items"], []string{wantMsg}) {
				t.Fatalf("invoice %d (%s): line %d sent %s (want %d minor): errors %v", n, cur.Code, k+1, a, want[k], errs)
			}
			corrupted++
		}

		lines, errs := PriceLines(in, cur)
		if errs != nil {
			t.Fatalf("invoice %d (%s): %v", n, cur.Code, errs)
		}
		for i, l := range lines {
			if int64(l.Amount) != want[i].Int64() {
				t.Fatalf("invoice %d (%s) line %d: %s × %s = %d minor units, want %s", n, cur.Code, i+1,
					in[i].Quantity, in[i].Rate, l.Amount, want[i])
			}
		}

		var taxRate *Percent
		taxRat := new(big.Rat)
		if rng.IntN(5) != 0 {
			p := rng.Int64N(10001) // 0.00 – 100.00 %
			text := decimalText(p, 2, rng.IntN(2) == 0)
			parsed, err := ParsePercent(money.Decimal(text))
			if err != nil || int64(parsed) != p {
				t.Fatalf("ParsePercent(%q) = %d, %v", text, parsed, err)
			}
			taxRate, taxRat = &parsed, ratOf(t, text)
		}
		// tax = subtotal (minor units) × rate / 100, rounded.
		tax := roundHalfAway(new(big.Rat).Quo(new(big.Rat).Mul(new(big.Rat).SetInt(subtotal), taxRat), big.NewRat(100, 1)))
		var discount int64
		if subtotal.Sign() > 0 && rng.IntN(3) == 0 {
			discount = rng.Int64N(subtotal.Int64() + 1)
		}
		total := new(big.Int).Add(subtotal, tax)
		total.Sub(total, big.NewInt(discount))

		got, err := ComputeTotals(lines, taxRate, money.Amount(discount))
		if err != nil {
			t.Fatalf("invoice %d (%s): %v", n, cur.Code, err)
		}
		if int64(got.Subtotal) != subtotal.Int64() || int64(got.Tax) != tax.Int64() ||
			int64(got.Discount) != discount || int64(got.Total) != total.Int64() {
			t.Fatalf("invoice %d (%s, tax %v, discount %d): got %+v; want subtotal %s tax %s total %s",
				n, cur.Code, taxRate, discount, got, subtotal, tax, total)
		}
	}
	t.Logf("compared %d invoices (%d lines, %d exact-half line products, %d sent line amounts, %d refused one-off amounts) "+
		"with math/big: 0 minor units of difference in every line amount, subtotal, tax and total",
		invoices, lineCount, halves, sentAmounts, corrupted)
}
