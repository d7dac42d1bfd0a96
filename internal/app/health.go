package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
)

// healthz answers as long as the process serves HTTP.
func (a *App) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]string{"status": "ok"})
}

// readyz answers 200 when the database answers and its schema is at the newest embedded
// migration; otherwise 503, so a load balancer keeps traffic away.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.DB.Ping(ctx); err != nil {
		api.WriteError(w, r, fault.Wrap(fault.Unavailable, "Database unreachable.", err))
		return
	}
	current, latest, err := a.DB.MigrationVersions(ctx)
	if err != nil {
		api.WriteError(w, r, fault.Wrap(fault.Unavailable, "Database unreachable.", err))
		return
	}
	if current != latest {
		api.WriteError(w, r, fault.Wrap(fault.Unavailable, "Database migrations are not current.",
			fmt.Errorf("schema version %d, binary expects %d", current, latest)))
		return
	}
	writeJSON(w, map[string]any{"status": "ready", "database": string(a.DB.Dialect), "schema_version": current})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
