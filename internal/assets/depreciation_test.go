package assets_test

import (
	"testing"

	"github.com/consultantpro/consultantpro/internal/assets"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/money"
)

func TestCompletedMonths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		purchased, today date.Date
		want             int64
	}{
		{"2025-01-15", "2025-01-15", 0},
		{"2025-01-15", "2025-02-14", 0},
		{"2025-01-15", "2025-02-15", 1},
		{"2025-01-15", "2026-01-14", 11},
		{"2025-01-15", "2026-01-15", 12},
		{"2025-01-31", "2025-02-27", 0},
		{"2025-01-31", "2025-02-28", 1}, // February's last day completes the month
		{"2024-01-31", "2024-02-28", 0}, // 2024 is a leap year: February has a 29th
		{"2024-01-31", "2024-02-29", 1},
		{"2025-01-31", "2025-03-30", 1},
		{"2025-01-31", "2025-03-31", 2},
		{"2025-01-31", "2025-04-30", 3}, // April's last day
		{"2025-02-28", "2025-03-27", 0},
		{"2025-02-28", "2025-03-28", 1},
		{"2025-12-31", "2026-01-31", 1},
		{"2026-03-01", "2026-02-01", 0}, // purchase date in the future
		{"", "2026-02-01", 0},
	}
	for _, tt := range tests {
		if got := assets.CompletedMonths(tt.purchased, tt.today); got != tt.want {
			t.Errorf("CompletedMonths(%s, %s) = %d, want %d", tt.purchased, tt.today, got, tt.want)
		}
	}
}

// Each case is worked by hand: depreciation = (price − salvage) × months ÷ (years × 12),
// rounded half away from zero to the minor unit; book value = price − depreciation.
func TestBookValue(t *testing.T) {
	t.Parallel()
	usd, _ := money.LookupCurrency("USD")
	jpy, _ := money.LookupCurrency("JPY")
	tests := []struct {
		name                   string
		cur                    money.Currency
		price, salvage         string
		years                  int64
		purchased, today, want string
	}{
		// 1,200.00 ÷ 36 = 33.33⅓ a month; 12 months = 400.00.
		{"twelve months of three years", usd, "1200.00", "0", 3, "2025-03-10", "2026-03-10", "800.00"},
		// 11 × 1,200.00 ÷ 36 = 366.66⅔ → 366.67.
		{"eleven months", usd, "1200.00", "0", 3, "2025-03-10", "2026-03-09", "833.33"},
		// One month of 1,200.00 over 3 years: 33.33⅓ → 33.33.
		{"one month", usd, "1200.00", "0", 3, "2026-01-10", "2026-02-10", "1166.67"},
		{"the day before the first month ends", usd, "1200.00", "0", 3, "2026-01-10", "2026-02-09", "1200.00"},
		{"on the purchase date", usd, "1200.00", "0", 3, "2026-01-10", "2026-01-10", "1200.00"},
		{"purchase date in the future", usd, "1200.00", "0", 3, "2026-06-01", "2026-02-10", "1200.00"},
		// Bought 31 January: 28 February completes one month: 1,000.00 ÷ 12 = 83.33⅓.
		{"month boundary, last day of February", usd, "1000.00", "0", 1, "2026-01-31", "2026-02-28", "916.67"},
		{"month boundary, the day before", usd, "1000.00", "0", 1, "2026-01-31", "2026-02-27", "1000.00"},
		// 18 × (1,000.00 − 100.00) ÷ 36 = 450.00.
		{"with salvage", usd, "1000.00", "100.00", 3, "2024-06-15", "2025-12-15", "550.00"},
		// 35 × 900.00 ÷ 36 = 875.00.
		{"with salvage, the last month of life", usd, "1000.00", "100.00", 3, "2023-01-15", "2025-12-15", "125.00"},
		{"after the whole life: the salvage value", usd, "1000.00", "100.00", 3, "2020-01-15", "2026-02-10", "100.00"},
		{"exactly the whole life", usd, "1000.00", "100.00", 3, "2023-01-15", "2026-01-15", "100.00"},
		{"after the whole life without salvage", usd, "1200.00", "0", 3, "2020-01-15", "2026-02-10", "0.00"},
		{"salvage equal to the price", usd, "500.00", "500.00", 5, "2024-01-01", "2026-02-10", "500.00"},
		// JPY has no minor unit: 100,000 ÷ 36 = 2,777.78 → 2,778 after one month.
		{"zero-decimal currency", jpy, "100000", "0", 3, "2026-01-05", "2026-02-05", "97222"},
		// 7 × 100,000 ÷ 36 = 19,444.44 → 19,444.
		{"zero-decimal currency, seven months", jpy, "100000", "0", 3, "2025-07-05", "2026-02-05", "80556"},
		// Half a minor unit rounds away from zero: 1 × 0.18 ÷ 12 = 0.015 → 0.02.
		{"half a cent", usd, "0.18", "0", 1, "2026-01-01", "2026-02-01", "0.16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			price, err := money.Parse(tt.price, tt.cur)
			if err != nil {
				t.Fatal(err)
			}
			salvage, err := money.Parse(tt.salvage, tt.cur)
			if err != nil {
				t.Fatal(err)
			}
			got, err := assets.BookValue(assets.Depreciation{Price: price, Salvage: salvage, LifeYears: tt.years,
				Purchased: date.Date(tt.purchased)}, date.Date(tt.today))
			if err != nil {
				t.Fatal(err)
			}
			if s := money.Format(got, tt.cur); s != tt.want {
				t.Errorf("book value = %s, want %s", s, tt.want)
			}
		})
	}
}

// Book value never drops below salvage and never rises as the months pass.
func TestBookValueMonotonic(t *testing.T) {
	t.Parallel()
	d := assets.Depreciation{Price: 123457, Salvage: 1001, LifeYears: 4, Purchased: "2020-01-31"}
	prev := d.Price
	for m := 0; m < 60; m++ {
		today := date.Date(date.Date("2020-01-31").Time().AddDate(0, m, 0).Format("2006-01-02"))
		got, err := assets.BookValue(d, today)
		if err != nil {
			t.Fatal(err)
		}
		if got < d.Salvage || got > prev {
			t.Fatalf("month %d (%s): book value %d after %d, salvage %d", m, today, got, prev, d.Salvage)
		}
		prev = got
	}
	if prev != d.Salvage {
		t.Errorf("after the life: %d, want the salvage %d", prev, d.Salvage)
	}
}

func TestBookValueTooLarge(t *testing.T) {
	t.Parallel()
	_, err := assets.BookValue(assets.Depreciation{Price: 1 << 62, Salvage: -(1 << 62), LifeYears: 3, Purchased: "2020-01-01"}, "2021-01-01")
	if err != money.ErrTooLarge {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}
