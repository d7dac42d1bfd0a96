package app_test

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/danielgtaylor/huma/v2"
)

// documented is one operation of the OpenAPI document.
type documented struct {
	method, path string
	op           *huma.Operation
}

// operations returns every operation of the assembled app's OpenAPI document, by operation id.
func operations(t *testing.T) map[string]documented {
	t.Helper()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	ops := map[string]documented{}
	for path, item := range s.Srv.App.API.Huma.OpenAPI().Paths {
		for method, op := range map[string]*huma.Operation{http.MethodGet: item.Get, http.MethodPost: item.Post,
			http.MethodPut: item.Put, http.MethodPatch: item.Patch, http.MethodDelete: item.Delete,
			http.MethodHead: item.Head, http.MethodOptions: item.Options, http.MethodTrace: item.Trace} {
			if op == nil {
				continue
			}
			if prev, dup := ops[op.OperationID]; dup {
				t.Errorf("operation id %s names %s %s and %s %s", op.OperationID, prev.method, prev.path, method, path)
			}
			ops[op.OperationID] = documented{method: method, path: path, op: op}
		}
	}
	if len(ops) == 0 {
		t.Fatal("the OpenAPI document has no operations")
	}
	return ops
}

// Every operation names the policy that decides who may call it (api.SetPolicy): a resource's
// policy, or "public" / "self" for the few no resource decides. An operation without one was
// registered around the policies.
func TestEveryOperationHasAPolicy(t *testing.T) {
	t.Parallel()
	ops := operations(t)
	var missing []string
	for _, id := range slices.Sorted(maps.Keys(ops)) {
		if d := ops[id]; api.PolicyOf(d.op) == "" {
			missing = append(missing, fmt.Sprintf("%s (%s %s)", id, d.method, d.path))
		}
	}
	for _, m := range missing {
		t.Errorf("no policy: %s", m)
	}
	if len(missing) > 0 {
		t.Logf("%d of %d operations name no policy", len(missing), len(ops))
	}
}

// The clients resource, on the module kit, names its policy for each action.
func TestClientOperationsNameTheClientsPolicy(t *testing.T) {
	t.Parallel()
	ops := operations(t)
	for id, want := range map[string]string{
		"list-clients":   "clients.list",
		"create-client":  "clients.create",
		"get-client":     "clients.read",
		"replace-client": "clients.update",
		"update-client":  "clients.update",
		"delete-client":  "clients.delete",
	} {
		d, ok := ops[id]
		if !ok {
			t.Errorf("%s is not in the OpenAPI document", id)
			continue
		}
		if got := api.PolicyOf(d.op); got != want {
			t.Errorf("%s: policy %q, want %q", id, got, want)
		}
	}
}
