package load

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// fixture is what the scenarios need to know about the firm under test, read through the API.
type fixture struct {
	ownerToken   string
	writerTokens []string // one per writer, for time-entry create
	projects     []string // project ids, for the task list and time-entry create
	active       []string // ids of projects with time entries in the date range
	searchTerms  []string // words of client names, for the client search
	rangeFrom    string   // the time-entry list's date range (YYYY-MM-DD)
	rangeTo      string
	today        time.Time // the server's today (UTC), from which created entries go back
}

// listPage is the part of a list answer the discovery reads.
type listPage[T any] struct {
	Count   int  `json:"count"`
	Next    *any `json:"next"`
	Results []T  `json:"results"`
}

// maxProjects bounds how many project ids the scenarios rotate through.
const maxProjects = 1000

// discover logs the owner in and reads the ids and values the scenarios rotate through.
func discover(ctx context.Context, a *api, o Options) (*fixture, error) {
	token, err := a.login(ctx, o.Username, o.Password)
	if err != nil {
		return nil, fmt.Errorf("%w (generate the data first: go run ./bench/cmd/gen, or pass --generate)", err)
	}
	f := &fixture{ownerToken: token, today: time.Now().UTC()}
	for page := 1; len(f.projects) < maxProjects; page++ {
		var p listPage[struct {
			ID string `json:"id"`
		}]
		path := fmt.Sprintf("/api/projects/projects/?page_size=200&ordering=project_code&page=%d", page)
		if err := a.call(ctx, http.MethodGet, path, token, nil, &p); err != nil {
			return nil, err
		}
		for _, r := range p.Results {
			f.projects = append(f.projects, r.ID)
		}
		if p.Next == nil {
			break
		}
	}
	if len(f.projects) == 0 {
		return nil, errors.New("the firm has no projects: generate the data first")
	}
	var clients listPage[struct {
		CompanyName string `json:"company_name"`
	}]
	if err := a.call(ctx, http.MethodGet, "/api/crm/clients/?page_size=200&ordering=company_name", token, nil, &clients); err != nil {
		return nil, err
	}
	names := make([]string, len(clients.Results))
	for i, c := range clients.Results {
		names[i] = c.CompanyName
	}
	f.searchTerms = searchTerms(names)
	if o.SearchTerms == SearchNames {
		f.searchTerms = nameTerms(names)
	}
	if len(f.searchTerms) == 0 {
		return nil, errors.New("the firm has no clients with searchable names: generate the data first")
	}
	var latest listPage[struct {
		Date string `json:"date"`
	}]
	if err := a.call(ctx, http.MethodGet, "/api/projects/time-entries/?page_size=1&ordering=-date", token, nil, &latest); err != nil {
		return nil, err
	}
	to := f.today
	if len(latest.Results) > 0 {
		if d, err := time.Parse(time.DateOnly, latest.Results[0].Date); err == nil {
			to = d
		}
	}
	// A quarter of time ending at the latest entry: the range a timesheet or an invoice run asks.
	f.rangeFrom, f.rangeTo = to.AddDate(0, 0, -90).Format(time.DateOnly), to.Format(time.DateOnly)
	if f.active, err = activeProjects(ctx, a, token, f.rangeFrom, f.rangeTo); err != nil {
		return nil, err
	}
	if len(f.active) == 0 {
		f.active = f.projects // no time in the range: the lists answer empty pages, still 200
	}
	return f, nil
}

// maxActivePages bounds the pages of time entries read to find the projects worked on.
const maxActivePages = 5

// activeProjects returns the projects with time entries between from and to, so that the
// time-entry list by project and range answers rows rather than empty pages.
func activeProjects(ctx context.Context, a *api, token, from, to string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for page := 1; page <= maxActivePages; page++ {
		var p listPage[struct {
			Project string `json:"project"`
		}]
		path := fmt.Sprintf("/api/projects/time-entries/?date_after=%s&date_before=%s&page_size=200&page=%d", from, to, page)
		if err := a.call(ctx, http.MethodGet, path, token, nil, &p); err != nil {
			return nil, err
		}
		for _, r := range p.Results {
			if !seen[r.Project] {
				seen[r.Project] = true
				out = append(out, r.Project)
			}
		}
		if p.Next == nil {
			break
		}
	}
	return out, nil
}

// searchTerms picks one distinctive word (at least 4 letters) of each name, without repeats, so
// the client search rotates through terms that match a few clients each.
func searchTerms(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range names {
		for _, w := range strings.FieldsFunc(name, func(c rune) bool { return !unicode.IsLetter(c) }) {
			w = strings.ToLower(w)
			if len([]rune(w)) < 4 || seen[w] || commonWord[w] {
				continue
			}
			seen[w] = true
			out = append(out, url.QueryEscape(w))
			break
		}
	}
	return out
}

// Values of Options.SearchTerms.
const (
	SearchWords = "words"
	SearchNames = "names"
)

// nameTerms searches for each whole name, lower-cased: what someone looking for one client
// types, which matches that client and the few whose names extend it ("… Inc 21", "… Inc 210").
func nameTerms(names []string) []string {
	out := make([]string, len(names))
	for i, name := range names {
		out[i] = url.QueryEscape(strings.ToLower(name))
	}
	return out
}

// commonWord are company-name words that match most clients and so say little about search.
var commonWord = map[string]bool{"client": true, "group": true, "holdings": true, "limited": true,
	"company": true, "corp": true, "corporation": true, "partners": true, "services": true}

// writerName is the username of the i-th writer the harness creates.
func writerName(i int) string { return fmt.Sprintf("loadwriter%02d", i+1) }

// ensureWriters logs in the users that time-entry create rotates through, creating them as
// consultants (by the owner) when they do not exist yet. Several writers keep the daily 24-hour
// rule and the per-user lock of time-entry create from serialising the scenario on one user.
func ensureWriters(ctx context.Context, a *api, f *fixture, o Options) error {
	f.writerTokens = f.writerTokens[:0]
	for i := range o.Writers {
		name := writerName(i)
		token, err := a.login(ctx, name, o.WriterPassword)
		var se *statusError
		if errors.As(err, &se) && se.status == http.StatusUnauthorized {
			err = a.call(ctx, http.MethodPost, "/api/firm/users/", f.ownerToken, map[string]string{
				"username": name, "email": name + "@load.example", "password": o.WriterPassword,
				"first_name": "Load", "last_name": fmt.Sprintf("Writer %d", i+1), "role": "consultant",
			}, nil)
			if err != nil {
				return fmt.Errorf("create writer %s: %w", name, err)
			}
			token, err = a.login(ctx, name, o.WriterPassword)
		}
		if err != nil {
			return err
		}
		f.writerTokens = append(f.writerTokens, token)
	}
	return nil
}
