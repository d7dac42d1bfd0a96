package projects

import (
	"time"

	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/uptrace/bun"
)

// Project is a piece of work for a client, optionally under a contract.
type Project struct {
	bun.BaseModel        `bun:"table:projects,alias:pr"`
	ID                   string        `bun:"id,pk"`
	FirmID               string        `bun:"firm_id"`
	ClientID             string        `bun:"client_id"`
	ContractID           *string       `bun:"contract_id"`
	ProjectManagerID     *string       `bun:"project_manager_id"`
	ProjectCode          string        `bun:"project_code"`
	Name                 string        `bun:"name"`
	Description          string        `bun:"description"`
	Status               string        `bun:"status"`
	BillingType          string        `bun:"billing_type"`
	Budget               *money.Amount `bun:"budget"`
	HourlyRate           *money.Amount `bun:"hourly_rate"`
	Currency             string        `bun:"currency"`
	StartDate            date.Date     `bun:"start_date"`
	EndDate              date.Date     `bun:"end_date"`
	ActualCompletionDate date.Date     `bun:"actual_completion_date,nullzero"`
	Notes                string        `bun:"notes"`
	CreatedBy            *string       `bun:"created_by"`
	CreatedAt            time.Time     `bun:"created_at"`
	UpdatedAt            time.Time     `bun:"updated_at"`
}

// Task is a unit of work in a project, ordered on a Kanban board by Position.
type Task struct {
	bun.BaseModel  `bun:"table:tasks,alias:t"`
	ID             string       `bun:"id,pk"`
	FirmID         string       `bun:"firm_id"`
	ProjectID      string       `bun:"project_id"`
	AssignedTo     *string      `bun:"assigned_to"`
	Title          string       `bun:"title"`
	Description    string       `bun:"description"`
	Status         string       `bun:"status"`
	Priority       string       `bun:"priority"`
	Position       int64        `bun:"position"`
	EstimatedHours *money.Hours `bun:"estimated_hours"`
	DueDate        date.Date    `bun:"due_date,nullzero"`
	CompletedAt    *time.Time   `bun:"completed_at"`
	CreatedBy      *string      `bun:"created_by"`
	CreatedAt      time.Time    `bun:"created_at"`
	UpdatedAt      time.Time    `bun:"updated_at"`
}

// TimeEntry is hours a user logged on a project (and optionally a task) on a date.
type TimeEntry struct {
	bun.BaseModel `bun:"table:time_entries,alias:te"`
	ID            string       `bun:"id,pk"`
	FirmID        string       `bun:"firm_id"`
	ProjectID     string       `bun:"project_id"`
	TaskID        *string      `bun:"task_id"`
	UserID        string       `bun:"user_id"`
	Date          date.Date    `bun:"date"`
	Hours         money.Hours  `bun:"hours"`
	Description   string       `bun:"description"`
	IsBillable    bool         `bun:"is_billable"`
	HourlyRate    money.Amount `bun:"hourly_rate"`
	Currency      string       `bun:"currency"`
	BilledAmount  money.Amount `bun:"billed_amount"`
	Invoiced      bool         `bun:"invoiced"`
	InvoiceID     *string      `bun:"invoice_id"`
	CreatedAt     time.Time    `bun:"created_at"`
	UpdatedAt     time.Time    `bun:"updated_at"`
}
