package money

import (
	"math"
	"math/big"
	"regexp"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a    Amount
		code string
		want string
	}{
		{"dollars", 160000, "USD", "1600.00"},
		{"yen", 1600, "JPY", "1600"},
		{"negative cents", -5, "USD", "-0.05"},
		{"dinar", 1234567, "KWD", "1234.567"},
		{"zero usd", 0, "USD", "0.00"},
		{"zero yen", 0, "JPY", "0"},
		{"zero dinar", 0, "KWD", "0.000"},
		{"one fils", 5, "KWD", "0.005"},
		{"seven cents", 7, "USD", "0.07"},
		{"seventy cents", 70, "USD", "0.70"},
		{"one dollar", 100, "USD", "1.00"},
		{"minus one dollar", -100, "USD", "-1.00"},
		{"minus one yen", -1, "JPY", "-1"},
		{"max usd", math.MaxInt64, "USD", "92233720368547758.07"},
		{"min usd", math.MinInt64, "USD", "-92233720368547758.08"},
		{"min yen", math.MinInt64, "JPY", "-9223372036854775808"},
		{"min dinar", math.MinInt64, "KWD", "-9223372036854775.808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Format(tt.a, mustCurrency(t, tt.code)); got != tt.want {
				t.Errorf("Format(%d, %s) = %q, want %q", tt.a, tt.code, got, tt.want)
			}
		})
	}
	t.Run("digits clamped", func(t *testing.T) {
		t.Parallel()
		if got := Format(1234, Currency{Code: "USD", Digits: 9}); got != "1.234" {
			t.Errorf("Format with 9 digits = %q, want %q", got, "1.234")
		}
		if got := Format(1234, Currency{Code: "USD", Digits: -1}); got != "1234" {
			t.Errorf("Format with -1 digits = %q, want %q", got, "1234")
		}
	})
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	amounts := []Amount{0, 1, -1, 5, 99, 100, -100, 101, 160000, 1234567, -1234567,
		math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1}
	for _, code := range []string{"JPY", "USD", "KWD"} {
		t.Run("amounts "+code, func(t *testing.T) {
			t.Parallel()
			c := mustCurrency(t, code)
			for _, a := range amounts {
				s := Format(a, c)
				if got, err := Parse(s, c); err != nil || got != a {
					t.Errorf("Parse(Format(%d)) = Parse(%q) = %d, %v", a, s, got, err)
				}
			}
		})
	}
	texts := []struct{ in, code, canonical string }{
		{"1600", "USD", "1600.00"},
		{"1600.5", "USD", "1600.50"},
		{"-0", "USD", "0.00"},
		{"007.10", "USD", "7.10"},
		{"1600", "JPY", "1600"},
		{"1.5", "KWD", "1.500"},
		{"-0.001", "KWD", "-0.001"},
	}
	for _, tt := range texts {
		t.Run("text "+tt.in+" "+tt.code, func(t *testing.T) {
			t.Parallel()
			c := mustCurrency(t, tt.code)
			a, err := Parse(tt.in, c)
			if got := Format(a, c); err != nil || got != tt.canonical {
				t.Errorf("Format(Parse(%q)) = %q, %v; want %q", tt.in, got, err, tt.canonical)
			}
		})
	}
}

// referenceParse parses s with math/big, as a slow model of Parse; grammar is the accepted
// syntax written as a regular expression, independently of the parser.
func referenceParse(grammar *regexp.Regexp, s string, digits int) (Amount, error) {
	m := grammar.FindStringSubmatch(s)
	if m == nil {
		return 0, ErrInvalidNumber
	}
	if len(m[2]) > digits {
		return 0, decimalsError(digits)
	}
	v, _ := new(big.Int).SetString(m[1]+m[2]+strings.Repeat("0", digits-len(m[2])), 10)
	if strings.HasPrefix(s, "-") {
		v.Neg(v)
	}
	if !v.IsInt64() {
		return 0, ErrTooLarge
	}
	return Amount(v.Int64()), nil
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "1600.50", "-3.25", "1.234", ".5", "1.", "1e3", " 1",
		"92233720368547758.07", "92233720368547758.08", "-92233720368547758.08", "00.1", "-"} {
		f.Add(s)
	}
	currencies := []Currency{{"JPY", 0}, {"USD", 2}, {"KWD", 3}}
	grammar := regexp.MustCompile(`^-?([0-9]+)(?:\.([0-9]+))?$`)
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range currencies {
			got, err := Parse(s, c)
			want, wantErr := referenceParse(grammar, s, c.Digits)
			if got != want || err != wantErr {
				t.Fatalf("Parse(%q, %s) = %d, %v; reference %d, %v", s, c.Code, got, err, want, wantErr)
			}
			if err == nil {
				if back, err := Parse(Format(got, c), c); err != nil || back != got {
					t.Fatalf("round trip of %q in %s: %d, %v", s, c.Code, back, err)
				}
			}
		}
	})
}
