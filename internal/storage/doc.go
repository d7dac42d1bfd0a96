// Package storage keeps the blobs of uploaded files: in a local directory (the default,
// DATA_DIR/files, nothing to set up) or in an S3-compatible bucket (AWS S3, MinIO, R2…),
// chosen by STORAGE_URL. Both implement Store and pass the same test suite.
//
// Keys are made by the server from ids (Key), never from a name a user sent, so no upload can
// choose where its bytes land; both implementations refuse any other key.
package storage
