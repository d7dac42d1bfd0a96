package gen

import (
	"errors"
	"fmt"
	"strings"
)

// Scale is the size of a generated firm: how many rows of each kind, and how many people of
// each role besides the owner. Managers and consultants log the time; proposals and contracts
// follow from the clients (a few per client).
type Scale struct {
	Name        string
	Clients     int
	Projects    int
	Tasks       int
	TimeEntries int
	Managers    int
	Consultants int
	Accountants int
}

// Scales are the named sizes of the --scale flag.
func Scales() []Scale {
	return []Scale{
		// tiny is SPEC §13's baseline for list latency at scale: 1k time entries, and a full
		// first page (50) of projects.
		{Name: "tiny", Clients: 10, Projects: 50, Tasks: 200, TimeEntries: 1_000,
			Managers: 1, Consultants: 2, Accountants: 1},
		{Name: "small", Clients: 20, Projects: 100, Tasks: 1_000, TimeEntries: 10_000,
			Managers: 1, Consultants: 4, Accountants: 1},
		{Name: "medium", Clients: 200, Projects: 1_000, Tasks: 10_000, TimeEntries: 100_000,
			Managers: 5, Consultants: 40, Accountants: 2},
		{Name: "large", Clients: 1_000, Projects: 5_000, Tasks: 50_000, TimeEntries: 1_000_000,
			Managers: 50, Consultants: 400, Accountants: 10},
		// clients is the CRM at scale: client search latency against 100,000 clients, with
		// little else, so it generates in a minute.
		{Name: "clients", Clients: 100_000, Projects: 1_000, Tasks: 2_000, TimeEntries: 10_000,
			Managers: 5, Consultants: 20, Accountants: 2},
	}
}

// Named returns the scale called name (tiny, small, medium, large or clients).
func Named(name string) (Scale, error) {
	var names []string
	for _, s := range Scales() {
		if s.Name == name {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return Scale{}, fmt.Errorf("unknown scale %q: use %s", name, strings.Join(names, ", "))
}

// Users is the number of users the scale creates, the owner included.
func (s Scale) Users() int { return 1 + s.Managers + s.Consultants + s.Accountants }

// maxEntriesPerDay bounds the average load: above it the firm's people could not log the
// entries within 24 hours a day over the two-year window.
const maxEntriesPerDay = 6

// Validate reports a scale the generator cannot build.
func (s Scale) Validate() error {
	var errs []error
	for _, c := range []struct {
		name     string
		n, least int
	}{{"clients", s.Clients, 1}, {"projects", s.Projects, 1}, {"managers", s.Managers, 1},
		{"consultants", s.Consultants, 1}, {"tasks", s.Tasks, 0}, {"time entries", s.TimeEntries, 0},
		{"accountants", s.Accountants, 0}} {
		if c.n < c.least {
			errs = append(errs, fmt.Errorf("%s must be at least %d", c.name, c.least))
		}
	}
	if people := s.Managers + s.Consultants; people > 0 && s.TimeEntries > people*window*maxEntriesPerDay {
		errs = append(errs, fmt.Errorf("%d time entries are too many for %d managers and consultants", s.TimeEntries, people))
	}
	return errors.Join(errs...)
}
