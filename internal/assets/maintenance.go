package assets

import (
	"slices"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// MaintenanceType is the kind of work a maintenance log records.
type MaintenanceType string

// The maintenance types (the list).
const (
	MaintenancePreventive MaintenanceType = "preventive"
	MaintenanceCorrective MaintenanceType = "corrective"
	MaintenanceInspection MaintenanceType = "inspection"
	MaintenanceUpgrade    MaintenanceType = "upgrade"
)

// maintenanceTypes lists the types (validation, filters, OpenAPI).
func maintenanceTypes() []MaintenanceType {
	return []MaintenanceType{MaintenancePreventive, MaintenanceCorrective, MaintenanceInspection, MaintenanceUpgrade}
}

// MaintenanceStatus is where a maintenance log stands; any status may follow any other.
type MaintenanceStatus string

// The maintenance statuses.
const (
	MaintenanceScheduled  MaintenanceStatus = "scheduled"
	MaintenanceInProgress MaintenanceStatus = "in_progress"
	MaintenanceCompleted  MaintenanceStatus = "completed"
	MaintenanceCancelled  MaintenanceStatus = "cancelled"
)

// maintenanceStatuses lists the statuses in their usual order (validation, filters, OpenAPI).
func maintenanceStatuses() []MaintenanceStatus {
	return []MaintenanceStatus{MaintenanceScheduled, MaintenanceInProgress, MaintenanceCompleted, MaintenanceCancelled}
}

// Maintenance messages.
const (
	MsgCompletedRequired = "Completed date is required when status is completed"
	MsgCompletedFuture   = "Completed date cannot be in the future"
	MsgCompletedOnly     = "Only completed maintenance has a completed date"
	MsgCostNegative      = "Cost cannot be negative"
)

// maintenancePolicy decides who may do what to maintenance logs, as assetPolicy does to their
// asset: owners, admins and accountants change and delete them, managers read them all, and a
// consultant reads those of the assets assigned to them; any other log is not found for them.
// Logs are created through their asset (POST assets/{id}/maintenance/, assetPolicy's Maintain).
type maintenancePolicy struct{}

func (maintenancePolicy) Allow(a auth.Actor, act resource.Action) error {
	if act == resource.Create {
		return auth.CanWrite(a, auth.Assets)
	}
	return auth.CanRead(a, auth.Assets)
}

func (maintenancePolicy) AllowOn(a auth.Actor, act resource.Action, m *Maintenance) error {
	if !sees(a, m.AssetAssignedTo) {
		return db.NotFound()
	}
	if act == resource.Read {
		return nil
	}
	return auth.CanWrite(a, auth.Assets)
}

// formatProblems checks the fields of a merged log that have a format (the enums).
func (m *Maintenance) formatProblems() fault.Fields {
	var f fault.Fields
	f.AddIf(!slices.Contains(maintenanceTypes(), m.Type), "type", validate.ChoiceMessage(m.Type))
	f.AddIf(!slices.Contains(maintenanceStatuses(), m.Status), "status", validate.ChoiceMessage(m.Status))
	return f
}

// StampMaintenance clears the completed date of a log leaving completed (compared with old, nil
// on create) when the change did not set another one, so that reopening needs no second field.
func StampMaintenance(old, m *Maintenance) {
	if old != nil && old.Status == MaintenanceCompleted && m.Status != MaintenanceCompleted &&
		m.CompletedDate == old.CompletedDate {
		m.CompletedDate = ""
	}
}

// MaintenanceRules checks a merged log: a description and a scheduled date; a completed log
// has a completed date, not after today (the firm's), and only a completed log has one; the
// cost is not negative.
func MaintenanceRules(m *Maintenance, today date.Date) fault.Fields {
	var f fault.Fields
	f.AddIf(m.Description == "", "description", validate.MsgRequired)
	f.AddIf(m.ScheduledDate.IsZero(), "scheduled_date", validate.MsgRequired)
	switch {
	case m.Status == MaintenanceCompleted && m.CompletedDate.IsZero():
		f.Add("completed_date", MsgCompletedRequired)
	case m.Status != MaintenanceCompleted && !m.CompletedDate.IsZero():
		f.Add("completed_date", MsgCompletedOnly)
	case m.CompletedDate.After(today):
		f.Add("completed_date", MsgCompletedFuture)
	}
	f.AddIf(m.Cost != nil && *m.Cost < 0, "cost", MsgCostNegative)
	return f
}
