package money

import "testing"

func TestReprice(t *testing.T) {
	t.Parallel()
	cur := func(code string) Currency { c, _ := LookupCurrency(code); return c }
	tests := []struct {
		amount   Amount
		from, to string
		want     Amount
		err      string
	}{
		{160000, "USD", "EUR", 160000, ""},
		{160000, "USD", "JPY", 1600, ""},
		{160050, "USD", "JPY", 0, "Ensure that there are no decimal places."},
		{1600, "JPY", "KWD", 1600000, ""},
		{1234567, "KWD", "USD", 0, "Ensure that there are no more than 2 decimal places."},
		{1234560, "KWD", "USD", 123456, ""},
	}
	for _, tc := range tests {
		got, err := Reprice(tc.amount, cur(tc.from), cur(tc.to))
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("Reprice(%d %s → %s) error = %v, want %q", tc.amount, tc.from, tc.to, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Reprice(%d %s → %s) = %d, %v; want %d", tc.amount, tc.from, tc.to, got, err, tc.want)
		}
	}
}
