package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestArgon2ParamsValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  Argon2Params
		want Argon2Params
	}{
		{"DefaultArgon2 is the OWASP baseline", DefaultArgon2(),
			Argon2Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
		{"FastArgon2 is the cheap test cost", FastArgon2(),
			Argon2Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.got != tt.want {
				t.Fatalf("params = %+v, want %+v", tt.got, tt.want)
			}
		})
	}
}

func TestHasherRoundTrip(t *testing.T) {
	t.Parallel()
	h := NewHasher(FastArgon2())
	tests := []struct {
		name     string
		password string
		wrong    string
	}{
		{"ascii", "correct horse battery staple", "correct horse battery stapler"},
		{"differs only in case", "Tr0ub4dor&3-very-long", "tr0ub4dor&3-very-long"},
		{"multibyte", "Zażółć gęślą jaźń 🔑", "Zazolc gesla jazn 🔑"},
		{"empty", "", " "},
		{"long", strings.Repeat("long-password-", 100), strings.Repeat("long-password-", 99)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			encoded, err := h.Hash(tt.password)
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			if ok, err := h.Check(encoded, tt.password); !ok || err != nil {
				t.Fatalf("Check(right password) = %v, %v; want true, nil", ok, err)
			}
			if ok, err := h.Check(encoded, tt.wrong); ok || err != nil {
				t.Fatalf("Check(wrong password %q) = %v, %v; want false, nil", tt.wrong, ok, err)
			}
			if h.NeedsRehash(encoded) {
				t.Fatalf("NeedsRehash(own hash) = true, want false")
			}
		})
	}
}

func TestHasherSaltsEachHash(t *testing.T) {
	t.Parallel()
	h := NewHasher(FastArgon2())
	first, err := h.Hash("the same password twice")
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	second, err := h.Hash("the same password twice")
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	if first == second {
		t.Fatalf("two hashes of one password are equal: %s", first)
	}
	saltOf := func(encoded string) string { return strings.Split(encoded, "$")[4] }
	if saltOf(first) == saltOf(second) {
		t.Fatalf("two hashes share the salt %s", saltOf(first))
	}
	for _, encoded := range []string{first, second} {
		if ok, err := h.Check(encoded, "the same password twice"); !ok || err != nil {
			t.Fatalf("Check(%s) = %v, %v; want true, nil", encoded, ok, err)
		}
	}
}

func TestHasherPHCFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params Argon2Params
		prefix string
	}{
		{"default", DefaultArgon2(), "$argon2id$v=19$m=19456,t=2,p=1$"},
		{"fast", FastArgon2(), "$argon2id$v=19$m=64,t=1,p=1$"},
		{"custom", Argon2Params{Memory: 256, Iterations: 3, Parallelism: 4, SaltLength: 24, KeyLength: 48},
			"$argon2id$v=19$m=256,t=3,p=4$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			encoded, err := NewHasher(tt.params).Hash("format check password")
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			if !strings.HasPrefix(encoded, tt.prefix) {
				t.Fatalf("hash %q does not start with %q", encoded, tt.prefix)
			}
			fields := strings.Split(encoded, "$")
			if len(fields) != 6 {
				t.Fatalf("hash %q has %d $-fields, want 6", encoded, len(fields))
			}
			for i, want := range map[int]uint32{4: tt.params.SaltLength, 5: tt.params.KeyLength} {
				if strings.Contains(fields[i], "=") {
					t.Errorf("field %d %q is padded", i, fields[i])
				}
				raw, err := base64.RawStdEncoding.DecodeString(fields[i])
				if err != nil {
					t.Fatalf("field %d %q is not raw standard base64: %v", i, fields[i], err)
				}
				if uint32(len(raw)) != want {
					t.Errorf("field %d decodes to %d bytes, want %d", i, len(raw), want)
				}
			}
			p, _, _, err := decodeArgon2Hash(encoded)
			if err != nil {
				t.Fatalf("decodeArgon2Hash: %v", err)
			}
			if p != tt.params {
				t.Fatalf("parsed params = %+v, want %+v", p, tt.params)
			}
		})
	}
}

func TestHasherCheckUsesParamsFromHash(t *testing.T) {
	t.Parallel()
	fastHash, err := NewHasher(FastArgon2()).Hash("an older cheaper hash")
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	def := NewHasher(DefaultArgon2())
	defaultHash, err := def.Hash("a current hash")
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	tests := []struct {
		name        string
		encoded     string
		password    string
		wantOK      bool
		wantRehash  bool
		rehashStory string
	}{
		{"fast hash verifies under default hasher", fastHash, "an older cheaper hash", true, true, "other params"},
		{"fast hash rejects wrong password", fastHash, "an older cheaper hash!", false, true, "other params"},
		{"default hash verifies", defaultHash, "a current hash", true, false, "same params"},
		{"malformed needs rehash", "not a hash", "x", false, true, "unparsable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok, err := def.Check(tt.encoded, tt.password)
			if ok != tt.wantOK {
				t.Fatalf("Check = %v (err %v), want %v", ok, err, tt.wantOK)
			}
			if got := def.NeedsRehash(tt.encoded); got != tt.wantRehash {
				t.Fatalf("NeedsRehash (%s) = %v, want %v", tt.rehashStory, got, tt.wantRehash)
			}
		})
	}
}

func TestHasherNeedsRehashOnLengthChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params Argon2Params
	}{
		{"longer salt", Argon2Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 32, KeyLength: 32}},
		{"longer key", Argon2Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 64}},
		{"more memory", Argon2Params{Memory: 128, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
		{"more iterations", Argon2Params{Memory: 64, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
		{"more lanes", Argon2Params{Memory: 64, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}},
	}
	fast := NewHasher(FastArgon2())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			encoded, err := NewHasher(tt.params).Hash("rehash me please")
			if err != nil {
				t.Fatalf("Hash: %v", err)
			}
			if !fast.NeedsRehash(encoded) {
				t.Fatalf("NeedsRehash(%s) = false under %+v, want true", encoded, FastArgon2())
			}
			if ok, err := fast.Check(encoded, "rehash me please"); !ok || err != nil {
				t.Fatalf("Check = %v, %v; want true, nil", ok, err)
			}
		})
	}
}

func TestHasherCheckMalformed(t *testing.T) {
	t.Parallel()
	h := NewHasher(FastArgon2())
	valid, err := h.Hash("malformed tests")
	if err != nil {
		t.Fatalf("Hash: %v", err)
	}
	// Every bad string is the valid one with one field changed, so each row fails for its own
	// reason only; the "unchanged" row proves the construction itself is sound.
	f := strings.Split(valid, "$")
	salt, key := f[4], f[5]
	costs := "m=64,t=1,p=1"
	build := func(alg, version, costs, salt, key string) string {
		return strings.Join([]string{"", alg, version, costs, salt, key}, "$")
	}
	b64 := base64.RawStdEncoding.EncodeToString
	tests := []struct {
		name    string
		encoded string
	}{
		{"empty", ""},
		{"plain text", "malformed tests"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", build("argon2i", "v=19", costs, salt, key)},
		{"argon2d", build("argon2d", "v=19", costs, salt, key)},
		{"upper-case algorithm", build("ARGON2ID", "v=19", costs, salt, key)},
		{"no leading dollar", strings.TrimPrefix(valid, "$")},
		{"version 16", build("argon2id", "v=16", costs, salt, key)},
		{"version missing", strings.Join([]string{"", "argon2id", costs, salt, key}, "$")},
		{"version garbage", build("argon2id", "version=19", costs, salt, key)},
		{"missing key", strings.Join(f[:5], "$")},
		{"missing salt and key", strings.Join(f[:4], "$")},
		{"empty key", build("argon2id", "v=19", costs, salt, "")},
		{"empty salt", build("argon2id", "v=19", costs, "", key)},
		{"extra field", valid + "$" + key},
		{"trailing dollar", valid + "$"},
		{"bad base64 salt", build("argon2id", "v=19", costs, "!!!!!!!!!!!!!!!!!!!!!!", key)},
		{"bad base64 key", build("argon2id", "v=19", costs, salt, key[:len(key)-2]+"*~")},
		{"padded base64 key", build("argon2id", "v=19", costs, salt, base64.StdEncoding.EncodeToString(make([]byte, 32)))},
		{"url base64 key", build("argon2id", "v=19", costs, salt, strings.Repeat("-_", 21)+"A")},
		{"salt too short", build("argon2id", "v=19", costs, b64(make([]byte, 4)), key)},
		{"salt too long", build("argon2id", "v=19", costs, b64(make([]byte, 65)), key)},
		{"key too short", build("argon2id", "v=19", costs, salt, b64(make([]byte, 8)))},
		{"key too long", build("argon2id", "v=19", costs, salt, b64(make([]byte, 129)))},
		{"m=0", build("argon2id", "v=19", "m=0,t=1,p=1", salt, key)},
		{"t=0", build("argon2id", "v=19", "m=64,t=0,p=1", salt, key)},
		{"p=0", build("argon2id", "v=19", "m=64,t=1,p=0", salt, key)},
		{"memory below 8 KiB per lane", build("argon2id", "v=19", "m=31,t=1,p=4", salt, key)},
		{"huge m", build("argon2id", "v=19", "m=4294967295,t=1,p=1", salt, key)},
		{"m overflows 32 bits", build("argon2id", "v=19", "m=99999999999,t=1,p=1", salt, key)},
		{"huge t", build("argon2id", "v=19", "m=64,t=4294967295,p=1", salt, key)},
		{"p overflows 8 bits", build("argon2id", "v=19", "m=4096,t=1,p=256", salt, key)},
		{"negative m", build("argon2id", "v=19", "m=-64,t=1,p=1", salt, key)},
		{"plus sign", build("argon2id", "v=19", "m=+64,t=1,p=1", salt, key)},
		{"non-numeric t", build("argon2id", "v=19", "m=64,t=one,p=1", salt, key)},
		{"params reordered", build("argon2id", "v=19", "t=1,m=64,p=1", salt, key)},
		{"param missing", build("argon2id", "v=19", "m=64,t=1", salt, key)},
		{"param extra", build("argon2id", "v=19", "m=64,t=1,p=1,k=2", salt, key)},
		{"param without value", build("argon2id", "v=19", "m=64,t,p=1", salt, key)},
		{"spaces in params", build("argon2id", "v=19", "m=64, t=1, p=1", salt, key)},
		{"oversized input", valid + strings.Repeat("A", 1<<20)},
	}
	if ok, err := h.Check(build("argon2id", "v=19", costs, salt, key), "malformed tests"); !ok || err != nil {
		t.Fatalf("unchanged rebuilt hash: Check = %v, %v; want true, nil", ok, err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok, err := h.Check(tt.encoded, "malformed tests")
			if ok || err == nil {
				t.Fatalf("Check(%.120q) = %v, %v; want false and an error", tt.encoded, ok, err)
			}
			if !errors.Is(err, errMalformedHash) {
				t.Fatalf("error %v does not wrap errMalformedHash", err)
			}
			if !h.NeedsRehash(tt.encoded) {
				t.Fatalf("NeedsRehash(%.120q) = false, want true", tt.encoded)
			}
		})
	}
}

func TestNewHasherRejectsInvalidParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params Argon2Params
	}{
		{"zero", Argon2Params{}},
		{"no lanes", Argon2Params{Memory: 64, Iterations: 1, Parallelism: 0, SaltLength: 16, KeyLength: 32}},
		{"memory below 8 KiB per lane", Argon2Params{Memory: 15, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32}},
		{"memory above bound", Argon2Params{Memory: argon2MaxMemory + 1, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
		{"no iterations", Argon2Params{Memory: 64, Iterations: 0, Parallelism: 1, SaltLength: 16, KeyLength: 32}},
		{"short salt", Argon2Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 4, KeyLength: 32}},
		{"short key", Argon2Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				if recover() == nil {
					t.Fatalf("NewHasher(%+v) did not panic", tt.params)
				}
			}()
			NewHasher(tt.params)
		})
	}
}

func TestZeroHasherHashFails(t *testing.T) {
	t.Parallel()
	var h Hasher
	if encoded, err := h.Hash("zero value hasher"); err == nil {
		t.Fatalf("zero Hasher.Hash = %q, nil; want an error", encoded)
	}
}

func TestHasherDummyCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		params Argon2Params
	}{
		{"fast", FastArgon2()},
		{"custom", Argon2Params{Memory: 128, Iterations: 2, Parallelism: 2, SaltLength: 16, KeyLength: 32}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := NewHasher(tt.params)
			h.DummyCheck("whoever@unknown.example")
			h.DummyCheck("")
			// DummyCheck only costs what Check costs if the dummy is a valid hash with h's
			// parameters; a malformed dummy would fail fast and leak which users exist.
			if ok, err := h.Check(h.dummy, "not the random dummy password"); ok || err != nil {
				t.Fatalf("Check(dummy) = %v, %v; want false, nil", ok, err)
			}
			if h.NeedsRehash(h.dummy) {
				t.Fatalf("dummy hash %q does not use %+v", h.dummy, tt.params)
			}
			if other := NewHasher(tt.params); other.dummy == h.dummy {
				t.Fatalf("two hashers share the dummy hash %q", h.dummy)
			}
		})
	}
}

func TestHasherConcurrentUse(t *testing.T) {
	t.Parallel()
	h := NewHasher(FastArgon2())
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			password := fmt.Sprintf("concurrent password %d", i)
			encoded, err := h.Hash(password)
			if err != nil {
				errs <- err
				return
			}
			if ok, err := h.Check(encoded, password); !ok || err != nil {
				errs <- fmt.Errorf("Check(%d) = %v, %v", i, ok, err)
			}
			h.DummyCheck(password)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func BenchmarkHash(b *testing.B) {
	h := NewHasher(DefaultArgon2())
	for b.Loop() {
		if _, err := h.Hash("benchmark password 1234"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	h := NewHasher(DefaultArgon2())
	encoded, err := h.Hash("benchmark password 1234")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := h.Check(encoded, "benchmark password 1234"); !ok || err != nil {
			b.Fatalf("Check = %v, %v", ok, err)
		}
	}
}

func BenchmarkDummyCheck(b *testing.B) {
	h := NewHasher(DefaultArgon2())
	for b.Loop() {
		h.DummyCheck("benchmark password 1234")
	}
}

// However many checks arrive at once, no more hashes run at a time than half of GOMAXPROCS (at
// least one): each holds its memory cost, and more at once would not finish sooner.
func TestHasherBoundsHashesAtOnce(t *testing.T) {
	h := NewHasher(FastArgon2())
	encoded, err := h.Hash("a password long enough")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() { _, _ = h.Check(encoded, "a password long enough") })
	}
	wg.Wait()
	limit := int32(max(1, runtime.GOMAXPROCS(0)/2))
	if p := h.peak.Load(); p < 1 || p > limit {
		t.Fatalf("at most %d hashes ran at once, want between 1 and %d", p, limit)
	}
	if r := h.running.Load(); r != 0 {
		t.Fatalf("%d hashes still counted as running", r)
	}
}
