package app_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestOpenAPIUploadsOfferAFilePicker checks what makes Swagger UI show a file picker (and send
// the file) for the upload operations: a multipart/form-data body whose required "file" is a
// binary string. A plain string would be a text box, and "Try it out" could not upload.
func TestOpenAPIUploadsOfferAFilePicker(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	type property struct {
		Type   string `json:"type"`
		Format string `json:"format"`
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Required bool `json:"required"`
				Content  map[string]struct {
					Schema struct {
						Type       string              `json:"type"`
						Required   []string            `json:"required"`
						Properties map[string]property `json:"properties"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(loadSpec(t, srv).raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/documents/documents/upload/", "/api/v1/documents/documents/{id}/versions/"} {
		body := doc.Paths[path]["post"].RequestBody
		form, ok := body.Content["multipart/form-data"]
		if !ok || len(body.Content) != 1 || !body.Required {
			t.Errorf("POST %s: request body %+v, want a required multipart/form-data body only", path, body)
			continue
		}
		if file := form.Schema.Properties["file"]; form.Schema.Type != "object" || file != (property{"string", "binary"}) ||
			!slices.Contains(form.Schema.Required, "file") {
			t.Errorf("POST %s: form %+v, want an object whose required file is a binary string", path, form.Schema)
		}
	}
}
