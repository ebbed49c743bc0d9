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

// opTimeout bounds one connect-and-greet, so a server that stops answering
// cannot hold a dialer past the window for long.
const opTimeout = 5 * time.Second

// connrate runs cfg.conns dialers, each connecting, reading one greeting
// line up to '\n', and closing, over and over.
func connrate(ctx context.Context, cfg *config) (*result, error) {
	w := newWindow(cfg, cfg.maxOps)
	var t tally
	// Cancelled when the window closes: dials in flight then give up.
	dialCtx, stopDials := context.WithCancel(ctx)
	defer stopDials()
	hists := make([]histogram, cfg.conns)
	var wg sync.WaitGroup
	for i := range cfg.conns {
		wg.Go(func() { greetLoop(dialCtx, cfg.addr, cfg.maxOps, w, &t, &hists[i]) })
	}
	werr := w.run(ctx)
	stopDials()
	wg.Wait()
	if werr != nil {
		return nil, werr
	}
	var all histogram
	for i := range hists {
		all.merge(&hists[i])
	}
	r := &result{Mode: cfg.mode, Addr: cfg.addr, Conns: cfg.conns, Unit: "connections"}
	return finishRoundTrips(r, w, &t, &all)
}

func greetLoop(ctx context.Context, addr string, maxOps int64, w *window, t *tally, h *histogram) {
	d := net.Dialer{Timeout: opTimeout}
	buf := make([]byte, 256)
	for i := int64(0); i < maxOps && !w.stopped(); i++ {
		t0 := time.Now()
		if err := greet(ctx, &d, addr, buf); err != nil {
			t.fail(w, err)
			if ctx.Err() != nil {
				return
			}
			// Keep going: one refused or reset connection under a storm
			// is a figure to report, not the end of the run. The pause
			// keeps a dead server from turning this into a busy loop.
			time.Sleep(time.Millisecond)
			continue
		}
		if d := time.Since(t0); w.add(1) {
			h.record(d)
		}
	}
}

// greet does one connection: dial, read a line, close.
func greet(ctx context.Context, d *net.Dialer, addr string, buf []byte) error {
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	defer c.Close()
	if err := c.SetDeadline(time.Now().Add(opTimeout)); err != nil {
		return err
	}
	n := 0
	for {
		m, err := c.Read(buf[n:])
		if i := bytes.IndexByte(buf[n:n+m], '\n'); i >= 0 {
			return nil
		}
		n += m
		switch {
		case errors.Is(err, io.EOF):
			return fmt.Errorf("the server closed the connection after %d bytes without a newline", n)
		case err != nil:
			return fmt.Errorf("read greeting: %w", err)
		case n == len(buf):
			return fmt.Errorf("no newline in the first %d bytes of the greeting", n)
		}
	}
}
