package app_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/google/uuid"
)

const clientsPath = "/api/crm/clients/"

// withCache gives PostgreSQL servers the test Redis: without it they keep no list cache (other
// servers' writes would go unseen). SQLite servers keep the data version in memory.
func withCache(t *testing.T) func(*config.Config) {
	return func(c *config.Config) {
		if strings.HasPrefix(c.DatabaseURL, "postgres") {
			c.RedisURL = redisURL(t)
		}
	}
}

// withOwnCache is withCache on a Redis database of the test's own (db, 1–15), for tests that
// count cache hits.
func withOwnCache(t *testing.T, db int) func(*config.Config) {
	return func(c *config.Config) {
		if strings.HasPrefix(c.DatabaseURL, "postgres") {
			u, err := url.Parse(redisURL(t))
			if err != nil {
				t.Fatal(err)
			}
			u.Path = "/" + strconv.Itoa(db)
			c.RedisURL = u.String()
		}
	}
}

// newClient creates a client through the API and returns its id.
func newClient(t *testing.T, base, token, name string) string {
	t.Helper()
	r := send(t, "POST", base+clientsPath, token, map[string]any{"company_name": name,
		"primary_contact_name": "Grace Hopper", "primary_contact_email": "grace@" + uuid.NewString()[:8] + ".example"})
	if r.status != http.StatusCreated {
		t.Fatalf("create client: %d %v", r.status, r.body)
	}
	return r.body["id"].(string)
}

// clientNames lists the firm's clients (by name, as the list orders them).
func clientNames(t *testing.T, base, token string) []string {
	t.Helper()
	r := send(t, "GET", base+clientsPath+"?ordering=company_name", token, nil)
	if r.status != http.StatusOK {
		t.Fatalf("list clients: %d %v", r.status, r.body)
	}
	var names []string
	for _, row := range r.body["results"].([]any) {
		names = append(names, row.(map[string]any)["company_name"].(string))
	}
	return names
}

func TestListCacheAnswersRepeatsWithoutListQueries(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Count: true, Configure: withOwnCache(t, 14)})
	f := s.RegisterFirm(t)
	r := s.Do(t, http.MethodPost, clientsPath, f.Owner.Token, map[string]any{"company_name": "Acme",
		"primary_contact_name": "Ada", "primary_contact_email": "ada@acme.example"})
	testkit.WantStatus(t, r, http.StatusCreated)

	s.Queries.Reset()
	first := s.Do(t, http.MethodGet, clientsPath, f.Owner.Token, nil)
	testkit.WantStatus(t, first, http.StatusOK)
	missQueries := s.Queries.Count()
	s.Queries.Reset()
	again := s.Do(t, http.MethodGet, clientsPath, f.Owner.Token, nil)
	testkit.WantStatus(t, again, http.StatusOK)
	// The repeat runs no query at all: its session was checked against the cached one (the
	// auth version has not moved) and its page comes from the cache.
	if hit := s.Queries.Count(); hit != 0 || missQueries <= hit {
		t.Fatalf("queries: %d for the first list, %d for the repeat; want none for the repeat", missQueries, hit)
	}
	if string(first.Body) != string(again.Body) || first.Header.Get("Content-Type") != again.Header.Get("Content-Type") {
		t.Fatalf("the repeat differs:\n%s\n%s", first.Body, again.Body)
	}
	// A changed query string is another entry.
	s.Queries.Reset()
	testkit.WantStatus(t, s.Do(t, http.MethodGet, clientsPath+"?page_size=1", f.Owner.Token, nil), http.StatusOK)
	if s.Queries.Count() <= 1 {
		t.Fatal("a different query string was answered from the cache")
	}
}

func TestListCacheSeesEveryWrite(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Configure: withCache(t)})
	base := s.Srv.URL
	f := s.RegisterFirm(t)
	id := newClient(t, base, f.Owner.Token, "Acme")
	if got := clientNames(t, base, f.Owner.Token); fmt.Sprint(got) != "[Acme]" {
		t.Fatalf("clients %v", got)
	}
	// Through the API (a transaction).
	newClient(t, base, f.Owner.Token, "Beta")
	if got := clientNames(t, base, f.Owner.Token); fmt.Sprint(got) != "[Acme Beta]" {
		t.Fatalf("after a create: %v", got)
	}
	// Straight to the database, outside any transaction: a write that names no firm moves no
	// firm's version (the cached page stays), one that names the firm refreshes it.
	if _, err := s.DB().W.NewRaw("UPDATE clients SET company_name = ? WHERE id = ?", "Zeta", id).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := clientNames(t, base, f.Owner.Token); fmt.Sprint(got) != "[Acme Beta]" {
		t.Fatalf("a write naming no firm refreshed the firm's cached list: %v", got)
	}
	ctx := db.WithFirm(context.Background(), f.ID)
	if _, err := s.DB().W.NewRaw("UPDATE clients SET company_name = ? WHERE id = ?", "Zeta", id).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if got := clientNames(t, base, f.Owner.Token); fmt.Sprint(got) != "[Beta Zeta]" {
		t.Fatalf("after a direct update: %v", got)
	}
	// A delete.
	if r := send(t, "DELETE", base+clientsPath+id+"/", f.Owner.Token, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %v", r.status, r.body)
	}
	if got := clientNames(t, base, f.Owner.Token); fmt.Sprint(got) != "[Beta]" {
		t.Fatalf("after a delete: %v", got)
	}
}

func TestListCacheNeverCrossesUsersOrFirms(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Configure: withCache(t)})
	base := s.Srv.URL
	a, b := s.RegisterFirm(t), s.RegisterFirm(t)
	newClient(t, base, a.Owner.Token, "Only A")
	if got := clientNames(t, base, a.Owner.Token); fmt.Sprint(got) != "[Only A]" {
		t.Fatalf("firm A: %v", got)
	}
	if got := clientNames(t, base, b.Owner.Token); len(got) != 0 {
		t.Fatalf("firm B sees firm A's cached list: %v", got)
	}
	// A deactivated user is refused even though their list is cached.
	cons := a.AddUser(t, "consultant")
	clientNames(t, base, cons.Token)
	a.Deactivate(t, cons)
	if r := send(t, "GET", base+clientsPath+"?ordering=company_name", cons.Token, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("deactivated user's cached list: %d", r.status)
	}
}

// Lists that depend on the firm's date (is_expired) change at the firm's midnight with no write.
func TestListCacheTurnsOverAtTheFirmsMidnight(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: time.Date(2026, 6, 30, 23, 59, 40, 0, time.UTC),
		Configure: func(c *config.Config) { withCache(t)(c); c.AccessTokenTTL = 48 * time.Hour }})
	base := s.Srv.URL
	f := s.RegisterFirm(t)
	client := newClient(t, base, f.Owner.Token, "Acme")
	r := send(t, "POST", base+"/api/crm/proposals/", f.Owner.Token, map[string]any{"client": client,
		"title": "Review", "description": "Scope", "total_value": "100.00", "valid_until": "2026-06-30"})
	if r.status != http.StatusCreated {
		t.Fatalf("create proposal: %d %v", r.status, r.body)
	}
	expired := func() bool {
		r := send(t, "GET", base+"/api/crm/proposals/", f.Owner.Token, nil)
		return r.body["results"].([]any)[0].(map[string]any)["is_expired"].(bool)
	}
	if expired() {
		t.Fatal("expired on its valid_until date")
	}
	s.Clock.Advance(40 * time.Second) // well within the cache's maximum age
	if !expired() {
		t.Fatal("the cached list still says not expired on the next day")
	}
}

func TestListCacheSharesTheDataVersionThroughRedis(t *testing.T) {
	t.Parallel()
	cfg := testkit.Config(t)
	sharedRedis(t, &cfg)
	first := startApp(t, cfg, nil)
	second := startApp(t, cfg, nil) // another server on the same database and Redis
	token := register(t, first)
	newClient(t, first, token, "Acme")
	if got := clientNames(t, second, token); fmt.Sprint(got) != "[Acme]" {
		t.Fatalf("second server: %v", got)
	}
	newClient(t, first, token, "Beta") // written through the first server only
	if got := clientNames(t, second, token); fmt.Sprint(got) != "[Acme Beta]" {
		t.Fatalf("second server answered from its cache after the first wrote: %v", got)
	}
}

func TestListCacheStepsAsideWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	cfg := testkit.Config(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.RedisURL = "redis://" + ln.Addr().String() + "/0"
	ln.Close() // nothing listens there now
	base := startApp(t, cfg, nil)
	token := register(t, base)
	newClient(t, base, token, "Acme")
	clientNames(t, base, token)
	newClient(t, base, token, "Beta")
	if got := clientNames(t, base, token); fmt.Sprint(got) != "[Acme Beta]" {
		t.Fatalf("with Redis down: %v", got)
	}
	if !strings.Contains(scrape(t, base), `consultantpro_response_cache_total{result="bypass"}`) {
		t.Fatal("bypassed requests are not counted")
	}
}

// scrape returns the server's /metrics text.
func scrape(t *testing.T, base string) string {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A firm's writes refill that firm's cached lists only; other firms keep theirs.
func TestListCacheKeepsOtherFirmsEntries(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Count: true, Configure: withOwnCache(t, 15)})
	base := s.Srv.URL
	a, b := s.RegisterFirm(t), s.RegisterFirm(t)
	newClient(t, base, b.Owner.Token, "B1")
	clientNames(t, base, b.Owner.Token) // cached for B
	newClient(t, base, a.Owner.Token, "A1")
	s.Queries.Reset()
	if got := clientNames(t, base, b.Owner.Token); fmt.Sprint(got) != "[B1]" || s.Queries.Count() != 0 {
		t.Fatalf("after firm A's write, firm B's list %v took %d queries, want its cached page (0)", got, s.Queries.Count())
	}
	newClient(t, base, b.Owner.Token, "B2")
	if got := clientNames(t, base, b.Owner.Token); fmt.Sprint(got) != "[B1 B2]" {
		t.Fatalf("after firm B's write: %v", got)
	}
}

// The cache scope holds the caller's role: after the owner changes a user's role, the user's
// list is evaluated afresh, not served from the entry cached under the old role.
func TestListCacheReevaluatesAChangedRole(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Count: true, Configure: withOwnCache(t, 13)})
	f := s.RegisterFirm(t)
	newClient(t, s.Srv.URL, f.Owner.Token, "Acme")
	u := f.AddUser(t, "consultant")
	list := func() (int64, *testkit.Response) {
		t.Helper()
		s.Queries.Reset()
		r := s.Do(t, http.MethodGet, clientsPath, u.Token, nil)
		testkit.WantStatus(t, r, http.StatusOK)
		return s.Queries.Count(), r
	}
	list()
	if n, _ := list(); n != 0 {
		t.Fatalf("the consultant's repeat took %d queries, want its cached page (0)", n)
	}
	r := s.Do(t, http.MethodPatch, "/api/firm/users/"+u.ID+"/", f.Owner.Token, map[string]any{"role": "manager"})
	testkit.WantStatus(t, r, http.StatusOK)
	if n, _ := list(); n <= 1 {
		t.Fatal("after the role change the list came from the entry cached for the old role")
	}
	if n, _ := list(); n != 0 {
		t.Fatalf("the manager's repeat took %d queries, want its cached page (0)", n)
	}
	// The role alone keys the entry: a change written straight to the database, naming no firm,
	// moves no data version, and still the list under the new role is not the manager's entry.
	// (Sessions are re-read once told of the change, as an operator's SQL fix must.)
	if _, err := s.DB().W.NewRaw("UPDATE users SET role = ? WHERE id = ?", "accountant", u.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Srv.App.Auth.SessionsChanged(context.Background(), f.ID)
	if n, _ := list(); n <= 1 {
		t.Fatal("as an accountant the user got the entry cached for them as a manager")
	}
}

// Every spelling of one list request (alias or versioned path, with or without the trailing
// slash) shares one entry, and its page links name the canonical URL whichever spelling filled
// it.
func TestListCacheSharesOneEntryAcrossSpellings(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Count: true, Configure: withOwnCache(t, 12)})
	f := s.RegisterFirm(t)
	newClient(t, s.Srv.URL, f.Owner.Token, "Acme")
	newClient(t, s.Srv.URL, f.Owner.Token, "Beta")
	want := s.Srv.URL + "/api/v1/crm/clients/?page=2&page_size=1"
	next := func(r *testkit.Response) string {
		t.Helper()
		var p testkit.Page
		testkit.Decode(t, r, &p)
		if p.Next == nil {
			t.Fatalf("%s: no next link: %s", r.Path, r.Body)
		}
		return *p.Next
	}
	s.Queries.Reset()
	first := s.Do(t, http.MethodGet, "/api/crm/clients/?page_size=1", f.Owner.Token, nil)
	testkit.WantStatus(t, first, http.StatusOK)
	if n := s.Queries.Count(); n <= 0 {
		t.Fatalf("the first request took %d queries: it cannot have been a miss", n)
	}
	s.Queries.Reset()
	second := s.Do(t, http.MethodGet, "/api/v1/crm/clients?page_size=1", f.Owner.Token, nil)
	testkit.WantStatus(t, second, http.StatusOK)
	if n := s.Queries.Count(); n != 0 {
		t.Fatalf("the versioned, slash-less spelling took %d queries, want the cached page (0)", n)
	}
	if got := next(first); got != want {
		t.Errorf("first next = %q, want %q", got, want)
	}
	if got := next(second); got != want {
		t.Errorf("second next = %q, want %q", got, want)
	}
	if string(first.Body) != string(second.Body) {
		t.Errorf("the spellings answered differently:\n%s\n%s", first.Body, second.Body)
	}
}

// Registering a firm is a write for the new firm only: other firms keep their cached lists.
func TestListCacheSurvivesAnotherFirmsRegistration(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{Count: true, Configure: withOwnCache(t, 11)})
	b := s.RegisterFirm(t)
	newClient(t, s.Srv.URL, b.Owner.Token, "B1")
	clientNames(t, s.Srv.URL, b.Owner.Token) // cached for B
	s.Queries.Reset()
	if got := clientNames(t, s.Srv.URL, b.Owner.Token); fmt.Sprint(got) != "[B1]" || s.Queries.Count() != 0 {
		t.Fatalf("firm B's repeat %v took %d queries, want its cached page (0)", got, s.Queries.Count())
	}
	c := s.RegisterFirm(t)
	s.Queries.Reset()
	if got := clientNames(t, s.Srv.URL, b.Owner.Token); fmt.Sprint(got) != "[B1]" || s.Queries.Count() != 0 {
		t.Fatalf("after firm C registered, firm B's list %v took %d queries, want its cached page (0)", got, s.Queries.Count())
	}
	// The new firm's own writes are seen at once.
	newClient(t, s.Srv.URL, c.Owner.Token, "C1")
	if got := clientNames(t, s.Srv.URL, c.Owner.Token); fmt.Sprint(got) != "[C1]" {
		t.Fatalf("firm C: %v", got)
	}
}
