package crm

import (
	"testing"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
)

// TestClientPolicy is SPEC §1 for clients: every role reads; owners, admins and managers write;
// a consultant updates only the clients they own and never creates or deletes.
func TestClientPolicy(t *testing.T) {
	t.Parallel()
	type want struct{ list, read, create, updateOwn, updateOther, delete bool }
	tests := map[auth.Role]want{
		auth.Owner:      {true, true, true, true, true, true},
		auth.Admin:      {true, true, true, true, true, true},
		auth.Manager:    {true, true, true, true, true, true},
		auth.Consultant: {true, true, false, true, false, false},
		auth.Accountant: {true, true, false, false, false, false},
	}
	for role, w := range tests {
		t.Run(string(role), func(t *testing.T) {
			t.Parallel()
			a := auth.Actor{UserID: "me", FirmID: "f1", Role: role}
			me, other := "me", "someone-else"
			mine, theirs, unowned := &Client{OwnerID: &me}, &Client{OwnerID: &other}, &Client{}
			p := clientPolicy{}
			check := func(what string, err error, allowed bool) {
				t.Helper()
				if (err == nil) != allowed {
					t.Errorf("%s %s: err %v, want allowed=%v", role, what, err, allowed)
				}
				if err != nil && fault.KindOf(err) != fault.Forbidden {
					t.Errorf("%s %s: kind %v, want Forbidden", role, what, fault.KindOf(err))
				}
			}
			check("list", resource.Check(p, a, resource.List, nil), w.list)
			check("read", resource.Check(p, a, resource.Read, theirs), w.read)
			check("create", resource.Check(p, a, resource.Create, nil), w.create)
			check("update own", resource.Check(p, a, resource.Update, mine), w.updateOwn)
			check("update other's", resource.Check(p, a, resource.Update, theirs), w.updateOther)
			check("update unowned", resource.Check(p, a, resource.Update, unowned), w.updateOther)
			check("delete own", resource.Check(p, a, resource.Delete, mine), w.delete)
		})
	}
	t.Run("no user id never owns", func(t *testing.T) {
		t.Parallel()
		empty := ""
		err := resource.Check(clientPolicy{}, auth.Actor{FirmID: "f1", Role: auth.Consultant}, resource.Update, &Client{OwnerID: &empty})
		if err == nil {
			t.Fatal("a consultant without a user id matched an empty owner")
		}
	})
}
