// Package runtime runs worker scripts: it bundles them, keeps one isolate per
// shard for each loaded version, and joins listeners' connections to the
// scripts' connect handlers through the bindings.
package runtime

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/quic-go/quic-go"
	"go.uber.org/zap"

	"github.com/sockw/sockw/bindings/broadcast"
	"github.com/sockw/sockw/bindings/udp"
	"github.com/sockw/sockw/runtime/bundle"
)

// Worker is a named script that may be reloaded: each load is a Version, new
// connections go to the newest one, and older versions finish the
// connections they have before they go away.
type Worker struct {
	cfg Config

	mu       sync.Mutex
	current  *Version
	old      map[*Version]struct{} // replaced versions still draining
	draining sync.WaitGroup
	loads    int
	closed   bool
}

// NewWorker loads the script and starts its isolates.
func NewWorker(cfg Config) (*Worker, error) {
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	cfg.Logger = cfg.Logger.With(zap.String("worker", cfg.Name))
	if cfg.Hub == nil {
		cfg.Hub = broadcast.NewHub()
	}
	w := &Worker{cfg: cfg}
	v, err := load(cfg, 1)
	if err != nil {
		return nil, err
	}
	w.current, w.loads = v, 1
	return w, nil
}

// ServeConn hands an accepted TCP or TLS connection to the current
// version. It does not block.
func (w *Worker) ServeConn(c net.Conn) { w.serve(tcpConn{c}) }

// ServeFlow hands a new UDP flow (the datagrams of one source address) to
// the current version. It does not block.
func (w *Worker) ServeFlow(f udp.Flow) { w.serve(udpFlow{f}) }

// ServeQUIC hands an accepted QUIC connection, handshake complete, to the
// current version. It does not block.
func (w *Worker) ServeQUIC(c *quic.Conn) { w.serve(quicConn{c}) }

func (w *Worker) serve(c inbound) {
	w.mu.Lock()
	v := w.current
	closed := w.closed
	w.mu.Unlock()
	if closed {
		c.drop()
		return
	}
	v.serve(c)
}

// Reload loads the script again. On success new connections go to the new
// version and the old one drains; on failure the old version keeps serving
// and the error says why.
func (w *Worker) Reload() error {
	w.mu.Lock()
	w.loads++
	id := w.loads
	w.mu.Unlock()
	v, err := load(w.cfg, id)
	if err != nil {
		return err
	}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		v.Close()
		return errors.New("worker closed")
	}
	old := w.current
	w.current = v
	if w.old == nil {
		w.old = map[*Version]struct{}{}
	}
	w.old[old] = struct{}{}
	w.draining.Add(1)
	w.mu.Unlock()
	go func() {
		defer w.draining.Done()
		old.Shutdown(context.Background())
		w.mu.Lock()
		delete(w.old, old)
		w.mu.Unlock()
	}()
	w.cfg.Logger.Info("reloaded", zap.Int("version", id), zap.Int64("draining_connections", old.OpenConnections()))
	return nil
}

// Shutdown lets open connections finish until ctx ends, then closes the
// rest. It returns ctx.Err() if connections were still open then.
func (w *Worker) Shutdown(ctx context.Context) error {
	w.mu.Lock()
	w.closed = true
	v := w.current
	w.mu.Unlock()
	err := v.Shutdown(ctx)
	done := make(chan struct{})
	go func() { w.draining.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		err = ctx.Err()
		// The grace period is over for older versions too.
		w.mu.Lock()
		olds := make([]*Version, 0, len(w.old))
		for old := range w.old {
			olds = append(olds, old)
		}
		w.mu.Unlock()
		for _, old := range olds {
			old.Close()
		}
	}
	return err
}

// OpenConnections reports the connections of the current version.
func (w *Worker) OpenConnections() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.current.OpenConnections()
}

// Check bundles and compiles entry without running it, as `sockw check`.
func Check(entry string) error {
	_, err := build(entry, bundle.Worker)
	return err
}

// Inputs lists the files the current version was built from.
func (w *Worker) Inputs() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.current.bundle.Inputs
}
