package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/projects"
)

// strp returns a pointer to s.
func strp(s string) *string { return &s }

// benchProjects returns n projects as the list shows them, with every display and computed field
// filled the way a real firm's data fills them.
func benchProjects(n int) []projects.ProjectOut {
	created := time.Date(2026, 1, 12, 9, 30, 0, 123456000, time.UTC)
	out := make([]projects.ProjectOut, n)
	for i := range out {
		out[i] = projects.ProjectOut{
			ID:                 fmt.Sprintf("0b8f5a52-6d0e-4c55-9a57-3f2f4a1c%04d", i),
			Client:             "5d7c1b9e-2f4a-4e1b-8c3d-9a0b1c2d3e4f",
			ClientName:         strp("Northwind Traders Ltd"),
			Contract:           strp("7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d"),
			ContractNumber:     strp("CTR-2026-014"),
			ProjectManager:     strp("1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6"),
			ProjectManagerName: strp("Margaret Hamilton"),
			ProjectCode:        fmt.Sprintf("PRJ-2026-%03d", i+1),
			Name:               fmt.Sprintf("ERP rollout phase %d", i+1),
			Description:        "Requirements, configuration and data migration for the finance and supply-chain modules.",
			Status:             "in_progress",
			BillingType:        "time_and_materials",
			Budget:             strp("120000.00"),
			HourlyRate:         strp("165.00"),
			Currency:           "USD",
			StartDate:          "2026-01-05",
			EndDate:            "2026-09-30",
			Notes:              "Weekly steering meeting on Tuesdays.",
			CreatedBy:          strp("1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6"),
			CreatedAt:          created.Add(time.Duration(i) * time.Hour),
			UpdatedAt:          created.Add(time.Duration(i)*time.Hour + 42*time.Minute),
			TotalHoursLogged:   "412.75",
			BillableHours:      "380.50",
			TotalBilledAmount:  "62782.50",
			UnbilledAmount:     "10560.00",
			BudgetUsedPercent:  strp("52.32"),
		}
	}
	return out
}

// benchClients returns n clients as the list shows them.
func benchClients(n int) []crm.ClientOut {
	created := time.Date(2025, 11, 3, 14, 5, 0, 0, time.UTC)
	employees := int64(250)
	out := make([]crm.ClientOut, n)
	for i := range out {
		out[i] = crm.ClientOut{
			ID: fmt.Sprintf("5d7c1b9e-2f4a-4e1b-8c3d-9a0b1c2d%04d", i), CompanyName: fmt.Sprintf("Client %d Holdings plc", i),
			Industry: "Manufacturing", Status: "active", PrimaryContactName: "Grace Hopper",
			PrimaryContactEmail: fmt.Sprintf("grace%d@client.example", i), PrimaryContactPhone: "+44 20 7946 0958",
			StreetAddress: "1 Canada Square", City: "London", State: "", PostalCode: "E14 5AB", Country: "United Kingdom",
			Website: "https://client.example", EmployeeCount: &employees, AnnualRevenue: strp("25000000.00"),
			Currency: "GBP", Source: "referral", Owner: strp("1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6"),
			OwnerName: strp("Margaret Hamilton"), Notes: "Renewal due in Q3.",
			CreatedAt: created.Add(time.Duration(i) * time.Minute), UpdatedAt: created.Add(time.Duration(i) * time.Hour),
		}
	}
	return out
}

// benchEncodePage encodes the page as huma's JSON format does (an Encoder without HTML
// escaping) into a reused buffer, and reports the body size.
func benchEncodePage[T any](b *testing.B, rows []T) {
	next := "http://127.0.0.1:8000/api/v1/projects/projects/?page=3&page_size=50"
	prev := "http://127.0.0.1:8000/api/v1/projects/projects/?page_size=50"
	page := api.Page[T]{Count: 5000, Next: &next, Previous: &prev, Results: rows}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(page); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportMetric(float64(buf.Len()), "body-bytes")
}

// BenchmarkEncodePage measures the JSON encoding of a 50-row list page of the two widest list
// DTOs.
func BenchmarkEncodePage(b *testing.B) {
	b.Run("projects-50", func(b *testing.B) { benchEncodePage(b, benchProjects(50)) })
	b.Run("clients-50", func(b *testing.B) { benchEncodePage(b, benchClients(50)) })
}
