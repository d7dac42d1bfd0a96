package projects

import "github.com/consultantpro/consultantpro/internal/api"

// handlers serves the projects endpoints.
type handlers struct {
	svc *Service
}

// Register adds the projects module's operations to the API.
func Register(a *api.API, svc *Service) {
	h := &handlers{svc: svc}
	h.registerProjects(a)
	h.registerTasks(a)
	h.registerTimeEntries(a)
}
