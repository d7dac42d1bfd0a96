package app_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	vErrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// update rewrites the golden files under testdata/ instead of comparing with them.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenOpenAPI is the expected OpenAPI document, pretty-printed with sorted keys.
var goldenOpenAPI = filepath.Join("testdata", "openapi.json")

// envelopeRef is the schema every documented error response must use.
const envelopeRef = "#/components/schemas/Envelope"

// spec is the served OpenAPI document, parsed and ready to validate requests and responses.
type spec struct {
	raw       []byte
	doc       libopenapi.Document
	model     *v3.Document
	validator validator.Validator
}

// loadSpec fetches /api/schema/ from srv and parses it. It fails the test if the document
// cannot be built into a validator.
func loadSpec(t *testing.T, srv *testkit.Server) *spec {
	t.Helper()
	resp, body := get(t, srv, "/api/schema/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/schema/: status %d\n%s", resp.StatusCode, body)
	}
	doc, err := libopenapi.NewDocument(body)
	if err != nil {
		t.Fatalf("parse OpenAPI document: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	for _, err := range errs {
		t.Errorf("build validator: %v", err)
	}
	if len(errs) > 0 {
		t.FailNow()
	}
	m, err := doc.BuildV3Model()
	if err != nil {
		t.Fatalf("build OpenAPI 3 model: %v", err)
	}
	return &spec{raw: body, doc: doc, model: &m.Model, validator: v}
}

// checkResponse validates a real request and its response against the document.
func (s *spec) checkResponse(t *testing.T, resp *http.Response) {
	t.Helper()
	where := resp.Request.Method + " " + resp.Request.URL.Path
	if ok, errs := s.validator.ValidateHttpRequest(resp.Request); !ok {
		t.Errorf("%s: request does not match the OpenAPI document:\n%s", where, formatValidationErrors(errs))
	}
	if ok, errs := s.validator.ValidateHttpResponse(resp.Request, resp); !ok {
		t.Errorf("%s: %d response does not match the OpenAPI document:\n%s", where, resp.StatusCode, formatValidationErrors(errs))
	}
}

// checkEnvelopeSchema validates body against the documented Envelope schema.
func (s *spec) checkEnvelopeSchema(t *testing.T, body []byte) {
	t.Helper()
	proxy := s.model.Components.Schemas.GetOrZero("Envelope")
	if proxy == nil {
		t.Fatal("the OpenAPI document has no Envelope schema")
	}
	if ok, errs := schema_validation.NewSchemaValidator().ValidateSchemaBytes(proxy.Schema(), body); !ok {
		t.Errorf("error body does not match the Envelope schema:\n%s\nbody: %s", formatValidationErrors(errs), body)
	}
}

// formatValidationErrors prints each validation error with its schema failures on lines of
// their own.
func formatValidationErrors(errs []*vErrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "  - %s: %s", e.Message, e.Reason)
		if e.SpecLine > 0 {
			fmt.Fprintf(&b, " (document line %d, column %d)", e.SpecLine, e.SpecCol)
		}
		b.WriteString("\n")
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "      %s", f.Reason)
			if f.FieldPath != "" {
				fmt.Fprintf(&b, " at %s", f.FieldPath)
			}
			if f.KeywordLocation != "" {
				fmt.Fprintf(&b, " (schema %s)", f.KeywordLocation)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestOpenAPIDocumentValidates(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	resp, _ := get(t, srv, "/api/schema/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	checkAPIHeaders(t, resp)

	s := loadSpec(t, srv)
	// The slash-less form is the same document, served directly (SPEC §2: no redirect).
	resp, body := get(t, srv, "/api/schema")
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, s.raw) {
		t.Errorf("GET /api/schema: status %d (Location %q), want 200 with the same document as /api/schema/",
			resp.StatusCode, resp.Header.Get("Location"))
	}
	checkAPIHeaders(t, resp)
	if v := s.model.Version; v != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", v)
	}
	if ok, errs := s.validator.ValidateDocument(); !ok {
		t.Errorf("the OpenAPI document does not validate against the OpenAPI %s schema:\n%s",
			s.model.Version, formatValidationErrors(errs))
	}
	// The OpenAPI schema above stops at each Schema Object (any object passes); check every one
	// against JSON Schema 2020-12, the dialect of OpenAPI 3.1.
	checked, problems := schemaProblems(t, s.raw)
	if checked < 50 {
		t.Errorf("checked only %d schemas of the OpenAPI document", checked)
	}
	for _, problem := range problems {
		t.Error(problem)
	}
}

// The schema check must be able to fail: it refuses what the document once declared for
// nullable decimals, an empty type, and OpenAPI 3.0's nullable, in a component or inline.
func TestOpenAPISchemaCheckCatchesInvalidSchemas(t *testing.T) {
	t.Parallel()
	doc := `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
	  "paths": {"/x/{id}": {"patch": {
	    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "strin"}}],
	    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Patch"}}}},
	    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}}}}},
	  "components": {"schemas": {
	    "Patch": {"type": "object", "properties": {"budget": {"oneOf": [{"type": "string"}, {"type": "number"}], "type": ["", "null"]}}},
	    "Out": {"type": "object", "properties": {"name": {"type": "string", "nullable": true}}},
	    "Fine": {"type": "object", "properties": {"budget": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}]}}}}}}`
	checked, problems := schemaProblems(t, []byte(doc))
	if checked != 4 {
		t.Errorf("checked %d schemas, want 4 (three components and the parameter)", checked)
	}
	want := []string{"/components/schemas/Out", "/components/schemas/Patch", "/paths/~1x~1{id}/patch/parameters/0/schema"}
	if len(problems) != len(want) {
		t.Fatalf("%d problems, want %d (%v):\n%s", len(problems), len(want), want, strings.Join(problems, "\n"))
	}
	for i, p := range want {
		if !strings.HasPrefix(problems[i], "schema "+p+" is not valid") {
			t.Errorf("problem %d = %q, want one about %s", i, problems[i], p)
		}
	}
}

// schemaProblems compiles every Schema Object in the OpenAPI document raw — each component
// schema and each schema of a parameter, header, request or response body — with a JSON Schema
// 2020-12 compiler, which checks it (and the schemas it refers to) against the 2020-12
// meta-schema and refuses OpenAPI 3.0's nullable. It returns how many schemas it checked and one
// line per invalid schema, in the order of their JSON pointers.
func schemaProblems(t *testing.T, raw []byte) (checked int, problems []string) {
	t.Helper()
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("the OpenAPI document is not JSON: %v", err)
	}
	var pointers []string
	var walk func(node any, pointer string, schemas bool)
	walk = func(node any, pointer string, schemas bool) {
		switch n := node.(type) {
		case map[string]any:
			for key, v := range n {
				p := pointer + "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(key)
				switch {
				case schemas || key == "schema":
					// A bare reference to a component is checked with the component.
					if ref, ok := v.(map[string]any); !ok || len(ref) != 1 || !strings.HasPrefix(fmt.Sprint(ref["$ref"]), "#/components/schemas/") {
						pointers = append(pointers, p)
					}
				case key == "example" || key == "examples":
				default:
					walk(v, p, pointer == "/components" && key == "schemas")
				}
			}
		case []any:
			for i, v := range n {
				walk(v, pointer+"/"+strconv.Itoa(i), false)
			}
		}
	}
	walk(doc, "", false)
	slices.Sort(pointers)
	opts := config.NewValidationOptions()
	for _, p := range pointers {
		name := "openapi.json#" + (&url.URL{Fragment: p}).EscapedFragment()
		_, err := helpers.NewCompiledSchemaResourcesWithVersion(name, map[string][]byte{"openapi.json": raw}, opts, 3.1)
		if err != nil {
			problems = append(problems, fmt.Sprintf("schema %s is not valid JSON Schema 2020-12: %v", p, err))
		}
	}
	return len(pointers), problems
}

func TestOpenAPIDocumentMatchesGolden(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	resp, body := get(t, srv, "/api/schema/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200\n%s", resp.StatusCode, body)
	}
	got := prettyJSON(t, body)
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenOpenAPI), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenOpenAPI, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenOpenAPI)
		return
	}
	want, err := os.ReadFile(goldenOpenAPI)
	if err != nil {
		t.Fatalf("read golden file (create it with go test ./internal/app/ -run TestOpenAPIDocumentMatchesGolden -update): %v", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("GET /api/schema/ differs from %s (rerun with -update if the change is intended)\n%s",
			goldenOpenAPI, lineDiff(string(want), string(got)))
	}
}

// prettyJSON re-encodes a JSON document with sorted keys, two-space indentation, no HTML
// escaping and a final newline, so the golden file is stable and readable.
func prettyJSON(t *testing.T, b []byte) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("the OpenAPI document is not JSON: %v", err)
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// lineDiff describes how got differs from want: the first and last differing lines, with a few
// lines of context, in the -want +got style. Everything between the common head and the common
// tail is shown (up to a limit), which for a golden file is usually the one changed hunk.
func lineDiff(want, got string) string {
	const context, limit = 3, 40
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	head := 0
	for head < len(w) && head < len(g) && w[head] == g[head] {
		head++
	}
	tail := 0
	for tail < len(w)-head && tail < len(g)-head && w[len(w)-1-tail] == g[len(g)-1-tail] {
		tail++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d (-want golden, +got server):\n", head+1)
	fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@\n", head+1, len(w)-tail-head, head+1, len(g)-tail-head)
	for i := max(0, head-context); i < head; i++ {
		fmt.Fprintf(&b, "  %s\n", w[i])
	}
	changed := func(sign string, lines []string) {
		for i, l := range lines {
			if i == limit {
				fmt.Fprintf(&b, "%s … %d more lines\n", sign, len(lines)-limit)
				break
			}
			fmt.Fprintf(&b, "%s %s\n", sign, l)
		}
	}
	changed("-", w[head:len(w)-tail])
	changed("+", g[head:len(g)-tail])
	for i := len(w) - tail; i < min(len(w), len(w)-tail+context); i++ {
		fmt.Fprintf(&b, "  %s\n", w[i])
	}
	return b.String()
}

func TestLineDiff(t *testing.T) {
	t.Parallel()
	want := "a\nb\nc\nd\ne\nf\n"
	got := "a\nb\nc\nX\ne\nf\n"
	diff := lineDiff(want, got)
	for _, line := range []string{"first difference at line 4", "@@ -4,1 +4,1 @@", "  c\n- d\n+ X\n  e\n"} {
		if !strings.Contains(diff, line) {
			t.Errorf("diff lacks %q:\n%s", line, diff)
		}
	}
	added := lineDiff("a\nb\n", "a\nnew\nb\n")
	if !strings.Contains(added, "@@ -2,0 +2,1 @@\n  a\n+ new\n  b\n") {
		t.Errorf("diff of an added line:\n%s", added)
	}
}

func TestOpenAPIDocumentAsYAML(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	resp, body := get(t, srv, "/api/schema/?format=yaml")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200\n%s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "yaml") {
		t.Errorf("Content-Type %q, want YAML", ct)
	}
	checkAPIHeaders(t, resp)
	if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] == '{' {
		t.Fatalf("body is not YAML:\n%.300s", body)
	}
	// YAML's own top-level keys, not JSON's quoted ones.
	for _, line := range []string{"openapi: 3.1.0", "info:", "  title: ConsultantPro API", "paths:"} {
		if !containsLine(string(body), line) {
			t.Errorf("YAML lacks the line %q", line)
		}
	}

	// libopenapi reads YAML too: the YAML document must be the same as the JSON one.
	yamlDoc, err := libopenapi.NewDocument(body)
	if err != nil {
		t.Fatalf("parse YAML document: %v", err)
	}
	yamlModel, err := yamlDoc.BuildV3Model()
	if err != nil {
		t.Fatalf("build model from YAML: %v", err)
	}
	js := loadSpec(t, srv)
	if got, want := yamlModel.Model.Version, js.model.Version; got != want || got == "" {
		t.Errorf("YAML openapi = %q, JSON %q", got, want)
	}
	if got, want := yamlModel.Model.Info.Title, js.model.Info.Title; got != want || got != "ConsultantPro API" {
		t.Errorf("YAML info.title = %q, JSON %q, want both \"ConsultantPro API\"", got, want)
	}
	changes, err := libopenapi.CompareDocuments(js.doc, yamlDoc)
	if err != nil {
		t.Fatalf("compare JSON and YAML documents: %v", err)
	}
	if changes != nil && changes.TotalChanges() > 0 {
		for _, c := range changes.GetAllChanges() {
			t.Errorf("YAML differs from JSON: %s %v → %v", c.Property, c.Original, c.New)
		}
	}
}

// containsLine reports whether text has line as one of its lines.
func containsLine(text, line string) bool {
	for l := range strings.Lines(text) {
		if strings.TrimRight(l, "\r\n") == line {
			return true
		}
	}
	return false
}

func TestOpenAPIUnknownFormat(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	for _, format := range []string{"xml", "html"} {
		t.Run(format, func(t *testing.T) {
			resp, body := get(t, srv, "/api/schema/?format="+format)
			p := decodeEnvelope(t, resp, body, http.StatusBadRequest)
			checkAPIHeaders(t, resp)
			if p.Type != "ParseError" || p.Code != "BAD_REQUEST" {
				t.Errorf("type %q code %q, want ParseError BAD_REQUEST", p.Type, p.Code)
			}
			want := map[string][]string{"format": {`Must be "json" or "yaml".`}}
			if fmt.Sprint(p.Details) != fmt.Sprint(want) {
				t.Errorf("details = %v, want %v", p.Details, want)
			}
		})
	}
}

// TestOpenAPIOperationsDocumented checks what SPEC §11 asks of every operation in the document:
// an id, a summary, a tag, and its error responses in the envelope.
func TestOpenAPIOperationsDocumented(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	s := loadSpec(t, srv)
	ids := map[string]string{}
	for path, item := range s.model.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			where := strings.ToUpper(method) + " " + path
			switch {
			case op.OperationId == "":
				t.Errorf("%s: no operationId", where)
			case ids[op.OperationId] != "":
				t.Errorf("%s: operationId %q also used by %s", where, op.OperationId, ids[op.OperationId])
			}
			ids[op.OperationId] = where
			if op.Summary == "" {
				t.Errorf("%s: no summary", where)
			}
			if len(op.Tags) == 0 {
				t.Errorf("%s: no tag", where)
			}
			checkErrorResponses(t, where, op)
		}
	}
	for _, want := range []string{"healthz", "readyz"} {
		if ids[want] == "" {
			t.Errorf("operation %q is not documented", want)
		}
	}
}

// checkErrorResponses checks that op documents at least one error response and that every
// error response (4xx, 5xx, default) is the JSON envelope.
func checkErrorResponses(t *testing.T, where string, op *v3.Operation) {
	t.Helper()
	if op.Responses == nil {
		t.Errorf("%s: no responses", where)
		return
	}
	type response struct {
		code string
		r    *v3.Response
	}
	var errs []response
	if op.Responses.Codes != nil {
		for code, r := range op.Responses.Codes.FromOldest() {
			if n, err := strconv.Atoi(code); err != nil || n >= 400 {
				errs = append(errs, response{code, r})
			}
		}
	}
	if op.Responses.Default != nil {
		errs = append(errs, response{"default", op.Responses.Default})
	}
	if len(errs) == 0 {
		t.Errorf("%s: no error response documented", where)
	}
	for _, e := range errs {
		if e.r.Content == nil || e.r.Content.Len() == 0 {
			t.Errorf("%s %s: error response has no content", where, e.code)
			continue
		}
		for mediaType, mt := range e.r.Content.FromOldest() {
			if !strings.HasPrefix(mediaType, "application/json") {
				t.Errorf("%s %s: error media type %q, want application/json", where, e.code, mediaType)
			}
			if mt.Schema == nil || mt.Schema.GetReference() != envelopeRef {
				t.Errorf("%s %s %s: error schema is not %s", where, e.code, mediaType, envelopeRef)
			}
		}
	}
}

// TestResponsesMatchOpenAPI validates real requests and responses against the served document:
// documented operations must answer what they document, and an unknown route must be unknown
// to the document too while still answering the documented envelope.
func TestResponsesMatchOpenAPI(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	s := loadSpec(t, srv)

	for _, path := range []string{"/healthz", "/readyz"} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, srv, path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200\n%s", resp.StatusCode, body)
			}
			checkAPIHeaders(t, resp)
			s.checkResponse(t, resp)
		})
	}

	t.Run("unknown route", func(t *testing.T) {
		resp, body := get(t, srv, "/no-such-route")
		p := decodeEnvelope(t, resp, body, http.StatusNotFound)
		checkAPIHeaders(t, resp)
		if p.Type != "NotFound" || p.Code != "NOT_FOUND" || p.Message != "Not found." || len(p.Details) != 0 {
			t.Errorf("envelope = %+v, want NotFound NOT_FOUND \"Not found.\" with no details", p)
		}
		ok, errs := s.validator.ValidateHttpResponse(resp.Request, resp)
		if ok {
			t.Error("the validator found /no-such-route in the OpenAPI document")
		} else if errs[0].ValidationType != helpers.PathValidation {
			t.Errorf("validator: want a path-not-found error, got:\n%s", formatValidationErrors(errs))
		}
		s.checkEnvelopeSchema(t, body)
	})

	// The validation above must be able to fail: a body the document does not allow is refused.
	t.Run("validator catches a wrong body", func(t *testing.T) {
		resp, _ := get(t, srv, "/healthz")
		bad := []byte(`{"status": 1, "uptime": "1h"}`)
		resp.Body = io.NopCloser(bytes.NewReader(bad))
		if ok, _ := s.validator.ValidateHttpResponse(resp.Request, resp); ok {
			t.Errorf("the validator accepted /healthz answering %s", bad)
		}
		proxy := s.model.Components.Schemas.GetOrZero("Envelope")
		if ok, _ := schema_validation.NewSchemaValidator().ValidateSchemaBytes(proxy.Schema(), []byte(`{"error": {"type": "NotFound"}}`)); ok {
			t.Error("the Envelope schema accepted an error without message, details, code and request_id")
		}
	})
}
