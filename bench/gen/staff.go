package gen

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/money"
)

// member is a user of the generated firm as the data generator needs it.
type member struct {
	id   string
	role auth.Role
	// rate is the member's own hourly rate (minor units), logged on projects without a rate.
	rate money.Amount
}

// staff is the generated firm's people. Loggers (managers then consultants) log the time.
type staff struct {
	owner                 member
	managers, consultants []member
	accountants           []member
}

// loggers lists the people who log time; a time entry's logger index points into it.
func (s staff) loggers() []member {
	return append(append([]member{}, s.managers...), s.consultants...)
}

// leads lists who owns clients and creates documents: the owner and the managers.
func (s staff) leads() []member { return append([]member{s.owner}, s.managers...) }

// staffEmailDomain is the domain of every generated user's email address.
const staffEmailDomain = "consultantpro-staff.example"

// newUsers describes the scale's users (without the owner): usernames prefix-role-NNN.
func newUsers(sc Scale, prefix, password string, v vocab, r rng) []auth.NewUser {
	var out []auth.NewUser
	for _, g := range []struct {
		role auth.Role
		n    int
	}{{auth.Manager, sc.Managers}, {auth.Consultant, sc.Consultants}, {auth.Accountant, sc.Accountants}} {
		for i := 1; i <= g.n; i++ {
			name := fmt.Sprintf("%s-%s-%03d", prefix, g.role, i)
			out = append(out, auth.NewUser{Username: name, Email: name + "@" + staffEmailDomain, Password: password,
				FirstName: pick(r, v.firstNames), LastName: pick(r, v.lastNames), Role: g.role})
		}
	}
	return out
}

// createUsers adds users through the auth service, hashing passwords on every CPU at once.
// The result is in the order of users.
func createUsers(ctx context.Context, svc *auth.Service, owner auth.Actor, users []auth.NewUser) ([]*auth.User, error) {
	out := make([]*auth.User, len(users))
	errs := make([]error, len(users))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.NumCPU()) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = svc.CreateUser(ctx, owner, users[i])
			}
		})
	}
	for i := range users {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("create user %s: %w", users[i].Username, err)
		}
	}
	return out, nil
}

// newStaff assembles the staff from the owner and the created users, giving each a rate.
func newStaff(ownerID string, users []*auth.User, r rng) staff {
	s := staff{owner: member{id: ownerID, role: auth.Owner, rate: hourlyRate(r)}}
	for _, u := range users {
		m := member{id: u.ID, role: u.Role, rate: hourlyRate(r)}
		switch u.Role {
		case auth.Manager:
			s.managers = append(s.managers, m)
		case auth.Consultant:
			s.consultants = append(s.consultants, m)
		default:
			s.accountants = append(s.accountants, m)
		}
	}
	return s
}

// hourlyRate is a plausible consulting rate: 90.00 to 250.00 in steps of 5.00.
func hourlyRate(r rng) money.Amount { return money.Amount(r.between(18, 50) * 500) }
