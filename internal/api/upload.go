package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// Uploads are the one kind of request body that is neither JSON nor bounded by MaxBodyBytes:
// a multipart/form-data body streamed to the handler as it arrives, never held in memory. An
// operation opts in with Uploading; its input embeds UploadInput, which hands the handler the
// parts one at a time. huma never reads such a body (the input has no Body field), so the
// OpenAPI request body is declared here, with the file as binary (Swagger UI shows a file
// picker). Uploads take no Idempotency-Key: replaying one would mean keeping the whole body.

// uploadKey in an operation's metadata holds its largest accepted file, in bytes.
const uploadKey = "upload"

// uploadSlack is what a multipart body may carry beyond its file: the other fields and the
// parts' headers.
const uploadSlack = 64 << 10

// Uploading marks op as a streamed multipart upload of a file of at most maxFile bytes, with
// the form described by form (an object schema whose "file" property is the file). The upload
// throttle applies to it.
func Uploading(op *huma.Operation, maxFile int64, form *huma.Schema) {
	Throttled(op, Upload)
	op.Metadata[uploadKey] = maxFile
	op.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: form, Encoding: map[string]*huma.Encoding{
			"file": {ContentType: "application/octet-stream"},
		}},
	}}
}

// FileSchema is the schema of a form's file field: binary, which Swagger UI offers to upload.
func FileSchema(doc string) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "binary", Description: doc}
}

// uploadLimit is the largest file of the operation, if it is an upload.
func uploadLimit(op *huma.Operation) (int64, bool) {
	n, ok := op.Metadata[uploadKey].(int64)
	return n, ok
}

// UploadTooLarge is the 413 of a file over maxFile bytes.
func UploadTooLarge(maxFile int64) error {
	return fault.New(fault.TooLarge, fmt.Sprintf("File is larger than %d MiB.", (maxFile+(1<<20)-1)>>20))
}

// MsgNotMultipart answers an upload whose body is not multipart/form-data.
const MsgNotMultipart = "Unsupported media type; send multipart/form-data."

// UploadInput is embedded in the input of an Upload operation: it keeps the request body for
// the handler, unread.
type UploadInput struct {
	body        io.Reader
	contentType string
}

// Resolve implements huma.Resolver: it takes the body and its Content-Type.
func (in *UploadInput) Resolve(ctx huma.Context) []error {
	in.body, in.contentType = ctx.BodyReader(), ctx.Header("Content-Type")
	return nil
}

// Parts reads the body as multipart/form-data, part by part; 415 for any other body.
func (in *UploadInput) Parts() (*multipart.Reader, error) {
	mt, params, err := mime.ParseMediaType(in.contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" || in.body == nil {
		return nil, fault.New(fault.UnsupportedMedia, MsgNotMultipart)
	}
	return multipart.NewReader(in.body, params["boundary"]), nil
}

// ReadError classifies an error met while reading an upload's body: 413 when the body went
// over its limit, else 400 (a malformed or cut-off body).
func ReadError(err error, maxFile int64) error {
	if _, ok := errors.AsType[*fault.Error](err); ok {
		return err
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return UploadTooLarge(maxFile)
	}
	return fault.Wrap(fault.BadRequest, "Could not read the multipart body.", err)
}

// uploadRoute reports the largest file of the upload operation a request is for: only a
// POST of multipart/form-data is looked up.
func (a *API) uploadRoute(r *http.Request) (int64, bool) {
	if r.Method != http.MethodPost || len(a.uploads) == 0 {
		return 0, false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return 0, false
	}
	_, pattern := a.Router.mux.Handler(r)
	maxFile, ok := a.uploads[pattern]
	return maxFile, ok
}

// limitUpload applies an upload's own body limit in place of MaxBodyBytes: 413 at once for an
// announced length over it, and a reader that stops at it (413 while reading, see ReadError).
func (a *API) limitUpload(w http.ResponseWriter, r *http.Request, maxFile int64, next http.Handler) {
	limit := maxFile + uploadSlack
	if r.ContentLength > limit {
		WriteError(w, r, UploadTooLarge(maxFile))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	next.ServeHTTP(w, r)
}
