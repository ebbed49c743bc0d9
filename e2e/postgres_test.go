package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// pgServer is a PostgreSQL cluster of the tests' own on loopback, whose one
// user logs in with SCRAM-SHA-256, as a production server asks.
type pgServer struct {
	Port     int
	User     string
	Password string
	Database string
}

var pgShared struct {
	once sync.Once
	srv  *pgServer
	skip string
	stop func()
}

// needPostgres starts the shared cluster on first use, or skips the test
// saying why it cannot. The cluster lives until the test binary ends.
func needPostgres(t testing.TB) *pgServer {
	t.Helper()
	pgShared.once.Do(func() {
		pgShared.srv, pgShared.stop, pgShared.skip = startPostgres()
	})
	if pgShared.srv == nil {
		t.Skip(pgShared.skip)
	}
	return pgShared.srv
}

// stopPostgres ends the shared cluster, if one was started.
func stopPostgres() {
	if pgShared.stop != nil {
		pgShared.stop()
	}
}

func startPostgres() (*pgServer, func(), string) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		return nil, nil, "PostgreSQL is not installed (Debian package postgresql; tools/install-test-deps installs it)"
	}
	binDir := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "sockw-pg-")
	if err != nil {
		return nil, nil, err.Error()
	}
	// PostgreSQL refuses to run as root; as root, run it as its own user.
	var asUser []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, "running as root and there is no postgres user to run PostgreSQL as"
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		os.Chown(dir, uid, gid)
		asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	srv := &pgServer{User: "sockw", Password: "s3cret-pw", Database: "postgres"}
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(srv.Password+"\n"), 0o644); err != nil {
		return nil, nil, err.Error()
	}
	data := filepath.Join(dir, "data")
	run := func(name string, args ...string) *exec.Cmd {
		full := append(append(asUser, filepath.Join(binDir, name)), args...)
		return exec.Command(full[0], full[1:]...)
	}
	initdb := run("initdb", "-D", data, "-U", srv.User, "--pwfile", pwfile, "-E", "UTF8",
		"--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Sprintf("initdb failed: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err.Error()
	}
	srv.Port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	pg := run("postgres", "-D", data, "-p", strconv.Itoa(srv.Port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "password_encryption=scram-sha-256")
	logf, _ := os.Create(filepath.Join(dir, "log"))
	pg.Stdout, pg.Stderr = logf, logf
	if err := pg.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Sprintf("starting postgres: %v", err)
	}
	stop := func() {
		pg.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { pg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			pg.Process.Kill()
			<-done
		}
		os.RemoveAll(dir)
	}
	for deadline := time.Now().Add(30 * time.Second); ; {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", srv.Port), time.Second)
		if err == nil {
			c.Close()
			// The port opens before the cluster accepts logins.
			time.Sleep(200 * time.Millisecond)
			return srv, stop, ""
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			stop()
			return nil, nil, fmt.Sprintf("postgres did not start: %s", log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
