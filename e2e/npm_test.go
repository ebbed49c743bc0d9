package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Drivers from npm, bundled into workers unchanged: postgres.js and pg
// against a real PostgreSQL with SCRAM-SHA-256, MQTT.js against the
// project's broker, nodemailer through the project's SMTP worker with
// STARTTLS. Each worker (e2e/node/*-worker.js) reports its steps as JSON
// lines on the connection that asked for a run.

// needPackage skips the test when npm has not installed pkg.
func needPackage(t *testing.T, pkg string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(repoRoot, "e2e", "node", "node_modules", pkg, "package.json")); err != nil {
		t.Skipf("npm package %s is not installed in e2e/node (tools/install-test-deps installs it)", pkg)
	}
}

// driverRun starts the worker, connects once and returns its steps by name.
// The run fails the test if the worker threw, unless failureExpected.
func driverRun(t *testing.T, failureExpected bool, worker string, vars ...string) map[string]map[string]any {
	t.Helper()
	// The bundles are large and the e2e binary is built with -race.
	args := []string{"--listen", "tcp://127.0.0.1:0", "--cpu-limit", "5s", "--isolates", "1"}
	if i := slices.Index(vars, "--egress=deployed"); i >= 0 {
		vars = slices.Delete(vars, i, i+1)
		args = append(args, "--egress", "deployed")
	}
	for _, v := range vars {
		args = append(args, "--var", v)
	}
	s := startServerEnv(t, nil, filepath.Join("e2e", "node", worker), args...)
	c := s.dial()
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		var step map[string]any
		if err := json.Unmarshal(sc.Bytes(), &step); err != nil {
			t.Fatalf("worker line %q: %v", sc.Text(), err)
		}
		name, _ := step["step"].(string)
		if name == "DONE" {
			if e, ok := steps["uncaught"]; ok && !failureExpected {
				t.Fatalf("the worker failed: %s\nserver log:\n%s", e["error"], s.logs.String())
			}
			return steps
		}
		steps[name] = step
	}
	t.Fatalf("the worker ended without DONE (%v); steps %v\nserver log:\n%s", sc.Err(), steps, s.logs.String())
	return nil
}

// wantStep checks that steps[name][key] is want, compared as JSON.
func wantStep(t *testing.T, steps map[string]map[string]any, name, key string, want any) {
	t.Helper()
	step, ok := steps[name]
	if !ok {
		t.Errorf("no step %q in %v", name, steps)
		return
	}
	got, _ := json.Marshal(step[key])
	w, _ := json.Marshal(want)
	if string(got) != string(w) {
		t.Errorf("step %s: %s = %s, want %s (step %v)", name, key, got, w, step)
	}
}

func pgVars(pg *pgServer) []string {
	return []string{"PGHOST=127.0.0.1", fmt.Sprintf("PGPORT=%d", pg.Port), "PGUSER=" + pg.User,
		"PGPASSWORD=" + pg.Password, "PGDATABASE=" + pg.Database}
}

func TestPostgresJSInWorker(t *testing.T) {
	needPackage(t, "postgres")
	pg := needPostgres(t)
	steps := driverRun(t, false, "postgres-worker.js", pgVars(pg)...)
	wantStep(t, steps, "param", "n", 42)
	wantStep(t, steps, "param", "who", "sockw")
	wantStep(t, steps, "inside", "count", 3)
	wantStep(t, steps, "rollback", "message", "roll it back")
	wantStep(t, steps, "after", "owners", []string{"ada", "grace"})
	wantStep(t, steps, "server-error", "isPostgresError", true)
	wantStep(t, steps, "server-error", "code", "42P01")
}

func TestNodePostgresInWorker(t *testing.T) {
	needPackage(t, "pg")
	pg := needPostgres(t)
	steps := driverRun(t, false, "pg-worker.js", pgVars(pg)...)
	wantStep(t, steps, "param", "n", 42)
	wantStep(t, steps, "param", "who", "sockw")
	wantStep(t, steps, "inside", "count", 3)
	wantStep(t, steps, "after", "owners", []string{"ada", "grace"})
	wantStep(t, steps, "server-error", "isDatabaseError", true)
	wantStep(t, steps, "server-error", "code", "42P01")
}

// A driver whose connection the egress policy refuses gets the policy's
// error at once, not a hang; a wrong password gets the server's error.
func TestPostgresDriversRefused(t *testing.T) {
	needPackage(t, "postgres")
	needPackage(t, "pg")
	pg := needPostgres(t)
	for _, worker := range []string{"pg-worker.js", "postgres-worker.js"} {
		t.Run(worker+"/egress", func(t *testing.T) {
			start := time.Now()
			steps := driverRun(t, true, worker, append(pgVars(pg), "--egress=deployed")...)
			msg, _ := steps["uncaught"]["error"].(string)
			if !strings.Contains(msg, "refused by the egress policy") || !strings.Contains(msg, `rule "loopback"`) {
				t.Fatalf("error %q, want the egress policy's refusal", msg)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("the refusal took %v", d)
			}
		})
		t.Run(worker+"/password", func(t *testing.T) {
			bad := *pg
			bad.Password = "wrong"
			steps := driverRun(t, true, worker, pgVars(&bad)...)
			msg, _ := steps["uncaught"]["error"].(string)
			if !strings.Contains(msg, `password authentication failed for user "sockw"`) {
				t.Fatalf("error %q, want the server's authentication failure", msg)
			}
		})
	}
}

func TestMQTTJSInWorker(t *testing.T) {
	needPackage(t, "mqtt")
	broker := startMQTT(t)
	host, port, _ := strings.Cut(broker.addr, ":")
	steps := driverRun(t, false, "mqtt-worker.js", "MQTT_HOST="+host, "MQTT_PORT="+port)
	wantStep(t, steps, "connected", "connected", true)
	wantStep(t, steps, "subscribed", "granted", []any{[]any{"sockw/npm/+", 1}})
	wantStep(t, steps, "published", "acked", true)
	wantStep(t, steps, "message", "topic", "sockw/npm/hello")
	wantStep(t, steps, "message", "payload", "hello from MQTT.js")
	wantStep(t, steps, "message", "qos", 1)
}

func TestNodemailerInWorker(t *testing.T) {
	needPackage(t, "nodemailer")
	env, _ := devCertEnv(t)
	dataDir := t.TempDir()
	smtp := smtpStart(t, env, dataDir)
	smtp.logs.waitFor(t, `development certificate.*sha256`, 5*time.Second)
	ca, err := os.ReadFile(smtpDevCertFile(env))
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := strings.Cut(smtp.addr, ":")
	steps := driverRun(t, false, "nodemailer-worker.js", "SMTP_HOST="+host, "SMTP_PORT="+port, "SMTP_CA="+string(ca))
	if _, ok := steps["verified"]; !ok {
		t.Fatalf("steps %v", steps)
	}
	wantStep(t, steps, "sent", "accepted", []string{"inbox@example.com"})
	smtpStop(t, smtp)
	by := smtpByRecipient(smtpMailbox(t, dataDir))
	ms := by["inbox@example.com"]
	if len(ms) != 1 || !strings.Contains(ms[0].Message, "sent by nodemailer from inside sockw") ||
		!strings.Contains(ms[0].Message, "\n.a line starting with a dot") {
		t.Fatalf("mailbox: %+v", by)
	}
}

// BenchmarkPostgresSelect1 runs e2e/node/select1.mjs (postgres.js, SELECT 1
// in sequence on one connection) under sockw exec and under Node in the
// same run, b.N queries each, and reports both rates and their ratio:
//
//	go test ./e2e -run '^$' -bench PostgresSelect1 -benchtime 5000x
func BenchmarkPostgresSelect1(b *testing.B) {
	if _, err := os.Stat(filepath.Join(repoRoot, "e2e", "node", "node_modules", "postgres")); err != nil {
		b.Skip("npm package postgres is not installed in e2e/node (tools/install-test-deps installs it)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		b.Skip("node is not installed")
	}
	pg := needPostgres(b)
	bin := filepath.Join(b.TempDir(), "sockw")
	build := exec.Command("go", "build", "-o", bin, "./cmd/sockw") // without -race
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	vars := append(pgVars(pg), fmt.Sprintf("QUERIES=%d", b.N))
	script := filepath.Join("e2e", "node", "select1.mjs")
	run := func(name string, cmd *exec.Cmd) float64 {
		cmd.Dir = repoRoot
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("%s: %v\n%s", name, err, out)
		}
		var res struct{ PerSecond float64 }
		if err := json.Unmarshal(out, &res); err != nil {
			b.Fatalf("%s printed %q: %v", name, out, err)
		}
		return res.PerSecond
	}
	args := []string{"exec"}
	for _, v := range vars {
		args = append(args, "--var", v)
	}
	b.ResetTimer()
	sockwRate := run("sockw", exec.Command(bin, append(args, script)...))
	nodeCmd := exec.Command(node, script)
	nodeCmd.Env = append(os.Environ(), vars...)
	nodeRate := run("node", nodeCmd)
	b.StopTimer()
	b.ReportMetric(sockwRate, "sockw-queries/s")
	b.ReportMetric(nodeRate, "node-queries/s")
	b.ReportMetric(sockwRate/nodeRate, "sockw/node")
}

// TestNodeNetClient runs e2e/node/net-client.mjs under sockw exec against a
// Go echo server that answers a FIN with its own, and under Node when it is installed, to show the script
// checks Node's own behaviour.
func TestNodeNetClient(t *testing.T) {
	_, echo, _ := net.SplitHostPort(goEchoServer(t))
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	vars := []string{"ECHO_PORT=" + echo, fmt.Sprintf("CLOSED_PORT=%d", closedPort)}
	script := filepath.Join("e2e", "node", "net-client.mjs")
	want := "ok echo\nok backpressure\nok refused\nok timeout\n4 6 0\n"
	args := []string{"exec"}
	for _, v := range vars {
		args = append(args, "--var", v)
	}
	stdout, stderr, code := sockw(t, append(args, script)...)
	if code != 0 || stdout != want {
		t.Errorf("sockw: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if node, err := exec.LookPath("node"); err == nil {
		cmd := exec.Command(node, script)
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), vars...)
		out, err := cmd.CombinedOutput()
		if err != nil || string(out) != want {
			t.Errorf("node: %v\n%s", err, out)
		}
	}
	// Under the deployed egress policy the same connect is refused by it.
	stdout, stderr, code = sockw(t, append(append(args, "--egress", "deployed"), script)...)
	if code == 0 || !strings.Contains(stderr, "refused by the egress policy") {
		t.Errorf("deployed: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
