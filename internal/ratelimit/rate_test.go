package ratelimit

import (
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want Rate
	}{
		{"100/min", Rate{100, time.Minute}},
		{"1000/hour", Rate{1000, time.Hour}},
		{"20/h", Rate{20, time.Hour}},
		{"10/m", Rate{10, time.Minute}},
		{"30/hour", Rate{30, time.Hour}},
		{"5/s", Rate{5, time.Second}},
		{"10/15m", Rate{10, 15 * time.Minute}},
		{"10/15min", Rate{10, 15 * time.Minute}},
		{" 7 / 2 Hours ", Rate{7, 2 * time.Hour}},
		{"3/day", Rate{3, 24 * time.Hour}},
		{"3/2d", Rate{3, 48 * time.Hour}},
		{"5/1m30s", Rate{5, 90 * time.Second}},
		{"5/1.5s", Rate{5, 1500 * time.Millisecond}},
		{"1/second", Rate{1, time.Second}},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRate(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("ParseRate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			back, err := ParseRate(got.String())
			if err != nil || back != got {
				t.Fatalf("ParseRate(%q) (String of %q) = %v, %v; want %v", got.String(), tc.in, back, err, got)
			}
		})
	}
}

func TestParseRateErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", "100", "100/", "/min", "x/min", "1.5/min", "100/fortnight", "100/-1m", "0/min", "-5/min",
		"10/0m", "10/500us", "3000000000/s", "1/99999999999999999999h", "1/9999999999999d", "100/min/2",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got, err := ParseRate(in); err == nil {
				t.Fatalf("ParseRate(%q) = %v, want an error", in, got)
			}
		})
	}
}

func TestRateString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rate Rate
		want string
	}{
		{Rate{100, time.Minute}, "100/m"},
		{Rate{1000, time.Hour}, "1000/h"},
		{Rate{10, 15 * time.Minute}, "10/15m"},
		{Rate{5, time.Second}, "5/s"},
		{Rate{3, 48 * time.Hour}, "3/48h"},
		{Rate{5, 90 * time.Second}, "5/90s"},
		{Rate{5, 1500 * time.Millisecond}, "5/1.5s"},
		{Rate{5, 0}, "5/0s"},
	}
	for _, tc := range cases {
		if got := tc.rate.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.rate, got, tc.want)
		}
	}
}

func TestDecisionRounding(t *testing.T) {
	t.Parallel()
	at := time.Unix(1000, 0)
	cases := []struct {
		name      string
		d         Decision
		retry     int
		resetUnix int64
	}{
		{"allowed", Decision{Allowed: true, Reset: at}, 0, 1000},
		{"refused, whole seconds", Decision{RetryAfter: 60 * time.Second, Reset: at}, 60, 1000},
		{"refused, rounds up", Decision{RetryAfter: 59*time.Second + time.Microsecond,
			Reset: at.Add(time.Microsecond)}, 60, 1001},
		{"refused, under a second is 1", Decision{RetryAfter: time.Millisecond, Reset: at}, 1, 1000},
		{"refused, zero is 1", Decision{Reset: at}, 1, 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.d.RetryAfterSeconds(); got != tc.retry {
				t.Errorf("RetryAfterSeconds = %d, want %d", got, tc.retry)
			}
			if got := tc.d.ResetUnix(); got != tc.resetUnix {
				t.Errorf("ResetUnix = %d, want %d", got, tc.resetUnix)
			}
		})
	}
}
