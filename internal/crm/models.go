package crm

import (
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// Proposal is an offer to a client, numbered PROP-YYYY-NNN.
type Proposal struct {
	bun.BaseModel      `bun:"table:proposals,alias:p"`
	ID                 string       `bun:"id,pk"`
	FirmID             string       `bun:"firm_id"`
	ClientID           string       `bun:"client_id"`
	ProposalNumber     string       `bun:"proposal_number"`
	Title              string       `bun:"title"`
	Description        string       `bun:"description"`
	Status             string       `bun:"status"`
	TotalValue         money.Amount `bun:"total_value"`
	Currency           string       `bun:"currency"`
	ValidUntil         date.Date    `bun:"valid_until"`
	EstimatedStartDate date.Date    `bun:"estimated_start_date,nullzero"`
	EstimatedEndDate   date.Date    `bun:"estimated_end_date,nullzero"`
	SentAt             *time.Time   `bun:"sent_at"`
	AcceptedAt         *time.Time   `bun:"accepted_at"`
	CreatedBy          *string      `bun:"created_by"`
	CreatedAt          time.Time    `bun:"created_at"`
	UpdatedAt          time.Time    `bun:"updated_at"`
}

// Contract is an agreement with a client, numbered CTR-YYYY-NNN.
type Contract struct {
	bun.BaseModel   `bun:"table:contracts,alias:k"`
	ID              string       `bun:"id,pk"`
	FirmID          string       `bun:"firm_id"`
	ClientID        string       `bun:"client_id"`
	ProposalID      *string      `bun:"proposal_id"`
	ContractNumber  string       `bun:"contract_number"`
	Title           string       `bun:"title"`
	Description     string       `bun:"description"`
	Status          string       `bun:"status"`
	TotalValue      money.Amount `bun:"total_value"`
	Currency        string       `bun:"currency"`
	PaymentTerms    string       `bun:"payment_terms"`
	StartDate       date.Date    `bun:"start_date"`
	EndDate         date.Date    `bun:"end_date"`
	SignedDate      date.Date    `bun:"signed_date,nullzero"`
	SignedBy        string       `bun:"signed_by"`
	ContractFileURL string       `bun:"contract_file_url"`
	Notes           string       `bun:"notes"`
	CreatedBy       *string      `bun:"created_by"`
	CreatedAt       time.Time    `bun:"created_at"`
	UpdatedAt       time.Time    `bun:"updated_at"`
}
