package gen

import (
	"slices"
	"strings"
	"testing"
)

func TestNamedScales(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                         string
		clients, projects, entries   int
		tasks, consultants, managers int
	}{
		{"tiny", 10, 50, 1_000, 200, 2, 1},
		{"small", 20, 100, 10_000, 1_000, 4, 1},
		{"medium", 200, 1_000, 100_000, 10_000, 40, 5},
		{"large", 1_000, 5_000, 1_000_000, 50_000, 400, 50},
		{"clients", 100_000, 1_000, 10_000, 2_000, 20, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Named(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if s.Clients != tt.clients || s.Projects != tt.projects || s.TimeEntries != tt.entries ||
				s.Tasks != tt.tasks || s.Consultants != tt.consultants || s.Managers != tt.managers {
				t.Fatalf("%s = %+v", tt.name, s)
			}
			if err := s.Validate(); err != nil {
				t.Fatalf("%s does not validate: %v", tt.name, err)
			}
		})
	}
	if _, err := Named("huge"); err == nil || !strings.Contains(err.Error(), "small, medium, large") {
		t.Fatalf("unknown scale: %v", err)
	}
}

func TestScaleValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Scale)
		want   string
	}{
		{"no clients", func(s *Scale) { s.Clients = 0 }, "clients must be at least 1"},
		{"no managers", func(s *Scale) { s.Managers = 0 }, "managers must be at least 1"},
		{"negative tasks", func(s *Scale) { s.Tasks = -1 }, "tasks must be at least 0"},
		{"overworked", func(s *Scale) { s.TimeEntries = 3 * window * maxEntriesPerDay }, "too many for 2 managers and consultants"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Scale{Clients: 1, Projects: 1, Managers: 1, Consultants: 1}
			tt.change(&s)
			if err := s.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestSplitKeepsTheTotal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		total   int
		weights []float64
		want    []int
	}{
		{10, []float64{1, 1}, []int{5, 5}},
		{10, []float64{1, 1, 1}, []int{4, 3, 3}},
		{7, []float64{0, 2, 5}, []int{0, 2, 5}},
		{3, []float64{0, 0}, []int{0, 0}},
		{0, []float64{1}, []int{0}},
	}
	for _, tt := range tests {
		got := split(tt.total, tt.weights)
		if !slices.Equal(got, tt.want) {
			t.Errorf("split(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
		}
	}
}
