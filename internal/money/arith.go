package money

import (
	"math"
	"math/bits"
)

// Add returns a+b, or ErrTooLarge when the sum does not fit in an Amount.
func (a Amount) Add(b Amount) (Amount, error) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, ErrTooLarge
	}
	return s, nil
}

// Sub returns a-b, or ErrTooLarge when the difference does not fit in an Amount.
func (a Amount) Sub(b Amount) (Amount, error) {
	d := a - b
	if (b > 0 && d > a) || (b < 0 && d < a) {
		return 0, ErrTooLarge
	}
	return d, nil
}

// Sum returns the total of xs (0 for none), or ErrTooLarge as soon as a running total
// overflows.
func Sum(xs ...Amount) (Amount, error) {
	var total Amount
	for _, x := range xs {
		var err error
		if total, err = total.Add(x); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// BilledAmount returns hours × rate, where rate is an hourly rate in minor units, rounded
// half away from zero to the minor unit: 1.50 h × 100.00 = 150.00, 0.01 h × 33.33 = 0.33
// (0.3333), 0.50 h × 0.01 = 0.01 (0.005), and -0.50 h × 0.01 = -0.01. The product is exact;
// a result that does not fit in an Amount is ErrTooLarge.
func BilledAmount(h Hours, rate Amount) (Amount, error) {
	v, err := mulDivRound(int64(h), int64(rate), 100)
	return Amount(v), err
}

// PercentOf returns percentHundredths/100 percent of a (825 is 8.25 %), rounded half away from
// zero to the minor unit: 8.25 % of 100.00 is 8.25 and 8.25 % of 0.10 is 0.01 (0.00825). A
// result that does not fit in an Amount is ErrTooLarge.
func PercentOf(a Amount, percentHundredths int64) (Amount, error) {
	v, err := mulDivRound(int64(a), percentHundredths, 10000)
	return Amount(v), err
}

// mulDivRound returns x*y/d rounded half away from zero, computing x*y exactly in 128 bits.
// d must be positive and below 2^63.
func mulDivRound(x, y int64, d uint64) (int64, error) {
	neg := (x < 0) != (y < 0)
	hi, lo := bits.Mul64(magnitude(x), magnitude(y))
	if hi >= d { // the quotient needs more than 64 bits (and Div64 would panic)
		return 0, ErrTooLarge
	}
	q, r := bits.Div64(hi, lo, d)
	if r >= d-r { // r/d >= 1/2
		if q == math.MaxUint64 {
			return 0, ErrTooLarge
		}
		q++
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if q > limit {
		return 0, ErrTooLarge
	}
	if neg {
		return int64(-q), nil
	}
	return int64(q), nil
}

// magnitude returns |x| as a uint64, exact for math.MinInt64.
func magnitude(x int64) uint64 {
	if x < 0 {
		return -uint64(x)
	}
	return uint64(x)
}

// Share returns a's share num/den (a × num ÷ den) rounded half away from zero to the minor
// unit: the tax part of a credit of 55.00 on an invoice of 110.00 with 10.00 tax is 5.00. den
// must be positive; a result that does not fit in an Amount is ErrTooLarge.
func Share(a, num, den Amount) (Amount, error) {
	if den <= 0 {
		return 0, ErrTooLarge
	}
	hi, lo := bits.Mul64(magnitude(int64(a)), magnitude(int64(num)))
	neg := (a < 0) != (num < 0)
	if hi >= uint64(den) {
		return 0, ErrTooLarge
	}
	q, r := bits.Div64(hi, lo, uint64(den))
	if r >= uint64(den)-r {
		q++
	}
	if q > math.MaxInt64 {
		return 0, ErrTooLarge
	}
	if neg {
		return Amount(-int64(q)), nil
	}
	return Amount(q), nil
}
