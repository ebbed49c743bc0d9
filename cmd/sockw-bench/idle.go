package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// idle opens cfg.n connections, optionally does one 1-byte echo on each so
// the server has certainly accepted and served it, holds them for cfg.hold,
// and reports how much the server's RSS grew per connection. Warm-up does
// not apply: the server should be fresh, so that RSS before is its
// baseline. The server's CPU time covers opening, pinging and holding.
func idle(ctx context.Context, cfg *config) (*result, error) {
	// Each connection is one descriptor here; leave room for the runtime's.
	if got, err := raiseNoFile(uint64(cfg.n) + 64); err != nil {
		return nil, err
	} else if got < uint64(cfg.n)+16 {
		return nil, fmt.Errorf("-n %d connections need as many open files; the limit is %d (raise ulimit -n)", cfg.n, got)
	}
	before, err := readProc(cfg.pid)
	if err != nil {
		return nil, err
	}
	selfBefore := selfCPU()
	start := time.Now()
	var t tally
	// The tally counts errors only while a window is open; this one stays
	// open while the connections are made.
	w := newWindow(cfg, int64(cfg.n))
	w.phase.Store(phaseMeasure)
	conns, held := openIdle(ctx, cfg, w, &t)
	defer closeAll(conns)
	if held == 0 {
		r := &result{}
		t.fill(r)
		return nil, fmt.Errorf("no connection was served (%d errors; first: %s)", r.Errors, r.FirstError)
	}
	opened := time.Now()
	selfAfter := selfCPU()
	select {
	case <-time.After(cfg.hold):
	case <-ctx.Done():
		return nil, fmt.Errorf("while holding the connections: %w", context.Cause(ctx))
	}
	after, err := readProc(cfg.pid)
	if err != nil {
		return nil, err
	}
	end := time.Now()
	// Connections that failed are counted as errors and left out of the
	// per-connection figures; the server may still hold some memory for
	// them, so a run with errors is only an estimate.
	r := &result{Mode: cfg.mode, Addr: cfg.addr, Conns: cfg.n, Unit: "connections", Ops: float64(held)}
	t.fill(r)
	r.Seconds = opened.Sub(start).Seconds()
	r.Rate = r.Ops / r.Seconds
	r.ClientCPUPerOp = float64(selfAfter-selfBefore) / float64(time.Microsecond) / r.Ops
	cpu := (after.CPU - before.CPU).Seconds()
	r.Server = &server{
		PID: cfg.pid, CPUSeconds: cpu, CPUPerOp: cpu * 1e6 / r.Ops,
		CPUShare:  cpu / end.Sub(start).Seconds(),
		RSSBefore: before.RSS, RSSAfter: after.RSS,
		RSSPerConn: float64(after.RSS-before.RSS) / r.Ops,
	}
	return r, nil
}

// openIdle opens cfg.n connections with cfg.conns dialers. With cfg.ping,
// each dialer does one 1-byte echo on its connection before dialing the
// next, which also keeps the dialers from outrunning the server's accept
// loop (connect returns before the server accepts; a full accept queue drops
// SYNs, and each drop costs a one-second retransmit). The first failure
// ends the dialing and is counted in t; it returns all connections opened
// (nil where none was) and how many of them were served.
func openIdle(ctx context.Context, cfg *config, w *window, t *tally) ([]*net.TCPConn, int64) {
	conns := make([]*net.TCPConn, cfg.n)
	dl, _ := ctx.Deadline()
	var (
		next atomic.Int64
		held atomic.Int64
		// failed stops the dialing at the first failure: a server that
		// cannot take one more connection will not take the rest, and each
		// try would cost a timeout.
		failed atomic.Bool
		wg     sync.WaitGroup
		d      = net.Dialer{Timeout: opTimeout}
	)
	for range min(cfg.conns, cfg.n) {
		wg.Go(func() {
			b := []byte{'.'}
			for {
				i := int(next.Add(1)) - 1
				if i >= cfg.n || ctx.Err() != nil || failed.Load() {
					return
				}
				c, err := d.DialContext(ctx, "tcp", cfg.addr)
				if err != nil {
					failed.Store(true)
					t.fail(w, fmt.Errorf("dialing connection %d of %d: %w", i+1, cfg.n, err))
					return
				}
				conns[i] = c.(*net.TCPConn)
				if cfg.ping {
					// A server that accepted but never serves a connection
					// (out of descriptors, say) must not stall the run.
					c.SetDeadline(time.Now().Add(opTimeout))
					if _, err := c.Write(b); err != nil {
						failed.Store(true)
						t.fail(w, fmt.Errorf("ping connection %d: %w", i+1, err))
						return
					}
					if _, err := io.ReadFull(c, b); err != nil {
						failed.Store(true)
						t.fail(w, fmt.Errorf("ping echo on connection %d: %w", i+1, err))
						return
					}
				}
				c.SetDeadline(dl)
				held.Add(1)
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		t.fail(w, fmt.Errorf("opening connections: %w", err))
	}
	return conns, held.Load()
}
