package assets

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the type with its values.
func (MaintenanceType) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(maintenanceTypes()) }

// Schema documents the status with its values.
func (MaintenanceStatus) Schema(huma.Registry) *huma.Schema {
	return api.EnumSchema(maintenanceStatuses())
}

// MaintenanceOut is a maintenance log as the API shows it.
type MaintenanceOut struct {
	ID            string            `json:"id" format:"uuid"`
	Asset         string            `json:"asset" format:"uuid"`
	AssetName     *string           `json:"asset_name" nullable:"true"`
	AssetTag      *string           `json:"asset_tag" nullable:"true"`
	Type          MaintenanceType   `json:"type"`
	Description   string            `json:"description"`
	Status        MaintenanceStatus `json:"status"`
	ScheduledDate string            `json:"scheduled_date" format:"date"`
	CompletedDate *string           `json:"completed_date" nullable:"true" format:"date"`
	Cost          *string           `json:"cost" export:"money" nullable:"true" example:"150.00" doc:"Money string in currency"`
	Currency      string            `json:"currency" example:"USD"`
	PerformedBy   string            `json:"performed_by" doc:"The person or vendor who does the work"`
	Notes         string            `json:"notes"`
	CreatedBy     *string           `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}

func maintenanceOut(m *Maintenance) MaintenanceOut {
	return MaintenanceOut{ID: m.ID, Asset: m.AssetID, AssetName: m.AssetName, AssetTag: m.AssetTag, Type: m.Type,
		Description: m.Description, Status: m.Status, ScheduledDate: string(m.ScheduledDate),
		CompletedDate: m.CompletedDate.OrNull(), Cost: money.FormatPtr(m.Cost, money.CurrencyOf(m.Currency)),
		Currency: m.Currency, PerformedBy: m.PerformedBy, Notes: m.Notes, CreatedBy: m.CreatedBy,
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC()}
}

// MaintenancePatch is the body of PATCH: every field optional; a required field sent as null
// is refused. The read-only fields of MaintenanceOut, the asset among them, are accepted and
// ignored, so a fetched log can be sent back.
type MaintenancePatch struct {
	Type          *MaintenanceType          `json:"type,omitempty"`
	Description   api.Nullable[string]      `json:"description,omitempty" minLength:"1"`
	ScheduledDate api.Nullable[string]      `json:"scheduled_date,omitempty" minLength:"1" example:"2026-03-01" doc:"Date, YYYY-MM-DD"`
	Status        *MaintenanceStatus        `json:"status,omitempty" doc:"Defaults to scheduled; completed needs completed_date, leaving completed clears it"`
	CompletedDate api.Nullable[string]      `json:"completed_date,omitempty" example:"2026-03-02" doc:"Date, YYYY-MM-DD, not after the firm's today; required when completed, only when completed"`
	Cost          api.Nullable[api.Decimal] `json:"cost,omitempty" doc:"Money in currency, 0 or more"`
	Currency      *string                   `json:"currency,omitempty" example:"USD" doc:"ISO 4217 code; defaults to the asset's currency"`
	PerformedBy   *string                   `json:"performed_by,omitempty" maxLength:"255" doc:"The person or vendor who does the work"`
	Notes         *string                   `json:"notes,omitempty"`
	ID            any                       `json:"id,omitempty" readOnly:"true"`
	Asset         any                       `json:"asset,omitempty" readOnly:"true" doc:"The asset of the path the log was created under; it does not change"`
	AssetName     any                       `json:"asset_name,omitempty" readOnly:"true"`
	AssetTag      any                       `json:"asset_tag,omitempty" readOnly:"true"`
	CreatedBy     any                       `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt     any                       `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt     any                       `json:"updated_at,omitempty" readOnly:"true"`
}

// MaintenanceWrite is the body of POST and PUT: the patch with the required fields required.
type MaintenanceWrite struct {
	Type          MaintenanceType `json:"type"`
	Description   string          `json:"description" minLength:"1"`
	ScheduledDate string          `json:"scheduled_date" minLength:"1" example:"2026-03-01" doc:"Date, YYYY-MM-DD"`
	MaintenancePatch
}

// apply merges the PATCH body into m and reports what cannot be merged: nulls, an unknown
// currency, a malformed cost and malformed dates. The cost is read in the log's currency (the
// one sent, when valid); when m has none (a body checked before the stored log is known) it is
// left to the service.
func (b *MaintenancePatch) apply(m *Maintenance) fault.Fields {
	var nulls []string
	if b.Type != nil {
		m.Type = *b.Type
	}
	if b.Status != nil {
		m.Status = *b.Status
	}
	api.SetText(&m.Description, api.RequiredChange("description", b.Description, &nulls))
	scheduled := api.RequiredChange("scheduled_date", b.ScheduledDate, &nulls)
	api.SetText(&m.PerformedBy, b.PerformedBy)
	api.SetText(&m.Notes, b.Notes)
	var bad fault.Fields
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	old, cur := api.ChangeCurrency(&bad, m.Currency, b.Currency)
	m.Currency = cur.Code
	m.Cost = api.MergeAmount(&bad, "cost", b.Cost, m.Cost, old, cur)
	completed := b.CompletedDate.Change()
	date.Check(&bad, "scheduled_date", scheduled, true)
	date.Check(&bad, "completed_date", completed, false)
	date.Set(&m.ScheduledDate, scheduled)
	date.Set(&m.CompletedDate, completed)
	return bad
}

// patch is the body as a PATCH that sends every required field.
func (b *MaintenanceWrite) patch() *MaintenancePatch {
	p := b.MaintenancePatch
	typ := b.Type
	p.Type = &typ
	p.Description, p.ScheduledDate = api.Value(b.Description), api.Value(b.ScheduledDate)
	return &p
}

// apply merges a POST or PUT body into m.
func (b *MaintenanceWrite) apply(m *Maintenance) fault.Fields { return b.patch().apply(m) }

// Check reports a POST or PUT body's format problems with the schema's errors, in one response.
func (b *MaintenanceWrite) Check(ctx context.Context, a auth.Actor, act resource.Action) error {
	return b.patch().Check(ctx, a, act)
}

// Check reports the body's format problems (dates, a currency, a cost sent with a currency) with
// the schema's errors, in one response; the enums and missing or empty required fields are
// huma's to report. The cost's currency (the asset's or the log's) is not known yet unless sent.
func (b *MaintenancePatch) Check(context.Context, auth.Actor, resource.Action) error {
	c := *b
	c.Type, c.Status = nil, nil
	api.DropBlankValues(&c.Description, &c.ScheduledDate)
	return c.apply(&Maintenance{}).Err()
}

type maintenanceCreated struct {
	Location string `header:"Location"`
	Body     MaintenanceOut
}

func registerMaintenance(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Maintenance, MaintenanceOut, MaintenanceWrite, MaintenancePatch]{
		Path: "/assets/maintenance/", Name: "maintenance log", Plural: "maintenance logs", Tag: "Assets: maintenance",
		Policy: maintenancePolicy{}, Load: s.loadMaintenance, Query: maintenanceQuery(), Cache: true,
		Out: maintenanceOut, ID: func(m *Maintenance) string { return m.ID },
		List:      s.ListMaintenance,
		Get:       s.GetMaintenance,
		Replace:   resource.Updating(s.UpdateMaintenance, (*MaintenanceWrite).apply),
		Update:    resource.Updating(s.UpdateMaintenance, (*MaintenancePatch).apply),
		Delete:    s.DeleteMaintenance,
		Summaries: map[resource.Action]string{resource.List: "List maintenance logs of every asset"},
		Descriptions: map[string]string{
			"list-maintenance-logs": "A consultant sees the logs of the assets assigned to them. Logs are created " +
				"under their asset: POST /api/v1/assets/assets/{id}/maintenance/.",
		},
	})
	op := huma.Operation{OperationID: "create-asset-maintenance-log", Method: http.MethodPost,
		Path: "/assets/assets/{id}/maintenance/", Summary: "Log maintenance of an asset", Tags: []string{"Assets: assets"},
		DefaultStatus: http.StatusCreated,
		Description: "Owners, admins and accountants. A completed log needs completed_date (not after the firm's " +
			"today); cost is in the asset's currency unless currency says otherwise."}
	resource.Operation(a, op, assetPolicy{}, Maintain, s.loadAsset, func(ctx context.Context, actor auth.Actor, in *struct {
		ID   string `path:"id"`
		Body MaintenanceWrite
	}) (*maintenanceCreated, error) {
		m, err := s.CreateMaintenance(ctx, actor, in.ID, in.Body.apply)
		if err != nil {
			return nil, err
		}
		return &maintenanceCreated{Location: api.Prefix + "/assets/maintenance/" + m.ID + "/", Body: maintenanceOut(m)}, nil
	})
	list := huma.Operation{OperationID: "list-asset-maintenance-logs", Method: http.MethodGet,
		Path: "/assets/assets/{id}/maintenance/", Summary: "List an asset's maintenance logs", Tags: []string{"Assets: assets"}}
	resource.ChildList(a, list, assetPolicy{}, resource.Read, maintenanceQuery(), s.ListAssetMaintenance, maintenanceOut)
}
