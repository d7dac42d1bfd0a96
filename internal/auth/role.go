package auth

import "slices"

// Role is a user's role in their firm.
type Role string

// The roles (SPEC §1).
const (
	Owner      Role = "owner"
	Admin      Role = "admin"
	Manager    Role = "manager"
	Consultant Role = "consultant"
	Accountant Role = "accountant"
)

// Roles lists every role, from the most to the least privileged (validation, filters, OpenAPI).
func Roles() []Role { return []Role{Owner, Admin, Manager, Consultant, Accountant} }

// RoleNames lists the roles as strings.
func RoleNames() []string {
	roles := Roles()
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// IsAdmin reports whether r has every permission in its firm (owner or admin).
func (r Role) IsAdmin() bool { return r == Owner || r == Admin }

// Area is a part of the product with its own row in the role matrix.
type Area int

// The areas of SPEC §1's role matrix.
const (
	FirmSettings Area = iota // firm settings, users, roles
	CRM                      // clients, proposals, contracts
	Projects                 // projects and tasks
	TimeEntries              // time entries
	Finance                  // invoices, bills, payments, ledger
	Documents                // folders and documents
	Assets                   // assets and maintenance
)

// Access is what a role may do in an area before object rules are applied.
type Access int

// Access levels, from none to full.
const (
	NoAccess Access = iota // 403 on every operation
	Read                   // list and retrieve; writes only where an object rule grants them
	Write                  // create, update and delete (object rules may still refuse)
)

// matrix is SPEC §1's role table. Read with object rules on top covers the "update clients they
// own", "tasks assigned to them", "own entries" and "read own assigned" cells.
var matrix = map[Role]map[Area]Access{
	Owner:      {FirmSettings: Write, CRM: Write, Projects: Write, TimeEntries: Write, Finance: Write, Documents: Write, Assets: Write},
	Admin:      {FirmSettings: Write, CRM: Write, Projects: Write, TimeEntries: Write, Finance: Write, Documents: Write, Assets: Write},
	Manager:    {CRM: Write, Projects: Write, TimeEntries: Write, Finance: Read, Documents: Write, Assets: Read},
	Consultant: {CRM: Read, Projects: Read, TimeEntries: Read, Documents: Read, Assets: Read},
	Accountant: {CRM: Read, Projects: Read, TimeEntries: Read, Finance: Write, Documents: Read, Assets: Write},
}

// AccessTo returns what the role may do in the area.
func (r Role) AccessTo(a Area) Access { return matrix[r][a] }
