package crm

import "github.com/consultantpro/consultantpro/internal/api"

// handlers serves the CRM endpoints.
type handlers struct {
	svc *Service
}

// Register adds the CRM module's operations to the API.
func Register(a *api.API, svc *Service) {
	h := &handlers{svc: svc}
	registerClients(a, svc)
	h.registerProposals(a)
	h.registerContracts(a)
}
