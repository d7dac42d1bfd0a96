package documents

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode/utf8"
)

// The types an upload may have, named by what its bytes are (SPEC §8's allow-list). Whatever
// the file's name or declared type says, a file whose content is none of these is refused.
const (
	typePDF  = "application/pdf"
	typePNG  = "image/png"
	typeJPEG = "image/jpeg"
	typeGIF  = "image/gif"
	typeWebP = "image/webp"
	typeText = "text/plain; charset=utf-8"
	typeCSV  = "text/csv; charset=utf-8"
	typeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	typeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	typePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)

// officeParts names the part that makes an Office Open XML package a document, a workbook or
// a presentation; every such package also has [Content_Types].xml.
var officeParts = map[string]string{
	"word/document.xml":    typeDOCX,
	"xl/workbook.xml":      typeXLSX,
	"ppt/presentation.xml": typePPTX,
}

// errTypeNotAllowed is a file whose content is not on the allow-list.
var errTypeNotAllowed = errors.New("file type not allowed")

// sniff names the type of a spooled file from its content: its first bytes (the standard
// library's sniffing), the structure of a zip (Office documents), and for text, every byte
// (valid UTF-8, no NUL, not markup), so that a text header cannot smuggle a binary file. A CSV is text
// whose name ends in .csv.
func sniff(f io.ReaderAt, size int64, head []byte, name string) (string, error) {
	switch t := http.DetectContentType(head); t {
	case typePDF, typePNG, typeJPEG, typeGIF, typeWebP:
		return t, nil
	case "application/zip":
		return officeType(f, size)
	case typeText:
		// Markup the standard library does not name (SVG, XML) is not plain text.
		if bytes.HasPrefix(bytes.TrimSpace(head), []byte("<")) || !isText(io.NewSectionReader(f, 0, size)) {
			return "", errTypeNotAllowed
		}
		if strings.EqualFold(path.Ext(name), ".csv") {
			return typeCSV, nil
		}
		return typeText, nil
	}
	return "", errTypeNotAllowed
}

// officeType accepts a zip that is an Office Open XML document, workbook or presentation.
func officeType(f io.ReaderAt, size int64) (string, error) {
	z, err := zip.NewReader(f, size)
	if err != nil {
		return "", errTypeNotAllowed
	}
	found, kind := false, ""
	for _, part := range z.File {
		if part.Name == "[Content_Types].xml" {
			found = true
		}
		if t, ok := officeParts[part.Name]; ok && kind == "" {
			kind = t
		}
	}
	if !found || kind == "" {
		return "", errTypeNotAllowed
	}
	return kind, nil
}

// isText reports whether r is valid UTF-8 without NUL bytes.
func isText(r io.Reader) bool {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		c, size, err := br.ReadRune()
		if err == io.EOF {
			return true
		}
		if err != nil || c == 0 || c == utf8.RuneError && size == 1 {
			return false
		}
	}
}
