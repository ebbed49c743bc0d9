package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
)

// dialAll opens n TCP connections to addr, at most par at a time. On any
// failure it closes what it opened and returns the first error.
func dialAll(ctx context.Context, addr string, n, par int) ([]*net.TCPConn, error) {
	conns := make([]*net.TCPConn, n)
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := net.Dialer{Timeout: opTimeout}
	for range min(par, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				c, err := d.DialContext(ctx, "tcp", addr)
				if err != nil {
					errOnce.Do(func() { first = fmt.Errorf("dialing connection %d of %d: %w", i+1, n, err) })
					cancel()
					return
				}
				conns[i] = c.(*net.TCPConn)
			}
		})
	}
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = errors.New("dialing interrupted")
	}
	if first != nil {
		closeAll(conns)
		return nil, first
	}
	return conns, nil
}

func closeAll(conns []*net.TCPConn) {
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}
