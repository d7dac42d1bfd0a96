package assets_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// HTTP test helpers of the assets module, shared by the asset and maintenance suites: servers,
// assets and maintenance logs created through the API, and list helpers.

// The messages of this module, spelled out here rather than taken from the package's constants,
// so that a change of wording breaks a test instead of passing silently.
const (
	msgRequired          = "This field is required."
	msgNull              = "This field may not be null."
	msgUnknownField      = "Unknown field."
	msgNoDecimals        = "Ensure that there are no decimal places."
	msgTwoDecimals       = "Ensure that there are no more than 2 decimal places."
	msgUnknownCurrency   = "Unknown currency code."
	msgBadDate           = "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
	msgTagTaken          = "An asset with this tag already exists."
	msgAssignee          = "Select a user of your firm."
	msgPriceNegative     = "Purchase price cannot be negative"
	msgSalvageNegative   = "Salvage value cannot be negative"
	msgSalvageAbovePrice = "Salvage value cannot exceed purchase price"
	msgUsefulLife        = "Useful life must be between 1 and 100 years"
	msgAssetInUse        = "This asset has maintenance logs and cannot be deleted."
	msgCompletedRequired = "Completed date is required when status is completed"
	msgCompletedFuture   = "Completed date cannot be in the future"
	msgCompletedOnly     = "Only completed maintenance has a completed date"
	msgCostNegative      = "Cost cannot be negative"
)

// Paths (the Phase 1 aliases of SPEC §2).
const (
	assetsPath      = "/api/assets/assets/"
	maintenancePath = "/api/assets/maintenance/"
)

func assetPath(id string) string { return assetsPath + id + "/" }

func assetMaintenancePath(id string) string { return assetsPath + id + "/maintenance/" }

func logPath(id string) string { return maintenancePath + id + "/" }

// unknownID is a well-formed id that names nothing.
const unknownID = "01900000-0000-7000-8000-000000000000"

// seq makes names and tags unique across the parallel tests of the package.
var seq atomic.Int64

func nextSeq() int64 { return seq.Add(1) }

// apiServer is a whole server (testkit.API) with this module's helpers as methods.
type apiServer struct{ *testkit.API }

// startServer starts a server on the wall clock; it stops at cleanup.
func startServer(t testing.TB) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{})}
}

// startServerAt starts a server whose clock is frozen at now (s.Clock moves it).
func startServerAt(t testing.TB, now time.Time) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{FrozenAt: now})}
}

func ptr[T any](v T) *T { return &v }

// asset is an asset as the API shows it. Money is decoded as strings, so a number in its place
// fails the decoding.
type asset struct {
	ID              string  `json:"id"`
	Name            string  `json:"name"`
	AssetTag        string  `json:"asset_tag"`
	Category        string  `json:"category"`
	Status          string  `json:"status"`
	AssignedTo      *string `json:"assigned_to"`
	AssignedToName  *string `json:"assigned_to_name"`
	PurchasePrice   *string `json:"purchase_price"`
	PurchaseDate    *string `json:"purchase_date"`
	Currency        string  `json:"currency"`
	Vendor          string  `json:"vendor"`
	UsefulLifeYears *int64  `json:"useful_life_years"`
	SalvageValue    *string `json:"salvage_value"`
	SerialNumber    string  `json:"serial_number"`
	WarrantyExpiry  *string `json:"warranty_expiry"`
	Location        string  `json:"location"`
	Notes           string  `json:"notes"`
	CreatedBy       *string `json:"created_by"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
	BookValue       *string `json:"book_value"`
	IsUnderWarranty bool    `json:"is_under_warranty"`
}

// assetBody returns a valid create body with a unique name and tag, changed by fields (a nil
// value removes the field).
func assetBody(fields map[string]any) map[string]any {
	n := nextSeq()
	return withFields(map[string]any{"name": fmt.Sprintf("Laptop %d", n), "asset_tag": fmt.Sprintf("TAG-%d", n)}, fields)
}

// createAsset creates an asset as the token's user from assetBody.
func (s *apiServer) createAsset(t testing.TB, token string, fields map[string]any) asset {
	t.Helper()
	r := s.Do(t, http.MethodPost, assetsPath, token, assetBody(fields))
	testkit.WantStatus(t, r, http.StatusCreated)
	var x asset
	testkit.Decode(t, r, &x)
	if x.ID == "" {
		t.Fatalf("create asset: no id: %s", r.Body)
	}
	return x
}

// getAsset fetches an asset as the token's user.
func (s *apiServer) getAsset(t testing.TB, token, id string) asset {
	t.Helper()
	return testkit.Fetch[asset](t, s.API, token, assetPath(id))
}

// patchAsset PATCHes an asset, expects 200 and returns it.
func (s *apiServer) patchAsset(t testing.TB, token, id string, body map[string]any) asset {
	t.Helper()
	r := s.Do(t, http.MethodPatch, assetPath(id), token, body)
	testkit.WantStatus(t, r, http.StatusOK)
	var x asset
	testkit.Decode(t, r, &x)
	return x
}

// listAssets lists assets with the query string (without "?").
func (s *apiServer) listAssets(t testing.TB, token, query string) (testkit.Page, []asset) {
	t.Helper()
	return testkit.ListOf[asset](t, s.API, token, assetsPath, query)
}

// assetNames returns the names of assets, in order.
func assetNames(xs []asset) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.Name
	}
	return out
}

// maintenanceLog is a maintenance log as the API shows it.
type maintenanceLog struct {
	ID            string  `json:"id"`
	Asset         string  `json:"asset"`
	AssetName     *string `json:"asset_name"`
	AssetTag      *string `json:"asset_tag"`
	Type          string  `json:"type"`
	Description   string  `json:"description"`
	Status        string  `json:"status"`
	ScheduledDate string  `json:"scheduled_date"`
	CompletedDate *string `json:"completed_date"`
	Cost          *string `json:"cost"`
	Currency      string  `json:"currency"`
	PerformedBy   string  `json:"performed_by"`
	Notes         string  `json:"notes"`
	CreatedBy     *string `json:"created_by"`
	CreatedAt     string  `json:"created_at"`
	UpdatedAt     string  `json:"updated_at"`
}

// logBody returns a valid create body with a unique description, changed by fields.
func logBody(fields map[string]any) map[string]any {
	return withFields(map[string]any{"type": "preventive", "description": fmt.Sprintf("Service %d", nextSeq()),
		"scheduled_date": "2026-01-20"}, fields)
}

// createLog logs maintenance of the asset as the token's user from logBody.
func (s *apiServer) createLog(t testing.TB, token, assetID string, fields map[string]any) maintenanceLog {
	t.Helper()
	r := s.Do(t, http.MethodPost, assetMaintenancePath(assetID), token, logBody(fields))
	testkit.WantStatus(t, r, http.StatusCreated)
	var m maintenanceLog
	testkit.Decode(t, r, &m)
	if m.ID == "" {
		t.Fatalf("create maintenance log: no id: %s", r.Body)
	}
	return m
}

// patchLog PATCHes a maintenance log, expects 200 and returns it.
func (s *apiServer) patchLog(t testing.TB, token, id string, body map[string]any) maintenanceLog {
	t.Helper()
	r := s.Do(t, http.MethodPatch, logPath(id), token, body)
	testkit.WantStatus(t, r, http.StatusOK)
	var m maintenanceLog
	testkit.Decode(t, r, &m)
	return m
}

// listLogs lists maintenance logs at path with the query string (without "?").
func (s *apiServer) listLogs(t testing.TB, token, path, query string) (testkit.Page, []maintenanceLog) {
	t.Helper()
	return testkit.ListOf[maintenanceLog](t, s.API, token, path, query)
}

// withFields returns body changed by fields: a nil value removes the field.
func withFields(body, fields map[string]any) map[string]any {
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}
