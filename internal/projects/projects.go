package projects

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// maxCodeAttempts bounds the search for a free PRJ-YYYY-NNN code, past codes a firm typed in
// by hand.
const maxCodeAttempts = 1000

// ListProjects lists the firm's projects with their totals (every role reads projects).
func (s *Service) ListProjects(ctx context.Context, a auth.Actor, p db.ListQuery) ([]ProjectView, int64, error) {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return nil, 0, err
	}
	return s.listProjects(ctx, a.Firm(), p)
}

// GetProject returns one project of the firm with its totals.
func (s *Service) GetProject(ctx context.Context, a auth.Actor, id string) (*ProjectView, error) {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return nil, err
	}
	return s.projectView(ctx, s.db.R, a.Firm(), id)
}

// CreateProject adds a project (owners, admins and managers). Without a project_code it is
// given PRJ-YYYY-NNN, the year of the firm's today.
func (s *Service) CreateProject(ctx context.Context, a auth.Actor, ch ProjectChanges) (*ProjectView, error) {
	if err := auth.CanWrite(a, auth.Projects); err != nil {
		return nil, err
	}
	cur := currencyFor(a.Currency)
	if err := ch.formatProblems(cur).Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	today := date.Today(now, a.Location())
	by := a.UserID
	p := &Project{ID: db.NewID(), FirmID: a.FirmID, Status: ProjectPlanning, BillingType: DefaultBillingType,
		Currency: cur.Code, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	bad := ch.apply(p)
	StampProject(nil, p, today)
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkProject(ctx, tx, a, nil, p, &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
			return err
		}
		if p.ProjectCode == "" {
			if err := s.assignProjectCode(ctx, tx, a, p, today); err != nil {
				return err
			}
		}
		_, err := tx.NewInsert().Model(p).Exec(ctx)
		return projectCodeRace(db.Translate(err))
	})
	if err != nil {
		return nil, err
	}
	return s.projectView(ctx, s.db.R, a.Firm(), p.ID)
}

// UpdateProject changes a project (owners, admins and managers). The rules apply to the
// effective values; completing stamps actual_completion_date, reopening clears it.
func (s *Service) UpdateProject(ctx context.Context, a auth.Actor, id string, ch ProjectChanges) (*ProjectView, error) {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return nil, err
	}
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := s.lockProject(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := auth.CanWrite(a, auth.Projects); err != nil {
			return err
		}
		if err := ch.formatProblems(currencyFor(p.Currency)).Err(); err != nil {
			return err
		}
		old := *p
		bad := ch.apply(p)
		now := s.stamp()
		StampProject(&old, p, date.Today(now, a.Location()))
		if p.ProjectCode == "" {
			bad.Add("project_code", validate.MsgRequired)
		}
		if err := s.checkProject(ctx, tx, a, &old, p, &bad); err != nil {
			return err
		}
		if err := bad.Err(); err != nil {
			return err
		}
		p.UpdatedAt = now
		_, err = a.Firm().Update(tx, p).WherePK().Exec(ctx)
		return projectCodeRace(db.Translate(err))
	})
	if err != nil {
		return nil, err
	}
	return s.projectView(ctx, s.db.R, a.Firm(), id)
}

// DeleteProject removes a project that has no tasks and no time entries (owners, admins and
// managers); otherwise 409.
func (s *Service) DeleteProject(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.lockProject(ctx, tx, a.Firm(), id); err != nil {
			return err
		}
		if err := auth.CanWrite(a, auth.Projects); err != nil {
			return err
		}
		for _, used := range []func(context.Context, bun.IDB, db.Firm, string) (bool, error){projectHasTasks, projectHasTime} {
			inUse, err := used(ctx, tx, a.Firm(), id)
			if err != nil {
				return err
			}
			if inUse {
				return fault.New(fault.Conflict, MsgProjectInUse)
			}
		}
		_, err := a.Firm().Delete(tx, (*Project)(nil)).Where("pr.id = ?", id).Exec(ctx)
		if err = db.Translate(err); db.ConstraintOf(err) == db.ForeignKey {
			// A task, entry or invoice added concurrently (or a later module's record).
			return fault.Wrap(fault.Conflict, MsgProjectInUse, err)
		}
		return err
	})
}

// CheckProjectEditable answers, before the body is read, whether the actor may change the
// project: 404 when it is not the firm's, 403 when the role only reads projects.
func (s *Service) CheckProjectEditable(ctx context.Context, a auth.Actor, id string) error {
	if err := auth.CanRead(a, auth.Projects); err != nil {
		return err
	}
	if !validID(id) {
		return notFound()
	}
	ok, err := a.Firm().Select(s.db.R, (*Project)(nil)).Where("pr.id = ?", id).Exists(ctx)
	if err != nil {
		return db.Translate(err)
	}
	if !ok {
		return notFound()
	}
	return auth.CanWrite(a, auth.Projects)
}

// checkProject applies the rules that need the merged project or the database: a client,
// contract and project manager of the firm (checked when set or changed), the contract of the
// same client, a unique code, a currency that stays put once time is logged, and ProjectRules.
// Messages are added to bad.
func (s *Service) checkProject(ctx context.Context, tx bun.IDB, a auth.Actor, old, p *Project, bad *fault.Fields) error {
	firm := a.Firm()
	if p.ClientID != "" && (old == nil || old.ClientID != p.ClientID) && !bad.Has("client") {
		ok, err := s.clients.ClientExists(ctx, tx, firm, p.ClientID)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("client", MsgProjectClientUnknown)
		}
	}
	var contractClient string
	if p.ContractID != nil && !bad.Has("contract") {
		client, ok, err := s.clients.ContractClient(ctx, tx, firm, *p.ContractID)
		switch {
		case err != nil:
			return err
		case !ok:
			bad.Add("contract", MsgProjectContract)
		default:
			contractClient = client
		}
	}
	if m := p.ProjectManagerID; m != nil && (old == nil || deref(old.ProjectManagerID) != *m) && !bad.Has("project_manager") {
		ok, err := s.members.IsMember(ctx, tx, firm, *m)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("project_manager", MsgProjectManagerUnknown)
		}
	}
	if p.ProjectCode != "" && !bad.Has("project_code") {
		taken, err := projectCodeTaken(ctx, tx, firm, p.ProjectCode, p.ID)
		if err != nil {
			return err
		}
		if taken {
			bad.Add("project_code", MsgProjectCodeTaken)
		}
	}
	if old != nil && old.Currency != p.Currency && !bad.Has("currency") {
		logged, err := projectHasTime(ctx, tx, firm, p.ID)
		if err != nil {
			return err
		}
		if logged {
			bad.Add("currency", MsgProjectCurrencyLocked)
		}
	}
	addAll(bad, ProjectRules(p, contractClient))
	return nil
}

// assignProjectCode gives p the next free PRJ-YYYY-NNN code of the firm, inside the caller's
// transaction (numbers a firm typed in by hand are skipped).
func (s *Service) assignProjectCode(ctx context.Context, tx bun.Tx, a auth.Actor, p *Project, today date.Date) error {
	year := today.Year()
	for range maxCodeAttempts {
		n, err := db.NextNumber(ctx, tx, a.FirmID, "project", year)
		if err != nil {
			return err
		}
		code := db.FormatNumber(ProjectCodePrefix, year, n)
		taken, err := projectCodeTaken(ctx, tx, a.Firm(), code, "")
		if err != nil {
			return err
		}
		if !taken {
			p.ProjectCode = code
			return nil
		}
	}
	return fault.New(fault.Conflict, MsgProjectCodeTaken)
}

// projectCodeRace turns the unique index's verdict (a concurrent create or rename) into the field
// message.
func projectCodeRace(err error) error {
	if db.ConstraintOf(err) == db.Unique {
		return fault.Field("project_code", MsgProjectCodeTaken)
	}
	return err
}
