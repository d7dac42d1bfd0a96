package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// ErrNotFound is returned for a job id that does not exist.
var ErrNotFound = errors.New("no such job")

// States are the job states an operator can filter on, in River's words.
func States() []rivertype.JobState { return rivertype.JobStates() }

// ParseState checks a state name.
func ParseState(s string) (rivertype.JobState, error) {
	for _, st := range rivertype.JobStates() {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("unknown job state %q (one of %v)", s, rivertype.JobStates())
}

// List returns up to limit jobs, newest first, in any of states (every state when empty).
func (r *Runner) List(ctx context.Context, states []rivertype.JobState, limit int) ([]*rivertype.JobRow, error) {
	p := river.NewJobListParams().First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc)
	if len(states) == 0 {
		states = rivertype.JobStates()
	}
	p = p.States(states...)
	res, err := r.sqlClient.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return res.Jobs, nil
}

// Retry makes a job available to run again at once: a discarded or cancelled job gets a fresh
// round of attempts; a retryable or scheduled one stops waiting. A running job is left alone.
func (r *Runner) Retry(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	row, err := r.sqlClient.JobRetry(ctx, id)
	if errors.Is(err, rivertype.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("retry job %d: %w", id, err)
	}
	return row, nil
}
