package money

import "testing"

func BenchmarkParse(b *testing.B) {
	usd := mustCurrency(b, "USD")
	var got Amount
	var err error
	for b.Loop() {
		got, err = Parse("1234567.89", usd)
	}
	if err != nil || got != 123456789 {
		b.Fatalf("Parse = %d, %v", got, err)
	}
}

func BenchmarkParseJSON(b *testing.B) {
	usd := mustCurrency(b, "USD")
	raw := []byte(`"1234567.89"`)
	var got Amount
	var err error
	for b.Loop() {
		got, err = ParseJSON(raw, usd)
	}
	if err != nil || got != 123456789 {
		b.Fatalf("ParseJSON = %d, %v", got, err)
	}
}

func BenchmarkFormat(b *testing.B) {
	usd := mustCurrency(b, "USD")
	var got string
	for b.Loop() {
		got = Format(-123456789, usd)
	}
	if got != "-1234567.89" {
		b.Fatalf("Format = %q", got)
	}
}

func BenchmarkBilledAmount(b *testing.B) {
	var got Amount
	var err error
	for b.Loop() {
		got, err = BilledAmount(875, 18750)
	}
	if err != nil || got != 164063 {
		b.Fatalf("BilledAmount = %d, %v", got, err)
	}
}
