package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/danielgtaylor/huma/v2"
)

// The wording of SPEC §2's idempotency refusals, spelled out so that a change breaks a test.
const (
	msgKeyReused     = "Idempotency key reused with another body."
	msgKeyInProgress = "A request with this idempotency key is in progress."
)

// keyed POSTs raw to path with an Idempotency-Key (none when key is nil) and the bearer token. It
// returns an error instead of failing, so goroutines may call it.
func keyed(s *testkit.API, token, path string, key *string, raw []byte) (*testkit.Response, error) {
	req, err := http.NewRequest(http.MethodPost, s.Srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != nil {
		req.Header.Set("Idempotency-Key", *key)
	}
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &testkit.Response{Method: http.MethodPost, Path: path, Status: res.StatusCode, Header: res.Header, Body: body}, nil
}

// post is keyed for the test goroutine: it fails the test on a transport error.
func post(t *testing.T, s *testkit.API, token, path, key string, raw []byte) *testkit.Response {
	t.Helper()
	r, err := keyed(s, token, path, &key, raw)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	return r
}

// clientJSON is the raw body of a valid client create.
func clientJSON(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"company_name": name, "primary_contact_name": "Grace Hopper",
		"primary_contact_email": "grace@" + strings.ToLower(strings.ReplaceAll(name, " ", "")) + ".example"})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// clientCount is how many clients the caller's firm has.
func clientCount(t *testing.T, s *testkit.API, token string) int64 {
	t.Helper()
	page, _ := testkit.ListOf[map[string]any](t, s, token, clientsPath, "")
	return page.Count
}

// storedKeys counts the rows of the idempotency table.
func storedKeys(t *testing.T, s *testkit.API) int {
	t.Helper()
	var n int
	if err := s.DB().W.NewRaw("SELECT count(*) FROM idempotency_keys").Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantReplay fails unless r is the replay of first: same status, body and headers that matter.
func wantReplay(t *testing.T, r, first *testkit.Response) {
	t.Helper()
	if r.Status != first.Status || !bytes.Equal(r.Body, first.Body) {
		t.Fatalf("replay differs from the first response:\nfirst:  %s\nreplay: %s", first, r)
	}
	for _, h := range []string{"Content-Type", "Location"} {
		if got, want := r.Header.Get(h), first.Header.Get(h); got != want {
			t.Errorf("replay %s = %q, first response had %q", h, got, want)
		}
	}
	if got := r.Header.Get("Idempotent-Replayed"); got != "true" {
		t.Errorf("replay Idempotent-Replayed = %q, want \"true\"", got)
	}
}

// wantFresh fails unless r ran the request (no replay) with the status.
func wantFresh(t *testing.T, r *testkit.Response, status int) {
	t.Helper()
	testkit.WantStatus(t, r, status)
	if got := r.Header.Get("Idempotent-Replayed"); got != "" {
		t.Fatalf("%s: Idempotent-Replayed = %q on a request that should have run", r, got)
	}
}

func TestIdempotencyReplaysTheFirstResponse(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	raw := clientJSON(t, "Acme Replay")

	first := post(t, s, f.Owner.Token, clientsPath, "create-acme-1", raw)
	wantFresh(t, first, http.StatusCreated)
	if first.Header.Get("Location") == "" {
		t.Fatalf("the create has no Location: %s", first)
	}
	// Another spelling of the same endpoint is the same request.
	for _, path := range []string{clientsPath, "/api/v1/crm/clients", "/api/crm/clients"} {
		wantReplay(t, post(t, s, f.Owner.Token, path, "create-acme-1", raw), first)
	}
	if n := clientCount(t, s, f.Owner.Token); n != 1 {
		t.Fatalf("%d clients after a create and its replays, want 1", n)
	}
}

func TestIdempotencyRefusesTheKeyWithAnotherRequest(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	first := post(t, s, f.Owner.Token, clientsPath, "k", clientJSON(t, "Acme"))
	wantFresh(t, first, http.StatusCreated)

	// Another body, even one that differs only in its bytes (a space), or another endpoint.
	other, _ := json.Marshal(map[string]any{"company_name": "Beta", "primary_contact_name": "Ada",
		"primary_contact_email": "ada@beta.example"})
	spaced := append([]byte(" "), clientJSON(t, "Acme")...)
	for name, r := range map[string]*testkit.Response{
		"another body":     post(t, s, f.Owner.Token, clientsPath, "k", other),
		"the same JSON":    post(t, s, f.Owner.Token, clientsPath, "k", spaced),
		"another endpoint": post(t, s, f.Owner.Token, "/api/projects/projects/", "k", clientJSON(t, "Acme")),
		"a query string":   post(t, s, f.Owner.Token, clientsPath+"?x=1", "k", clientJSON(t, "Acme")),
	} {
		t.Run(name, func(t *testing.T) {
			testkit.WantConflict(t, r, msgKeyReused)
			if r.Header.Get("Idempotent-Replayed") != "" {
				t.Errorf("a refusal is marked as a replay")
			}
		})
	}
	if n := clientCount(t, s, f.Owner.Token); n != 1 {
		t.Fatalf("%d clients, want only the first request's", n)
	}
}

func TestIdempotencyKeyMustBeShortPrintableASCII(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	for name, key := range map[string]string{
		"256 characters": strings.Repeat("k", 256),
		"empty":          "",
		"not ASCII":      "clé-1",
	} {
		t.Run(name, func(t *testing.T) {
			r := post(t, s, f.Owner.Token, clientsPath, key, clientJSON(t, "Acme "+strings.ReplaceAll(name, " ", "")))
			env := testkit.WantError(t, r, http.StatusBadRequest, "ParseError", "BAD_REQUEST")
			if env.Error.Message != "Invalid Idempotency-Key header." {
				t.Errorf("message %q", env.Error.Message)
			}
			testkit.WantDetails(t, r, env, map[string][]string{"Idempotency-Key": {"Must be 1 to 255 printable ASCII characters."}})
			testkit.WantOnlyFields(t, r, env, "Idempotency-Key")
		})
	}
	if n := clientCount(t, s, f.Owner.Token); n != 0 || storedKeys(t, s) != 0 {
		t.Fatalf("refused keys left %d clients and %d keys", n, storedKeys(t, s))
	}
	// 255 characters is the longest key.
	long := strings.Repeat("k", 255)
	first := post(t, s, f.Owner.Token, clientsPath, long, clientJSON(t, "Acme Long"))
	wantFresh(t, first, http.StatusCreated)
	wantReplay(t, post(t, s, f.Owner.Token, clientsPath, long, clientJSON(t, "Acme Long")), first)
}

func TestIdempotencyConcurrentRequestsHaveOneEffect(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	raw := clientJSON(t, "Acme Concurrent")
	key := "concurrent-1"
	const n = 10
	responses := make([]*testkit.Response, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			responses[i], errs[i] = keyed(s, f.Owner.Token, clientsPath, &key, raw)
		})
	}
	close(start)
	wg.Wait()
	var created *testkit.Response
	fresh, replays, inProgress := 0, 0, 0
	for i, r := range responses {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		switch {
		case r.Status == http.StatusCreated && r.Header.Get("Idempotent-Replayed") == "":
			fresh++
			created = r
		case r.Status == http.StatusCreated:
			replays++
		case r.Status == http.StatusConflict:
			testkit.WantConflict(t, r, msgKeyInProgress)
			if r.Header.Get("Retry-After") != "1" {
				t.Errorf("in-progress 409 Retry-After = %q, want 1", r.Header.Get("Retry-After"))
			}
			inProgress++
		default:
			t.Errorf("request %d: unexpected %s", i, r)
		}
	}
	if fresh != 1 {
		t.Fatalf("%d requests ran the create, want exactly 1 (replays %d, in progress %d)", fresh, replays, inProgress)
	}
	for _, r := range responses {
		if r.Status == http.StatusCreated && !bytes.Equal(r.Body, created.Body) {
			t.Errorf("a replay differs from the create:\n%s\n%s", created.Body, r.Body)
		}
	}
	t.Logf("1 create, %d replays, %d in progress", replays, inProgress)
	if c := clientCount(t, s, f.Owner.Token); c != 1 {
		t.Fatalf("%d clients, want 1", c)
	}
	// Once the first request has finished, every retry is a replay.
	wantReplay(t, post(t, s, f.Owner.Token, clientsPath, key, raw), created)
}

func TestIdempotencyKeysArePerUserAndFirm(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	other := s.RegisterFirm(t)
	const key = "shared-key"
	raw := clientJSON(t, "Acme Shared")

	mine := post(t, s, f.Owner.Token, clientsPath, key, raw)
	wantFresh(t, mine, http.StatusCreated)
	// The same key and body from another firm: its own create, with its own id.
	theirs := post(t, s, other.Owner.Token, clientsPath, key, raw)
	wantFresh(t, theirs, http.StatusCreated)
	if bytes.Equal(theirs.Body, mine.Body) {
		t.Fatal("another firm was answered with the first firm's client")
	}
	// Another user of the same firm: the request runs (and finds the name taken) …
	admins := post(t, s, users["admin"].Token, clientsPath, key, raw)
	wantFresh(t, admins, http.StatusBadRequest)
	// … and with another body it creates, rather than being told the key was reused.
	wantFresh(t, post(t, s, users["manager"].Token, clientsPath, key, clientJSON(t, "Acme Manager")), http.StatusCreated)
	// The policy refuses before the key is looked at: nothing is stored for the consultant.
	testkit.WantForbidden(t, post(t, s, users["consultant"].Token, clientsPath, key, raw))
	// Each caller's first answer is still replayed to them.
	wantReplay(t, post(t, s, f.Owner.Token, clientsPath, key, raw), mine)
	wantReplay(t, post(t, s, other.Owner.Token, clientsPath, key, raw), theirs)
	wantReplay(t, post(t, s, users["admin"].Token, clientsPath, key, raw), admins)
	if n := clientCount(t, s, f.Owner.Token); n != 2 {
		t.Fatalf("%d clients in the first firm, want 2", n)
	}
	if n := storedKeys(t, s); n != 4 {
		t.Fatalf("%d keys stored, want 4 (owner, other firm's owner, admin, manager)", n)
	}
}

func TestIdempotencyKeysExpire(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: start})
	f := s.RegisterFirm(t)
	ctx := context.Background()
	raw := clientJSON(t, "Acme Expiring")
	wantFresh(t, post(t, s, f.Owner.Token, clientsPath, "old", raw), http.StatusCreated)

	// A row past its 24 hours is not replayed even while it is still in the table: the request
	// runs again (and finds the name taken).
	if _, err := s.DB().W.NewRaw("UPDATE idempotency_keys SET expires_at = ? WHERE idempotency_key = ?",
		start.Add(-time.Second), "old").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	again := post(t, s, f.Owner.Token, clientsPath, "old", raw)
	wantFresh(t, again, http.StatusBadRequest)
	// It took the key over: the new answer is the one replayed now.
	wantReplay(t, post(t, s, f.Owner.Token, clientsPath, "old", raw), again)
	wantFresh(t, post(t, s, f.Owner.Token, clientsPath, "other", clientJSON(t, "Acme Other")), http.StatusCreated)
	if n := storedKeys(t, s); n != 2 {
		t.Fatalf("%d keys stored, want 2", n)
	}

	// A day later, the periodic cleanup job removes the expired keys, and only those.
	s.Clock.Advance(keyLifetime + time.Second)
	token := s.Login(t, f.Owner.Username, testkit.Password)
	wantFresh(t, post(t, s, token, clientsPath, "new", clientJSON(t, "Acme New")), http.StatusCreated)
	if n := storedKeys(t, s); n != 3 {
		t.Fatalf("%d keys stored, want 3: requests leave the removal to the job", n)
	}
	if n, _, err := s.Srv.App.DeleteExpired(ctx); err != nil || n != 2 || storedKeys(t, s) != 1 {
		t.Fatalf("DeleteExpired = %d, %v (%d keys left); want 2 and only the new one left", n, err, storedKeys(t, s))
	}
	store := db.NewIdempotencyStore(s.DB())
	n, err := store.DeleteExpired(ctx, s.Clock.Now().Add(keyLifetime))
	if err != nil || n != 1 || storedKeys(t, s) != 0 {
		t.Fatalf("DeleteExpired a day later = %d, %v (%d keys left); want 1 and none left", n, err, storedKeys(t, s))
	}
}

// keyLifetime is SPEC §2's 24 hours, spelled out rather than read from the platform.
const keyLifetime = 24 * time.Hour

// script is an operation the test registers next to the real ones: each run returns the next of
// its outcomes (an error, a panic, or nil for a 201), and runs counts them.
type script struct {
	mu       sync.Mutex
	outcomes []any
	runs     atomic.Int64
}

type scriptIn struct {
	Body struct {
		Note string `json:"note"`
	}
}

type scriptOut struct {
	Status int
	Body   struct {
		Run int64 `json:"run"`
	}
}

func (sc *script) run(_ context.Context, _ *scriptIn) (*scriptOut, error) {
	n := sc.runs.Add(1)
	sc.mu.Lock()
	var outcome any
	if len(sc.outcomes) > 0 {
		outcome, sc.outcomes = sc.outcomes[0], sc.outcomes[1:]
	}
	sc.mu.Unlock()
	switch o := outcome.(type) {
	case error:
		return nil, o
	case string:
		panic(o)
	}
	out := &scriptOut{Status: http.StatusCreated}
	out.Body.Run = n
	return out, nil
}

// scriptPath is where the scripted operation is served.
const scriptPath = "/api/v1/test/script/"

// startScript registers the scripted operation on s as an authenticated POST, like a module's.
func startScript(s *testkit.API, outcomes ...any) *script {
	sc := &script{outcomes: outcomes}
	api.Register(s.Srv.App.API, huma.Operation{OperationID: "test-script", Method: http.MethodPost,
		Path: "/test/script/", Summary: "Scripted outcomes", DefaultStatus: http.StatusCreated}, sc.run)
	return sc
}

func TestIdempotencyStoresOnlyFinalAnswers(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	sc := startScript(s,
		fault.New(fault.Internal, "boom"),                     // run 1: 500
		fault.New(fault.Unavailable, "The database is busy."), // run 2: 503
		nil,                              // run 3: 201
		fault.Field("note", "Bad note."), // run 4: 400
		fault.New(fault.Conflict, "The record was changed concurrently; retry the request."), // run 5: 409
		nil,     // run 6: 201
		"crash", // run 7: panic → 500
		nil,     // run 8: 201
	)
	body := []byte(`{"note": "x"}`)
	wantRuns := func(want int64) {
		t.Helper()
		if got := sc.runs.Load(); got != want {
			t.Fatalf("the operation ran %d times, want %d", got, want)
		}
	}

	// 5xx answers are not stored: the retries run again until one succeeds.
	testkit.WantError(t, post(t, s, f.Owner.Token, scriptPath, "a", body), http.StatusInternalServerError, "ServerError", "INTERNAL_SERVER_ERROR")
	testkit.WantError(t, post(t, s, f.Owner.Token, scriptPath, "a", body), http.StatusServiceUnavailable, "ServiceUnavailable", "SERVICE_UNAVAILABLE")
	ok := post(t, s, f.Owner.Token, scriptPath, "a", body)
	wantFresh(t, ok, http.StatusCreated)
	wantReplay(t, post(t, s, f.Owner.Token, scriptPath, "a", body), ok)
	wantRuns(3)

	// A 400 is the final answer to that body: it is replayed.
	bad := post(t, s, f.Owner.Token, scriptPath, "b", body)
	testkit.WantValidation(t, bad, map[string][]string{"note": {"Bad note."}})
	wantReplay(t, post(t, s, f.Owner.Token, scriptPath, "b", body), bad)
	wantRuns(4)

	// A 409 is a state that may change: not stored.
	testkit.WantConflict(t, post(t, s, f.Owner.Token, scriptPath, "c", body), "The record was changed concurrently; retry the request.")
	wantFresh(t, post(t, s, f.Owner.Token, scriptPath, "c", body), http.StatusCreated)
	wantRuns(6)

	// A panic releases the key too.
	testkit.WantError(t, post(t, s, f.Owner.Token, scriptPath, "d", body), http.StatusInternalServerError, "ServerError", "INTERNAL_SERVER_ERROR")
	wantFresh(t, post(t, s, f.Owner.Token, scriptPath, "d", body), http.StatusCreated)
	wantRuns(8)

	// The same key on another endpoint is refused like another body.
	testkit.WantConflict(t, post(t, s, f.Owner.Token, clientsPath, "a", body), msgKeyReused)
	if n := storedKeys(t, s); n != 4 {
		t.Fatalf("%d keys stored, want 4 (a, b, c, d)", n)
	}
}

func TestRequestsWithoutAKeyAreUnchanged(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	sc := startScript(s)
	raw := clientJSON(t, "Acme Plain")

	first, err := keyed(s, f.Owner.Token, clientsPath, nil, raw)
	if err != nil {
		t.Fatal(err)
	}
	wantFresh(t, first, http.StatusCreated)
	// The same request again runs again: the name is taken now.
	again, err := keyed(s, f.Owner.Token, clientsPath, nil, raw)
	if err != nil {
		t.Fatal(err)
	}
	wantFresh(t, again, http.StatusBadRequest)
	for range 3 {
		r, err := keyed(s, f.Owner.Token, scriptPath, nil, []byte(`{"note": "x"}`))
		if err != nil {
			t.Fatal(err)
		}
		wantFresh(t, r, http.StatusCreated)
	}
	if sc.runs.Load() != 3 {
		t.Fatalf("the operation ran %d times, want 3", sc.runs.Load())
	}
	// Without credentials the key is never looked at: 401, and nothing stored.
	for _, token := range []string{"", "not-a-token"} {
		r := post(t, s, token, clientsPath, "unauthenticated", raw)
		testkit.WantStatus(t, r, http.StatusUnauthorized)
	}
	// A method other than POST ignores the header.
	id := testkit.Object(t, first)["id"].(string)
	req, _ := http.NewRequest(http.MethodGet, s.Srv.URL+clientsPath+id+"/", nil)
	req.Header.Set("Authorization", "Bearer "+f.Owner.Token)
	req.Header.Set("Idempotency-Key", strings.Repeat("k", 300))
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET with an Idempotency-Key: %d, want 200", res.StatusCode)
	}
	if n := storedKeys(t, s); n != 0 {
		t.Fatalf("%d keys stored, want none", n)
	}
}

// Keys are kept in the database without touching the firm's data version: a replay, or a keyed
// request refused before its handler wrote anything, leaves the firm's cached lists valid.
func TestIdempotencyKeepsTheListCache(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Count: true, Configure: withOwnCache(t, 10)})
	f := s.RegisterFirm(t)
	raw := clientJSON(t, "Acme Cached")
	first := post(t, s, f.Owner.Token, clientsPath, "cache-1", raw)
	wantFresh(t, first, http.StatusCreated)
	testkit.WantStatus(t, s.Do(t, http.MethodGet, clientsPath, f.Owner.Token, nil), http.StatusOK)

	wantReplay(t, post(t, s, f.Owner.Token, clientsPath, "cache-1", raw), first)
	// Refused by the schema before the handler: the key's answer is stored, nothing else written.
	testkit.WantStatus(t, post(t, s, f.Owner.Token, clientsPath, "cache-2", []byte(`{}`)), http.StatusBadRequest)

	s.Queries.Reset()
	testkit.WantStatus(t, s.Do(t, http.MethodGet, clientsPath, f.Owner.Token, nil), http.StatusOK)
	if n := s.Queries.Count(); n != 0 {
		t.Fatalf("the list ran %d queries after the keyed requests, want none (session and page from the caches)", n)
	}
	if n := storedKeys(t, s); n != 2 {
		t.Fatalf("%d keys stored, want 2", n)
	}
}

// Every authenticated POST, and only those, declares the Idempotency-Key header, its 409 and the
// Idempotent-Replayed header of its successes.
func TestOpenAPIDeclaresIdempotencyKeys(t *testing.T) {
	t.Parallel()
	srv := testkit.StartServer(t, nil, nil)
	_, raw := get(t, srv, "/api/schema/")
	var doc struct {
		Paths map[string]map[string]struct {
			Security   []map[string]any `json:"security"`
			Parameters []struct {
				Ref string `json:"$ref"`
			} `json:"parameters"`
			Responses map[string]struct {
				Headers map[string]struct {
					Ref string `json:"$ref"`
				} `json:"headers"`
			} `json:"responses"`
			RequestBody struct {
				Content map[string]any `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	posts := 0
	for path, item := range doc.Paths {
		for method, op := range item {
			declared := false
			for _, p := range op.Parameters {
				declared = declared || p.Ref == "#/components/parameters/IdempotencyKey"
			}
			// Streamed uploads (multipart) are the exception: replaying one would mean keeping it.
			_, upload := op.RequestBody.Content["multipart/form-data"]
			want := method == "post" && len(op.Security) > 0 && !upload
			if declared != want {
				t.Errorf("%s %s: Idempotency-Key declared %v, want %v", method, path, declared, want)
			}
			if !want {
				continue
			}
			posts++
			if _, ok := op.Responses["409"]; !ok {
				t.Errorf("%s %s: no 409 documented", method, path)
			}
			for code, r := range op.Responses {
				if code[0] == '2' && r.Headers["Idempotent-Replayed"].Ref != "#/components/headers/IdempotentReplayed" {
					t.Errorf("%s %s %s: Idempotent-Replayed not documented", method, path, code)
				}
			}
		}
	}
	if posts < 5 {
		t.Fatalf("only %d authenticated POSTs in the document", posts)
	}
}
