package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// dialPar is how many connections are dialed at once while setting up.
const dialPar = 64

// pingpong runs cfg.conns connections, each sending a request and waiting
// for its whole echo before the next.
func pingpong(ctx context.Context, cfg *config) (*result, error) {
	conns, err := dialAll(ctx, cfg.addr, cfg.conns, dialPar)
	if err != nil {
		return nil, err
	}
	defer closeAll(conns)
	boundAll(ctx, conns)
	w := newWindow(cfg, cfg.maxOps)
	var t tally
	rw := make([]io.ReadWriter, len(conns))
	for i, c := range conns {
		rw[i] = c
	}
	hist, err := runRoundTrips(ctx, w, &t, rw, cfg.size, cfg.maxOps, func() { unblockAll(conns) })
	if err != nil {
		return nil, err
	}
	r := &result{Mode: cfg.mode, Addr: cfg.addr, Conns: cfg.conns, Size: cfg.size, Unit: "round trips"}
	return finishRoundTrips(r, w, &t, hist)
}

// runRoundTrips drives echo round trips on every stream until the window
// closes, then calls unblock to wake streams stuck in I/O, and returns the
// merged latency histogram of the window. QUIC streams share it with TCP.
func runRoundTrips(ctx context.Context, w *window, t *tally, streams []io.ReadWriter, size int, maxOps int64, unblock func()) (*histogram, error) {
	hists := make([]histogram, len(streams))
	var wg sync.WaitGroup
	for i, s := range streams {
		wg.Go(func() { roundTrips(s, size, maxOps, w, t, &hists[i]) })
	}
	err := w.run(ctx)
	unblock()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	var all histogram
	for i := range hists {
		all.merge(&hists[i])
	}
	return &all, nil
}

// roundTrips is one connection's loop: write, read the whole echo, check it.
func roundTrips(s io.ReadWriter, size int, maxOps int64, w *window, t *tally, h *histogram) {
	req := make([]byte, size)
	for i := range req {
		req[i] = byte('a' + i%26)
	}
	resp := make([]byte, size)
	for i := int64(0); i < maxOps && !w.stopped(); i++ {
		// A changing first byte catches an echo that is stale or reordered.
		req[0] = byte(i)
		t0 := time.Now()
		if _, err := s.Write(req); err != nil {
			t.fail(w, fmt.Errorf("write: %w", err))
			return
		}
		if _, err := io.ReadFull(s, resp); err != nil {
			t.fail(w, fmt.Errorf("read echo: %w", err))
			return
		}
		d := time.Since(t0)
		if !bytes.Equal(req, resp) {
			t.fail(w, errors.New("the echo differs from the request"))
			return
		}
		if w.add(1) {
			h.record(d)
		}
	}
}

func finishRoundTrips(r *result, w *window, t *tally, h *histogram) (*result, error) {
	r.Ops = float64(h.total)
	r.Latency = newLatency(h)
	t.fill(r)
	r.finish(w)
	if r.Ops == 0 {
		return nil, fmt.Errorf("no round trip completed in the window (%d errors; first: %s)", r.Errors, r.FirstError)
	}
	return r, nil
}

// unblockAll makes every pending and future read and write on conns fail at
// once, so load loops notice the closed window.
func unblockAll[C interface{ SetDeadline(time.Time) error }](conns []C) {
	now := time.Now()
	for _, c := range conns {
		c.SetDeadline(now)
	}
}

// boundAll sets every connection's deadline to the run's, so nothing blocks
// past it even if the server stops answering.
func boundAll(ctx context.Context, conns []*net.TCPConn) {
	if dl, ok := ctx.Deadline(); ok {
		for _, c := range conns {
			c.SetDeadline(dl)
		}
	}
}
