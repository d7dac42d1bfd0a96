package app

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// healthOutput is the body of the health endpoints.
type healthOutput struct {
	Body struct {
		Status        string `json:"status" example:"ready" doc:"ok or ready"`
		Database      string `json:"database,omitempty" example:"sqlite" doc:"sqlite or postgres"`
		SchemaVersion int64  `json:"schema_version,omitempty" doc:"Applied migration version"`
	}
}

// registerHealth documents and serves /healthz and /readyz. They live outside the versioned API
// (orchestrators call them by fixed paths) but are in the OpenAPI document like every route.
func (a *App) registerHealth() {
	// Anyone may call them, as anyone may call login: the public policy. No rate-limit scope
	// applies: probes come every few seconds and must neither fail nor spend login's budget.
	healthz := huma.Operation{
		OperationID: "healthz", Method: http.MethodGet, Path: "/healthz", Tags: []string{"Operations"},
		Summary:     "Liveness",
		Description: "Answers 200 while the process serves HTTP.",
	}
	api.SetPolicy(&healthz, api.PolicyPublic)
	api.Unthrottled(&healthz)
	huma.Register(a.API.Huma, healthz, func(context.Context, *struct{}) (*healthOutput, error) {
		out := &healthOutput{}
		out.Body.Status = "ok"
		return out, nil
	})
	readyz := huma.Operation{
		OperationID: "readyz", Method: http.MethodGet, Path: "/readyz", Tags: []string{"Operations"},
		Summary: "Readiness",
		Description: "Answers 200 when the database answers and its schema is at the newest migration " +
			"this binary carries; 503 otherwise, so a load balancer keeps traffic away.",
		Errors: []int{http.StatusServiceUnavailable},
	}
	api.SetPolicy(&readyz, api.PolicyPublic)
	api.Unthrottled(&readyz)
	huma.Register(a.API.Huma, readyz, a.readyz)
}

func (a *App) readyz(ctx context.Context, _ *struct{}) (*healthOutput, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := a.DB.Ping(ctx); err != nil {
		return nil, fault.Wrap(fault.Unavailable, "Database unreachable.", err)
	}
	current, latest, err := a.DB.MigrationVersions(ctx)
	if err != nil {
		return nil, fault.Wrap(fault.Unavailable, "Database unreachable.", err)
	}
	if current != latest {
		return nil, fault.Wrap(fault.Unavailable, "Database migrations are not current.",
			fmt.Errorf("schema version %d, binary expects %d", current, latest))
	}
	out := &healthOutput{}
	out.Body.Status = "ready"
	out.Body.Database = string(a.DB.Dialect)
	out.Body.SchemaVersion = current
	return out, nil
}
