package resource

import "testing"

func TestCollectionNamesThePolicy(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"/crm/proposals/{id}/accept/":  "proposals",
		"/crm/clients/":                "clients",
		"/projects/time-entries/{id}/": "time-entries",
		"/finance/invoices/{id}/send/": "invoices",
		"/finance/invoices/summary/":   "summary",
	} {
		if got := collection(path); got != want {
			t.Errorf("collection(%q) = %q, want %q", path, got, want)
		}
	}
}
