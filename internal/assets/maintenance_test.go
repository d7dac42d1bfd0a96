package assets_test

import (
	"reflect"
	"testing"

	"github.com/consultantpro/consultantpro/internal/assets"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
)

func TestMaintenanceRulesOnTheModel(t *testing.T) {
	t.Parallel()
	const today = date.Date("2026-03-10")
	valid := func() *assets.Maintenance {
		return &assets.Maintenance{Type: assets.MaintenancePreventive, Description: "Oil", Status: assets.MaintenanceScheduled,
			ScheduledDate: "2026-03-01"}
	}
	cost := money.Amount(-1)
	tests := []struct {
		name string
		edit func(*assets.Maintenance)
		want fault.Fields
	}{
		{"valid", func(*assets.Maintenance) {}, nil},
		{"no description or date", func(m *assets.Maintenance) { m.Description, m.ScheduledDate = "", "" },
			fault.Fields{"description": {"This field is required."}, "scheduled_date": {"This field is required."}}},
		{"completed without a date", func(m *assets.Maintenance) { m.Status = assets.MaintenanceCompleted },
			fault.Fields{"completed_date": {assets.MsgCompletedRequired}}},
		{"completed today", func(m *assets.Maintenance) { m.Status, m.CompletedDate = assets.MaintenanceCompleted, today }, nil},
		{"completed tomorrow", func(m *assets.Maintenance) {
			m.Status, m.CompletedDate = assets.MaintenanceCompleted, "2026-03-11"
		}, fault.Fields{"completed_date": {assets.MsgCompletedFuture}}},
		{"a completed date while in progress", func(m *assets.Maintenance) {
			m.Status, m.CompletedDate = assets.MaintenanceInProgress, today
		}, fault.Fields{"completed_date": {assets.MsgCompletedOnly}}},
		{"negative cost", func(m *assets.Maintenance) { m.Cost = &cost }, fault.Fields{"cost": {assets.MsgCostNegative}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.edit(m)
			if got := assets.MaintenanceRules(m, today); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("MaintenanceRules = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStampMaintenance(t *testing.T) {
	t.Parallel()
	done := &assets.Maintenance{Status: assets.MaintenanceCompleted, CompletedDate: "2026-03-01"}
	for _, tt := range []struct {
		name          string
		old           *assets.Maintenance
		status        assets.MaintenanceStatus
		completed     date.Date
		wantCompleted date.Date
	}{
		{"reopened: the date goes", done, assets.MaintenanceInProgress, "2026-03-01", ""},
		{"reopened with another date: kept for the rules to refuse", done, assets.MaintenanceInProgress, "2026-03-02", "2026-03-02"},
		{"still completed", done, assets.MaintenanceCompleted, "2026-03-01", "2026-03-01"},
		{"new", nil, assets.MaintenanceScheduled, "2026-03-01", "2026-03-01"},
	} {
		m := &assets.Maintenance{Status: tt.status, CompletedDate: tt.completed}
		assets.StampMaintenance(tt.old, m)
		if m.CompletedDate != tt.wantCompleted {
			t.Errorf("%s: completed_date %q, want %q", tt.name, m.CompletedDate, tt.wantCompleted)
		}
	}
}
