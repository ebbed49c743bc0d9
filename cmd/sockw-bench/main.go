// Command sockw-bench is the load generator of sockw's benchmarks: it drives
// a server on the loopback interface in one of several modes (pingpong,
// stream, connrate, udp, idle, quic) and reports rates, latency, and — given
// the server's pid — the server's CPU time per operation, the figure that
// stays honest when the load generator shares a small machine with the
// server.
//
//	sockw-bench -mode pingpong -addr 127.0.0.1:8787 -c 50 -size 64 -pid 1234
//
// It only ever sends traffic to 127.0.0.0/8 or ::1, and every loop is
// bounded by the measured window and by -max-ops. bench/run drives it over
// the whole matrix of servers and modes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

// runMain runs one command line and returns the exit status.
func runMain(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "sockw-bench: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := bench(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "sockw-bench: %s: %v\n", cfg.mode, err)
		return 1
	}
	if err := r.write(stdout, cfg.json); err != nil {
		fmt.Fprintf(stderr, "sockw-bench: %v\n", err)
		return 1
	}
	return 0
}

// bench runs one measurement. Everything it starts has ended when it
// returns, and it takes at most cfg.deadline().
func bench(ctx context.Context, cfg *config) (*result, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, cfg.deadline(), errors.New("run took longer than its deadline"))
	defer cancel()
	switch cfg.mode {
	case "pingpong":
		return pingpong(ctx, cfg)
	case "stream":
		return stream(ctx, cfg)
	case "connrate":
		return connrate(ctx, cfg)
	case "udp":
		return udpEcho(ctx, cfg)
	case "idle":
		return idle(ctx, cfg)
	case "quic":
		return quicEcho(ctx, cfg)
	}
	return nil, fmt.Errorf("unknown mode %q", cfg.mode)
}
