package main

import (
	"sync"
	"sync/atomic"
)

// tally counts the errors load goroutines meet and keeps the first one, so
// a run that failed says why.
type tally struct {
	n     atomic.Int64
	mu    sync.Mutex
	first error
}

// fail records err unless the window has closed: errors after that come
// from the load generator tearing connections down.
func (t *tally) fail(w *window, err error) {
	if w.stopped() {
		return
	}
	t.n.Add(1)
	t.mu.Lock()
	if t.first == nil {
		t.first = err
	}
	t.mu.Unlock()
}

// fill copies the count and first error into r.
func (t *tally) fill(r *result) {
	r.Errors = t.n.Load()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.first != nil {
		r.FirstError = t.first.Error()
	}
}
