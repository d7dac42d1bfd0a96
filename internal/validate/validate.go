// Package validate holds the field formats that several modules share (SPEC §4's exact rules),
// as plain functions with their exact messages.
package validate

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Messages of the shared rules.
const (
	MsgEmail    = "Invalid email format"
	MsgRequired = "This field is required."
)

// emailPattern: letters, digits and ._%+- before the @, a dotted domain, a TLD of 2+ letters.
var emailPattern = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$`)

// Email reports whether s looks like local@domain.tld.
func Email(s string) bool { return len(s) <= 254 && emailPattern.MatchString(s) }

// NormalizeEmail trims and lower-cases an email for storage and lookups.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// MaxLength reports whether s has at most n characters.
func MaxLength(s string, n int) bool { return utf8.RuneCountInString(s) <= n }

// MsgNull is the message of a required field sent as null.
const MsgNull = "This field may not be null."

// ChoiceMessage is the message of a value outside a field's choices, the same for every field.
func ChoiceMessage(value any) string {
	return fmt.Sprintf("%q is not a valid choice.", fmt.Sprint(value))
}

// Messages of the phone and website formats (SPEC §4, exact).
const (
	MsgPhone   = "Phone number must be 10-15 digits, optionally starting with +"
	MsgWebsite = "Website must start with http:// or https://"
)

var phoneDigits = regexp.MustCompile(`^\+?[0-9]{10,15}$`)

// Phone applies SPEC §4's phone rule: after removing spaces, -, (, ) and ., an optional +
// then 10 to 15 digits.
func Phone(s string) bool {
	return phoneDigits.MatchString(strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "").Replace(s))
}

// Website accepts absolute http(s) URLs with a host.
func Website(s string) bool {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && !strings.ContainsAny(s, " \t\n")
}
