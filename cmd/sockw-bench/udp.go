package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// udpEcho runs cfg.conns flows, each its own connected UDP socket, sending
// a datagram and waiting up to cfg.timeout for its echo before the next.
func udpEcho(ctx context.Context, cfg *config) (*result, error) {
	raddr, err := net.ResolveUDPAddr("udp", cfg.addr)
	if err != nil {
		return nil, err
	}
	flows := make([]*net.UDPConn, 0, cfg.conns)
	defer func() {
		for _, f := range flows {
			f.Close()
		}
	}()
	for i := range cfg.conns {
		f, err := net.DialUDP("udp", nil, raddr)
		if err != nil {
			return nil, fmt.Errorf("opening flow %d of %d: %w", i+1, cfg.conns, err)
		}
		flows = append(flows, f)
	}
	w := newWindow(cfg, cfg.maxOps)
	var (
		t    tally
		lost atomic.Int64
		wg   sync.WaitGroup
	)
	hists := make([]histogram, len(flows))
	for i, f := range flows {
		wg.Go(func() { udpFlow(f, cfg, w, &t, &lost, &hists[i]) })
	}
	werr := w.run(ctx)
	unblockAll(flows)
	wg.Wait()
	if werr != nil {
		return nil, werr
	}
	var all histogram
	for i := range hists {
		all.merge(&hists[i])
	}
	r := &result{Mode: cfg.mode, Addr: cfg.addr, Conns: cfg.conns, Size: cfg.size, Unit: "round trips", Lost: lost.Load()}
	return finishRoundTrips(r, w, &t, &all)
}

// udpFlow is one flow's loop. Each datagram carries a sequence number in
// its first bytes, so an echo that arrives after its timeout is recognised
// and dropped rather than taken for the next one's.
func udpFlow(f *net.UDPConn, cfg *config, w *window, t *tally, lost *atomic.Int64, h *histogram) {
	req := make([]byte, cfg.size)
	resp := make([]byte, max(cfg.size, 64<<10))
	for i := range req {
		req[i] = byte('a' + i%26)
	}
	var seqBuf [8]byte
	seqLen := min(len(seqBuf), len(req))
	for seq := uint64(0); seq < uint64(cfg.maxOps) && !w.stopped(); seq++ {
		binary.BigEndian.PutUint64(seqBuf[:], seq)
		copy(req, seqBuf[len(seqBuf)-seqLen:])
		t0 := time.Now()
		if _, err := f.Write(req); err != nil {
			t.fail(w, fmt.Errorf("send: %w", err))
			return
		}
		if err := f.SetReadDeadline(t0.Add(cfg.timeout)); err != nil {
			t.fail(w, err)
			return
		}
		ok, err := awaitEcho(f, req[:seqLen], len(req), resp)
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			if w.measuring() {
				lost.Add(1)
			}
		case err != nil:
			t.fail(w, fmt.Errorf("receive: %w", err))
			return
		case ok:
			if d := time.Since(t0); w.add(1) {
				h.record(d)
			}
		}
	}
}

// awaitEcho reads until a datagram of size bytes starting with seq comes,
// skipping late echoes of earlier datagrams.
func awaitEcho(f *net.UDPConn, seq []byte, size int, buf []byte) (bool, error) {
	for {
		n, err := f.Read(buf)
		if err != nil {
			return false, err
		}
		if n == size && string(buf[:len(seq)]) == string(seq) {
			return true, nil
		}
	}
}
