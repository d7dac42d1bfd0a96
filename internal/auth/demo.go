package auth

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/uptrace/bun"
)

// DemoFirmName names the firm `consultantpro demo` seeds.
const DemoFirmName = "Northwind Advisory (demo)"

// demoUsers are the demo firm's members, one per role that matters day to day.
var demoUsers = []NewUser{
	{Username: "demo-owner", Email: "owner@northwind.example", FirstName: "Olivia", LastName: "Owner", Role: Owner},
	{Username: "demo-manager", Email: "manager@northwind.example", FirstName: "Marco", LastName: "Manager", Role: Manager},
	{Username: "demo-consultant", Email: "consultant@northwind.example", FirstName: "Chloe", LastName: "Consultant", Role: Consultant},
	{Username: "demo-accountant", Email: "accountant@northwind.example", FirstName: "Arjun", LastName: "Accountant", Role: Accountant},
}

// SeedDemo makes sure the demo firm and its users exist and sets every demo user's password to
// password (a fresh one each run, printed by the command). It returns the firm and the users.
func (s *Service) SeedDemo(ctx context.Context, password string) (*Firm, []User, error) {
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return nil, nil, err
	}
	owner, err := s.store.userByLogin(ctx, s.db.R, demoUsers[0].Username)
	if fault.KindOf(err) == fault.NotFound {
		return s.createDemo(ctx, password)
	}
	if err != nil {
		return nil, nil, err
	}
	firm := db.ForFirm(owner.FirmID)
	var users []User
	err = s.db.Tx(db.WithFirm(ctx, owner.FirmID), func(ctx context.Context, tx bun.Tx) error {
		for _, d := range demoUsers {
			u, err := s.store.userByLogin(ctx, tx, d.Username)
			if err != nil {
				return err
			}
			if u.FirmID != owner.FirmID {
				return fault.New(fault.Conflict, "the demo usernames belong to another firm")
			}
			u.PasswordHash, u.IsActive, u.UpdatedAt = hash, true, s.stamp()
			if err := s.store.updateUser(ctx, tx, firm, u, "password_hash", "is_active"); err != nil {
				return err
			}
			users = append(users, *u)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	f, err := s.store.firm(ctx, s.db.R, owner.FirmID)
	return f, users, err
}

func (s *Service) createDemo(ctx context.Context, password string) (*Firm, []User, error) {
	o := demoUsers[0]
	f, owner, _, err := s.Register(ctx, Registration{FirmName: DemoFirmName, Username: o.Username, Email: o.Email,
		Password: password, FirstName: o.FirstName, LastName: o.LastName}, ClientMeta{UserAgent: "consultantpro demo"})
	if err != nil {
		return nil, nil, err
	}
	users := []User{*owner}
	actor := Actor{UserID: owner.ID, FirmID: f.ID, Role: Owner}
	for _, d := range demoUsers[1:] {
		d.Password = password
		u, err := s.CreateUser(ctx, actor, d)
		if err != nil {
			return nil, nil, err
		}
		users = append(users, *u)
	}
	return f, users, nil
}
