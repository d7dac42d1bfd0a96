package money

import (
	"encoding/json"
	"math"
	"testing"
)

func TestParseHours(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     Hours
		text     string
	}{
		{"integer", "8", 800, "8.00"},
		{"one decimal", "8.5", 850, "8.50"},
		{"two decimals", "8.50", 850, "8.50"},
		{"one hundredth", "0.01", 1, "0.01"},
		{"full day", "24", 2400, "24.00"},
		{"full day with decimals", "24.00", 2400, "24.00"},
		{"zero", "0", 0, "0.00"},
		{"negative", "-1.25", -125, "-1.25"},
		{"max", "92233720368547758.07", math.MaxInt64, "92233720368547758.07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseHours(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseHours(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
			}
			if s := got.String(); s != tt.text {
				t.Errorf("Hours(%d).String() = %q, want %q", got, s, tt.text)
			}
		})
	}
}

func TestParseHoursRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     error
	}{
		{"three decimals", "8.505", ErrMaxTwoDecimals},
		{"trailing zero third decimal", "8.500", ErrMaxTwoDecimals},
		{"empty", "", ErrInvalidNumber},
		{"unit", "8h", ErrInvalidNumber},
		{"clock", "8:30", ErrInvalidNumber},
		{"leading point", ".5", ErrInvalidNumber},
		{"trailing point", "8.", ErrInvalidNumber},
		{"too large", "92233720368547758.08", ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, err := ParseHours(tt.in); err != tt.want || got != 0 {
				t.Fatalf("ParseHours(%q) = %d, %v; want 0, %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseHoursJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, raw string
		want      Hours
		wantErr   error
	}{
		{"number", `8.5`, 850, nil},
		{"string", `"8.50"`, 850, nil},
		{"integer number", `24`, 2400, nil},
		{"three decimals", `8.505`, 0, ErrMaxTwoDecimals},
		{"null", `null`, 0, ErrInvalidNumber},
		{"boolean", `true`, 0, ErrInvalidNumber},
		{"object", `{}`, 0, ErrInvalidNumber},
		{"exponent", `8e1`, 0, ErrInvalidNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseHoursJSON([]byte(tt.raw))
			if err != tt.wantErr || got != tt.want {
				t.Fatalf("ParseHoursJSON(%s) = %d, %v; want %d, %v", tt.raw, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestHoursJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		h    Hours
		want string
	}{
		{"eight and a half", 850, `{"hours":"8.50"}`},
		{"one hundredth", 1, `{"hours":"0.01"}`},
		{"negative", -2400, `{"hours":"-24.00"}`},
		{"min", math.MinInt64, `{"hours":"-92233720368547758.08"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(struct {
				Hours Hours `json:"hours"`
			}{tt.h})
			if err != nil || string(b) != tt.want {
				t.Fatalf("json.Marshal = %s, %v; want %s", b, err, tt.want)
			}
			var back struct {
				Hours json.RawMessage `json:"hours"`
			}
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if h, err := ParseHoursJSON(back.Hours); err != nil || h != tt.h {
				t.Errorf("ParseHoursJSON(%s) = %d, %v; want %d", back.Hours, h, err, tt.h)
			}
		})
	}
}

func TestHoursValueIsHundredths(t *testing.T) {
	t.Parallel()
	v, err := Hours(850).Value()
	if err != nil || v != int64(850) {
		t.Fatalf("Value() = %v, %v; want int64 850 (not the JSON text)", v, err)
	}
}
