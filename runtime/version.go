package runtime

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/sockw/sockw/runtime/bundle"
)

// Version is one loaded build of a worker: its compiled bundle and the
// isolates (shards) that run it. Connections are pinned to the isolate that
// accepted them for their whole life.
type Version struct {
	id     int
	cfg    Config
	bundle *bundle.Bundle
	logger *zap.Logger

	shards []*shard
	next   atomic.Uint64 // round-robin cursor
	open   atomic.Int64  // connections being served, for MaxConnections

	mu       sync.Mutex
	closing  bool
	retired  []*Isolate // replaced isolates still draining
	lastDrop time.Time  // when an over-limit drop was last logged
}

type shard struct {
	mu  sync.Mutex
	iso *Isolate
}

// load bundles the worker's script once and starts its isolates. Every
// isolate runs the top level, so a script that throws there fails the load.
func load(cfg Config, id int) (*Version, error) {
	b, err := build(cfg.Entry, bundle.Worker)
	if err != nil {
		return nil, err
	}
	n := cfg.Isolates
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	v := &Version{id: id, cfg: cfg, bundle: b, shards: make([]*shard, n)}
	v.logger = cfg.Logger.With(zap.Int("version", id))
	for i := range v.shards {
		iso, err := newIsolate(v)
		if err != nil {
			v.Close()
			return nil, err
		}
		v.shards[i] = &shard{iso: iso}
	}
	return v, nil
}

// serve hands c to one of the version's isolates, or drops it if the
// version is shutting down or at its connection limit.
func (v *Version) serve(c inbound) {
	v.mu.Lock()
	closing := v.closing
	v.mu.Unlock()
	if closing {
		c.drop()
		return
	}
	if max := int64(v.cfg.maxConnections()); v.open.Load() >= max {
		v.dropOverLimit(c, max)
		return
	}
	n := uint64(len(v.shards))
	start := v.next.Add(1)
	for i := uint64(0); i < n; i++ {
		sh := v.shards[(start+i)%n]
		if sh.serve(v, c) {
			return
		}
	}
	v.logger.Error("no isolate could take the connection; closing it", zap.String("remote", c.remote()))
	c.drop()
}

// dropOverLimit refuses c, logging at most once a second so that a flood
// cannot flood the log too.
func (v *Version) dropOverLimit(c inbound, max int64) {
	v.mu.Lock()
	if time.Since(v.lastDrop) > time.Second {
		v.lastDrop = time.Now()
		v.logger.Warn("connection limit reached; closing new connections", zap.Int64("max_connections", max))
	}
	v.mu.Unlock()
	c.drop()
}

// serve gives c to the shard's isolate, rebuilding the isolate if it was
// discarded.
func (sh *shard) serve(v *Version, c inbound) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for attempt := 0; attempt < 2; attempt++ {
		if sh.iso != nil && sh.iso.serve(c) {
			return true
		}
		iso, err := newIsolate(v)
		if err != nil {
			v.logger.Error("cannot rebuild an isolate", zap.Error(err))
			return false
		}
		old := sh.iso
		sh.iso = iso
		if old != nil {
			v.retire(old)
		}
	}
	return false
}

// replace takes a discarded isolate out of its shard; the next connection
// to that shard builds a fresh one.
func (v *Version) replace(iso *Isolate) {
	for _, sh := range v.shards {
		sh.mu.Lock()
		if sh.iso == iso {
			sh.iso = nil
			v.retire(iso)
		}
		sh.mu.Unlock()
	}
}

func (v *Version) retire(iso *Isolate) {
	iso.Retire()
	v.mu.Lock()
	v.retired = append(v.retired, iso)
	v.mu.Unlock()
}

// Shutdown stops taking connections and waits for the open ones to finish,
// up to ctx's end; then it closes what is left. It returns ctx.Err() if the
// context ended first.
func (v *Version) Shutdown(ctx context.Context) error {
	isos := v.beginClose()
	for _, iso := range isos {
		iso.Retire()
	}
	var err error
	for _, iso := range isos {
		select {
		case <-iso.Done():
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
	}
	for _, iso := range isos {
		iso.Close()
	}
	return err
}

// Close stops every isolate at once, closing their connections.
func (v *Version) Close() {
	for _, iso := range v.beginClose() {
		iso.Close()
	}
}

func (v *Version) beginClose() []*Isolate {
	v.mu.Lock()
	v.closing = true
	isos := append([]*Isolate(nil), v.retired...)
	v.mu.Unlock()
	for _, sh := range v.shards {
		if sh == nil {
			continue
		}
		sh.mu.Lock()
		if sh.iso != nil {
			isos = append(isos, sh.iso)
		}
		sh.mu.Unlock()
	}
	return isos
}

// OpenConnections reports how many connections the version serves.
func (v *Version) OpenConnections() int64 { return v.open.Load() }

func (v *Version) String() string { return fmt.Sprintf("%s v%d", v.cfg.Name, v.id) }
