package auth

import (
	"regexp"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// UserOut is a user as the API shows it (never the password hash).
type UserOut struct {
	ID        string     `json:"id" format:"uuid"`
	Username  string     `json:"username"`
	Email     string     `json:"email" format:"email"`
	FirstName string     `json:"first_name"`
	LastName  string     `json:"last_name"`
	FullName  string     `json:"full_name"`
	Role      string     `json:"role" enum:"owner,admin,manager,consultant,accountant"`
	IsActive  bool       `json:"is_active"`
	Firm      string     `json:"firm" format:"uuid"`
	LastLogin *time.Time `json:"last_login" nullable:"true"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

func userOut(u *User) UserOut {
	var last *time.Time
	if u.LastLogin != nil {
		t := u.LastLogin.UTC()
		last = &t
	}
	return UserOut{ID: u.ID, Username: u.Username, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		FullName: u.FullName(), Role: string(u.Role), IsActive: u.IsActive, Firm: u.FirmID, LastLogin: last,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

// FirmOut is a firm and its settings.
type FirmOut struct {
	ID                  string    `json:"id" format:"uuid"`
	Name                string    `json:"name"`
	Timezone            string    `json:"timezone" example:"Europe/Paris"`
	DefaultCurrency     string    `json:"default_currency" example:"EUR"`
	DefaultPaymentTerms string    `json:"default_payment_terms" enum:"net_15,net_30,net_45,net_60,due_on_receipt,milestone"`
	InvoicePrefix       string    `json:"invoice_prefix" example:"INV"`
	ProposalPrefix      string    `json:"proposal_prefix" example:"PROP"`
	ContractPrefix      string    `json:"contract_prefix" example:"CTR"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

func firmOut(f *Firm) FirmOut {
	return FirmOut{ID: f.ID, Name: f.Name, Timezone: f.Timezone, DefaultCurrency: f.DefaultCurrency,
		DefaultPaymentTerms: f.DefaultPaymentTerms, InvoicePrefix: f.InvoicePrefix, ProposalPrefix: f.ProposalPrefix,
		ContractPrefix: f.ContractPrefix, CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC()}
}

// usernamePattern: letters, digits and @.+-_ (the usual login-name alphabet).
var usernamePattern = regexp.MustCompile(`^[\p{L}\p{N}@.+_-]+$`)

// fieldError is one located validation message for huma's result.
func fieldError(prefix *huma.PathBuffer, field, msg string) error {
	return &huma.ErrorDetail{Location: prefix.With(field), Message: msg}
}

// accountRules checks the fields a new account shares (registration and adding a user), so one
// response lists every problem with the schema's own.
func accountRules(prefix *huma.PathBuffer, username, email, password string) []error {
	var errs []error
	if username != "" && !usernamePattern.MatchString(username) {
		errs = append(errs, fieldError(prefix, "username", MsgUsernameFormat))
	}
	if email != "" && !validate.Email(strings.TrimSpace(email)) {
		errs = append(errs, fieldError(prefix, "email", validate.MsgEmail))
	}
	if password != "" {
		for _, p := range PasswordProblems(password, username, email) {
			errs = append(errs, fieldError(prefix, "password", p))
		}
	}
	return errs
}
