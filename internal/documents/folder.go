package documents

import (
	"slices"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Visibility says who may see a folder or document: the firm's staff only, or also the
// folder's client (through a client portal, later).
type Visibility string

// The visibilities (SPEC §8).
const (
	Internal Visibility = "internal"
	Client   Visibility = "client"
)

// visibilities lists the visibilities (validation, filters, OpenAPI).
func visibilities() []Visibility { return []Visibility{Internal, Client} }

// Folder messages.
const (
	MsgFolderNameTaken     = "A folder with this name already exists here."
	MsgFolderParentUnknown = "Select a valid folder."
	MsgFolderParentCycle   = "A folder cannot be moved into itself or one of its subfolders."
	MsgFolderClientUnknown = "Select a valid client."
	MsgFolderProjectUnkown = "Select a valid project."
	MsgFolderProjectClient = "Project must belong to the folder's client"
	MsgFolderClientParent  = "Must match the parent folder's client"
	MsgFolderProjectParent = "Must match the parent folder's project"
	MsgFolderNotEmpty      = "This folder is not empty."
)

// folderPolicy decides who may do what to folders (SPEC §1's documents row): every role that
// reads documents reads folders; owners, admins and managers create, change and delete them.
type folderPolicy struct{}

func (folderPolicy) Allow(a auth.Actor, act resource.Action) error {
	if act == resource.List || act == resource.Read {
		return auth.CanRead(a, auth.Documents)
	}
	return auth.CanWrite(a, auth.Documents)
}

func (folderPolicy) AllowOn(a auth.Actor, act resource.Action, _ *Folder) error {
	return folderPolicy{}.Allow(a, act)
}

// formatProblems checks the fields of a merged folder that have a format; the rules that need
// the database come after (checkFolder).
func (f *Folder) formatProblems() fault.Fields {
	var bad fault.Fields
	if db.BadID(f.ParentID) {
		bad.Add("parent", MsgFolderParentUnknown)
	}
	if db.BadID(f.ClientID) {
		bad.Add("client", MsgFolderClientUnknown)
	}
	if db.BadID(f.ProjectID) {
		bad.Add("project", MsgFolderProjectUnkown)
	}
	if !slices.Contains(visibilities(), f.Visibility) {
		bad.Add("visibility", validate.ChoiceMessage(f.Visibility))
	}
	if f.Name == "" {
		bad.Add("name", validate.MsgRequired)
	}
	return bad
}

// agree applies SPEC §8's consistency rule against the folder's parent: a subfolder belongs to
// its parent's client and project. What the body leaves unset is inherited; what it sets
// otherwise is refused.
func (f *Folder) agree(parent *Folder) fault.Fields {
	var bad fault.Fields
	if parent == nil {
		return bad
	}
	inherit := func(field, msg string, mine **string, theirs *string) {
		switch {
		case theirs == nil:
		case *mine == nil:
			v := *theirs
			*mine = &v
		case **mine != *theirs:
			bad.Add(field, msg)
		}
	}
	inherit("client", MsgFolderClientParent, &f.ClientID, parent.ClientID)
	inherit("project", MsgFolderProjectParent, &f.ProjectID, parent.ProjectID)
	return bad
}
