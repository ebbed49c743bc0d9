package runtime

import (
	"crypto/tls"
	"crypto/x509"
	"time"

	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings/broadcast"
	"github.com/sockw/sockw/bindings/kv"
	"github.com/sockw/sockw/egress"
)

// Config describes one worker: its script and the limits it runs under.
type Config struct {
	// Name identifies the worker in every log line.
	Name string
	// Entry is the script's entry file (.js, .mjs or .ts).
	Entry string
	// Vars become the worker's env, as `--var NAME=value` gives them.
	Vars map[string]string
	// Isolates is the number of shards (isolates with their own loop). Zero
	// means GOMAXPROCS; 1 makes every connection share one isolate's state.
	Isolates int
	// CPULimit bounds one event-loop task. Zero means DefaultCPULimit;
	// negative means none.
	CPULimit time.Duration
	// MaxConnections bounds the worker's open connections; more are closed
	// on arrival. Zero means DefaultMaxConnections.
	MaxConnections int
	// Logger receives the worker's log, console output included.
	Logger *zap.Logger
	// TLS is the listener certificate, which also lets an inbound plain
	// socket be upgraded with startTls(). Nil: no startTls.
	TLS *tls.Config
	// Egress decides what connect() may reach. Nil refuses all outbound
	// connections.
	Egress *egress.Policy
	// RootCAs verifies outbound TLS servers; nil means the system's roots.
	RootCAs *x509.CertPool
	// KV are the worker's key-value namespaces, by the env name a script
	// reaches them under (env.MAILBOX). The caller owns their lifetime.
	KV map[string]kv.Store
	// Hub carries BroadcastChannel messages between the worker's isolates;
	// nil makes one per worker.
	Hub *broadcast.Hub
}

func (c Config) cpuLimit() time.Duration {
	switch {
	case c.CPULimit == 0:
		return DefaultCPULimit
	case c.CPULimit < 0:
		return 0
	}
	return c.CPULimit
}

func (c Config) maxConnections() int {
	if c.MaxConnections <= 0 {
		return DefaultMaxConnections
	}
	return c.MaxConnections
}
