package money

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestBilledAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		h    Hours
		rate Amount
		want Amount
	}{
		{"1.50 h at 100.00", 150, 10000, 15000},
		{"0.01 h at 33.33 rounds down", 1, 3333, 33},
		{"half a cent rounds up", 50, 1, 1},
		{"just under half a cent", 49, 1, 0},
		{"negative hours half a cent", -50, 1, -1},
		{"negative rate half a cent", 50, -1, -1},
		{"both negative", -50, -1, 1},
		{"negative just under half", -49, 1, 0},
		{"0.01 h at 1.49", 1, 149, 1},
		{"0.01 h at 1.50", 1, 150, 2},
		{"0.01 h at -1.50", 1, -150, -2},
		{"3.33 h at 33.33", 333, 3333, 11099},
		{"24.00 h at 123.45", 2400, 12345, 296280},
		{"24.00 h at 0.01", 2400, 1, 24},
		{"8.75 h at 187.50", 875, 18750, 164063},
		{"zero hours", 0, 99999, 0},
		{"zero rate", 800, 0, 0},
		{"yen 0.25 h at 10000", 25, 10000, 2500},
		{"yen 0.01 h at 150", 1, 150, 2},
		{"dinar 1.50 h at 12.345", 150, 12345, 18518},
		{"1.00 h at max", 100, math.MaxInt64, math.MaxInt64},
		{"1.00 h at min", 100, math.MinInt64, math.MinInt64},
		{"0.50 h at max rounds up", 50, math.MaxInt64, math.MaxInt64/2 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := BilledAmount(tt.h, tt.rate)
			if err != nil || got != tt.want {
				t.Fatalf("BilledAmount(%d, %d) = %d, %v; want %d", tt.h, tt.rate, got, err, tt.want)
			}
		})
	}
	overflows := []struct {
		name string
		h    Hours
		rate Amount
	}{
		{"2.00 h at max", 200, math.MaxInt64},
		{"1.01 h at max", 101, math.MaxInt64},
		{"-1.00 h at min", -100, math.MinInt64},
		{"max hours at max rate", math.MaxInt64, math.MaxInt64},
		{"min hours at min rate", math.MinInt64, math.MinInt64},
		{"huge hours at 100.00", math.MaxInt64 / 10, 10000},
	}
	for _, tt := range overflows {
		t.Run("overflow "+tt.name, func(t *testing.T) {
			t.Parallel()
			if got, err := BilledAmount(tt.h, tt.rate); err != ErrTooLarge || got != 0 {
				t.Fatalf("BilledAmount(%d, %d) = %d, %v; want ErrTooLarge", tt.h, tt.rate, got, err)
			}
		})
	}
}

func TestPercentOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		a       Amount
		percent int64
		want    Amount
		wantErr error
	}{
		{"8.25% of 100.00", 10000, 825, 825, nil},
		{"8.25% of 0.10 rounds up", 10, 825, 1, nil},
		{"5% of 0.10 is half a cent", 10, 500, 1, nil},
		{"4.99% of 0.10 rounds down", 10, 499, 0, nil},
		{"8.25% of -0.10", -10, 825, -1, nil},
		{"-5% of 0.10", 10, -500, -1, nil},
		{"20% of 123.45", 12345, 2000, 2469, nil},
		{"7.5% of 19.99", 1999, 750, 150, nil},
		{"0% of max", math.MaxInt64, 0, 0, nil},
		{"100% of max", math.MaxInt64, 10000, math.MaxInt64, nil},
		{"100% of min", math.MinInt64, 10000, math.MinInt64, nil},
		{"200% of max", math.MaxInt64, 20000, 0, ErrTooLarge},
		{"-100% of min", math.MinInt64, -10000, 0, ErrTooLarge},
		{"huge percent of 200.00", 20000, math.MaxInt64, 0, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := PercentOf(tt.a, tt.percent)
			if err != tt.wantErr || got != tt.want {
				t.Fatalf("PercentOf(%d, %d) = %d, %v; want %d, %v", tt.a, tt.percent, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// referenceMulDiv is x*y/d rounded half away from zero, with math/big.
func referenceMulDiv(x, y int64, d uint64) (int64, error) {
	p := new(big.Int).Mul(big.NewInt(x), big.NewInt(y))
	neg := p.Sign() < 0
	p.Abs(p)
	q, r := new(big.Int).QuoRem(p, new(big.Int).SetUint64(d), new(big.Int))
	if r.Lsh(r, 1).Cmp(new(big.Int).SetUint64(d)) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	if !q.IsInt64() {
		return 0, ErrTooLarge
	}
	return q.Int64(), nil
}

func TestMulDivRoundMatchesBig(t *testing.T) {
	t.Parallel()
	// value draws from small, medium, full-range and near-boundary magnitudes.
	value := func(rng *rand.Rand) int64 {
		var v int64
		switch rng.IntN(4) {
		case 0:
			v = rng.Int64N(1000)
		case 1:
			v = rng.Int64N(1 << 40)
		case 2:
			v = rng.Int64()
		default:
			v = math.MaxInt64 - rng.Int64N(1000)
		}
		if rng.IntN(2) == 0 {
			v = -v
		}
		return v
	}
	for _, d := range []uint64{100, 10000} {
		t.Run("divisor "+strconv.FormatUint(d, 10), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(1, d)) // one generator per subtest: they run in parallel
			for range 50000 {
				x, y := value(rng), value(rng)
				if rng.IntN(2) == 0 {
					y = rng.Int64N(2*int64(d)+1) - int64(d) // products near the int64 limits
				}
				got, err := mulDivRound(x, y, d)
				want, wantErr := referenceMulDiv(x, y, d)
				if got != want || err != wantErr {
					t.Fatalf("mulDivRound(%d, %d, %d) = %d, %v; want %d, %v", x, y, d, got, err, want, wantErr)
				}
			}
		})
	}
}

func TestAddSubSum(t *testing.T) {
	t.Parallel()
	const maxA, minA = Amount(math.MaxInt64), Amount(math.MinInt64)
	tests := []struct {
		name    string
		op      func() (Amount, error)
		want    Amount
		wantErr error
	}{
		{"add", func() (Amount, error) { return Amount(150).Add(-275) }, -125, nil},
		{"add to max", func() (Amount, error) { return maxA.Add(0) }, maxA, nil},
		{"add past max", func() (Amount, error) { return maxA.Add(1) }, 0, ErrTooLarge},
		{"add past min", func() (Amount, error) { return minA.Add(-1) }, 0, ErrTooLarge},
		{"add min and max", func() (Amount, error) { return minA.Add(maxA) }, -1, nil},
		{"sub", func() (Amount, error) { return Amount(150).Sub(275) }, -125, nil},
		{"sub past min", func() (Amount, error) { return minA.Sub(1) }, 0, ErrTooLarge},
		{"sub past max", func() (Amount, error) { return maxA.Sub(-1) }, 0, ErrTooLarge},
		{"zero minus min", func() (Amount, error) { return Amount(0).Sub(minA) }, 0, ErrTooLarge},
		{"minus one minus min", func() (Amount, error) { return Amount(-1).Sub(minA) }, maxA, nil},
		{"sum of none", func() (Amount, error) { return Sum() }, 0, nil},
		{"sum", func() (Amount, error) { return Sum(160000, 5, -25, 1234) }, 161214, nil},
		{"sum to max", func() (Amount, error) { return Sum(maxA-10, 4, 6) }, maxA, nil},
		{"sum overflows", func() (Amount, error) { return Sum(maxA, 1, -1) }, 0, ErrTooLarge},
		{"sum underflows", func() (Amount, error) { return Sum(-5, minA) }, 0, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.op()
			if err != tt.wantErr || got != tt.want {
				t.Fatalf("got %d, %v; want %d, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestShare(t *testing.T) {
	for _, tc := range []struct {
		a, num, den, want Amount
	}{
		{5500, 1000, 11000, 500}, // 55.00 × 10/110 = 5.00
		{100, 1, 3, 33},          // 1.00 / 3 = 0.333… → 0.33
		{200, 1, 3, 67},          // 2.00 / 3 = 0.666… → 0.67
		{5, 1, 2, 3},             // 0.025 → 0.03 (half up)
		{-5, 1, 2, -3},           // half away from zero
		{10000, 0, 10000, 0},     // no tax
		{10000, 10000, 10000, 10000},
	} {
		got, err := Share(tc.a, tc.num, tc.den)
		if err != nil || got != tc.want {
			t.Errorf("Share(%d, %d, %d) = %d, %v; want %d", tc.a, tc.num, tc.den, got, err, tc.want)
		}
	}
	if _, err := Share(1, 1, 0); err == nil {
		t.Error("Share with a zero denominator: want an error")
	}
}
