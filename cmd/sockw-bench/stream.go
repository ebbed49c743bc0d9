package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync"
)

// chunkSize is the size of each write in stream mode.
const chunkSize = 64 << 10

// stream runs cfg.conns connections, each writing 64 KiB chunks as fast as
// the server takes them while another goroutine reads the echo back. It
// counts echoed bytes; one operation is 1 MB (10^6 bytes).
func stream(ctx context.Context, cfg *config) (*result, error) {
	conns, err := dialAll(ctx, cfg.addr, cfg.conns, dialPar)
	if err != nil {
		return nil, err
	}
	defer closeAll(conns)
	boundAll(ctx, conns)
	limit := cfg.maxOps * chunkSize
	w := newWindow(cfg, limit)
	var (
		t  tally
		wg sync.WaitGroup
	)
	for _, c := range conns {
		wg.Go(func() { writeChunks(c, cfg.maxOps, w, &t) })
		wg.Go(func() { readEcho(c, limit, w, &t) })
	}
	werr := w.run(ctx)
	unblockAll(conns)
	wg.Wait()
	if werr != nil {
		return nil, werr
	}
	r := &result{Mode: cfg.mode, Addr: cfg.addr, Conns: cfg.conns, Unit: "MB"}
	r.Ops = float64(w.units.Load()) / 1e6
	t.fill(r)
	r.finish(w)
	if r.Ops == 0 {
		return nil, fmt.Errorf("no byte came back in the window (%d errors; first: %s)", r.Errors, r.FirstError)
	}
	return r, nil
}

func writeChunks(c *net.TCPConn, maxChunks int64, w *window, t *tally) {
	chunk := make([]byte, chunkSize)
	for i := range chunk {
		chunk[i] = byte(i)
	}
	for i := int64(0); i < maxChunks && !w.stopped(); i++ {
		if _, err := c.Write(chunk); err != nil {
			t.fail(w, fmt.Errorf("write: %w", err))
			return
		}
	}
}

// readEcho reads until the window closes or limit bytes came back, counting
// bytes read inside the window. The bytes are not checked: pingpong checks
// echo correctness, this mode measures throughput.
func readEcho(c *net.TCPConn, limit int64, w *window, t *tally) {
	buf := make([]byte, chunkSize)
	for read := int64(0); read < limit && !w.stopped(); {
		n, err := c.Read(buf)
		read += int64(n)
		w.add(int64(n))
		if err == io.EOF {
			t.fail(w, fmt.Errorf("the server closed the connection after %d bytes", read))
			return
		}
		if err != nil {
			t.fail(w, fmt.Errorf("read: %w", err))
			return
		}
	}
}
