package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// benchServer is an app whose handler is called directly, without a network in between.
type benchServer struct {
	h http.Handler
}

// do sends one request through the whole handler (middleware, auth, throttle, huma) and returns
// the recorded response.
func (s benchServer) do(method, path, token string, body any) *httptest.ResponseRecorder {
	var r *http.Request
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			panic(err)
		}
		r = httptest.NewRequest(method, path, bytes.NewReader(raw))
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequest(method, path, nil)
	}
	r.Host = "127.0.0.1" // an allowed host; httptest's default example.com is refused
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w
}

// mustCreate sends a POST and returns the "id" (or the access token for register) of its 2xx
// answer, failing the benchmark otherwise.
func (s benchServer) mustCreate(b *testing.B, path, token string, body any, field string) string {
	b.Helper()
	w := s.do(http.MethodPost, path, token, body)
	if w.Code/100 != 2 {
		b.Fatalf("POST %s: %d %s", path, w.Code, w.Body)
	}
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		b.Fatalf("POST %s: %v", path, err)
	}
	v, _ := out[field].(string)
	if v == "" {
		b.Fatalf("POST %s: no %s in %s", path, field, w.Body)
	}
	return v
}

// seedProjectList starts an app on a fresh database (SQLite, or PostgreSQL with
// TEST_DATABASE_URL) and fills one firm through the API: clients, projects with a budget and a
// rate, and a few time entries per project so that every aggregate has something to add up.
// It returns the handler and the owner's access token.
func seedProjectList(b *testing.B, clients, projectsPerClient, entriesPerProject int) (benchServer, string) {
	b.Helper()
	a, err := app.New(context.Background(), testkit.Config(b), logging.Discard(), "bench", app.WithFastPasswords())
	if err != nil {
		b.Fatalf("start app: %v", err)
	}
	b.Cleanup(func() { a.Close() })
	s := benchServer{h: a.Handler()}
	token := s.mustCreate(b, "/api/auth/register/", "", map[string]string{
		"firm_name": "Bench Consulting", "username": "ada", "email": "ada@firm.example",
		"password": "correct horse battery staple 42", "first_name": "Ada", "last_name": "Lovelace",
	}, "access")
	day := time.Now().UTC().AddDate(0, 0, -1)
	n := 0
	for c := range clients {
		client := s.mustCreate(b, "/api/crm/clients/", token, map[string]any{
			"company_name": fmt.Sprintf("Client %d Ltd", c), "primary_contact_name": "Grace Hopper",
			"primary_contact_email": fmt.Sprintf("grace%d@client.example", c),
		}, "id")
		for p := range projectsPerClient {
			project := s.mustCreate(b, "/api/projects/projects/", token, map[string]any{
				"client": client, "name": fmt.Sprintf("Project %d-%d", c, p), "start_date": "2025-01-01",
				"end_date": "2026-12-31", "budget": "50000.00", "hourly_rate": "150.00", "status": "in_progress",
			}, "id")
			for e := range entriesPerProject {
				n++
				// One entry a day for the owner keeps far below the 24-hour daily limit.
				s.mustCreate(b, "/api/projects/time-entries/", token, map[string]any{
					"project": project, "date": day.AddDate(0, 0, -n).Format(time.DateOnly),
					"hours": "1.50", "description": fmt.Sprintf("Work %d", e), "is_billable": e%4 != 0,
				}, "id")
			}
		}
	}
	return s, token
}

// BenchmarkProjectListEndToEnd measures an authenticated GET of a 50-row project list with its
// aggregates through the whole handler: authentication (token and session lookup), the rate
// limiter, list parsing, the SQL (page, count and aggregates) and the JSON encoding. The database
// holds 60 projects with 4 time entries each.
func BenchmarkProjectListEndToEnd(b *testing.B) {
	s, token := seedProjectList(b, 6, 10, 4)
	const path = "/api/projects/projects/?page_size=50"
	check := func(w *httptest.ResponseRecorder) {
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
	}
	w := s.do(http.MethodGet, path, token, nil)
	check(w)
	var page struct {
		Count   int               `json:"count"`
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || page.Count != 60 || len(page.Results) != 50 {
		b.Fatalf("GET %s: count %d, %d results, %v", path, page.Count, len(page.Results), err)
	}
	size := int64(w.Body.Len())

	b.Run("serial", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			check(s.do(http.MethodGet, path, token, nil))
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if w := s.do(http.MethodGet, path, token, nil); w.Code != http.StatusOK {
					b.Errorf("GET %s: %d %s", path, w.Code, w.Body)
					return
				}
			}
		})
	})
}
