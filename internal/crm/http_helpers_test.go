package crm_test

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// The exact strings of SPEC §2 and §4, spelled out here rather than taken from the packages'
// constants, so that a change of wording breaks a test instead of passing silently.
const (
	msgValidation   = "Validation failed"
	msgRequired     = "This field is required."
	msgUnknownField = "Unknown field."
	msgEmail        = "Invalid email format"
	msgPhone        = "Phone number must be 10-15 digits, optionally starting with +"
	msgWebsite      = "Website must start with http:// or https://"
	msgPositive     = "Must be a positive value"
	msgCompanyTaken = "A client with this company name already exists."
	msgOwnerUnknown = "Select a user of your firm."
	msgNoDecimals   = "Ensure that there are no decimal places."
	msgTwoDecimals  = "Ensure that there are no more than 2 decimal places."
	msgForbidden    = "You do not have permission to perform this action."
	msgNotFound     = "Not found."
	msgInvalidPage  = "Invalid page."
)

// Error types and codes of SPEC §2's table.
const (
	typeValidation = "ValidationError"
	typeParse      = "ParseError"
	typePermission = "PermissionDenied"
	typeNotFound   = "NotFound"
	typeNotAuth    = "NotAuthenticated"
	codeValidation = "VALIDATION_ERROR"
	codeBadRequest = "BAD_REQUEST"
	codeForbidden  = "FORBIDDEN"
	codeNotFound   = "NOT_FOUND"
	codeUnauth     = "UNAUTHORIZED"
)

// Roles of SPEC §1.
const (
	roleOwner      = "owner"
	roleAdmin      = "admin"
	roleManager    = "manager"
	roleConsultant = "consultant"
	roleAccountant = "accountant"
)

// seq makes usernames, emails and names unique across the parallel tests of the package.
var seq atomic.Int64

func nextSeq() int64 { return seq.Add(1) }

// apiServer is a whole server (testkit.API) with this module's helpers as methods.
type apiServer struct{ *testkit.API }

// The shapes of testkit's HTTP helpers, under the short names the suites use.
type (
	user     = testkit.User
	firm     = testkit.Firm
	response = testkit.Response
	envelope = testkit.Envelope
	page     = testkit.Page
)

// startServer starts a server on the wall clock; it stops at cleanup.
func startServer(t testing.TB) *apiServer {
	t.Helper()
	return &apiServer{testkit.StartAPI(t, testkit.APIOptions{})}
}

// deref shows an optional string for comparisons and messages ("<nil>" when absent).
func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// derefInt returns an optional integer's value, or nil.
func derefInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// clientsPath is the Phase 1 alias of the clients collection (SPEC §2).
const clientsPath = "/api/crm/clients/"

// clientPath is one client's path under the alias.
func clientPath(id string) string { return clientsPath + id + "/" }

// client is a client as the API shows it. Money is decoded as a string, so a number in its
// place fails the decoding; timestamps stay text so they compare exactly.
type client struct {
	ID                  string  `json:"id"`
	CompanyName         string  `json:"company_name"`
	Industry            string  `json:"industry"`
	Status              string  `json:"status"`
	PrimaryContactName  string  `json:"primary_contact_name"`
	PrimaryContactEmail string  `json:"primary_contact_email"`
	PrimaryContactPhone string  `json:"primary_contact_phone"`
	StreetAddress       string  `json:"street_address"`
	City                string  `json:"city"`
	State               string  `json:"state"`
	PostalCode          string  `json:"postal_code"`
	Country             string  `json:"country"`
	Website             string  `json:"website"`
	EmployeeCount       *int64  `json:"employee_count"`
	AnnualRevenue       *string `json:"annual_revenue"`
	Currency            string  `json:"currency"`
	Source              string  `json:"source"`
	Owner               *string `json:"owner"`
	OwnerName           *string `json:"owner_name"`
	Notes               string  `json:"notes"`
	CreatedAt           string  `json:"created_at"`
	UpdatedAt           string  `json:"updated_at"`
}

// clientBody returns a valid create body with a unique company name, changed by fields (a nil
// value removes the field).
func clientBody(fields map[string]any) map[string]any {
	n := nextSeq()
	body := map[string]any{
		"company_name":          fmt.Sprintf("Client %d Ltd", n),
		"primary_contact_name":  "Grace Hopper",
		"primary_contact_email": fmt.Sprintf("grace%d@client.example", n),
	}
	for k, v := range fields {
		if v == nil {
			delete(body, k)
			continue
		}
		body[k] = v
	}
	return body
}

// createClient creates a client as the token's user from clientBody(fields) and returns it.
func (s *apiServer) createClient(t testing.TB, token string, fields map[string]any) client {
	t.Helper()
	r := s.Do(t, http.MethodPost, clientsPath, token, clientBody(fields))
	testkit.WantStatus(t, r, http.StatusCreated)
	var c client
	testkit.Decode(t, r, &c)
	if c.ID == "" {
		t.Fatalf("create client: no id: %s", r.Body)
	}
	return c
}

// getClient fetches a client as the token's user.
func (s *apiServer) getClient(t testing.TB, token, id string) client {
	t.Helper()
	r := s.Do(t, http.MethodGet, clientPath(id), token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	var c client
	testkit.Decode(t, r, &c)
	return c
}

// listClients lists clients with the query string (without "?") and returns the page and its
// clients.
func (s *apiServer) listClients(t testing.TB, token, query string) (page, []client) {
	t.Helper()
	return testkit.ListOf[client](t, s.API, token, clientsPath, query)
}

// clientNames returns the company names of clients, in order.
func clientNames(cs []client) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.CompanyName
	}
	return names
}

func ptr[T any](v T) *T { return &v }
