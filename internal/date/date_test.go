package date

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	for in, ok := range map[string]bool{
		"2026-02-10": true, "2024-02-29": true, "2026-02-29": false, "2026-2-10": false,
		"10/02/2026": false, "": false, "2026-02-10T00:00:00Z": false,
	} {
		d, err := Parse(in)
		if (err == nil) != ok {
			t.Errorf("Parse(%q) = %q, %v", in, d, err)
		}
		if err != nil && err.Error() != MsgInvalid {
			t.Errorf("message = %q", err.Error())
		}
	}
}

func TestTodayUsesTheFirmZone(t *testing.T) {
	t.Parallel()
	honolulu, err := time.LoadLocation("Pacific/Honolulu")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 11, 8, 30, 0, 0, time.UTC) // 22:30 on the 10th in Honolulu
	if got := Today(now, honolulu); got != "2026-03-10" {
		t.Fatalf("Today in Honolulu = %s", got)
	}
	if got := Today(now, time.UTC); got != "2026-03-11" {
		t.Fatalf("Today in UTC = %s", got)
	}
}

func TestScanAndValue(t *testing.T) {
	t.Parallel()
	var d Date
	for _, src := range []any{time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC), "2026-02-10", []byte("2026-02-10"), "2026-02-10T00:00:00Z"} {
		if err := d.Scan(src); err != nil || d != "2026-02-10" {
			t.Errorf("Scan(%v) = %q, %v", src, d, err)
		}
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %q, %v", d, err)
	}
	if err := d.Scan("garbage"); err == nil {
		t.Error("Scan of garbage must fail")
	}
	if v, _ := Date("").Value(); v != nil {
		t.Errorf("empty Value = %v, want NULL", v)
	}
	if v, _ := Date("2026-02-10").Value(); v != "2026-02-10" {
		t.Errorf("Value = %v", v)
	}
	if !Date("2026-01-31").Before("2026-02-01") || Date("2026-12-31").Year() != 2026 {
		t.Error("comparison or Year is wrong")
	}
}
