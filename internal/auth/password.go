package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Argon2Params are the cost parameters of a password hash. They travel inside every encoded hash,
// so raising them later only affects new hashes; old ones keep verifying and can be upgraded on the
// next successful login (see Hasher.NeedsRehash).
type Argon2Params struct {
	// Memory is the memory cost in KiB; it is what makes guessing expensive on GPUs.
	Memory uint32
	// Iterations is the number of passes over the memory.
	Iterations uint32
	// Parallelism is the number of lanes; more lanes use more cores, not less work.
	Parallelism uint8
	// SaltLength is the length in bytes of the random salt drawn for each hash.
	SaltLength uint32
	// KeyLength is the length in bytes of the derived key stored in the hash.
	KeyLength uint32
}

// DefaultArgon2 is the production cost: OWASP's argon2id baseline (m=19456 KiB, t=2, p=1), 16-byte
// salt, 32-byte key. A function, because Go has no struct constants and a variable could be
// reassigned by any importer.
func DefaultArgon2() Argon2Params {
	return Argon2Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}

// FastArgon2 is a cheap cost for tests only (m=64 KiB, t=1, p=1), so suites that create many users
// do not spend most of their time hashing. Never use it for stored passwords.
func FastArgon2() Argon2Params {
	return Argon2Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}

// Bounds on parameters, both for Hasher construction and for hashes read back from storage. The
// upper bounds exist because Check takes its cost from the encoded string: without them a corrupt
// or tampered row could make a single login allocate gigabytes or spin for minutes.
const (
	argon2MaxMemory     = 1 << 20 // KiB, i.e. 1 GiB
	argon2MaxIterations = 64
	argon2MinSalt       = 8 // RFC 9106 minimum
	argon2MaxSalt       = 64
	argon2MinKey        = 16
	argon2MaxKey        = 128
	// argon2MaxEncoded caps the encoded string before any parsing; a well-formed hash within the
	// bounds above is always shorter.
	argon2MaxEncoded = 512
	argon2Name       = "argon2id"
)

// errMalformedHash is wrapped by every error about an encoded hash that cannot be verified, so
// callers can tell corrupt data apart from a wrong password (which is ok == false, err == nil).
var errMalformedHash = errors.New("malformed password hash")

// phcB64 is the PHC string format's base64: standard alphabet, no padding. Strict rejects
// non-canonical trailing bits so each hash has exactly one accepted spelling.
var phcB64 = base64.RawStdEncoding.Strict()

// validate reports why p cannot be used, so bad parameters fail loudly instead of panicking
// inside argon2 or producing hashes that Check would later refuse.
func (p Argon2Params) validate() error {
	switch {
	case p.Parallelism == 0:
		return errors.New("parallelism must be at least 1")
	case p.Memory < 8*uint32(p.Parallelism):
		return fmt.Errorf("memory must be at least 8 KiB per lane (%d KiB for p=%d)", 8*uint32(p.Parallelism), p.Parallelism)
	case p.Memory > argon2MaxMemory:
		return fmt.Errorf("memory must be at most %d KiB", argon2MaxMemory)
	case p.Iterations == 0 || p.Iterations > argon2MaxIterations:
		return fmt.Errorf("iterations must be between 1 and %d", argon2MaxIterations)
	case p.SaltLength < argon2MinSalt || p.SaltLength > argon2MaxSalt:
		return fmt.Errorf("salt length must be between %d and %d bytes", argon2MinSalt, argon2MaxSalt)
	case p.KeyLength < argon2MinKey || p.KeyLength > argon2MaxKey:
		return fmt.Errorf("key length must be between %d and %d bytes", argon2MinKey, argon2MaxKey)
	}
	return nil
}

// Hasher hashes and checks passwords with fixed parameters. It is immutable after NewHasher and
// safe for concurrent use. The zero value is not usable: it has no parameters and no dummy hash.
type Hasher struct {
	params Argon2Params
	// dummy is a hash of a random password made with params, so DummyCheck costs what Check
	// costs for a real user's hash and login timing does not reveal whether a user exists.
	dummy string
	// slots bounds the hashes computed at once to half the cores (at least one). Each holds its
	// memory cost (19 MiB by default) for its whole run: 64 logins at once took 1.2 GiB, and
	// more at once finish no sooner, since the hash is all CPU. Half, so that a burst of logins
	// leaves the other cores to the rest of the API, and because the collector lets the heap grow
	// to twice what is live: two hashes under way lifted the server's peak from 136–140 to 193–206 MiB
	// (docs/PERFORMANCE.md, round 5). The others wait their turn.
	slots chan struct{}
	// running and peak count hashes under way and the most ever at once (tested).
	running, peak atomic.Int32
}

// NewHasher returns a Hasher that makes new hashes with p. It precomputes a dummy hash of a random
// password for DummyCheck, which costs one hash at start-up. It panics if p is outside the bounds
// Check accepts, because parameters are a programming constant and a Hasher whose own hashes could
// not be verified must never reach production.
func NewHasher(p Argon2Params) *Hasher {
	if err := p.validate(); err != nil {
		panic("auth: NewHasher: invalid argon2 parameters: " + err.Error())
	}
	h := &Hasher{params: p, slots: make(chan struct{}, hashSlots())}
	dummy, err := h.Hash(rand.Text())
	if err != nil {
		// Unreachable: Hash only fails on parameters, which were validated above.
		panic("auth: NewHasher: " + err.Error())
	}
	h.dummy = dummy
	return h
}

// hashSlots is how many hashes may run at once: half of GOMAXPROCS, at least one.
func hashSlots() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// Hash returns the argon2id hash of password in the PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>, base64 without padding), with a fresh random salt
// so equal passwords never share a hash. It fails only when h's parameters are invalid (a Hasher
// not made by NewHasher).
func (h *Hasher) Hash(password string) (string, error) {
	p := h.params
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	salt := make([]byte, p.SaltLength)
	// crypto/rand.Read never returns an error since Go 1.24; it aborts the program instead,
	// because continuing without randomness would be worse.
	_, _ = rand.Read(salt)
	key := h.derive(password, salt, p)
	return encodeArgon2Hash(p, salt, key), nil
}

// Check reports whether password matches the encoded hash. The cost parameters come from the
// encoded string rather than from h, so hashes made under older (or newer) parameters still verify.
// The keys are compared in constant time so the comparison leaks nothing about how much matched.
// A malformed or out-of-bounds hash yields false and an error wrapping errMalformedHash; a wrong
// password yields false and a nil error.
func (h *Hasher) Check(encoded, password string) (ok bool, err error) {
	p, salt, key, err := decodeArgon2Hash(encoded)
	if err != nil {
		return false, err
	}
	got := h.derive(password, salt, p)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// derive computes one argon2id key in one of h's slots, waiting for a free one.
func (h *Hasher) derive(password string, salt []byte, p Argon2Params) []byte {
	if h.slots != nil {
		h.slots <- struct{}{}
		defer func() { <-h.slots }()
	}
	n := h.running.Add(1)
	defer h.running.Add(-1)
	for {
		old := h.peak.Load()
		if n <= old || h.peak.CompareAndSwap(old, n) {
			break
		}
	}
	return argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
}

// NeedsRehash reports whether encoded was made with parameters other than h's (or cannot be
// parsed at all), so the caller can store a fresh hash while it still knows the plain password,
// i.e. right after a successful Check.
func (h *Hasher) NeedsRehash(encoded string) bool {
	p, _, _, err := decodeArgon2Hash(encoded)
	return err != nil || p != h.params
}

// DummyCheck does the same work as Check against a hash with h's parameters and discards the
// result. Login calls it when no user matches, so an unknown username costs as much time as a
// known one with a wrong password and response times do not reveal which accounts exist.
func (h *Hasher) DummyCheck(password string) {
	_, _ = h.Check(h.dummy, password)
}

// encodeArgon2Hash writes the PHC string for one hash; it is the single place that defines the
// format decodeArgon2Hash reads back.
func encodeArgon2Hash(p Argon2Params, salt, key []byte) string {
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2Name, argon2.Version, p.Memory, p.Iterations, p.Parallelism,
		phcB64.EncodeToString(salt), phcB64.EncodeToString(key))
}

// decodeArgon2Hash parses a PHC argon2id string strictly. SaltLength and KeyLength of the returned
// parameters are the decoded lengths, so NeedsRehash notices a change of either. Every bound is
// checked before any hashing, so a hostile string cannot make Check expensive or make argon2 panic.
func decodeArgon2Hash(encoded string) (p Argon2Params, salt, key []byte, err error) {
	malformed := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", errMalformedHash, fmt.Sprintf(format, args...))
	}
	if len(encoded) > argon2MaxEncoded {
		return p, nil, nil, malformed("longer than %d bytes", argon2MaxEncoded)
	}
	// "$argon2id$v=19$m=..,t=..,p=..$salt$key" splits into an empty first field and five more.
	fields := strings.Split(encoded, "$")
	if len(fields) != 6 || fields[0] != "" {
		return p, nil, nil, malformed("want $%s$v=..$m=..,t=..,p=..$salt$key", argon2Name)
	}
	if fields[1] != argon2Name {
		return p, nil, nil, malformed("algorithm %q is not %s", fields[1], argon2Name)
	}
	if want := "v=" + strconv.Itoa(argon2.Version); fields[2] != want {
		return p, nil, nil, malformed("version %q is not %s", fields[2], want)
	}
	if p, err = parseArgon2Costs(fields[3]); err != nil {
		return p, nil, nil, malformed("%v", err)
	}
	if salt, err = decodePHCBase64(fields[4], argon2MinSalt, argon2MaxSalt); err != nil {
		return p, nil, nil, malformed("salt: %v", err)
	}
	if key, err = decodePHCBase64(fields[5], argon2MinKey, argon2MaxKey); err != nil {
		return p, nil, nil, malformed("key: %v", err)
	}
	p.SaltLength, p.KeyLength = uint32(len(salt)), uint32(len(key))
	if err := p.validate(); err != nil {
		return p, nil, nil, malformed("%v", err)
	}
	return p, salt, key, nil
}

// parseArgon2Costs parses "m=<KiB>,t=<passes>,p=<lanes>" in exactly that order, as Hash writes it;
// accepting other spellings would only widen what a corrupted row can smuggle in.
func parseArgon2Costs(s string) (Argon2Params, error) {
	var p Argon2Params
	parts := strings.Split(s, ",")
	names := [...]string{"m", "t", "p"}
	if len(parts) != len(names) {
		return p, fmt.Errorf("parameters %q: want m=<KiB>,t=<passes>,p=<lanes>", s)
	}
	var values [len(names)]uint64
	for i, part := range parts {
		name, value, ok := strings.Cut(part, "=")
		if !ok || name != names[i] {
			return p, fmt.Errorf("parameters %q: want m=<KiB>,t=<passes>,p=<lanes>", s)
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		v, err := strconv.ParseUint(value, 10, bits)
		if err != nil {
			return p, fmt.Errorf("parameter %s=%q is not a %d-bit unsigned number", name, value, bits)
		}
		values[i] = v
	}
	p.Memory, p.Iterations, p.Parallelism = uint32(values[0]), uint32(values[1]), uint8(values[2])
	return p, nil
}

// decodePHCBase64 decodes unpadded standard base64 and checks the decoded length, looking at the
// encoded length first so an oversized field is refused without decoding it.
func decodePHCBase64(s string, minLen, maxLen int) ([]byte, error) {
	if len(s) > phcB64.EncodedLen(maxLen) {
		return nil, fmt.Errorf("longer than %d bytes", maxLen)
	}
	b, err := phcB64.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("invalid base64: %w", err)
	}
	if len(b) < minLen || len(b) > maxLen {
		return nil, fmt.Errorf("%d bytes, want %d to %d", len(b), minLen, maxLen)
	}
	return b, nil
}
