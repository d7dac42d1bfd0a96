package documents

import (
	"slices"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Upload is the named action of adding a file: a new document or a new version.
const Upload resource.Action = "upload"

// Document messages (SPEC §8; exact where the issue gives them).
const (
	MsgFolderUnknown    = "Select a valid folder."
	MsgFileMissing      = "No file was submitted."
	MsgFileEmpty        = "The submitted file is empty."
	MsgFileType         = "File type not allowed"
	MsgFileIdentical    = "This version is identical to the current one"
	MsgOneFile          = "Send one file."
	MsgFieldTooLong     = "Ensure this field has no more than 255 characters."
	MsgUnknownField     = "Unknown field."
	MsgDownloadExpired  = "This download link has expired."
	MsgDownloadTampered = "This download link is not valid."
)

// documentPolicy decides who may do what to documents (SPEC §1's documents row): every role
// that reads documents reads them and downloads them; owners, admins and managers change and
// delete them; consultants, who only read otherwise, also upload (new documents and versions).
type documentPolicy struct{}

func (documentPolicy) Allow(a auth.Actor, act resource.Action) error {
	switch act {
	case resource.List, resource.Read:
		return auth.CanRead(a, auth.Documents)
	case Upload, resource.Create:
		if a.Role == auth.Consultant {
			return nil
		}
	}
	return auth.CanWrite(a, auth.Documents)
}

func (documentPolicy) AllowOn(a auth.Actor, act resource.Action, _ *Document) error {
	return documentPolicy{}.Allow(a, act)
}

// formatProblems checks the fields of a merged document that have a format.
func (d *Document) formatProblems() fault.Fields {
	var bad fault.Fields
	if d.FolderID == "" {
		bad.Add("folder", validate.MsgRequired)
	} else if !db.ValidID(d.FolderID) {
		bad.Add("folder", MsgFolderUnknown)
	}
	if d.Name == "" {
		bad.Add("name", validate.MsgRequired)
	} else if len([]rune(d.Name)) > 255 {
		bad.Add("name", MsgFieldTooLong)
	}
	if !slices.Contains(visibilities(), d.Visibility) {
		bad.Add("visibility", validate.ChoiceMessage(d.Visibility))
	}
	return bad
}
