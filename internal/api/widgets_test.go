package api_test

// A small resource that exists only in these tests: it proves the platform's conventions end
// to end (envelope, paths, lists) on a real database, SQLite or PostgreSQL.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/logging"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

type widget struct {
	bun.BaseModel `bun:"table:widgets,alias:w"`
	ID            string    `bun:"id,pk"`
	Name          string    `bun:"name"`
	Note          string    `bun:"note"`
	Status        string    `bun:"status"`
	Active        bool      `bun:"active"`
	Size          int64     `bun:"size"`
	MadeOn        *string   `bun:"made_on"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

type widgetOut struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Active bool   `json:"active"`
	Size   int64  `json:"size"`
}

type widgetIn struct {
	Name   string `json:"name" maxLength:"50"`
	Status string `json:"status,omitempty" enum:"new,used,broken"`
	Size   *int64 `json:"size,omitempty" minimum:"0"`
	Email  string `json:"email,omitempty"`
}

var emailPattern = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$`)

// Resolve runs the resource's own field rules beside huma's schema checks, so one response
// lists every problem.
func (w *widgetIn) Resolve(_ huma.Context, prefix *huma.PathBuffer) []error {
	if w.Email != "" && !emailPattern.MatchString(w.Email) {
		return []error{&huma.ErrorDetail{Location: prefix.With("email"), Message: "Invalid email format"}}
	}
	return nil
}

var widgetSpec = &db.ListSpec{
	Filters: append([]db.Filter{
		{Name: "status", Column: "w.status", Kind: db.ChoiceFilter, Choices: []string{"new", "used", "broken"}},
		{Name: "active", Column: "w.active", Kind: db.BoolFilter},
		{Name: "id", Column: "w.id", Kind: db.IDFilter},
		{Name: "size", Column: "w.size", Kind: db.IntegerFilter},
	}, db.DateRange("made", "w.made_on")...),
	Search:    []string{"w.name", "w.note"},
	Ordering:  []db.OrderField{{Name: "name", Column: "w.name"}, {Name: "size", Column: "w.size"}, {Name: "created_at", Column: "w.created_at"}},
	Default:   "-created_at",
	UpdatedAt: "w.updated_at",
	ID:        "w.id",
}

type listWidgetsIn struct {
	api.ListInput
}

type createWidgetIn struct {
	Body widgetIn
}

type widgetIDIn struct {
	ID string `path:"id"`
}

type widgetOutput struct {
	Location string `header:"Location"`
	Body     widgetOut
}

// registerWidgets adds the test resource and a few routes that fail on purpose.
func registerWidgets(a *api.API, d *db.DB) {
	list := huma.Operation{OperationID: "list-widgets", Method: http.MethodGet, Path: "/widgets/", Summary: "List widgets", Security: api.Anonymous()}
	api.DocumentList(&list, widgetSpec)
	api.Cacheable(&list)
	api.Register(a, list, func(ctx context.Context, in *listWidgetsIn) (*api.ListOutput[widgetOut], error) {
		p, err := in.Parse(widgetSpec)
		if err != nil {
			return nil, err
		}
		var rows []widget
		count, err := p.Window(p.Apply(d.R.NewSelect().Model(&rows).ExcludeColumn("made_on"))).ScanAndCount(ctx)
		if err != nil {
			return nil, db.Translate(err)
		}
		out := make([]widgetOut, len(rows))
		for i, r := range rows {
			out[i] = widgetOut{ID: r.ID, Name: r.Name, Status: r.Status, Active: r.Active, Size: r.Size}
		}
		return api.NewPage(&in.ListInput, p, count, out)
	})
	api.Register(a, huma.Operation{OperationID: "create-widget", Security: api.Anonymous(), Method: http.MethodPost, Path: "/widgets/",
		Summary: "Create widget", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createWidgetIn) (*widgetOutput, error) {
			if in.Body.Name == "" {
				return nil, fault.Field("name", api.MsgRequired)
			}
			now := time.Now().UTC()
			w := &widget{ID: uuid.Must(uuid.NewV7()).String(), Name: in.Body.Name, Status: in.Body.Status,
				CreatedAt: now, UpdatedAt: now}
			if w.Status == "" {
				w.Status = "new"
			}
			if in.Body.Size != nil {
				w.Size = *in.Body.Size
			}
			if _, err := d.W.NewInsert().Model(w).Exec(ctx); err != nil {
				return nil, db.Translate(err)
			}
			return &widgetOutput{Location: api.Prefix + "/widgets/" + w.ID + "/",
				Body: widgetOut{ID: w.ID, Name: w.Name, Status: w.Status, Size: w.Size}}, nil
		})
	api.Register(a, huma.Operation{OperationID: "get-widget", Security: api.Anonymous(), Method: http.MethodGet, Path: "/widgets/{id}/", Summary: "Get widget"},
		func(ctx context.Context, in *widgetIDIn) (*widgetOutput, error) {
			var w widget
			if err := d.R.NewSelect().Model(&w).ExcludeColumn("made_on").Where("w.id = ?", in.ID).Scan(ctx); err != nil {
				return nil, db.Translate(err)
			}
			return &widgetOutput{Body: widgetOut{ID: w.ID, Name: w.Name, Status: w.Status, Size: w.Size}}, nil
		})
	api.Register(a, huma.Operation{OperationID: "explode", Security: api.Anonymous(), Method: http.MethodGet, Path: "/explode/", Summary: "Panic"},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			panic("boom: SELECT secret FROM vault")
		})
	api.Register(a, huma.Operation{OperationID: "leak", Security: api.Anonymous(), Method: http.MethodGet, Path: "/leak/", Summary: "Unexpected error"},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			return nil, errors.New("pq: password authentication failed for user \"admin\"")
		})
	pay := huma.Operation{OperationID: "pay", Security: api.Anonymous(), Method: http.MethodPost, Path: "/pay/", Summary: "Pay"}
	api.Throttled(&pay, api.Payment)
	api.Register(a, pay, func(ctx context.Context, _ *struct{}) (*struct{}, error) { return nil, nil })
	api.Register(a, huma.Operation{OperationID: "conflict", Security: api.Anonymous(), Method: http.MethodPost, Path: "/conflict/", Summary: "Conflict"},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			return nil, fault.New(fault.Conflict, "Idempotency key reused with another body.")
		})
}

// registerWhoami adds an operation that needs a bearer token.
func registerWhoami(a *api.API) {
	type whoOut struct {
		Body struct {
			Caller string `json:"caller"`
		}
	}
	api.Register(a, huma.Operation{OperationID: "whoami", Method: http.MethodGet, Path: "/whoami/", Summary: "Who am I"},
		func(ctx context.Context, _ *struct{}) (*whoOut, error) {
			out := &whoOut{}
			out.Body.Caller, _ = ctx.Value(callerKey{}).(string)
			return out, nil
		})
}

type callerKey struct{}

// fakeAuth accepts the token "good-token" as the caller "ada".
func fakeAuth(ctx context.Context, token string) (context.Context, error) {
	if token != "good-token" {
		return nil, fault.Wrap(fault.AuthFailed, "Given token not valid for any token type", errors.New("bad signature"))
	}
	api.Info(ctx).SetActor("ada", "firm-1", "")
	return context.WithValue(ctx, callerKey{}, "ada"), nil
}

// createWidgetsTable makes the test resource's table on either engine.
func createWidgetsTable(t *testing.T, d *db.DB) {
	t.Helper()
	dateType, boolType := "TEXT", "BOOLEAN"
	if d.Dialect == db.Postgres {
		dateType = "DATE"
	}
	_, err := d.W.ExecContext(context.Background(), fmt.Sprintf(`CREATE TABLE widgets (
		id TEXT PRIMARY KEY, name TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,
		active %s NOT NULL DEFAULT FALSE, size BIGINT NOT NULL DEFAULT 0, made_on %s,
		created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)`, boolType, dateType))
	if err != nil {
		t.Fatal(err)
	}
}

// env is one test server with the widgets resource.
type env struct {
	t      *testing.T
	db     *db.DB
	srv    *httptest.Server
	logBuf *syncBuffer
}

type envOptions struct {
	throttle    *api.Throttle
	production  bool
	hosts       []string
	corsOrigins []string
	proxies     []netip.Prefix
}

func newEnv(t *testing.T, opts envOptions) *env {
	t.Helper()
	d := testkit.NewDB(t)
	createWidgetsTable(t, d)
	buf := &syncBuffer{}
	logs, err := logging.New(logging.Options{Console: buf})
	if err != nil {
		t.Fatal(err)
	}
	hosts := opts.hosts
	if hosts == nil {
		hosts = []string{"127.0.0.1", "localhost"}
	}
	a := api.New(api.Options{Version: "test", Logs: logs, Metrics: api.NewMetrics(), AllowedHosts: hosts,
		CORSOrigins: opts.corsOrigins, TrustedProxies: opts.proxies, Production: opts.production,
		Authenticate: fakeAuth, Throttle: opts.throttle})
	registerWidgets(a, d)
	registerWhoami(a)
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, db: d, srv: srv, logBuf: buf}
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) envelope(t *testing.T) api.Problem {
	t.Helper()
	var e struct {
		Error api.Problem `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("not an error envelope (%v): %s", err, r.body)
	}
	return e.Error
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request; body may be nil, a string (sent as is) or a value (sent as JSON).
func (e *env) do(method, path string, body any, header ...string) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// seed inserts widgets directly, with distinct creation times.
func (e *env) seed(rows ...widget) {
	e.t.Helper()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		if rows[i].ID == "" {
			rows[i].ID = uuid.Must(uuid.NewV7()).String()
		}
		if rows[i].CreatedAt.IsZero() {
			rows[i].CreatedAt = base.Add(time.Duration(i) * time.Minute)
		}
		if rows[i].UpdatedAt.IsZero() {
			rows[i].UpdatedAt = rows[i].CreatedAt
		}
		if rows[i].Status == "" {
			rows[i].Status = "new"
		}
	}
	if _, err := e.db.W.NewInsert().Model(&rows).Exec(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}
