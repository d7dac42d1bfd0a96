package documents

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
)

// An upload is read part by part as it arrives: the file goes to a temporary file (hashed and
// counted on the way, refused with 413 as soon as it passes the limit), the other fields into
// small strings. The temporary file lets the checks that need the whole file run (an Office
// zip's directory is at its end) before anything reaches storage; it is removed whatever the
// outcome.

// sniffLen is how much of a file's start the type sniffing looks at.
const sniffLen = 512

// maxFieldBytes bounds a form field other than the file.
const maxFieldBytes = 16 << 10

// msgFieldTooLarge refuses a form field over maxFieldBytes.
const msgFieldTooLarge = "This field is too long."

// Spooled is an uploaded file kept in a temporary file while it is checked and stored.
type Spooled struct {
	file        *os.File
	head        []byte
	Name        string // the name the client sent, cleaned: for display and downloads only
	Size        int64
	SHA256      string // hex
	ContentType string // sniffed (see sniff)
}

// Close removes the temporary file.
func (f *Spooled) Close() {
	if f != nil && f.file != nil {
		_ = f.file.Close()
		_ = os.Remove(f.file.Name())
	}
}

// reader reads the file from its start.
func (f *Spooled) reader() io.Reader { return io.NewSectionReader(f.file, 0, f.Size) }

// form is a read multipart upload: its file (nil when none was sent) and its other fields.
type form struct {
	file   *Spooled
	fields map[string]string
}

func (f *form) close() { f.file.Close() }

// readForm reads an upload's parts: "file" and the named fields; another field is refused
// like an unknown JSON field. A file over maxFile → 413 while it is read.
func readForm(mr *multipart.Reader, tempDir string, maxFile int64, names ...string) (*form, error) {
	out := &form{fields: map[string]string{}}
	var bad fault.Fields
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			out.close()
			return nil, api.ReadError(err, maxFile)
		}
		err = out.readPart(part, tempDir, maxFile, names, &bad)
		_ = part.Close()
		if err != nil {
			out.close()
			return nil, err
		}
	}
	if err := bad.Err(); err != nil {
		out.close()
		return nil, err
	}
	return out, nil
}

func (f *form) readPart(part *multipart.Part, tempDir string, maxFile int64, names []string, bad *fault.Fields) error {
	name := part.FormName()
	switch {
	case name == "file":
		if f.file != nil {
			bad.Add("file", MsgOneFile)
			return nil
		}
		file, err := spool(part, tempDir, maxFile)
		f.file = file
		return err
	case !isFieldName(name):
		bad.Add(fault.NonField, MsgUnknownField)
	case !slices.Contains(names, name):
		bad.Add(name, MsgUnknownField)
	default:
		raw, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		if err != nil {
			return api.ReadError(err, maxFile)
		}
		if len(raw) > maxFieldBytes {
			bad.Add(name, msgFieldTooLarge)
			return nil
		}
		f.fields[name] = string(raw)
	}
	return nil
}

// spool copies a file part to a temporary file, hashing it and keeping its first bytes.
func spool(part *multipart.Part, tempDir string, maxFile int64) (*Spooled, error) {
	tmp, err := os.CreateTemp(tempDir, "upload-*")
	if err != nil {
		return nil, err
	}
	f := &Spooled{file: tmp, Name: cleanName(part.FileName())}
	sum := sha256.New()
	head := &headWriter{max: sniffLen}
	n, err := io.Copy(io.MultiWriter(tmp, sum, head), io.LimitReader(part, maxFile+1))
	f.Size, f.head = n, head.buf
	if err != nil {
		return f, api.ReadError(err, maxFile)
	}
	if n > maxFile {
		return f, api.UploadTooLarge(maxFile)
	}
	f.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return f, nil
}

// check names the file's type from its content; 400 on the file field when it is missing,
// empty or not of an allowed type.
func (f *Spooled) check() error {
	switch {
	case f == nil:
		return fault.Field("file", MsgFileMissing)
	case f.Size == 0:
		return fault.Field("file", MsgFileEmpty)
	}
	t, err := sniff(f.file, f.Size, f.head, f.Name)
	if err != nil {
		return fault.Field("file", MsgFileType)
	}
	f.ContentType = t
	return nil
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	buf []byte
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.buf); room > 0 {
		w.buf = append(w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// cleanName makes a sent file name safe to show and to put in a Content-Disposition: valid
// UTF-8, no control characters, no directories, at most 255 characters.
func cleanName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name))
	if r := []rune(name); len(r) > 255 {
		name = string(r[:255])
	}
	return name
}

// isFieldName accepts the field names a form of this API can have, so that a reply never
// echoes anything else.
func isFieldName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
