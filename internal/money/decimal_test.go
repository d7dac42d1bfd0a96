package money

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestDecimalUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       Decimal
	}{
		{"string", `{"v":"12.50"}`, "12.50"},
		{"number keeps its text", `{"v":12.50}`, "12.50"},
		{"number beyond float64", `{"v":12345678901234.56}`, "12345678901234.56"},
		{"negative number", `{"v":-0.5}`, "-0.5"},
		{"escaped string", `{"v":"\u0031.5"}`, "1.5"},
		{"exponent is kept for Parse to refuse", `{"v":1e3}`, "1e3"},
		{"string is kept unvalidated", `{"v":"abc"}`, "abc"},
		{"null", `{"v":null}`, ""},
		{"absent", `{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var dto struct {
				V Decimal `json:"v"`
			}
			if err := json.Unmarshal([]byte(tt.body), &dto); err != nil || dto.V != tt.want {
				t.Fatalf("json.Unmarshal(%s) = %q, %v; want %q", tt.body, dto.V, err, tt.want)
			}
		})
	}
	t.Run("null clears", func(t *testing.T) {
		t.Parallel()
		d := Decimal("1.00")
		if err := d.UnmarshalJSON([]byte("null")); err != nil || d != "" {
			t.Fatalf("UnmarshalJSON(null) = %q, %v; want empty", d, err)
		}
	})
}

func TestDecimalUnmarshalRejects(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"v":true}`, `{"v":false}`, `{"v":{}}`, `{"v":[1]}`, `{"v":[]}`} {
		t.Run(body, func(t *testing.T) {
			t.Parallel()
			var dto struct {
				V Decimal `json:"v"`
			}
			err := json.Unmarshal([]byte(body), &dto)
			if !errors.Is(err, ErrInvalidNumber) || err.Error() != "A valid number is required." {
				t.Fatalf("json.Unmarshal(%s) error = %v, want %q", body, err, ErrInvalidNumber)
			}
		})
	}
	t.Run("direct garbage", func(t *testing.T) {
		t.Parallel()
		var d Decimal
		for _, raw := range []string{``, ` `, `tru`, `"abc`, `"\q"`} {
			if err := d.UnmarshalJSON([]byte(raw)); err != ErrInvalidNumber {
				t.Errorf("UnmarshalJSON(%s) error = %v, want %v", raw, err, ErrInvalidNumber)
			}
		}
	})
}

func TestDecimalRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    Decimal
		want string
	}{
		{"amount", "12.50", `"12.50"`},
		{"negative", "-0.05", `"-0.05"`},
		{"empty", "", `""`},
		{"html is escaped", "<1>", `"\u003c1\u003e"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.d)
			if err != nil || string(b) != tt.want {
				t.Fatalf("json.Marshal(%q) = %s, %v; want %s", tt.d, b, err, tt.want)
			}
			var back Decimal
			if err := json.Unmarshal(b, &back); err != nil || back != tt.d {
				t.Errorf("json.Unmarshal(%s) = %q, %v; want %q", b, back, err, tt.d)
			}
		})
	}
}

func TestDecimalParse(t *testing.T) {
	t.Parallel()
	usd, jpy := mustCurrency(t, "USD"), mustCurrency(t, "JPY")
	tests := []struct {
		name    string
		got     func() (int64, error)
		want    int64
		wantErr error
	}{
		{"usd amount", func() (int64, error) { a, err := Decimal("12.5").Amount(usd); return int64(a), err }, 1250, nil},
		{"yen decimals", func() (int64, error) { a, err := Decimal("12.5").Amount(jpy); return int64(a), err }, 0, ErrNoDecimals},
		{"empty amount", func() (int64, error) { a, err := Decimal("").Amount(usd); return int64(a), err }, 0, ErrInvalidNumber},
		{"exponent amount", func() (int64, error) { a, err := Decimal("1e3").Amount(usd); return int64(a), err }, 0, ErrInvalidNumber},
		{"hours", func() (int64, error) { h, err := Decimal("7.25").Hours(); return int64(h), err }, 725, nil},
		{"hours decimals", func() (int64, error) { h, err := Decimal("7.255").Hours(); return int64(h), err }, 0, ErrMaxTwoDecimals},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, err := tt.got(); got != tt.want || err != tt.wantErr {
				t.Fatalf("got %d, %v; want %d, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
