package auth

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MinPasswordLength and MaxPasswordLength bound a password's length in characters (runes), not
// bytes, so a password in a non-Latin script is held to the same rule as an ASCII one. The maximum
// keeps hashing and the similarity checks cheap; SPEC §3 sets both.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
)

// The messages of PasswordProblems. Each names the rule that failed (SPEC §3), so a user can fix
// the password without guessing.
const (
	passwordMsgTooShort = "This password is too short. It must contain at least 12 characters." // MinPasswordLength
	passwordMsgTooLong  = "This password is too long. It must contain at most 128 characters."  // MaxPasswordLength
	passwordMsgCommon   = "This password is too common."
	passwordMsgUsername = "The password is too similar to the username."
	passwordMsgEmail    = "The password is too similar to the email address."
	passwordMsgNumeric  = "This password is entirely numeric."
)

const (
	// passwordMaxSimilarity is the similarity ratio at and above which a password counts as too
	// similar to a user attribute (the threshold well-known validators use).
	passwordMaxSimilarity = 0.7
	// passwordMaxChunk is the longest chunk whose plain repetition still counts as common
	// ("abcabcabcabc", "abababababab").
	passwordMaxChunk = 4
	// passwordMaxParts caps how many distinct parts of one username or email are compared, so the
	// checks stay cheap even for an absurd attribute made of thousands of parts. No real username
	// or address has this many.
	passwordMaxParts = 32
	// passwordMaxRatioRunes bounds both sides of a similarity ratio. The ratio costs roughly the
	// product of the lengths times the number of matching blocks, so unbounded input (a megabyte
	// "password" or username) would make validation a denial-of-service vector. Anything longer
	// than this is far beyond MaxPasswordLength or a real email address.
	passwordMaxRatioRunes = 2 * MaxPasswordLength
)

// commonPasswordsText is the list of common passwords, one lower-case entry per line. Short
// entries ("password", "letmein") are listed too, so a short common password is reported as both
// too short and too common.
//
//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswordList is the parsed list: the entries, and the byte length of the longest one so
// that prefixes which cannot be entries are never hashed for a lookup.
type commonPasswordList struct {
	entries map[string]struct{}
	longest int
}

// has reports whether s is an entry.
func (l commonPasswordList) has(s string) bool {
	if len(s) > l.longest {
		return false
	}
	_, ok := l.entries[s]
	return ok
}

// commonPasswords parses commonPasswordsText on first use only, so processes that never validate a
// password do not pay for the map. The list is never modified after it is built.
var commonPasswords = sync.OnceValue(func() commonPasswordList {
	l := commonPasswordList{entries: make(map[string]struct{})}
	for line := range strings.Lines(commonPasswordsText) {
		if entry := strings.ToLower(strings.TrimSpace(line)); entry != "" {
			l.entries[entry] = struct{}{}
			l.longest = max(l.longest, len(entry))
		}
	}
	return l
})

// PasswordProblems returns one message per rule the password breaks, or nil when it is
// acceptable. Messages come in this order: too short, too long, too common, too similar to the
// username, too similar to the email address, entirely numeric; collecting all of them lets a
// form show every problem at once instead of one per attempt. An empty username or email skips
// the corresponding similarity check, e.g. before the user has typed one.
func PasswordProblems(password, username, email string) []string {
	var problems []string
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLength {
		problems = append(problems, passwordMsgTooShort)
	}
	if n > MaxPasswordLength {
		problems = append(problems, passwordMsgTooLong)
	}
	lower := strings.ToLower(password)
	if isCommonPassword(lower) {
		problems = append(problems, passwordMsgCommon)
	}
	if tooSimilarToAny(lower, usernameAttributes(username)) {
		problems = append(problems, passwordMsgUsername)
	}
	if tooSimilarToAny(lower, emailAttributes(email)) {
		problems = append(problems, passwordMsgEmail)
	}
	if isAllDigits(password) {
		problems = append(problems, passwordMsgNumeric)
	}
	return problems
}

// isCommonPassword reports whether the lower-cased password is on the common list, becomes an
// entry once trailing digits and punctuation are dropped (people append "1!" or a year to satisfy
// rules; that adds almost nothing against a guesser who tries the same), or is one short chunk
// repeated.
func isCommonPassword(lower string) bool {
	list := commonPasswords()
	if list.has(lower) {
		return true
	}
	// Try every prefix that removes part of the trailing run, so "password1234!" matches the entry
	// "password1234" even though removing the whole run would leave the unlisted "password".
	for s := lower; s != ""; {
		r, size := utf8.DecodeLastRuneInString(s)
		if !unicode.IsDigit(r) && !unicode.IsPunct(r) && !unicode.IsSymbol(r) {
			break
		}
		s = s[:len(s)-size]
		if list.has(s) {
			return true
		}
	}
	return isRepeatedChunk(lower)
}

// isRepeatedChunk reports whether s is a chunk of at most passwordMaxChunk runes repeated at least
// twice; a single repeated character is the one-rune case. Such passwords are among the first a
// guesser tries, whatever their length.
func isRepeatedChunk(s string) bool {
	runes := []rune(s)
	for k := 1; k <= passwordMaxChunk && k < len(runes); k++ {
		if len(runes)%k != 0 {
			continue
		}
		repeated := true
		for i := k; i < len(runes); i++ {
			if runes[i] != runes[i-k] {
				repeated = false
				break
			}
		}
		if repeated {
			return true
		}
	}
	return false
}

// isAllDigits reports whether s is non-empty and made only of digits; a PIN-like password falls to
// a brute-force search of a tiny alphabet.
func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// usernameAttributes lists what a password is compared with for the username check: the whole
// lower-cased username and its parts, since "mary.jane" is guessable from "jane" too.
func usernameAttributes(username string) []string {
	u := strings.ToLower(strings.TrimSpace(username))
	if u == "" {
		return nil
	}
	return appendParts([]string{u}, u)
}

// emailAttributes lists what a password is compared with for the email check: the whole address,
// its local part, and the parts of the address (which include those of the local part).
func emailAttributes(email string) []string {
	e := strings.ToLower(strings.TrimSpace(email))
	if e == "" {
		return nil
	}
	attrs := []string{e}
	if at := strings.LastIndexByte(e, '@'); at > 0 {
		attrs = append(attrs, e[:at])
	}
	return appendParts(attrs, e)
}

// appendParts appends to attrs the distinct parts of s split on non-word characters (anything but
// letters, digits, combining marks and "_"), leaving out those already in attrs, until attrs
// holds passwordMaxParts entries besides the whole attributes it started with.
func appendParts(attrs []string, s string) []string {
	limit := len(attrs) + passwordMaxParts
	for _, part := range strings.FieldsFunc(s, isNonWord) {
		if !slices.Contains(attrs, part) {
			attrs = append(attrs, part)
			if len(attrs) == limit {
				break
			}
		}
	}
	return attrs
}

// isNonWord reports whether r separates the parts of an attribute.
func isNonWord(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && r != '_'
}

// tooSimilarToAny reports whether the lower-cased password is at least passwordMaxSimilarity
// similar to one of attrs. The ratio is taken over the whole password, so a password that merely
// contains a short attribute ("tomato-harvest-season-9" for "tom") passes, while one that is
// mostly the attribute ("alice-2026" for "alice", "alice-wonder-2026" for "alicewonder") does not.
func tooSimilarToAny(password string, attrs []string) bool {
	if password == "" {
		return false
	}
	pwRunes := []rune(password)
	for _, attr := range attrs {
		attrRunes := []rune(attr)
		if mayReachSimilarity(len(pwRunes), len(attrRunes)) &&
			similarityRatio(pwRunes, attrRunes) >= passwordMaxSimilarity {
			return true
		}
	}
	return false
}

// mayReachSimilarity is a cheap pre-check for similarityRatio: the matching part can be no longer
// than the shorter string, so 2*min/(a+b) bounds the ratio from above. It also refuses lengths
// beyond passwordMaxRatioRunes (see there).
func mayReachSimilarity(a, b int) bool {
	if a > passwordMaxRatioRunes || b > passwordMaxRatioRunes || a+b == 0 {
		return false
	}
	return float64(2*min(a, b))/float64(a+b) >= passwordMaxSimilarity
}

// similarityRatio is 2*M/T, where T is the combined length of a and b and M the total length of
// their matching blocks, found Ratcliff/Obershelp style: take the longest common substring, then
// match what lies left of it and what lies right of it the same way. 1 means equal, 0 nothing in
// common.
func similarityRatio(a, b []rune) float64 {
	total := len(a) + len(b)
	if total == 0 {
		return 1
	}
	return 2 * float64(matchingRunes(a, b)) / float64(total)
}

// matchingRunes is M of similarityRatio: the summed length of the matching blocks of a and b.
func matchingRunes(a, b []rune) int {
	i, j, n := longestCommonSubstring(a, b)
	if n == 0 {
		return 0
	}
	return n + matchingRunes(a[:i], b[:j]) + matchingRunes(a[i+n:], b[j+n:])
}

// longestCommonSubstring returns the start in a, the start in b and the length of the longest
// common substring of a and b (the earliest one in a, then in b, on ties, so results are
// deterministic). It uses the classic dynamic programme with one row of state: O(len(a)*len(b))
// time and O(len(b)) memory.
func longestCommonSubstring(a, b []rune) (ai, bi, length int) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0, 0
	}
	// run[j+1] is the length of the common run ending at a[i] and b[j].
	run := make([]int, len(b)+1)
	for i := range a {
		// Walk j downwards so run[j] still holds the previous row's value when it is read.
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] != b[j] {
				run[j+1] = 0
				continue
			}
			run[j+1] = run[j] + 1
			n := run[j+1]
			start, startB := i-n+1, j-n+1
			if n > length || (n == length && (start < ai || (start == ai && startB < bi))) {
				ai, bi, length = start, startB, n
			}
		}
	}
	return ai, bi, length
}
