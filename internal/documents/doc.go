// Package documents owns folders, documents and their versions (SPEC §8).
//
//   - Folders: a name unique among siblings (root included), ignoring case; a subfolder
//     belongs to its parent's client and project (inherited when omitted, refused when
//     different); a project's folder to the project's client; only empty folders are deleted.
//   - Uploads stream a multipart body to a temporary file (413 past UPLOAD_MAX_MB while
//     reading), sniff the type from the content against an allow-list (Office files by their
//     zip's parts), and store the blob only once every check has passed; the blob is removed
//     again if its rows cannot be written. A version identical to the current one is refused.
//   - Downloads are one-hour URLs: presigned by S3-compatible storage, or signed with an HMAC of
//     the secret key and served by this server for local storage.
//   - Deleting a document deletes its versions and then their blobs.
//   - Owners, admins and managers manage folders and documents; consultants read and upload;
//     accountants read.
//
// Each resource is on the module kit (internal/resource): folder.go and document.go hold the
// enums, messages, policies and pure rules; *_store.go the models, list queries, service methods
// and SQL; *_api.go the request and response types and the routes. upload.go reads a multipart
// form, sniff.go names a file's type, download.go signs and serves local downloads.
package documents
