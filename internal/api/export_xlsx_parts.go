package api

import (
	"strconv"
	"strings"
)

// The fixed parts of an XLSX package (ECMA-376 SpreadsheetML): one workbook of one worksheet,
// with its styles.
const (
	xml1    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain  = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkg   = "http://schemas.openxmlformats.org/package/2006/relationships"
	ctMain  = "application/vnd.openxmlformats-officedocument.spreadsheetml"
	relType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

	xlsxContentTypes = xml1 + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + ctMain + `.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="` + ctMain + `.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="` + ctMain + `.styles+xml"/></Types>`

	xlsxRootRels = xml1 + `<Relationships xmlns="` + nsPkg + `">` +
		`<Relationship Id="rId1" Type="` + relType + `officeDocument" Target="xl/workbook.xml"/></Relationships>`

	xlsxWorkbookRels = xml1 + `<Relationships xmlns="` + nsPkg + `">` +
		`<Relationship Id="rId1" Type="` + relType + `worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="` + relType + `styles" Target="styles.xml"/></Relationships>`
)

// xlsxWorkbook is the workbook part: one worksheet named name.
func xlsxWorkbook(name string) string {
	var b strings.Builder
	b.WriteString(xml1 + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheets><sheet name="`)
	writeXMLText(&b, name)
	b.WriteString(`" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	return b.String()
}

// xlsxBold is the style of the header row; the styles of number formats follow it.
const xlsxBold = 1

// xlsxStyles numbers the cell styles a worksheet uses as it is written: 0 the default, 1 bold,
// then one per number format in the order first met (each a custom format, ids from 164).
type xlsxStyles struct {
	ids     map[string]int
	formats []string
}

// id is the style index of number format numFmt.
func (st *xlsxStyles) id(numFmt string) int {
	if id, ok := st.ids[numFmt]; ok {
		return id
	}
	if st.ids == nil {
		st.ids = map[string]int{}
	}
	st.formats = append(st.formats, numFmt)
	st.ids[numFmt] = xlsxBold + len(st.formats)
	return st.ids[numFmt]
}

// xml is the styles part.
func (st *xlsxStyles) xml() string {
	var b strings.Builder
	b.WriteString(xml1 + `<styleSheet xmlns="` + nsMain + `">`)
	if len(st.formats) > 0 {
		b.WriteString(`<numFmts count="` + strconv.Itoa(len(st.formats)) + `">`)
		for i, f := range st.formats {
			b.WriteString(`<numFmt numFmtId="` + strconv.Itoa(164+i) + `" formatCode="`)
			writeXMLText(&b, f)
			b.WriteString(`"/>`)
		}
		b.WriteString(`</numFmts>`)
	}
	b.WriteString(`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="` + strconv.Itoa(2+len(st.formats)) + `">` +
		`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>`)
	for i := range st.formats {
		b.WriteString(`<xf numFmtId="` + strconv.Itoa(164+i) + `" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`)
	}
	b.WriteString(`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`)
	return b.String()
}

// sheetName is a worksheet name Excel accepts: at most 31 characters, none of []:*?/\.
func sheetName(title string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, Header(strings.ReplaceAll(title, "-", "_")))
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Export"
	}
	return name
}

// decimalFormat is the number format with digits decimals: "#,##0.00".
func decimalFormat(digits int) string {
	if digits <= 0 {
		return "#,##0"
	}
	return "#,##0." + strings.Repeat("0", digits)
}
