package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// demoToken signs a demo user in and returns the access token.
func demoToken(t *testing.T, addr, username, password string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	var res *http.Response
	var err error
	for i := 0; i < 100; i++ { // the listener opens just after the credentials are printed
		if res, err = http.Post("http://"+addr+"/api/auth/login/", "application/json", bytes.NewReader(body)); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Access string `json:"access"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK || out.Access == "" {
		t.Fatalf("login %s: %d %v", username, res.StatusCode, err)
	}
	return out.Access
}

// demoCount is the count of a list of the demo firm.
func demoCount(t *testing.T, addr, token, path string) int64 {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page struct {
		Count int64 `json:"count"`
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return page.Count
}

// The demo command serves a firm with data to explore, and running it again adds none.
func TestDemoServesSeededBusinessData(t *testing.T) {
	t.Parallel()
	env := localEnv(t)
	lists := []string{"/api/crm/clients/", "/api/crm/proposals/", "/api/crm/contracts/",
		"/api/projects/projects/", "/api/projects/tasks/", "/api/projects/time-entries/"}
	counts := map[string]int64{}
	addr, password, stop := startDemo(t, env)
	token := demoToken(t, addr, "demo-manager", password)
	for _, path := range lists {
		if counts[path] = demoCount(t, addr, token, path); counts[path] == 0 {
			t.Errorf("%s: empty after demo", path)
		}
	}
	stop()
	addr, password, stop = startDemo(t, env)
	defer stop()
	token = demoToken(t, addr, "demo-manager", password)
	for _, path := range lists {
		if got := demoCount(t, addr, token, path); got != counts[path] {
			t.Errorf("%s: %d rows after the second run, %d after the first", path, got, counts[path])
		}
	}
}
