package auth

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The messages are spelled out here rather than taken from the package's constants, so a change
// of wording breaks a test instead of passing silently.
const (
	pwTestShort    = "This password is too short. It must contain at least 12 characters."
	pwTestLong     = "This password is too long. It must contain at most 128 characters."
	pwTestCommon   = "This password is too common."
	pwTestUsername = "The password is too similar to the username."
	pwTestEmail    = "The password is too similar to the email address."
	pwTestNumeric  = "This password is entirely numeric."
)

// pwTestPhrase cycles into long passwords that break no rule but length: its period (30 runes)
// is longer than any chunk the repetition rule looks for.
const pwTestPhrase = "Quiet-Harbor-7-lanterns-drift-"

// pwTestCycle repeats phrase rune by rune until the result is n runes long.
func pwTestCycle(phrase string, n int) string {
	runes := []rune(phrase)
	out := make([]rune, n)
	for i := range out {
		out[i] = runes[i%len(runes)]
	}
	return string(out)
}

func TestPasswordProblemsEachRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		username string
		email    string
		want     []string
	}{
		{"too short", "Xk9#mQ2$vL7", "alice", "alice@firm.example", []string{pwTestShort}},
		{"too long", pwTestCycle(pwTestPhrase, 129), "alice", "alice@firm.example", []string{pwTestLong}},
		{"common", "Qwertyuiop123", "alice", "alice@firm.example", []string{pwTestCommon}},
		{"similar to username", "alice-wonder-2026", "alicewonder", "", []string{pwTestUsername}},
		{"similar to email", "johnsmith12345", "", "john.smith@firm.example", []string{pwTestEmail}},
		{"entirely numeric", "839201746582", "alice", "alice@firm.example", []string{pwTestNumeric}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PasswordProblems(tt.password, tt.username, tt.email); !slices.Equal(got, tt.want) {
				t.Fatalf("PasswordProblems(%q, %q, %q) = %q, want %q", tt.password, tt.username, tt.email, got, tt.want)
			}
		})
	}
}

func TestPasswordProblemsSeveralInOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		username string
		email    string
		want     []string
	}{
		{"short and numeric", "12345", "", "", []string{pwTestShort, pwTestNumeric}},
		{"short and common", "abcabc", "", "", []string{pwTestShort, pwTestCommon}},
		{"short and similar to both", "alice", "alice", "alice@firm.example",
			[]string{pwTestShort, pwTestUsername, pwTestEmail}},
		{"every rule but too long", "11111", "11111", "11111@firm.example",
			[]string{pwTestShort, pwTestCommon, pwTestUsername, pwTestEmail, pwTestNumeric}},
		{"every rule but too short", strings.Repeat("7", 129), strings.Repeat("7", 129), strings.Repeat("7", 129) + "@firm.example",
			[]string{pwTestLong, pwTestCommon, pwTestUsername, pwTestEmail, pwTestNumeric}},
		{"common and similar to username", "Password1234!", "password", "",
			[]string{pwTestCommon, pwTestUsername}},
		{"empty", "", "alice", "alice@firm.example", []string{pwTestShort}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PasswordProblems(tt.password, tt.username, tt.email); !slices.Equal(got, tt.want) {
				t.Fatalf("PasswordProblems(%.40q, %q, %q) = %q, want %q", tt.password, tt.username, tt.email, got, tt.want)
			}
		})
	}
}

func TestPasswordProblemsAcceptable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		username string
		email    string
	}{
		{"passphrase", "correct horse battery staple", "alice", "alice@firm.example"},
		{"mixed classes", "Tr0ub4dor&3-very-long", "alice", "alice@firm.example"},
		{"exactly 12 characters", "Xk9#mQ2$vL7p", "alice", "alice@firm.example"},
		{"exactly 128 characters", pwTestCycle(pwTestPhrase, 128), "alice", "alice@firm.example"},
		{"12 multibyte characters", "Zażółć-gęślą", "alice", "alice@firm.example"},
		{"five-character chunk repeated", "vwxyzvwxyzvwxyz", "alice", "alice@firm.example"},
		{"no attributes to compare", "alice-wonder-2026", "", ""},
		{"attributes of only short parts", "alpha-centauri-77", "al", "al@x.io"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PasswordProblems(tt.password, tt.username, tt.email); len(got) != 0 {
				t.Fatalf("PasswordProblems(%q, %q, %q) = %q, want none", tt.password, tt.username, tt.email, got)
			}
		})
	}
}

func TestPasswordLengthCountsRunes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		password  string
		runes     int
		wantShort bool
		wantLong  bool
		byteTrap  bool
	}{
		{"11 multibyte runes in 17 bytes", "Zażółć-gęśl", 11, true, false, true},
		{"12 multibyte runes", "Zażółć-gęślą", 12, false, false, false},
		{"11 emoji in 43 bytes", "🔑🚪🏠🌲🌊🔥⭐🍀🎲🎯🧭", 11, true, false, true},
		{"12 emoji", "🔑🚪🏠🌲🌊🔥⭐🍀🎲🎯🧭🪁", 12, false, false, false},
		{"128 ascii", pwTestCycle(pwTestPhrase, 128), 128, false, false, false},
		{"129 ascii", pwTestCycle(pwTestPhrase, 129), 129, false, true, false},
		{"128 multibyte runes in more than 128 bytes", pwTestCycle("Zażółć-gęślą-jaźń-", 128), 128, false, false, true},
		{"129 multibyte runes", pwTestCycle("Zażółć-gęślą-jaźń-", 129), 129, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Guard the fixture: the rows marked byteTrap are only useful if counting bytes
			// instead of runes would give the opposite verdict.
			if n := utf8.RuneCountInString(tt.password); n != tt.runes {
				t.Fatalf("fixture has %d runes, want %d", n, tt.runes)
			}
			if tt.byteTrap && (len(tt.password) < MinPasswordLength) == tt.wantShort &&
				(len(tt.password) > MaxPasswordLength) == tt.wantLong {
				t.Fatalf("fixture of %d bytes would not tell bytes from runes", len(tt.password))
			}
			got := PasswordProblems(tt.password, "", "")
			if short := slices.Contains(got, pwTestShort); short != tt.wantShort {
				t.Errorf("too short = %v, want %v (problems %q)", short, tt.wantShort, got)
			}
			if long := slices.Contains(got, pwTestLong); long != tt.wantLong {
				t.Errorf("too long = %v, want %v (problems %q)", long, tt.wantLong, got)
			}
		})
	}
}

func TestPasswordSimilarity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		password  string
		username  string
		email     string
		wantUser  bool
		wantEmail bool
	}{
		{"ratio to username", "alice-wonder-2026", "alicewonder", "", true, false},
		{"contains email part", "johnsmith12345", "", "john.smith@firm.example", false, true},
		{"ratio ignores case", "AliceWonder-26", "alicewonder", "", true, false},
		// Containment is no rule: 2*16/(16+30) < 0.7.
		{"username contains password", "masterfulplanner", "zzqqxxmasterfulplannerwwyyvvkk", "", false, false},
		{"contains username part", "watson-is-my-name", "mary.jane-watson", "", false, false},
		// 2*10/(13+10) against the part "fitzgerald", 2*10/(13+20) against the whole username.
		{"ratio to username part", "Fitzgerald-26", "mary.jane-fitzgerald", "", true, false},
		{"contains email domain part", "contoso-rocks-2026", "", "bob@contoso.example", false, false},
		// Similar to the local part (ratio 0.79) but not to the whole address (0.67).
		{"ratio to email local part", "alice-wonder-2026", "", "alicewonder@x.io", false, true},
		// Every part is under 3 characters and the whole address is long enough to stay below
		// the ratio, so only the local part "ab.cd.ef.gh" itself can catch this one.
		{"contains email local part", "ab.cd.ef.gh!!", "", "ab.cd.ef.gh@zz.yy.xx.io", false, true},
		{"ratio below threshold", "alice-in-the-wonderland-2026", "alicewonder", "alicewonder@x.io", false, false},
		{"attributes shorter than 3 ignored", "alpha-centauri-77", "al", "al@x.io", false, false},
		{"unrelated", "correct horse battery staple", "alice", "alice@firm.example", false, false},
		{"empty attributes skipped", "alice-wonder-2026", "", "", false, false},
		{"blank attributes skipped", "correct   horse   battery", "   ", "   ", false, false},
		{"both at once", "bob.builder-2026!", "bob.builder", "bob.builder@firm.example", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := PasswordProblems(tt.password, tt.username, tt.email)
			if user := slices.Contains(got, pwTestUsername); user != tt.wantUser {
				t.Errorf("similar to username = %v, want %v (problems %q)", user, tt.wantUser, got)
			}
			if email := slices.Contains(got, pwTestEmail); email != tt.wantEmail {
				t.Errorf("similar to email = %v, want %v (problems %q)", email, tt.wantEmail, got)
			}
		})
	}
}

func TestPasswordProblemsHugeInputStaysCheap(t *testing.T) {
	t.Parallel()
	// Each row would run for minutes or hours without the bounds in password_rules.go (the ratio's
	// length cap, the parts cap, the longest-entry cut-off); with them each is a few milliseconds.
	// No timing is asserted: a regression shows up as a test timeout.
	reversed := []rune(pwTestCycle(pwTestPhrase, 150_000))
	slices.Reverse(reversed)
	var manyParts strings.Builder
	// Parts start with "e", which the password is full of, so each containment check scans it.
	for i := range 100_000 {
		fmt.Fprintf(&manyParts, "e%06d-", i)
	}
	tests := []struct {
		name     string
		password string
		username string
		email    string
		want     []string
	}{
		// The username is reversed so that only the similarity ratio could fire. The numeric one is
		// common because dropping trailing digits reaches the listed "111111111111".
		{"huge password and username", pwTestCycle(pwTestPhrase, 200_000), string(reversed), "", []string{pwTestLong}},
		{"huge numeric password", strings.Repeat("1", 1_000_000) + "2", "", "", []string{pwTestLong, pwTestCommon, pwTestNumeric}},
		{"huge password and username of many parts", pwTestCycle(pwTestPhrase, 1_000_000), manyParts.String(), "", []string{pwTestLong}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PasswordProblems(tt.password, tt.username, tt.email); !slices.Equal(got, tt.want) {
				t.Fatalf("PasswordProblems(huge) = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSimilarityRatio(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b string
		want float64
	}{
		{"identical", "alicewonder", "alicewonder", 1},
		{"nothing in common", "abc", "xyz", 0},
		{"one empty", "", "abc", 0},
		{"one block", "abcd", "bcde", 6.0 / 8},
		{"two blocks", "alice-wonder-2026", "alicewonder", 22.0 / 28},
		{"match right of the longest block", "wikimedia", "wikimania", 14.0 / 18},
		{"match left of the longest block", "zyabc", "yzabc", 8.0 / 10},
		{"match on both sides", "xabcyz", "abcxyz", 10.0 / 12},
		{"counts runes not bytes", "żółw", "żółwik", 8.0 / 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, pair := range [][2]string{{tt.a, tt.b}, {tt.b, tt.a}} {
				got := similarityRatio([]rune(pair[0]), []rune(pair[1]))
				if math.Abs(got-tt.want) > 1e-9 {
					t.Fatalf("similarityRatio(%q, %q) = %v, want %v", pair[0], pair[1], got, tt.want)
				}
			}
		})
	}
}

func TestPasswordCommon(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"listed", "password1234", true},
		{"listed, upper-case", "PASSWORD1234", true},
		{"listed numeric", "123456789012", true},
		{"listed keyboard walk", "1q2w3e4r5t6y", true},
		{"listed repeated word", "passwordpassword", true},
		{"listed season and year", "Summer2024!!", true},
		{"trailing punctuation", "password1234!", true},
		{"trailing digits and punctuation", "welcome12345678!?", true},
		{"trailing symbols", "qwertyuiop123$$", true},
		{"trailing letter is not stripped", "password1234x", false},
		{"single character repeated", "aaaaaaaaaaaaa", true},
		{"single multibyte character repeated", "ééééééééééééé", true},
		{"two-character chunk", "abababababab", true},
		{"three-character chunk", "abcabcabcabc", true},
		{"four-character chunk", "wxyzwxyzwxyz", true},
		{"chunk in mixed case", "AbcaBCabcABC", true},
		{"five-character chunk", "vwxyzvwxyzvwxyz", false},
		{"chunk with a remainder", "abcabcabcabca", false},
		{"unlisted passphrase", "correct horse battery staple", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := PasswordProblems(tt.password, "", "")
			if common := slices.Contains(got, pwTestCommon); common != tt.want {
				t.Fatalf("PasswordProblems(%q) common = %v, want %v (problems %q)", tt.password, common, tt.want, got)
			}
		})
	}
}

func TestCommonPasswordList(t *testing.T) {
	t.Parallel()
	lines := strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n")
	if len(lines) < 300 {
		t.Fatalf("list has %d entries, want at least 300", len(lines))
	}
	if got := len(commonPasswords().entries); got != len(lines) {
		t.Fatalf("parsed set has %d entries, file has %d lines", got, len(lines))
	}
	seen := make(map[string]int, len(lines))
	for i, entry := range lines {
		switch {
		case entry == "" || strings.TrimSpace(entry) != entry:
			t.Errorf("line %d %q is blank or padded", i+1, entry)
		case strings.ToLower(entry) != entry:
			t.Errorf("line %d %q is not lower-case", i+1, entry)
		case seen[entry] != 0:
			t.Errorf("line %d %q repeats line %d", i+1, entry, seen[entry])
		case !slices.Contains(PasswordProblems(entry, "", ""), pwTestCommon):
			t.Errorf("line %d %q is not reported as common", i+1, entry)
		}
		seen[entry] = i + 1
	}
}

func TestPasswordMessagesMatchBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		msg  string
		want string
	}{
		{"too short", passwordMsgTooShort, fmt.Sprintf("This password is too short. It must contain at least %d characters.", MinPasswordLength)},
		{"too long", passwordMsgTooLong, fmt.Sprintf("This password is too long. It must contain at most %d characters.", MaxPasswordLength)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.msg != tt.want {
				t.Fatalf("message %q does not match the bound: want %q", tt.msg, tt.want)
			}
		})
	}
}

func TestPasswordMayContainTheEmailTopLevelDomain(t *testing.T) {
	t.Parallel()
	if got := PasswordProblems("welcome to the company picnic", "alice", "alice@firm.com"); len(got) != 0 {
		t.Fatalf("a passphrase containing \"com\" was refused: %q", got)
	}
	if got := PasswordProblems("Contoso-Consulting!", "alice", "alice@contoso-consulting.com"); !slices.Equal(got, []string{pwTestEmail}) {
		t.Fatalf("a password nearly equal to the domain = %q, want only %q", got, pwTestEmail)
	}
}

// TestPasswordSimilarityIsARatioOverTheWholePassword: a password is too similar when its ratio to
// the username, the email, the email's local part or one of their parts reaches 0.7; merely
// containing a short attribute is fine.
func TestPasswordSimilarityIsARatioOverTheWholePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		password string
		username string
		email    string
		want     []string
	}{
		{"contains a short username", "tomato-harvest-season-9", "tom", "tom@firm.example", nil},
		{"contains a short email part", "tomato-harvest-season-9", "ada", "tom.ada@tomato.example", nil},
		{"contains a long username among other words", "copper-kettle-harborview-lanterns", "harborview", "", nil},
		{"equal to the username", "Harborview-2026", "harborview-2026", "", []string{pwTestUsername}},
		{"nearly equal to the username", "Harborview2026!", "harborview", "", []string{pwTestUsername}},
		{"nearly equal to a username part", "Lighthouse-99", "anna_k.lighthouse", "", []string{pwTestUsername}},
		{"equal to the email", "Maple.Fern@Example.com", "", "maple.fern@example.com", []string{pwTestEmail}},
		{"nearly equal to the email", "maple.fern@example.co", "", "maple.fern@example.com", []string{pwTestEmail}},
		{"nearly equal to the local part", "maple.fern.1987", "", "maple.fern@example.com", []string{pwTestEmail}},
		{"nearly equal to an email part", "Greenwood-Advisory!", "", "bo@greenwood-advisory.example", []string{pwTestEmail}},
		{"underscore does not split a part", "river_stone_42", "", "x@river_stone.example", []string{pwTestEmail}},
		{"both attributes", "Quillon-Marsh-26", "quillon.marsh", "quillon.marsh@firm.example", []string{pwTestUsername, pwTestEmail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PasswordProblems(tt.password, tt.username, tt.email); !slices.Equal(got, tt.want) {
				t.Fatalf("PasswordProblems(%q, %q, %q) = %q, want %q", tt.password, tt.username, tt.email, got, tt.want)
			}
		})
	}
}

// TestShortCommonPasswordGetsBothMessages: the common list is consulted whatever the length.
func TestShortCommonPasswordGetsBothMessages(t *testing.T) {
	t.Parallel()
	both := []string{pwTestShort, pwTestCommon}
	for _, password := range []string{"password", "Password1!", "letmein", "qwerty123", "iloveyou", "Sunshine!"} {
		if got := PasswordProblems(password, "alice", "alice@firm.example"); !slices.Equal(got, both) {
			t.Errorf("PasswordProblems(%q) = %q, want %q", password, got, both)
		}
	}
}
