package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"time"

	"github.com/quic-go/quic-go"
)

// quicEcho opens one QUIC connection with cfg.streams bidirectional streams
// and does echo round trips on each, as pingpong does on TCP connections.
// The server's certificate is not verified: the target is loopback and
// test servers use self-signed certificates.
func quicEcho(ctx context.Context, cfg *config) (*result, error) {
	tlsConf := &tls.Config{
		InsecureSkipVerify: true, // loopback only, self-signed servers
		NextProtos:         []string{cfg.alpn},
	}
	qconf := &quic.Config{HandshakeIdleTimeout: opTimeout, MaxIdleTimeout: 30 * time.Second}
	dialCtx, cancel := context.WithTimeout(ctx, opTimeout)
	conn, err := quic.DialAddr(dialCtx, cfg.addr, tlsConf, qconf)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("QUIC handshake with %s (ALPN %q): %w", cfg.addr, cfg.alpn, err)
	}
	defer conn.CloseWithError(0, "done")
	streams := make([]*quic.Stream, 0, cfg.streams)
	defer func() {
		for _, s := range streams {
			s.CancelRead(0)
			s.Close()
		}
	}()
	dl, _ := ctx.Deadline()
	for i := range cfg.streams {
		openCtx, cancel := context.WithTimeout(ctx, opTimeout)
		s, err := conn.OpenStreamSync(openCtx)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("opening stream %d of %d: %w", i+1, cfg.streams, err)
		}
		s.SetDeadline(dl)
		streams = append(streams, s)
	}
	w := newWindow(cfg, cfg.maxOps)
	var t tally
	rw := make([]io.ReadWriter, len(streams))
	for i, s := range streams {
		rw[i] = s
	}
	hist, err := runRoundTrips(ctx, w, &t, rw, cfg.size, cfg.maxOps, func() { unblockAll(streams) })
	if err != nil {
		return nil, err
	}
	r := &result{Mode: cfg.mode, Addr: cfg.addr, Conns: 1, Streams: cfg.streams, Size: cfg.size, Unit: "round trips"}
	return finishRoundTrips(r, w, &t, hist)
}
