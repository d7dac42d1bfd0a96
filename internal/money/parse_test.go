package money

import (
	"math"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, code string
		want           Amount
	}{
		{"integer", "1600", "USD", 160000},
		{"one decimal", "1600.5", "USD", 160050},
		{"two decimals", "1600.50", "USD", 160050},
		{"negative", "-3.25", "USD", -325},
		{"negative cents", "-0.05", "USD", -5},
		{"zero", "0.00", "USD", 0},
		{"negative zero", "-0", "USD", 0},
		{"leading zeros", "007.50", "USD", 750},
		{"many leading zeros", "0000000000000000000000000001.00", "USD", 100},
		{"one cent", "0.01", "USD", 1},
		{"yen", "1600", "JPY", 1600},
		{"negative won", "-25", "KRW", -25},
		{"dinar three decimals", "1234.567", "KWD", 1234567},
		{"dinar one decimal", "1.5", "BHD", 1500},
		{"dinar integer", "2", "OMR", 2000},
		{"max usd", "92233720368547758.07", "USD", math.MaxInt64},
		{"min usd", "-92233720368547758.08", "USD", math.MinInt64},
		{"max yen", "9223372036854775807", "JPY", math.MaxInt64},
		{"min yen", "-9223372036854775808", "JPY", math.MinInt64},
		{"max dinar", "9223372036854775.807", "KWD", math.MaxInt64},
		{"min dinar", "-9223372036854775.808", "KWD", math.MinInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in, mustCurrency(t, tt.code))
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q, %s) = %d, %v; want %d", tt.in, tt.code, got, err, tt.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, code string
		want           error
	}{
		{"three decimals in usd", "1.234", "USD", ErrMaxTwoDecimals},
		{"trailing zero beyond usd digits", "1.500", "USD", ErrMaxTwoDecimals},
		{"decimal in yen", "1.5", "JPY", ErrNoDecimals},
		{"zero decimal in yen", "1600.00", "JPY", ErrNoDecimals},
		{"four decimals in dinar", "1.2345", "KWD", ErrMaxThreeDecimals},
		{"exponent", "1e3", "USD", ErrInvalidNumber},
		{"upper exponent", "1E3", "USD", ErrInvalidNumber},
		{"leading space", " 1", "USD", ErrInvalidNumber},
		{"trailing space", "1 ", "USD", ErrInvalidNumber},
		{"thousands separator", "1,000", "USD", ErrInvalidNumber},
		{"decimal comma", "1,5", "USD", ErrInvalidNumber},
		{"empty", "", "USD", ErrInvalidNumber},
		{"minus only", "-", "USD", ErrInvalidNumber},
		{"point only", ".", "USD", ErrInvalidNumber},
		{"trailing point", "1.", "USD", ErrInvalidNumber},
		{"leading point", ".5", "USD", ErrInvalidNumber},
		{"minus point", "-.5", "USD", ErrInvalidNumber},
		{"plus sign", "+1", "USD", ErrInvalidNumber},
		{"double minus", "--1", "USD", ErrInvalidNumber},
		{"two points", "1.2.3", "USD", ErrInvalidNumber},
		{"letters", "abc", "USD", ErrInvalidNumber},
		{"hex", "0x10", "USD", ErrInvalidNumber},
		{"nan", "NaN", "USD", ErrInvalidNumber},
		{"infinity", "Inf", "USD", ErrInvalidNumber},
		{"currency sign", "$5", "USD", ErrInvalidNumber},
		{"arabic-indic digit", "\u0661", "USD", ErrInvalidNumber},
		{"nul byte", "1\x00", "USD", ErrInvalidNumber},
		{"syntax before decimals", "1.234x", "USD", ErrInvalidNumber},
		{"above max usd", "92233720368547758.08", "USD", ErrTooLarge},
		{"below min usd", "-92233720368547758.09", "USD", ErrTooLarge},
		{"above max yen", "9223372036854775808", "JPY", ErrTooLarge},
		{"below min yen", "-9223372036854775809", "JPY", ErrTooLarge},
		{"above max dinar", "9223372036854775.808", "KWD", ErrTooLarge},
		{"huge", "1" + strings.Repeat("0", 40), "USD", ErrTooLarge},
		{"decimals before overflow", "1" + strings.Repeat("0", 40) + ".123", "USD", ErrMaxTwoDecimals},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.in, mustCurrency(t, tt.code))
			if err != tt.want || got != 0 {
				t.Fatalf("Parse(%q, %s) = %d, %v; want 0, %q", tt.in, tt.code, got, err, tt.want)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw, code string
		want            Amount
	}{
		{"string", `"12.50"`, "USD", 1250},
		{"number", `12.5`, "USD", 1250},
		{"number two decimals", `12.50`, "USD", 1250},
		{"negative number", `-0.05`, "USD", -5},
		{"zero number", `0`, "USD", 0},
		{"zero fraction number", `0.5`, "USD", 50},
		{"float64 would give 28", `0.29`, "USD", 29},
		{"float64 would give 434", `4.35`, "USD", 435},
		{"float64 would give 1004", `1.005`, "KWD", 1005},
		{"beyond float64 precision", `12345678901234.56`, "USD", 1234567890123456},
		{"max as number", `92233720368547758.07`, "USD", math.MaxInt64},
		{"min as string", `"-92233720368547758.08"`, "USD", math.MinInt64},
		{"yen number", `1600`, "JPY", 1600},
		{"json whitespace around", " \t\r\n12.50\n ", "USD", 1250},
		{"escaped digits in string", `"\u0031\u0032.50"`, "USD", 1250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseJSON([]byte(tt.raw), mustCurrency(t, tt.code))
			if err != nil || got != tt.want {
				t.Fatalf("ParseJSON(%s, %s) = %d, %v; want %d", tt.raw, tt.code, got, err, tt.want)
			}
		})
	}
}

func TestParseJSONRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw, code string
		want            error
	}{
		{"true", `true`, "USD", ErrInvalidNumber},
		{"false", `false`, "USD", ErrInvalidNumber},
		{"null", `null`, "USD", ErrInvalidNumber},
		{"object", `{"amount":"1"}`, "USD", ErrInvalidNumber},
		{"array", `[1]`, "USD", ErrInvalidNumber},
		{"empty input", ``, "USD", ErrInvalidNumber},
		{"blank input", `   `, "USD", ErrInvalidNumber},
		{"empty string", `""`, "USD", ErrInvalidNumber},
		{"lone quote", `"`, "USD", ErrInvalidNumber},
		{"unterminated string", `"12.50`, "USD", ErrInvalidNumber},
		{"bad escape", `"\x31"`, "USD", ErrInvalidNumber},
		{"space inside string", `" 12.50"`, "USD", ErrInvalidNumber},
		{"exponent number", `1e3`, "USD", ErrInvalidNumber},
		{"exponent with fraction", `1.5E+2`, "USD", ErrInvalidNumber},
		{"exponent string", `"1e3"`, "USD", ErrInvalidNumber},
		{"leading zero number", `01`, "USD", ErrInvalidNumber},
		{"negative leading zero", `-01.5`, "USD", ErrInvalidNumber},
		{"leading point number", `.5`, "USD", ErrInvalidNumber},
		{"nan", `NaN`, "USD", ErrInvalidNumber},
		{"three decimals number", `1.234`, "USD", ErrMaxTwoDecimals},
		{"three decimals string", `"1.234"`, "USD", ErrMaxTwoDecimals},
		{"decimal yen", `1.5`, "JPY", ErrNoDecimals},
		{"too large number", `92233720368547758.08`, "USD", ErrTooLarge},
		{"too large string", `"99999999999999999999"`, "JPY", ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseJSON([]byte(tt.raw), mustCurrency(t, tt.code))
			if err != tt.want || got != 0 {
				t.Fatalf("ParseJSON(%s, %s) = %d, %v; want 0, %q", tt.raw, tt.code, got, err, tt.want)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"invalid", ErrInvalidNumber, "A valid number is required."},
		{"too large", ErrTooLarge, "Value is too large."},
		{"no decimals", decimalsError(0), "Ensure that there are no decimal places."},
		{"one decimal", decimalsError(1), "Ensure that there are no more than 1 decimal places."},
		{"two decimals", decimalsError(2), "Ensure that there are no more than 2 decimal places."},
		{"three decimals", decimalsError(3), "Ensure that there are no more than 3 decimal places."},
		{"currency", ErrUnknownCurrency, "Unknown currency code."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
		})
	}
}
