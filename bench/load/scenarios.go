package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync/atomic"
	"time"
)

// Scenario names, in the order a run drives them.
const (
	ScenarioLogin           = "login"
	ScenarioProfile         = "profile"
	ScenarioClientSearch    = "client-search"
	ScenarioProposals       = "proposal-list"
	ScenarioProjects        = "project-list"
	ScenarioBare            = "bare"
	ScenarioTasks           = "task-list"
	ScenarioTimeEntries     = "time-entry-list"
	ScenarioRecentEntries   = "time-entry-recent"
	ScenarioTimeEntryCreate = "time-entry-create"
)

// ScenarioNames lists every scenario in run order.
func ScenarioNames() []string {
	return []string{ScenarioLogin, ScenarioProfile, ScenarioClientSearch, ScenarioProposals, ScenarioProjects,
		ScenarioBare, ScenarioTasks, ScenarioTimeEntries, ScenarioRecentEntries, ScenarioTimeEntryCreate}
}

func knownScenario(name string) bool { return slices.Contains(ScenarioNames(), name) }

// scenario is one kind of request driven at a fixed concurrency. request builds the n-th request
// (n counts up across every run of the scenario, so rotating values do not repeat per run).
type scenario struct {
	name    string
	what    string // what the request is, for the report
	write   bool   // driven at the write concurrency
	request func(ctx context.Context, n uint64) (*http.Request, error)
}

// newGet returns a builder of authenticated GETs of paths[n % len(paths)].
func newGet(base, token string, paths []string) func(context.Context, uint64) (*http.Request, error) {
	return func(ctx context.Context, n uint64) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+paths[n%uint64(len(paths))], nil)
		if err != nil {
			return nil, err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req, nil
	}
}

// newPost returns a builder of POSTs: next(n) gives the caller's token ("" for none) and the
// JSON body of the n-th request.
func newPost(base, path string, next func(uint64) (string, any)) func(context.Context, uint64) (*http.Request, error) {
	return func(ctx context.Context, n uint64) (*http.Request, error) {
		token, body := next(n)
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return req, nil
	}
}

// entryDays is how far back created time entries go: each writer logs one entry a day going back
// from yesterday, so a (writer, day) pair comes round again only after this many of its entries.
const entryDays = 3650

// buildScenarios returns the selected scenarios against the server at base and the bare endpoint.
func buildScenarios(base, bareURL string, f *fixture, o Options) []scenario {
	owner := f.ownerToken
	perProject := func(projects []string, format string, args ...any) []string {
		paths := make([]string, len(projects))
		for i, id := range projects {
			paths[i] = fmt.Sprintf(format, append([]any{id}, args...)...)
		}
		return paths
	}
	searches := make([]string, len(f.searchTerms))
	for i, term := range f.searchTerms {
		searches[i] = "/api/crm/clients/?search=" + term + "&page_size=50"
	}
	// A random start, so that repeated invocations on one database spread their entries over
	// other days instead of piling onto the same ones.
	var entrySeq atomic.Uint64
	entrySeq.Store(rand.Uint64N(uint64(entryDays * max(1, len(f.writerTokens)))))
	writers := uint64(max(1, len(f.writerTokens)))
	yesterday := f.today.AddDate(0, 0, -1)
	all := []scenario{
		{name: ScenarioLogin, what: "POST /api/auth/login/ (argon2id password check, new session)",
			request: newPost(base, "/api/auth/login/", func(uint64) (string, any) {
				return "", map[string]string{"username": o.Username, "password": o.Password}
			})},
		{name: ScenarioProfile, what: "GET /api/auth/profile/",
			request: newGet(base, owner, []string{"/api/auth/profile/"})},
		{name: ScenarioClientSearch, what: fmt.Sprintf("GET /api/crm/clients/?search=… (%d terms)", len(searches)),
			request: newGet(base, owner, searches)},
		{name: ScenarioProposals, what: "GET /api/crm/proposals/?page_size=50",
			request: newGet(base, owner, []string{"/api/crm/proposals/?page_size=50"})},
		{name: ScenarioProjects, what: "GET /api/projects/projects/?page_size=50 (with aggregates)",
			request: newGet(base, owner, []string{"/api/projects/projects/?page_size=50"})},
		{name: ScenarioBare, what: "GET of precomputed bytes of the project list's size (plain net/http)",
			request: newGet(bareURL, "", []string{""})},
		{name: ScenarioTasks, what: fmt.Sprintf("GET /api/projects/tasks/?project=… (%d projects)", len(f.projects)),
			request: newGet(base, owner, perProject(f.projects, "/api/projects/tasks/?project=%s&page_size=50"))},
		{name: ScenarioTimeEntries, what: fmt.Sprintf("GET /api/projects/time-entries/?project=…&date_after=%s&date_before=%s (%d projects with time in the range)",
			f.rangeFrom, f.rangeTo, len(f.active)),
			request: newGet(base, owner, perProject(f.active, "/api/projects/time-entries/?project=%s&date_after=%s&date_before=%s&page_size=50", f.rangeFrom, f.rangeTo))},
		{name: ScenarioRecentEntries, what: "GET /api/projects/time-entries/?page_size=50 (the firm's latest entries, counting all of them)",
			request: newGet(base, owner, []string{"/api/projects/time-entries/?page_size=50"})},
		{name: ScenarioTimeEntryCreate, write: true,
			what: fmt.Sprintf("POST /api/projects/time-entries/ (%d writers, %s h, one day each going back)", writers, o.Hours),
			request: newPost(base, "/api/projects/time-entries/", func(uint64) (string, any) {
				n := entrySeq.Add(1)
				day := yesterday.AddDate(0, 0, -int((n/writers)%entryDays))
				return f.writerTokens[n%writers], map[string]string{"project": f.projects[n%uint64(len(f.projects))],
					"date": day.Format(time.DateOnly), "hours": o.Hours, "description": "Load test entry",
					"hourly_rate": "100"}
			})},
	}
	if len(o.Scenarios) == 0 {
		return all
	}
	var out []scenario
	for _, s := range all {
		if slices.Contains(o.Scenarios, s.name) {
			out = append(out, s)
		}
	}
	return out
}
