package auth

import (
	"regexp"
	"strings"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// userPolicy decides who manages the firm's users: owners and admins (the FirmSettings area of
// SPEC §1's matrix) list, read, add, change and deactivate them, and only an owner may grant,
// change or remove the owner role. The caller's own profile is not decided here (it is "self"),
// but the owner rule holds there too.
type userPolicy struct{}

// allow decides every action on the firm's users by role alone, before anything is read.
func (userPolicy) allow(a Actor) error { return CanWrite(a, FirmSettings) }

// allowOn applies the owner rule to a change: u is the user as stored (nil for a new one) and
// role the role the change sets (nil: unchanged). Only owners edit another owner (an admin
// changing an owner's email could take the account over) or make new owners.
func (userPolicy) allowOn(a Actor, u *User, role *Role) error {
	if a.Role == Owner {
		return nil
	}
	editsOwner := u != nil && u.Role == Owner && u.ID != a.UserID
	grantsOwner := role != nil && *role == Owner && (u == nil || u.Role != Owner)
	if editsOwner || grantsOwner {
		return fault.New(fault.Forbidden, MsgOwnerOnly)
	}
	return nil
}

// FullName is the display name: first and last name, or the username when both are empty.
func (u User) FullName() string {
	if n := strings.TrimSpace(u.FirstName + " " + u.LastName); n != "" {
		return n
	}
	return u.Username
}

// usernamePattern: letters, digits and @.+-_ (the usual login-name alphabet).
var usernamePattern = regexp.MustCompile(`^[\p{L}\p{N}@.+_-]+$`)

// AccountProblems checks the fields every new account has (registration, users added by an
// admin, the createuser command). Empty values are left to the required-field checks.
func AccountProblems(username, email, password string) fault.Fields {
	var f fault.Fields
	if username != "" && !usernamePattern.MatchString(username) {
		f.Add("username", MsgUsernameFormat)
	}
	if email != "" && !validate.Email(strings.TrimSpace(email)) {
		f.Add("email", validate.MsgEmail)
	}
	if password != "" {
		for _, p := range PasswordProblems(password, username, email) {
			f.Add("password", p)
		}
	}
	return f
}

// requireFields reports empty required fields.
func requireFields(f *fault.Fields, fields map[string]string) {
	for name, v := range fields {
		if strings.TrimSpace(v) == "" && !f.Has(name) {
			f.Add(name, validate.MsgRequired)
		}
	}
}
