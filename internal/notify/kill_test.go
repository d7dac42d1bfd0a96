package notify_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/notify"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// killServer is the real server binary on a SQLite database that survives its restarts.
type killServer struct {
	bin, dir, url string
	env           []string
	cmd           *exec.Cmd
}

func (k *killServer) start(t *testing.T) {
	t.Helper()
	k.cmd = exec.Command(k.bin, "serve")
	k.cmd.Env = k.env
	out, err := os.OpenFile(filepath.Join(k.dir, "stderr.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	k.cmd.Stdout, k.cmd.Stderr = out, out
	if err := k.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if r, err := http.Get(k.url + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return
			}
		}
	}
	k.kill(t)
	t.Fatal("the server did not answer /healthz")
}

// kill sends SIGKILL: no shutdown, no draining, as in a crash.
func (k *killServer) kill(t *testing.T) {
	t.Helper()
	if err := k.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = k.cmd.Wait()
}

func (k *killServer) post(t *testing.T, path, token string, body any, want int) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, k.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != want {
		t.Fatalf("POST %s: status %d, want %d: %v", path, resp.StatusCode, want, out)
	}
	return out
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestKillNineLosesNoEmail sends invoices, SIGKILLs the server while their email jobs are
// queued or running, twice, and restarts it on the same database: every invoice's email
// arrives, and a second copy only for an event the log names as sent again after a crash in
// mid-send (the at-least-once window, docs/operations.md).
func TestKillNineLosesNoEmail(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	mp := testkit.NeedMailpit(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "consultantpro")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/consultantpro").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := freePort(t)
	k := &killServer{bin: bin, dir: dir, url: "http://" + addr, env: append(os.Environ(),
		"ENV=local", "ADDR="+addr, "DATA_DIR="+filepath.Join(dir, "data"), "DATABASE_URL=", "LOG_DIR="+filepath.Join(dir, "logs"),
		"SECRET_KEY=kill-nine-test-secret-key-kill-nine-test-secret-key", "SMTP_URL="+mp.SMTPURL,
		"MAIL_FROM=billing@consultantpro.example", "PUBLIC_URL=https://app.firm.example", "REDIS_URL=",
		"RATE_ANON=1000/hour", "RATE_BURST=1000/min", "RATE_SUSTAINED=10000/hour", "JOBS_RESCUE_AFTER=5s")}
	k.start(t)
	n := seq.Add(1)
	stamp := time.Now().UnixNano()
	reg := k.post(t, "/api/auth/register/", "", map[string]any{"firm_name": fmt.Sprintf("Kill Nine %d", stamp),
		"username": fmt.Sprintf("killer%d%d", stamp, n), "email": fmt.Sprintf("killer%d%d@firm.example", stamp, n),
		"password": testkit.Password}, http.StatusCreated)
	token := reg["access"].(string)

	const invoices = 12
	ids, emails := make([]string, invoices), make([]string, invoices)
	for i := range invoices {
		emails[i] = fmt.Sprintf("kill-%d-%d-%d@client.example", stamp, n, i)
		c := k.post(t, "/api/crm/clients/", token, map[string]any{"company_name": fmt.Sprintf("Client %d", i),
			"primary_contact_name": "Pat Payable", "primary_contact_email": emails[i]}, http.StatusCreated)
		inv := k.post(t, "/api/finance/invoices/", token, map[string]any{"client": c["id"], "due_date": "2099-01-31",
			"line_items": []map[string]any{{"description": "Advice", "quantity": "1", "rate": "100.00"}}}, http.StatusCreated)
		ids[i] = inv["id"].(string)
	}
	send := func(from, to int) {
		for i := from; i < to; i++ {
			k.post(t, "/api/finance/invoices/"+ids[i]+"/send/", token, nil, http.StatusOK)
		}
	}
	// Half are sent; once the workers are on them, the rest are queued and the server killed.
	send(0, invoices/2)
	mp.WaitTo(t, emails[0], 1)
	send(invoices/2, invoices)
	k.kill(t)
	// Killed again just after the restart, while the queued jobs start running.
	k.start(t)
	time.Sleep(1100 * time.Millisecond)
	k.kill(t)
	k.start(t)
	defer k.kill(t)

	counts := make([]int, invoices)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		missing := 0
		for i, e := range emails {
			if counts[i] = len(mp.To(t, e)); counts[i] == 0 {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d invoice emails never arrived after the restarts (counts %v)", missing, invoices, counts)
		}
	}
	time.Sleep(3 * time.Second) // a rescued job that would send a second copy has run by now
	// Local mode logs to stderr as well as to LOG_DIR's files: read both.
	appLog, _ := os.ReadFile(filepath.Join(dir, "logs", "app.log"))
	stderrLog, _ := os.ReadFile(filepath.Join(dir, "stderr.log"))
	logs := append(appLog, stderrLog...)
	for i, e := range emails {
		counts[i] = len(mp.To(t, e))
		key := notify.InvoiceSentKey(ids[i])
		resent := bytes.Contains(logs, []byte("sent again")) && bytes.Contains(logs, []byte(key))
		if counts[i] > 2 || counts[i] == 2 && !resent {
			t.Errorf("invoice %d: %d emails, want 1 (2 only when the log names %s as sent again after a crash)", i, counts[i], key)
		}
		if counts[i] == 2 {
			t.Logf("invoice %d: the kill landed between the SMTP server's accept and the sent mark: sent twice", i)
		}
	}
	if t.Failed() {
		t.Logf("logs:\n%s", strings.TrimSpace(string(logs)))
	}
	if testing.Verbose() {
		for _, line := range strings.Split(string(logs), "\n") {
			if strings.Contains(line, "email") || strings.Contains(line, "job") {
				t.Log(line)
			}
		}
	}
}
