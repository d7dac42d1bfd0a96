package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// SeedDemo makes sure the demo firm and its users exist, with password as every demo user's
// password (auth's SeedDemo), and gives a new demo firm the business of a small consultancy:
// clients in every status, proposals and contracts at several stages, projects with tasks, and
// the last three weeks of time logged by the owner, the manager and the consultant, two of them
// invoiced and paid (one in part), and bills to pay. Everything
// goes through the modules' services, as the demo users, so every rule of the API holds. The data
// is seeded once: a demo firm that has clients already (an earlier run's, or the user's own) is
// left as it is.
func (a *App) SeedDemo(ctx context.Context, password string) (*auth.Firm, []auth.User, error) {
	firm, users, err := a.Auth.SeedDemo(ctx, password)
	if err != nil {
		return nil, nil, err
	}
	seeded, err := a.crm.HasClients(ctx, auth.ActorOf(firm, &users[0]).Firm())
	if err != nil {
		return nil, nil, err
	}
	if !seeded {
		s := newDemoSeed(a, firm, users)
		if err := s.seed(ctx); err != nil {
			return nil, nil, fmt.Errorf("seed the demo firm's data: %w", err)
		}
	}
	return firm, users, nil
}

// demoSeed writes the demo firm's business data as its users.
type demoSeed struct {
	crm      *crm.Service
	projects *projects.Service
	finance  *finance.Service
	as       map[auth.Role]auth.Actor // the demo users, one per role
	cur      money.Currency           // the firm's currency: every amount is in it
	today    date.Date                // the firm's today: no time is logged after it
}

func newDemoSeed(a *App, firm *auth.Firm, users []auth.User) *demoSeed {
	s := &demoSeed{crm: a.crm, projects: a.projects, finance: a.finance, as: map[auth.Role]auth.Actor{},
		cur: money.CurrencyOf(firm.DefaultCurrency), today: date.Today(a.now(), firm.Location())}
	for i := range users {
		s.as[users[i].Role] = auth.ActorOf(firm, &users[i])
	}
	return s
}

// day is the date n days from the firm's today (n < 0 in the past).
func (s *demoSeed) day(n int) date.Date {
	return date.Date(s.today.Time().AddDate(0, 0, n).Format(time.DateOnly))
}

// money is a whole amount of the firm's currency.
func (s *demoSeed) money(units int) money.Amount {
	a, err := money.Parse(strconv.Itoa(units), s.cur)
	if err != nil {
		panic(err) // the amounts below are small whole numbers, which every currency holds
	}
	return a
}

func (s *demoSeed) moneyPtr(units int) *money.Amount {
	a := s.money(units)
	return &a
}

// ctx is the context of a write by the demo user with the role: it scopes the write to the firm
// for the data version, so cached lists show the new rows.
func (s *demoSeed) ctx(ctx context.Context, role auth.Role) (context.Context, auth.Actor) {
	a := s.as[role]
	return auth.WithActor(ctx, a), a
}

func ptr[T any](v T) *T { return &v }

// step wraps the error of a seeding step with what the step was and, for a refusal, why.
func step(err error, what string) error {
	if err == nil {
		return nil
	}
	if f := fault.As(err); f != nil && len(f.Details) > 0 {
		return fmt.Errorf("%s: %w %v", what, err, f.Details)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func (s *demoSeed) seed(ctx context.Context) error {
	clients, err := s.clients(ctx)
	if err != nil {
		return err
	}
	contracts, err := s.proposalsAndContracts(ctx, clients)
	if err != nil {
		return err
	}
	projectList, err := s.projectsAndTasks(ctx, clients, contracts)
	if err != nil {
		return err
	}
	if err := s.timeEntries(ctx, projectList); err != nil {
		return err
	}
	// Documents and assets are seeded here as those modules land.
	return s.finances(ctx, clients, projectList)
}

// demoClient is one client of the demo firm; the owner is a demo user's role.
type demoClient struct {
	name, industry, contact, email, phone, city, website string
	status                                               crm.ClientStatus
	owner                                                auth.Role
	employees, revenue                                   int64
	source, notes                                        string
}

var demoClients = []demoClient{
	{"Harbor Logistics Group", "Transportation", "Priya Raman", "priya.raman@harborlogistics.example", "+1 415 555 0134",
		"Oakland", "https://harborlogistics.example", crm.ClientActive, auth.Manager, 1200, 310_000_000, "referral",
		"Regional 3PL with twelve warehouses; CFO sponsors the network study."},
	{"Crestline Health Partners", "Healthcare", "Daniel Okafor", "d.okafor@crestlinehealth.example", "+1 503 555 0178",
		"Portland", "https://crestlinehealth.example", crm.ClientActive, auth.Consultant, 640, 95_000_000, "conference",
		"Four outpatient clinics; intake backlog is the board's top concern."},
	{"Alder & Finch Retail", "Retail", "Sofia Marchetti", "sofia@alderfinch.example", "+1 206 555 0121",
		"Seattle", "https://alderfinch.example", crm.ClientProspect, auth.Manager, 380, 52_000_000, "website",
		"Two proposals out; decision expected after their quarterly review."},
	{"Bluewater Energy Cooperative", "Energy", "Tom Whitaker", "twhitaker@bluewater.example", "+1 208 555 0190",
		"Boise", "https://bluewater.example", crm.ClientLead, auth.Consultant, 210, 41_000_000, "cold outreach",
		"Met at the utilities forum; interested in a grid feasibility study."},
	{"Summit Ridge Manufacturing", "Manufacturing", "Helen Castillo", "hcastillo@summitridge.example", "+1 801 555 0157",
		"Salt Lake City", "https://summitridge.example", crm.ClientInactive, auth.Owner, 900, 140_000_000, "referral",
		"Plant efficiency programme delivered last year; check in next budget cycle."},
	{"Pinecrest Capital", "Financial services", "Marcus Lee", "marcus.lee@pinecrest.example", "+1 212 555 0143",
		"New York", "https://pinecrest.example", crm.ClientLost, auth.Manager, 85, 0, "referral",
		"Chose a larger firm for the due diligence work."},
}

// clients creates the demo clients as the owner (who assigns their owners); it returns their
// ids by company name.
func (s *demoSeed) clients(ctx context.Context) (map[string]string, error) {
	ctx, owner := s.ctx(ctx, auth.Owner)
	ids := map[string]string{}
	for _, d := range demoClients {
		c, err := s.crm.CreateClient(ctx, owner, func(c *crm.Client) fault.Fields {
			c.CompanyName, c.Industry, c.Status = d.name, d.industry, d.status
			c.PrimaryContactName, c.PrimaryContactEmail, c.PrimaryContactPhone = d.contact, d.email, d.phone
			c.City, c.Website, c.Source, c.Notes = d.city, d.website, d.source, d.notes
			c.EmployeeCount, c.OwnerID = ptr(d.employees), ptr(s.as[d.owner].UserID)
			if d.revenue > 0 {
				c.AnnualRevenue = s.moneyPtr(int(d.revenue))
			}
			return nil
		})
		if err := step(err, "client "+d.name); err != nil {
			return nil, err
		}
		ids[d.name] = c.ID
	}
	return ids, nil
}

// demoProposal is one proposal: the statuses it goes through after draft, in order, and whether
// it ends accepted with a contract.
type demoProposal struct {
	client, title, description string
	value                      int
	start, end                 int // estimated dates, in days from today
	path                       []crm.ProposalStatus
	contract                   bool
}

var demoProposals = []demoProposal{
	{"Harbor Logistics Group", "Distribution network optimisation study",
		"Model the twelve-warehouse network, test three consolidation scenarios and recommend a target footprint.",
		48_000, -28, 62, []crm.ProposalStatus{crm.ProposalSent}, true},
	{"Crestline Health Partners", "Patient intake process redesign",
		"Map intake at four clinics, remove duplicate data entry and pilot a single digital intake flow.",
		36_000, -35, 55, []crm.ProposalStatus{crm.ProposalSent, crm.ProposalUnderReview}, true},
	{"Alder & Finch Retail", "Omnichannel retail strategy",
		"Align store, web and marketplace channels around one customer view and a shared inventory position.",
		42_500, 21, 111, []crm.ProposalStatus{crm.ProposalSent}, false},
	{"Alder & Finch Retail", "Store footprint review",
		"Assess the performance of 28 stores and recommend closures, relocations and refits.",
		18_000, 14, 60, []crm.ProposalStatus{crm.ProposalSent, crm.ProposalUnderReview}, false},
	{"Bluewater Energy Cooperative", "Grid modernisation feasibility study",
		"Evaluate smart-meter rollout options and the business case for distribution automation.",
		27_500, 30, 100, nil, false},
	{"Pinecrest Capital", "Operational due diligence support",
		"Operational due diligence on two mid-market acquisition targets.",
		22_000, -40, -10, []crm.ProposalStatus{crm.ProposalSent, crm.ProposalRejected}, false},
	{"Summit Ridge Manufacturing", "Lean operations assessment, phase two",
		"Extend the lean programme to the second plant.",
		30_000, 45, 120, []crm.ProposalStatus{crm.ProposalExpired}, false},
}

// proposalsAndContracts creates the proposals as the manager, moves them along their paths and
// accepts two of them into contracts, which are signed and active; it adds a completed contract
// and a draft one. It returns the contract ids by client name (the first contract of each).
func (s *demoSeed) proposalsAndContracts(ctx context.Context, clients map[string]string) (map[string]string, error) {
	ctx, manager := s.ctx(ctx, auth.Manager)
	contracts := map[string]string{}
	for _, d := range demoProposals {
		p, err := s.crm.CreateProposal(ctx, manager, func(p *crm.Proposal) fault.Fields {
			p.ClientID, p.Title, p.Description, p.TotalValue = clients[d.client], d.title, d.description, s.money(d.value)
			p.ValidUntil, p.EstimatedStartDate, p.EstimatedEndDate = s.day(30), s.day(d.start), s.day(d.end)
			return nil
		})
		if err := step(err, "proposal "+d.title); err != nil {
			return nil, err
		}
		for _, status := range d.path {
			_, err := s.crm.UpdateProposal(ctx, manager, p.ID, func(p *crm.Proposal) fault.Fields {
				p.Status = status
				return nil
			})
			if err := step(err, fmt.Sprintf("proposal %s to %s", d.title, status)); err != nil {
				return nil, err
			}
		}
		if !d.contract {
			continue
		}
		_, k, err := s.crm.AcceptProposal(ctx, manager, p.ID, true)
		if err := step(err, "accept proposal "+d.title); err != nil {
			return nil, err
		}
		_, err = s.crm.UpdateContract(ctx, manager, k.ID, func(k *crm.Contract) fault.Fields {
			k.Status, k.SignedDate, k.SignedBy = crm.ContractActive, s.day(d.start-5), demoContactOf(d.client)
			k.PaymentTerms = "net_30"
			return nil
		})
		if err := step(err, "activate the contract of "+d.title); err != nil {
			return nil, err
		}
		contracts[d.client] = k.ID
	}
	for _, d := range []struct {
		client, title, description string
		status                     crm.ContractStatus
		value, start, end, signed  int
		terms                      crm.PaymentTerms
	}{
		{"Summit Ridge Manufacturing", "Plant efficiency programme",
			"Lean transformation of the main plant: value-stream mapping, line balancing and daily management.",
			crm.ContractCompleted, 64_000, -300, -60, -305, "net_45"},
		{"Harbor Logistics Group", "Quarterly advisory retainer",
			"Eight advisory days a quarter for the operations leadership team.",
			crm.ContractDraft, 24_000, 70, 435, 0, "net_15"},
	} {
		k, err := s.crm.CreateContract(ctx, manager, func(k *crm.Contract) fault.Fields {
			k.ClientID, k.Title, k.Description, k.Status = clients[d.client], d.title, d.description, d.status
			k.TotalValue, k.PaymentTerms, k.StartDate, k.EndDate = s.money(d.value), d.terms, s.day(d.start), s.day(d.end)
			if d.signed != 0 {
				k.SignedDate, k.SignedBy = s.day(d.signed), demoContactOf(d.client)
			}
			return nil
		})
		if err := step(err, "contract "+d.title); err != nil {
			return nil, err
		}
		if _, seen := contracts[d.client]; !seen {
			contracts[d.client] = k.ID
		}
	}
	return contracts, nil
}

// demoContactOf is the primary contact of a demo client, who signs its contracts.
func demoContactOf(client string) string {
	for _, c := range demoClients {
		if c.name == client {
			return c.contact
		}
	}
	return ""
}

// demoTask is one task of a project: its assignee's role, its estimate in hours and its due
// date in days from today.
type demoTask struct {
	title    string
	status   projects.TaskStatus
	priority projects.TaskPriority
	assignee auth.Role
	hours    int
	due      int
}

// demoProject is one project with its tasks.
type demoProject struct {
	client, name, description string
	status                    projects.ProjectStatus
	billing                   projects.BillingType
	manager                   auth.Role
	budget, rate              int
	start, end, completed     int // days from today; completed is 0 unless the project is
	tasks                     []demoTask
}

var demoProjects = []demoProject{
	{"Harbor Logistics Group", "Network optimisation study",
		"Warehouse network model, consolidation scenarios and target footprint.",
		projects.ProjectInProgress, projects.BillingTimeAndMaterials, auth.Manager, 48_000, 180, -28, 62, 0,
		[]demoTask{
			{"Kick-off and data request", projects.TaskDone, projects.TaskHigh, auth.Manager, 6, -24},
			{"Shipment data cleansing", projects.TaskDone, projects.TaskMedium, auth.Consultant, 24, -14},
			{"Baseline cost-to-serve model", projects.TaskReview, projects.TaskHigh, auth.Manager, 40, 3},
			{"Consolidation scenarios", projects.TaskInProgress, projects.TaskHigh, auth.Manager, 48, 20},
			{"Site visits: Fresno and Reno", projects.TaskBlocked, projects.TaskMedium, auth.Consultant, 16, 10},
			{"Steering committee deck", projects.TaskTodo, projects.TaskUrgent, auth.Owner, 12, 27},
		}},
	{"Crestline Health Partners", "Patient intake redesign",
		"Current-state mapping at four clinics and a pilot of one digital intake flow.",
		projects.ProjectInProgress, projects.BillingFixedPrice, auth.Consultant, 36_000, 150, -35, 55, 0,
		[]demoTask{
			{"Clinic shadowing and interviews", projects.TaskDone, projects.TaskHigh, auth.Consultant, 30, -20},
			{"Current-state process maps", projects.TaskDone, projects.TaskMedium, auth.Consultant, 20, -10},
			{"Future-state intake design", projects.TaskInProgress, projects.TaskHigh, auth.Consultant, 32, 9},
			{"Pilot plan for the Eastside clinic", projects.TaskTodo, projects.TaskMedium, auth.Manager, 12, 24},
		}},
	{"Summit Ridge Manufacturing", "Plant efficiency programme",
		"Value-stream mapping, line balancing and daily management at the main plant.",
		projects.ProjectCompleted, projects.BillingFixedPrice, auth.Manager, 64_000, 160, -300, -60, -62,
		[]demoTask{
			{"Value-stream mapping", projects.TaskDone, projects.TaskHigh, auth.Manager, 60, -260},
			{"Daily management rollout", projects.TaskDone, projects.TaskMedium, auth.Consultant, 80, -90},
		}},
	{"Alder & Finch Retail", "Discovery workshops",
		"Three workshops with the channel leads ahead of the strategy proposal.",
		projects.ProjectPlanning, projects.BillingTimeAndMaterials, auth.Manager, 9_000, 170, 7, 40, 0,
		[]demoTask{
			{"Workshop agenda and pre-reads", projects.TaskTodo, projects.TaskMedium, auth.Manager, 8, 5},
			{"Channel data request", projects.TaskTodo, projects.TaskLow, auth.Consultant, 4, 6},
		}},
}

// seededProject is a project the time entries are logged on, with its tasks by title.
type seededProject struct {
	id    string
	tasks map[string]string
}

// projectsAndTasks creates the projects and their tasks as the manager; it returns the projects
// by name.
func (s *demoSeed) projectsAndTasks(ctx context.Context, clients, contracts map[string]string) (map[string]seededProject, error) {
	ctx, manager := s.ctx(ctx, auth.Manager)
	out := map[string]seededProject{}
	for i, d := range demoProjects {
		p, err := s.projects.CreateProject(ctx, manager, func(p *projects.Project) fault.Fields {
			p.ClientID, p.Name, p.Description, p.Status, p.BillingType = clients[d.client], d.name, d.description, d.status, d.billing
			p.ProjectManagerID, p.Budget, p.HourlyRate = ptr(s.as[d.manager].UserID), s.moneyPtr(d.budget), s.moneyPtr(d.rate)
			p.StartDate, p.EndDate = s.day(d.start), s.day(d.end)
			if k, ok := contracts[d.client]; ok && d.status != projects.ProjectPlanning {
				p.ContractID = ptr(k)
			}
			if d.completed != 0 {
				p.ActualCompletionDate = s.day(d.completed)
			}
			return nil
		})
		if err := step(err, "project "+d.name); err != nil {
			return nil, err
		}
		sp := seededProject{id: p.ID, tasks: map[string]string{}}
		for j, dt := range d.tasks {
			t, err := s.projects.CreateTask(ctx, manager, func(t *projects.Task) fault.Fields {
				t.ProjectID, t.Title, t.Status, t.Priority = p.ID, dt.title, dt.status, dt.priority
				t.AssignedTo, t.EstimatedHours = ptr(s.as[dt.assignee].UserID), ptr(money.Hours(dt.hours*100))
				t.DueDate, t.Position = s.day(dt.due), int64(j+1)
				return nil
			})
			if err := step(err, fmt.Sprintf("task %d.%d %s", i+1, j+1, dt.title)); err != nil {
				return nil, err
			}
			sp.tasks[dt.title] = t.ID
		}
		out[d.name] = sp
	}
	return out, nil
}

// demoShift is what a demo user logs on a working day: hours (in hundredths) on a task of a
// project, from the pattern's index on that day.
type demoShift struct {
	role     auth.Role
	project  string
	task     string
	what     string
	hours    []int // by working day, cycling
	billable bool
	weekdays []time.Weekday // nil: every working day
}

var demoShifts = []demoShift{
	{auth.Manager, "Network optimisation study", "Baseline cost-to-serve model",
		"Cost-to-serve model: lane costs and warehouse handling rates", []int{600, 550, 700, 450, 650}, true, nil},
	{auth.Manager, "Network optimisation study", "Consolidation scenarios",
		"Scenario runs and sensitivity checks", []int{150, 200, 100}, true,
		[]time.Weekday{time.Tuesday, time.Thursday}},
	{auth.Consultant, "Patient intake redesign", "Future-state intake design",
		"Intake design sessions with clinic leads", []int{700, 600, 750, 500, 600}, true, nil},
	{auth.Consultant, "Network optimisation study", "Shipment data cleansing",
		"Shipment data fixes for the model", []int{150, 200}, true, []time.Weekday{time.Friday}},
	{auth.Owner, "Network optimisation study", "Steering committee deck",
		"Steering committee preparation with the CFO", []int{200, 150}, true,
		[]time.Weekday{time.Monday, time.Wednesday}},
	{auth.Owner, "Patient intake redesign", "",
		"Engagement quality review", []int{100}, false, []time.Weekday{time.Thursday}},
}

// demoTimeWeeks is how far back the demo's time goes.
const demoTimeWeeks = 3

// timeEntries logs the last three weeks of working days, up to the firm's today, each entry by
// its own user.
func (s *demoSeed) timeEntries(ctx context.Context, seeded map[string]seededProject) error {
	workday := 0
	for n := -7 * demoTimeWeeks; n <= 0; n++ {
		day := s.day(n)
		weekday := day.Time().Weekday()
		if weekday == time.Saturday || weekday == time.Sunday {
			continue
		}
		for _, sh := range demoShifts {
			if sh.weekdays != nil && !containsDay(sh.weekdays, weekday) {
				continue
			}
			p := seeded[sh.project]
			ctx, a := s.ctx(ctx, sh.role)
			_, err := s.projects.CreateTimeEntry(ctx, a, func(te *projects.TimeEntry) fault.Fields {
				te.ProjectID, te.Date, te.Description, te.IsBillable = p.id, day, sh.what, sh.billable
				te.Hours = money.Hours(sh.hours[workday%len(sh.hours)])
				if id, ok := p.tasks[sh.task]; ok {
					te.TaskID = ptr(id)
				}
				return nil
			})
			if err := step(err, fmt.Sprintf("time of %s on %s", a.Username, day)); err != nil {
				return err
			}
		}
		workday++
	}
	return nil
}

func containsDay(days []time.Weekday, d time.Weekday) bool {
	for _, x := range days {
		if x == d {
			return true
		}
	}
	return false
}
