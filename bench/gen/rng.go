package gen

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// rng is the generator's single deterministic source of randomness.
type rng struct{ *rand.Rand }

// newRNG seeds a PCG generator; the same seed gives the same sequence.
func newRNG(seed uint64) rng {
	return rng{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// chance reports true with probability p.
func (r rng) chance(p float64) bool { return r.Float64() < p }

// between returns a uniform integer in [lo, hi]; lo when hi < lo.
func (r rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

// pick returns a uniform element of xs, which must not be empty.
func pick[T any](r rng, xs []T) T { return xs[r.IntN(len(xs))] }

// choose returns an index of weights, each drawn with probability proportional to its weight.
func (r rng) choose(weights []float64) int {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	x := r.Float64() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// split divides total into len(weights) whole parts proportional to weights, handing the
// remainder to the largest fractions (ties to the lower index), so the parts sum to total
// exactly. All-zero weights give all-zero parts.
func split(total int, weights []float64) []int {
	parts := make([]int, len(weights))
	var sum float64
	for _, w := range weights {
		sum += w
	}
	if sum <= 0 || total <= 0 {
		return parts
	}
	frac := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(total) * w / sum
		parts[i] = int(exact)
		frac[i] = exact - float64(parts[i])
		given += parts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(frac[b], frac[a]) })
	for i := 0; given < total; i = (i + 1) % len(order) {
		if weights[order[i]] > 0 {
			parts[order[i]]++
			given++
		}
	}
	return parts
}

// sample returns k distinct elements of xs in random order (all of them when k ≥ len(xs)).
func sample[T any](r rng, xs []T, k int) []T {
	out := slices.Clone(xs)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:min(k, len(out))]
}
