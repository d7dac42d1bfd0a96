package auth

import (
	"regexp"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
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
	Country             string    `json:"country" doc:"Default country of new clients"`
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

func firmOut(f *Firm) FirmOut {
	return FirmOut{ID: f.ID, Name: f.Name, Timezone: f.Timezone, DefaultCurrency: f.DefaultCurrency,
		DefaultPaymentTerms: f.DefaultPaymentTerms, InvoicePrefix: f.InvoicePrefix, ProposalPrefix: f.ProposalPrefix,
		ContractPrefix: f.ContractPrefix, Country: f.Country, CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC()}
}

// usernamePattern: letters, digits and @.+-_ (the usual login-name alphabet).
var usernamePattern = regexp.MustCompile(`^[\p{L}\p{N}@.+_-]+$`)

// fieldErrors turns collected messages into huma's located details, so a handler's Resolve
// reports them with the schema's own errors in one response.
func fieldErrors(f fault.Fields) []error {
	var errs []error
	for field, msgs := range f {
		for _, m := range msgs {
			errs = append(errs, &huma.ErrorDetail{Location: "body." + field, Message: m})
		}
	}
	return errs
}

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
