// Package pdf starts the documents the server renders (invoices), with their fonts embedded in
// the binary so that rendering needs no network and no files beside it, and any script a
// client's name or a line's description is written in prints.
package pdf

import (
	_ "embed"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// DejaVu Sans (Bitstream Vera licence, fonts/LICENSE) covers Latin, Greek and Cyrillic and the
// currency signs; only the glyphs a document uses are written into it.
var (
	//go:embed fonts/DejaVuSans.ttf
	regular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	bold []byte
)

// Family is the font family New registers, in "" (regular) and "B" (bold).
const Family = "DejaVu"

// New starts an A4 portrait document in millimetres with the embedded fonts, stamped with
// created (so that one invoice renders to the same bytes twice) and titled title.
func New(title string, created time.Time) *fpdf.Fpdf {
	doc := fpdf.New("P", "mm", "A4", "")
	doc.AddUTF8FontFromBytes(Family, "", regular)
	doc.AddUTF8FontFromBytes(Family, "B", bold)
	doc.SetTitle(title, true)
	doc.SetCreator("ConsultantPro", true)
	doc.SetProducer("ConsultantPro", true)
	doc.SetCreationDate(created)
	doc.SetModificationDate(created)
	doc.SetCatalogSort(true)
	doc.SetMargins(18, 18, 18)
	doc.SetAutoPageBreak(true, 20)
	doc.SetFont(Family, "", 10)
	return doc
}
