package app_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestEncodedTraversalIsNotFound: a path is cleaned after percent-decoding, so an encoded
// slash or a dot segment could climb from the route it names to another one
// (/crm/clients/..%2f..%2ffirm/ to the firm settings). Such paths are answered 404, whatever
// route they would reach; other percent-encoding still serves.
func TestEncodedTraversalIsNotFound(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	client := addClient(t, s, f)
	for _, p := range []string{
		"/api/v1/crm/clients/..%2f..%2ffirm/",
		"/api/crm/clients/..%2F..%2Ffirm",
		"/api/v1/crm/clients/%2e%2e/%2e%2e/firm/",
		"/api/v1/crm/clients/%2E%2E/%2E%2E/firm/",
		"/api/v1/crm/clients/../../firm/",
		"/api/v1/crm/./clients/",
		"/api/v1/crm/clients%2f" + client + "/",
		"/api/v1/crm/clients/" + client + "%2f",
		"/api/v1/firm%2f",
	} {
		t.Run(p, func(t *testing.T) {
			r := s.Do(t, http.MethodGet, p, tok, nil)
			testkit.WantNotFound(t, r)
		})
	}
	for _, p := range []string{
		"/api/v1/firm/",
		fmt.Sprintf("/api/v1/crm/clients/%%%X%s/", client[0], client[1:]),
		"/api/v1/crm/clients//" + client + "/",
	} {
		r := s.Do(t, http.MethodGet, p, tok, nil)
		testkit.WantStatus(t, r, http.StatusOK)
	}
}
