package auth

import (
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Firm is a tenant and its settings.
type Firm struct {
	bun.BaseModel       `bun:"table:firms,alias:f"`
	ID                  string    `bun:"id,pk"`
	Name                string    `bun:"name"`
	Timezone            string    `bun:"timezone"`
	DefaultCurrency     string    `bun:"default_currency"`
	DefaultPaymentTerms string    `bun:"default_payment_terms"`
	InvoicePrefix       string    `bun:"invoice_prefix"`
	ProposalPrefix      string    `bun:"proposal_prefix"`
	ContractPrefix      string    `bun:"contract_prefix"`
	Country             string    `bun:"country"`
	CreatedAt           time.Time `bun:"created_at"`
	UpdatedAt           time.Time `bun:"updated_at"`
}

// Location is the firm's time zone, in which "today" is computed (UTC when unset or unknown).
func (f Firm) Location() *time.Location {
	if loc, err := time.LoadLocation(f.Timezone); err == nil && f.Timezone != "" {
		return loc
	}
	return time.UTC
}

// PaymentTerms are the payment terms a firm or contract may use.
var PaymentTerms = []string{"net_15", "net_30", "net_45", "net_60", "due_on_receipt", "milestone"}

// User is a member of a firm.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`
	ID            string     `bun:"id,pk"`
	FirmID        string     `bun:"firm_id"`
	Username      string     `bun:"username"`
	Email         string     `bun:"email"`
	PasswordHash  string     `bun:"password_hash"`
	FirstName     string     `bun:"first_name"`
	LastName      string     `bun:"last_name"`
	Role          Role       `bun:"role"`
	IsActive      bool       `bun:"is_active"`
	LastLogin     *time.Time `bun:"last_login"`
	CreatedAt     time.Time  `bun:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at"`
}

// FullName is the display name: first and last name, or the username when both are empty.
func (u User) FullName() string {
	if n := strings.TrimSpace(u.FirstName + " " + u.LastName); n != "" {
		return n
	}
	return u.Username
}

// Session is one login.
type Session struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`
	ID            string     `bun:"id,pk"`
	FirmID        string     `bun:"firm_id"`
	UserID        string     `bun:"user_id"`
	CreatedAt     time.Time  `bun:"created_at"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	LastUsedAt    time.Time  `bun:"last_used_at"`
	RevokedAt     *time.Time `bun:"revoked_at"`
	RevokeReason  string     `bun:"revoke_reason"`
	UserAgent     string     `bun:"user_agent"`
	IP            string     `bun:"ip"`
}

// refreshToken is one issued refresh token, by hash.
type refreshToken struct {
	bun.BaseModel `bun:"table:refresh_tokens,alias:rt"`
	TokenHash     string     `bun:"token_hash,pk"`
	SessionID     string     `bun:"session_id"`
	CreatedAt     time.Time  `bun:"created_at"`
	UsedAt        *time.Time `bun:"used_at"`
}

// TokenPair is what login, registration and refresh hand out.
type TokenPair struct {
	Access  string
	Refresh string
}

// ClientMeta describes where a login comes from, kept on the session for the user's review.
type ClientMeta struct {
	UserAgent string
	IP        string
}
