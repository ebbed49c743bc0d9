package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

const (
	phaseWarmup int32 = iota
	phaseMeasure
	phaseStopped
)

// window is the measured interval of a run: work before it is warm-up,
// work after it is ignored. Load goroutines ask it, per operation, whether
// to count; the goroutine that calls run opens and closes it and samples
// the server on both edges.
type window struct {
	warmup   time.Duration
	duration time.Duration
	// limit ends the window early once this many units (round trips,
	// connections, bytes) are counted.
	limit int64
	pid   int

	phase    atomic.Int32
	units    atomic.Int64
	full     chan struct{}
	fullOnce sync.Once

	// Written by run before the phase changes that publish them.
	start, end    time.Time
	before, after procSample
	selfBefore    time.Duration
	selfAfter     time.Duration
}

func newWindow(cfg *config, limit int64) *window {
	return &window{
		warmup:   cfg.warmup,
		duration: cfg.duration,
		limit:    limit,
		pid:      cfg.pid,
		full:     make(chan struct{}),
	}
}

// add counts n units finished now and reports whether they fell inside the
// window.
func (w *window) add(n int64) bool {
	if w.phase.Load() != phaseMeasure {
		return false
	}
	if w.units.Add(n) >= w.limit {
		w.fullOnce.Do(func() { close(w.full) })
	}
	return true
}

// measuring reports whether the window is open.
func (w *window) measuring() bool { return w.phase.Load() == phaseMeasure }

// stopped reports whether the window has closed: load loops end then.
func (w *window) stopped() bool { return w.phase.Load() == phaseStopped }

// run waits out the warm-up, opens the window, and closes it after the
// duration, when the limit is reached, or when ctx ends (an error then).
func (w *window) run(ctx context.Context) error {
	defer w.phase.Store(phaseStopped)
	select {
	case <-time.After(w.warmup):
	case <-ctx.Done():
		return fmt.Errorf("during warm-up: %w", context.Cause(ctx))
	}
	if err := w.sample(&w.before); err != nil {
		return err
	}
	w.selfBefore = selfCPU()
	w.start = time.Now()
	w.phase.Store(phaseMeasure)
	t := time.NewTimer(w.duration)
	defer t.Stop()
	select {
	case <-t.C:
	case <-w.full:
	case <-ctx.Done():
		return fmt.Errorf("during the measured window: %w", context.Cause(ctx))
	}
	w.phase.Store(phaseStopped)
	w.end = time.Now()
	w.selfAfter = selfCPU()
	return w.sample(&w.after)
}

func (w *window) sample(s *procSample) error {
	if w.pid == 0 {
		return nil
	}
	var err error
	*s, err = readProc(w.pid)
	return err
}

// elapsed is the measured window's length.
func (w *window) elapsed() time.Duration { return w.end.Sub(w.start) }
